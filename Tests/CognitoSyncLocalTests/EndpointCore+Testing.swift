@testable import CognitoSyncLocal

extension EndpointCore {
    /// An endpoint in memory, without faults, that requests can be driven through the path HTTP requests take.
    static func inMemory(
        credentials: [(accessKeyId: String, secret: String)], rateLimiter: RateLimiter? = nil
    ) throws -> EndpointCore {
        let clock = ServerClock(offset: 0)
        let service = try SyncService(clock: clock, persistence: nil, sessionLifetime: 60, bulkPublishDuration: 1)
        return EndpointCore(
            service: service, faults: FaultInjector(spec: FaultSpec(), seed: 1), clock: clock,
            credentials: credentials, rateLimiter: rateLimiter
        )
    }
}
