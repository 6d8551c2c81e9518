import CognitoSyncModel
@testable import CognitoSyncLocal
import SigV4
import XCTest

/// Every operation of the model is routed and has its whole input checked by the endpoint, through the same path a
/// signed HTTP request takes.
final class OperationCoverageTests: XCTestCase {
    private let credentials = Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "test-secret")
    private let pool = "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

    private func makeCore() throws -> EndpointCore {
        let clock = ServerClock(offset: 0)
        let service = try SyncService(clock: clock, persistence: nil, sessionLifetime: 60, bulkPublishDuration: 1)
        return EndpointCore(
            service: service, faults: FaultInjector(spec: FaultSpec(), seed: 1), clock: clock,
            credentials: [(accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey)]
        )
    }

    private func send(
        _ core: EndpointCore, method: String, path: String, query: [(String, String)], headers: [(String, String)],
        body: [UInt8]
    ) -> EndpointResponse {
        let signer = SigV4Signer(service: "cognito-sync", region: "us-east-1")
        var sent = [("Host", "localhost")] + headers
        sent += signer.sign(
            method: method, path: path, query: query, headers: sent, body: body, credentials: credentials, date: Date()
        )
        let rawQuery = query.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
        let uri = rawQuery.isEmpty ? path : path + "?" + rawQuery.joined(separator: "&")
        return core.respond(method: method, uri: uri, headers: sent, body: body)
    }

    /// The URI template with each `{Label}` replaced by the percent-encoded value `labels` gives it.
    private func path(_ template: String, _ labels: [String: String]) -> String {
        var path = template
        for (name, value) in labels {
            path = path.replacingOccurrences(of: "{\(name)}", with: PercentEncoding.encode(value))
        }
        return path
    }

    /// A value that breaks one of `shape`'s constraints, and where below the member the service names the
    /// violation; nil when the shape has no constraint to break. `text` is set for members sent as text.
    private static func violation(of shape: Shape, text: Bool) -> (value: Value, below: String)? {
        switch shape.kind {
        case .string(let constraints):
            if let max = constraints.max {
                return (.string(String(repeating: "a", count: max + 1)), "")
            }
            if let allowed = constraints.enumValues {
                return (.string(allowed.joined() + "!"), "")
            }
            if constraints.pattern != nil {
                return (.string("!"), "")
            }
            return constraints.min.map { _ in (.string(""), "") }
        case .integer, .long:
            return text ? (.string("not-a-number"), "") : nil
        case .boolean, .timestamp:
            return nil
        case .list(let member, _, _):
            return violation(of: member, text: false).map { (.list([$0.value]), ".1.member" + $0.below) }
        case .map(_, _, _, let max):
            return max.map { max in (.map((0...max).map { ("k\($0)", .string("v")) }), "") }
        case .structure(let members, let required):
            if let name = members.first(where: { required.contains($0.name) })?.name {
                return (.map([]), "." + ModelValidator.memberPath(nil, name))
            }
            for member in members {
                if let found = violation(of: member.shape, text: false) {
                    let below = "." + ModelValidator.memberPath(nil, member.name) + found.below
                    return (.map([(member.name, found.value)]), below)
                }
            }
            return nil
        }
    }

    func testEveryOperationIsRoutedByItsMethodAndURITemplate() throws {
        let labels = [
            "IdentityPoolId": pool, "IdentityId": "us-east-1:abc", "DatasetName": "d:1", "DeviceId": "device-1",
        ]
        XCTAssertEqual(ServiceModel.operations.count, 17)
        for operation in ServiceModel.operations {
            let routed = Router.route(method: operation.method, rawPath: path(operation.uriTemplate, labels))
            XCTAssertEqual(routed?.operation, LocalOperation(rawValue: operation.name), operation.name)
            XCTAssertNotNil(routed?.operation, operation.name)
            XCTAssertEqual(routed?.model.name, operation.name)
            for (label, value) in labels where operation.uriTemplate.contains("{\(label)}") {
                XCTAssertEqual(routed?.labels[label], value, "\(operation.name) \(label)")
            }
        }
        XCTAssertNil(Router.route(method: "PUT", rawPath: "/identitypools"))
        XCTAssertNil(Router.route(method: "GET", rawPath: "/identitypools/a/b"))
    }

    func testEveryOperationsInputIsCheckedAgainstTheModel() throws {
        let core = try makeCore()
        var checked: [String] = []
        for operation in ServiceModel.operations {
            let input = try XCTUnwrap(operation.input, operation.name)
            guard case .structure(let members, let required) = input.kind else {
                XCTFail("\(operation.name): the input is not a structure")
                continue
            }
            var labels: [String: String] = [:]
            var query: [(String, String)] = []
            var headers: [(String, String)] = []
            var body: [(String, Value)] = []
            var expected: [String] = []
            for member in members {
                let name = ModelValidator.memberPath(nil, member.name)
                let text = member.location != .body
                guard let found = Self.violation(of: member.shape, text: text) else {
                    if required.contains(member.name) {
                        expected.append("Value null at '\(name)'")
                    }
                    continue
                }
                expected.append("at '\(name + found.below)' failed to satisfy constraint")
                switch member.location {
                case .uri(let label): labels[label] = found.value.stringValue
                case .querystring(let key): query.append((key, found.value.stringValue ?? ""))
                case .header(let key): headers.append((key, found.value.stringValue ?? ""))
                case .body: body.append((member.name, found.value))
                }
            }
            let bytes = body.isEmpty ? [] : JSONWriter.write(.map(body))
            let response = send(
                core, method: operation.method, path: path(operation.uriTemplate, labels), query: query,
                headers: headers, body: bytes
            )
            XCTAssertEqual(response.status, 400, operation.name)
            XCTAssertEqual(response.errorCode, "InvalidParameterException", operation.name)
            let message = try JSONParser.parse(response.body)["message"]?.stringValue ?? ""
            XCTAssertFalse(expected.isEmpty, operation.name)
            for fragment in expected {
                XCTAssertTrue(message.contains(fragment), "\(operation.name): \(fragment) missing from \(message)")
            }
            checked.append(operation.name)
        }
        XCTAssertEqual(checked, ServiceModel.operations.map(\.name))
    }
}
