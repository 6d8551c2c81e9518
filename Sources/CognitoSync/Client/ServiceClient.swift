#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4
import CognitoSyncModel

/// One configured client of a service (Cognito Sync or Cognito Identity): where to send requests, how to sign
/// them, and how to retry.
public final class ServiceClient {
    public let configuration: ResolvedConfiguration
    public var options: ClientOptions
    public internal(set) var retryQuota = RetryQuota()
    /// Paces this client's requests (adaptive and batch modes); every call of the client shares it.
    let rateLimiter: SendRateLimiter?
    var inFlight = 0
    /// A timer is set to admit more calls when the limiter next has a token.
    var wakeScheduled = false
    private let signer: SigV4Signer
    private let host: String
    private let basePath: String

    public init(configuration: ResolvedConfiguration, options: ClientOptions) throws {
        self.configuration = configuration
        self.options = options
        switch options.retryMode {
        case .standard: rateLimiter = nil
        case .adaptive: rateLimiter = AdaptiveRateLimiter(now: MonotonicClock.now())
        case .batch: rateLimiter = BatchRateController()
        }
        signer = SigV4Signer(service: configuration.service.signingName, region: configuration.region)
        guard let url = URLComponents(string: configuration.endpoint), let hostName = url.host,
              let scheme = url.scheme, scheme == "http" || scheme == "https"
        else {
            throw ConfigurationError(code: "ConfigError", message: "endpoint is not an http(s) URL: \(configuration.endpoint)")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        host = url.port.map { $0 == defaultPort ? hostName : "\(hostName):\($0)" } ?? hostName
        basePath = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        origin = "\(scheme)://\(host)"
    }

    private let origin: String

    /// The send rate in force, in requests per second; nil while sending is not limited.
    public var sendRate: Double? { rateLimiter?.sendRate(now: MonotonicClock.now()) }

    /// The rate the limiter believes the service allows; nil before any pushback.
    public var allowedRate: Double? { rateLimiter?.allowedRate }

    /// Validates `params` against the operation's input and serialises them; nothing is sent.
    public func prepare(_ operation: CognitoSyncModel.Operation, params: Value) throws -> HTTPRequest {
        let normalized = try operation.prepare(params: params, validation: options.validation)
        return operation.serialize(normalized)
    }

    /// The request as it goes on the wire, signed now with `credentials` (every attempt is signed afresh); without
    /// credentials it goes unsigned.
    func wireRequest(_ request: HTTPRequest, credentials: Credentials?) -> WireRequest {
        let path = basePath + request.path
        var headers = request.headers
        headers.append(("Host", host))
        if let credentials {
            let date = Date(timeIntervalSinceNow: options.systemClockOffset)
            headers += signer.sign(method: request.method, path: path, query: request.query, headers: headers,
                                   body: request.body, credentials: credentials, date: date)
        }
        let query = request.encodedQuery
        return WireRequest(origin: origin, target: query.isEmpty ? path : path + "?" + query, method: request.method,
                           headers: headers, body: request.body)
    }
}
