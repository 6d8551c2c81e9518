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
    private let verifier: SigV4Verifier

    init(
        service: SyncService, faults: FaultInjector, clock: ServerClock,
        credentials: [(accessKeyId: String, secret: String)]
    ) {
        self.service = service
        self.faults = faults
        self.clock = clock
        var secrets: [String: String] = [:]
        for pair in credentials {
            secrets[pair.accessKeyId] = pair.secret
        }
        verifier = SigV4Verifier(service: "cognito-sync") { secrets[$0] }
    }

    func respond(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> EndpointResponse {
        let rawPath: String
        let rawQuery: String
        if let mark = uri.firstIndex(of: "?") {
            rawPath = String(uri[..<mark])
            rawQuery = String(uri[uri.index(after: mark)...])
        } else {
            rawPath = uri
            rawQuery = ""
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
}
