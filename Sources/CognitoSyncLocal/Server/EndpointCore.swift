import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    private let identityVerifier: SigV4Verifier
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
        identityVerifier = SigV4Verifier(service: ServiceModel.cognitoIdentity.signingName) { secrets[$0] }
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
            operation: Self.operation(method: method, rawPath: rawPath, headers: headers)
        )
    }

    /// The operation a request asks for, by its `X-Amz-Target` (Cognito Identity) or its route (Cognito Sync).
    private static func operation(method: String, rawPath: String, headers: [(String, String)]) -> EndpointOperation? {
        switch LocalService(headers: headers) {
        case .identity:
            return LocalService.identityOperation(headers: headers).map(EndpointOperation.identity)
        case .sync:
            return Router.route(method: method, rawPath: rawPath).map { .sync($0.operation) }
        }
    }

    /// Whether a Cognito Identity request may go unsigned: the model marks the operation so (botocore sends GetId,
    /// GetCredentialsForIdentity, GetOpenIdToken and UnlinkIdentity without a signature) and it carries no
    /// `Authorization` header. A signed request is verified whatever its operation.
    private static func isUnsigned(_ headers: [(String, String)]) -> Bool {
        guard HTTPHeader.value("Authorization", in: headers) == nil,
            let operation = LocalService.identityOperation(headers: headers)
        else {
            return false
        }
        return ServiceModel.cognitoIdentity.operation(named: operation.rawValue)?.signed == false
    }

    /// The authentication failure a request's head already shows (no or a malformed `Authorization` header, an
    /// unknown key, a stale signing time), or nil when only the signature over the body is left to check.
    func checkHead(headers: [(String, String)]) -> ServiceError? {
        if Self.isUnsigned(headers) {
            return nil
        }
        let verifier = LocalService(headers: headers) == .identity ? identityVerifier : verifier
        return verifier.checkHead(headers: headers, now: clock.date).map {
            ServiceError(code: $0.code, status: $0.statusCode, message: $0.message)
        }
    }

    func respond(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> EndpointResponse {
        let (rawPath, rawQuery) = Self.split(uri)
        if LocalService(headers: headers) == .identity {
            return respondIdentity(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, body: body)
        }
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

    /// Answers a Cognito Identity request: `POST /` with a known target, signed for `cognito-identity` unless the
    /// operation may go unsigned, its JSON body checked against the operation's input shape.
    private func respondIdentity(
        method: String, rawPath: String, rawQuery: String, headers: [(String, String)], body: [UInt8]
    ) -> EndpointResponse {
        if !Self.isUnsigned(headers) {
            let verdict = identityVerifier.verify(
                method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, body: body, now: clock.date
            )
            if case .failure(let failure) = verdict {
                let error = ServiceError(code: failure.code, status: failure.statusCode, message: failure.message)
                return .failure(error, service: .identity)
            }
        }
        guard method == "POST", rawPath == "/", let operation = LocalService.identityOperation(headers: headers),
            let model = ServiceModel.cognitoIdentity.operation(named: operation.rawValue)
        else {
            return .failure(.unknownIdentityOperation, service: .identity)
        }
        do {
            let input = try ModelValidator.input(
                for: model.input, labels: [:], query: [:], headers: headers, body: body
            )
            let region = ClaimedRegion.named(headers: headers)
            let request = IdentityRequest(operation: operation, input: input, region: region)
            return .success(try service.execute(request), service: .identity)
        } catch let error as ServiceError {
            return .failure(error, service: .identity)
        } catch {
            return .failure(.internalError(), service: .identity)
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
