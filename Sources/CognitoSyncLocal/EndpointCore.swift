import CognitoSyncModel
import Foundation
import SigV4

/// Turns a complete HTTP request into a response: authentication, routing, validation against the model, then the
/// service.
final class EndpointCore {
    /// The account every configured credential belongs to; writes record it as LastModifiedBy.
    static let accountId = "000000000000"

    let service: SyncService
    let faults: FaultInjector
    let clock: ServerClock
    private let rateLimiter: RateLimiter?
    private let verifier: SigV4Verifier
    private let secrets: [String: String]

    init(
        service: SyncService, faults: FaultInjector, clock: ServerClock,
        credentials: [(accessKeyId: String, secret: String)], rateLimiter: RateLimiter? = nil
    ) {
        self.service = service
        self.faults = faults
        self.clock = clock
        self.rateLimiter = rateLimiter
        var secrets: [String: String] = [:]
        for pair in credentials {
            secrets[pair.accessKeyId] = pair.secret
        }
        self.secrets = secrets
        verifier = SigV4Verifier(service: ServiceModel.cognitoSync.signingName) { secrets[$0] }
    }

    /// Whether the rate limits let the request run. It is counted before its signature is checked, under the
    /// access key it names; a request naming no configured key counts as anonymous, so made-up keys cannot grow
    /// the limiter's table.
    func admits(method: String, uri: String, headers: [(String, String)]) -> Bool {
        guard let rateLimiter else {
            return true
        }
        let (rawPath, rawQuery) = Self.split(uri)
        let named = ClaimedAccessKey.named(headers: headers, rawQuery: rawQuery)
        return rateLimiter.admit(
            accessKey: named.flatMap { secrets[$0] == nil ? nil : $0 },
            operation: Router.route(method: method, rawPath: rawPath)?.operation
        )
    }

    /// The authentication failure a request's head already shows (no or a malformed `Authorization` header, an
    /// unknown key, a stale signing time), or nil when only the signature over the body is left to check.
    func checkHead(headers: [(String, String)]) -> ServiceError? {
        verifier.checkHead(headers: headers, now: clock.date).map {
            ServiceError(code: $0.code, status: $0.statusCode, message: $0.message)
        }
    }

    func respond(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> EndpointResponse {
        let (rawPath, rawQuery) = Self.split(uri)
        let verdict = verifier.verify(
            method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, body: body, now: clock.date
        )
        if case .failure(let failure) = verdict {
            return .failure(ServiceError(code: failure.code, status: failure.statusCode, message: failure.message))
        }
        guard let route = Router.route(method: method, rawPath: rawPath) else {
            return .failure(.unknownOperation)
        }
        var query: [String: String] = [:]
        for (name, value) in PercentEncoding.decodeQuery(rawQuery) where query[name] == nil {
            query[name] = value
        }
        do {
            let input = try ModelValidator.input(
                for: route.model.input, labels: route.labels, query: query, headers: headers, body: body,
                minimums: SyncService.inputMinimums
            )
            return .success(try service.execute(ServiceRequest(route: route, input: input, caller: Self.accountId)))
        } catch let error as ServiceError {
            return .failure(error)
        } catch {
            return .failure(.internalError())
        }
    }

    /// The path and the query (without `?`) of a request target, both still percent-encoded.
    private static func split(_ uri: String) -> (rawPath: String, rawQuery: String) {
        guard let mark = uri.firstIndex(of: "?") else {
            return (uri, "")
        }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }
}
