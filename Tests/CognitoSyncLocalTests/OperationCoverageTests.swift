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
        try .inMemory(credentials: [(accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey)])
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

    /// A value that breaks one of `shape`'s constraints; nil when the shape has no constraint to break. `text` is set
    /// for members sent as text.
    private static func violation(of shape: Shape, text: Bool) -> Value? {
        switch shape.kind {
        case .string(let constraints):
            if let max = constraints.max {
                return .string(String(repeating: "a", count: max + 1))
            }
            if let allowed = constraints.enumValues {
                return .string(allowed.joined() + "!")
            }
            if constraints.pattern != nil {
                return .string("!")
            }
            return constraints.min.map { _ in .string("") }
        case .integer, .long:
            return text ? .string("not-a-number") : nil
        case .boolean, .timestamp:
            return nil
        case .list(let member, _, _):
            return violation(of: member, text: false).map { .list([$0]) }
        case .map(_, _, _, let max):
            return max.map { max in .map((0...max).map { ("k\($0)", .string("v")) }) }
        case .structure(let members, let required):
            if members.contains(where: { required.contains($0.name) }) {
                return .map([])
            }
            for member in members {
                if let found = violation(of: member.shape, text: false) {
                    return .map([(member.name, found)])
                }
            }
            return nil
        }
    }

    // What the service says of each member `violation(of:text:)` breaks, written out rather than derived from the
    // model the endpoint checks against: the member's path and the constraint, in the order of the message.
    private static let idLength = "Member must have length less than or equal to 55"
    private static let idPattern = #"Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+"#
    private static let number = "Member must be a number"
    private static let present = "Member must not be null"
    private static let pool = ["identityPoolId: " + idLength, "identityPoolId: " + idPattern]
    private static let identity = ["identityId: " + idLength, "identityId: " + idPattern]
    private static let dataset = ["datasetName: Member must have length less than or equal to 128"]
    private static let device = ["deviceId: Member must have length less than or equal to 256"]

    private static let expectedViolations: [String: [String]] = [
        "BulkPublish": pool,
        "DeleteDataset": dataset + identity + pool,
        "DescribeDataset": dataset + identity + pool,
        "DescribeIdentityPoolUsage": pool,
        "DescribeIdentityUsage": identity + pool,
        "GetBulkPublishDetails": pool,
        "GetCognitoEvents": pool,
        "GetIdentityPoolConfiguration": pool,
        "ListDatasets": identity + pool + ["maxResults: " + number],
        "ListIdentityPoolUsage": ["maxResults: " + number],
        "ListRecords": dataset + identity + pool + ["lastSyncCount: " + number, "maxResults: " + number],
        "RegisterDevice": identity + pool + [
            "platform: Member must satisfy enum value set: [APNS, APNS_SANDBOX, GCM, ADM]", "token: " + present,
        ],
        "SetCognitoEvents": ["events: Member must have length less than or equal to 1"] + pool,
        "SetIdentityPoolConfiguration": [
            "cognitoStreams.roleArn: Member must have length less than or equal to 2048",
            #"cognitoStreams.roleArn: Member must satisfy regular expression pattern: arn:aws:iam::\d+:role/.*"#,
        ] + pool + [
            #"pushSync.applicationArns.1.member: Member must satisfy regular expression pattern: "#
                + #"arn:aws:sns:[-0-9a-z]+:\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+"#,
        ],
        "SubscribeToDataset": dataset + device + identity + pool,
        "UnsubscribeFromDataset": dataset + device + identity + pool,
        "UpdateRecords": dataset + device + identity + pool + [
            "recordPatches.1.member.key: " + present, "recordPatches.1.member.op: " + present,
            "recordPatches.1.member.syncCount: " + present, "syncSessionToken: " + present,
        ],
    ]

    /// `path: constraint` for each violation a validation message lists.
    private static func violations(in message: String) -> [String] {
        guard let colon = message.range(of: " detected: ") else { return [] }
        return message[colon.upperBound...].components(separatedBy: "; ").map { item in
            guard let at = item.range(of: " at '"),
                  let end = item.range(of: "' failed to satisfy constraint: ", range: at.upperBound..<item.endIndex)
            else { return item }
            return item[at.upperBound..<end.lowerBound] + ": " + item[end.upperBound...]
        }
    }

    func testEveryOperationIsRoutedByItsMethodAndURITemplate() throws {
        let labels = [
            "IdentityPoolId": pool, "IdentityId": "us-east-1:abc", "DatasetName": "d:1", "DeviceId": "device-1",
        ]
        XCTAssertEqual(ServiceModel.cognitoSync.operations.count, 17)
        for operation in ServiceModel.cognitoSync.operations {
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
        for operation in ServiceModel.cognitoSync.operations {
            let input = try XCTUnwrap(operation.input, operation.name)
            guard case .structure(let members, _) = input.kind else {
                XCTFail("\(operation.name): the input is not a structure")
                continue
            }
            var labels: [String: String] = [:]
            var query: [(String, String)] = []
            var headers: [(String, String)] = []
            var body: [(String, Value)] = []
            for member in members {
                guard let value = Self.violation(of: member.shape, text: member.location != .body) else {
                    continue
                }
                switch member.location {
                case .uri(let label): labels[label] = value.stringValue
                case .querystring(let key): query.append((key, value.stringValue ?? ""))
                case .header(let key): headers.append((key, value.stringValue ?? ""))
                case .body: body.append((member.name, value))
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
            let expected = try XCTUnwrap(Self.expectedViolations[operation.name], operation.name)
            let noun = expected.count == 1 ? "error" : "errors"
            XCTAssertTrue(message.hasPrefix("\(expected.count) validation \(noun) detected: "),
                          "\(operation.name): \(message)")
            XCTAssertEqual(Self.violations(in: message), expected, operation.name)
            checked.append(operation.name)
        }
        XCTAssertEqual(checked, ServiceModel.cognitoSync.operations.map(\.name))
        XCTAssertEqual(Set(Self.expectedViolations.keys), Set(checked))
    }
}
