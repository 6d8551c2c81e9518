import Foundation
import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

/// Compares the serializer with botocore's rest-json serializer for every operation, through
/// tests/wire/botocore_requests.py.
final class SerializerBotocoreTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private struct Case {
        let operation: String
        let params: String
        /// What botocore is given when Lua's view differs (an empty table standing for an empty list).
        var botocoreParams: String?
    }

    private static let pool = "us-east-1:0123abcd-0000-4000-8000-00000000beef"
    private static let identity = "eu-west-1:0123abcd-0000-4000-8000-00000000cafe"
    private static let ids = #""IdentityPoolId": "\#(pool)", "IdentityId": "\#(identity)""#

    private static let cases: [Case] = [
        Case(operation: "BulkPublish", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "DeleteDataset", params: #"{\#(ids), "DatasetName": "my.data_set:v-2"}"#),
        Case(operation: "DescribeDataset", params: #"{\#(ids), "DatasetName": "merged:a.b"}"#),
        Case(operation: "DescribeIdentityPoolUsage", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "DescribeIdentityUsage", params: #"{\#(ids)}"#),
        Case(operation: "GetBulkPublishDetails", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "GetCognitoEvents", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "GetIdentityPoolConfiguration", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "ListDatasets", params: #"{\#(ids), "MaxResults": 60, "NextToken": "abc+/= def=="}"#),
        Case(operation: "ListIdentityPoolUsage", params: #"{"NextToken": "tök+/=n x", "MaxResults": 2147483647}"#),
        Case(operation: "ListIdentityPoolUsage", params: #"{}"#),
        Case(operation: "ListRecords", params: #"""
            {\#(ids), "DatasetName": "settings", "LastSyncCount": 9007199254740993, "MaxResults": 1024,
             "NextToken": "a/b+c=", "SyncSessionToken": "sess ion+/=tok"}
            """#),
        Case(operation: "ListRecords", params: #"{\#(ids), "DatasetName": "d", "LastSyncCount": 9223372036854775807}"#),
        Case(operation: "RegisterDevice", params: #"{\#(ids), "Platform": "GCM", "Token": "tok+/= ü 😀"}"#),
        Case(operation: "SetCognitoEvents", params: #"""
            {"IdentityPoolId": "\#(pool)",
             "Events": {"SyncTrigger": "arn:aws:lambda:us-east-1:123456789012:function:ünï"}}
            """#),
        Case(operation: "SetCognitoEvents", params: #"{"IdentityPoolId": "\#(pool)", "Events": {}}"#),
        Case(operation: "SetIdentityPoolConfiguration", params: #"""
            {"IdentityPoolId": "\#(pool)",
             "PushSync": {"ApplicationArns": ["arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"],
                          "RoleArn": "arn:aws:iam::123456789012:role/push"},
             "CognitoStreams": {"StreamName": "stream", "RoleArn": "arn:aws:iam::123456789012:role/streams",
                                "StreamingStatus": "ENABLED"}}
            """#),
        Case(operation: "SetIdentityPoolConfiguration",
             params: #"{"IdentityPoolId": "\#(pool)", "PushSync": {"ApplicationArns": {}}, "CognitoStreams": {}}"#,
             botocoreParams:
                #"{"IdentityPoolId": "\#(pool)", "PushSync": {"ApplicationArns": []}, "CognitoStreams": {}}"#),
        Case(operation: "SetIdentityPoolConfiguration", params: #"{"IdentityPoolId": "\#(pool)"}"#),
        Case(operation: "SubscribeToDataset", params: #"{\#(ids), "DatasetName": "d:1", "DeviceId": "dev/1 é+=~"}"#),
        Case(operation: "UnsubscribeFromDataset", params: #"{\#(ids), "DatasetName": "d", "DeviceId": "a:b/c d"}"#),
        Case(operation: "UpdateRecords", params: #"""
            {\#(ids), "DatasetName": "settings", "DeviceId": "dévice/1", "SyncSessionToken": "tok+/= en",
             "ClientContext": "eyJjbGllbnQiOnt9fQ==",
             "RecordPatches": [
               {"Op": "replace", "Key": "ключ", "Value": "värde 😀 \"q\" \\ \n", "SyncCount": 9007199254740993,
                "DeviceLastModifiedDate": 1440938160.75},
               {"Op": "remove", "Key": "gone", "SyncCount": 9223372036854775807,
                "DeviceLastModifiedDate": "2026-11-27T01:02:03.250+01:00"},
               {"Op": "replace", "Key": "plain", "Value": "", "SyncCount": 0, "DeviceLastModifiedDate": 1440938160},
               {"Op": "replace", "Key": "rounding", "SyncCount": 1, "DeviceLastModifiedDate": 1440938160.9999996}
             ]}
            """#),
        Case(operation: "UpdateRecords",
             params: #"{\#(ids), "DatasetName": "d", "SyncSessionToken": "t", "RecordPatches": {}}"#,
             botocoreParams: #"{\#(ids), "DatasetName": "d", "SyncSessionToken": "t", "RecordPatches": []}"#),
        Case(operation: "UpdateRecords", params: #"{\#(ids), "DatasetName": "d", "SyncSessionToken": "t"}"#),
    ]

    private func botocoreRequest(_ operation: String, params: String) throws -> Value {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "tests/wire/botocore_requests.py", operation]
        process.currentDirectoryURL = Self.packageRoot
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(params.utf8))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "botocore", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: stderr])
        }
        return try JSONParser.parse([UInt8](stdout))
    }

    private func requireBotocore() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore.serialize"]
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            throw SetUpFailure("python3 is not available")
        }
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw SetUpFailure("botocore is not installed")
        }
    }

    private func pairs(_ value: Value?) -> [[String]] {
        guard case .list(let items) = value else {
            return []
        }
        return items.map { item in
            guard case .list(let parts) = item else {
                return []
            }
            return parts.compactMap(\.stringValue)
        }
    }

    private static func sorted(_ items: [[String]]) -> [[String]] {
        items.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func testEveryOperationMatchesBotocore() throws {
        try requireBotocore()
        XCTAssertEqual(Set(Self.cases.map(\.operation)), Set(ServiceModel.cognitoSync.operations.map(\.name)),
                       "every operation has a case")
        for testCase in Self.cases {
            let label = "\(testCase.operation) \(testCase.params)"
            let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: testCase.operation))
            let prepared = try operation.prepare(params: try JSONParser.parse(testCase.params))
            let ours = operation.serialize(prepared)
            let theirs = try botocoreRequest(operation.luaName, params: testCase.botocoreParams ?? testCase.params)

            XCTAssertEqual(ours.method, theirs["method"]?.stringValue, label)
            XCTAssertEqual(ours.path, theirs["path"]?.stringValue, label)
            // The query's order carries no meaning (the signature sorts it): the same names and values, each
            // encoded as botocore encodes it.
            XCTAssertEqual(Self.sorted(ours.query.map { [$0.0, $0.1] }), Self.sorted(pairs(theirs["query"])), label)
            XCTAssertEqual(Self.sorted(ours.encodedQuery.split(separator: "&").map { [String($0)] }),
                           Self.sorted((theirs["encodedQuery"]?.stringValue ?? "").split(separator: "&")
                               .map { [String($0)] }), label)
            XCTAssertEqual(ours.headers.map { [$0.0, $0.1] }, pairs(theirs["headers"]), label)
            let theirBody = try XCTUnwrap(theirs["body"]?.stringValue, label)
            if theirBody.isEmpty {
                XCTAssertTrue(ours.body.isEmpty, label)
            } else {
                XCTAssertEqual(try JSONParser.parse(ours.body), try JSONParser.parse(theirBody), label)
            }
        }
    }
}
