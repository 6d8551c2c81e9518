import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class ModelDescribeTests: XCTestCase {
    func testDescribeUpdateRecords() throws {
        let text = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "updateRecords")).describe(in: .cognitoSync)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "updateRecords (UpdateRecords)")
        XCTAssertEqual(lines[1], "POST /identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}")
        let expected = [
            "Parameters (UpdateRecordsRequest):",
            "  ClientContext: string; in header x-amz-Client-Context",
            "  DatasetName: string, required; in path {DatasetName}; length 1..128; pattern [a-zA-Z0-9_.:-]+",
            "  DeviceId: string; length 1..256",
            "  IdentityPoolId: string, required; in path {IdentityPoolId}; length 1..55; pattern [\\w-]+:[0-9a-f-]+",
            "  RecordPatches: list of RecordPatch",
            "    DeviceLastModifiedDate: timestamp (epoch seconds or ISO-8601 string)",
            "    Key: string, required; length 1..1024",
            "    Op: string, required; one of replace, remove",
            "    SyncCount: integer (64-bit), required",
            "    Value: string; length <= 1048575",
            "  SyncSessionToken: string, required",
            "Result (UpdateRecordsResponse):",
            "  Records: list of Record",
            "    LastModifiedDate: timestamp (epoch seconds)",
            "    SyncCount: integer (64-bit)",
        ]
        for line in expected {
            XCTAssertTrue(lines.contains(line), "missing line: \(line)\n\(text)")
        }
        XCTAssertTrue(text.contains("Errors: InvalidParameterException (400), LimitExceededException (400)"), text)
        XCTAssertTrue(text.contains("ResourceConflictException (409)"))
    }

    func testDescribeShowsQueryMapsAndEmptyResults() throws {
        let listRecords = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "listRecords")).describe(in: .cognitoSync)
        XCTAssertTrue(listRecords.contains("  MaxResults: integer (32-bit); in query maxResults\n"), listRecords)
        XCTAssertTrue(listRecords.contains("  LastSyncCount: integer (64-bit); in query lastSyncCount\n"))
        let events = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "setCognitoEvents")).describe(in: .cognitoSync)
        XCTAssertTrue(events.contains("  Events: map of string to string, required; <= 1 entries\n"), events)
        XCTAssertTrue(events.contains("Result: empty\n"), events)
        let config = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "setIdentityPoolConfiguration")).describe(in: .cognitoSync)
        XCTAssertTrue(config.contains("    ApplicationArns: list of string; each pattern arn:aws:sns:"), config)
        XCTAssertTrue(config.contains("    StreamingStatus: string; one of ENABLED, DISABLED\n"), config)
    }

    func testEveryOperationDescribesEveryMember() {
        for operation in ServiceModel.cognitoSync.operations {
            let text = operation.describe(in: .cognitoSync)
            XCTAssertTrue(text.hasPrefix("\(operation.luaName) (\(operation.name))\n\(operation.method) "))
            for member in operation.input?.members ?? [] {
                XCTAssertTrue(text.contains("  \(member.name): "), "\(operation.name).\(member.name)")
            }
            for member in operation.output?.members ?? [] {
                XCTAssertTrue(text.contains("  \(member.name): "), "\(operation.name) result \(member.name)")
            }
        }
    }

    func testDescribeAllListsTheOperations() {
        let text = ServiceModel.cognitoSync.describeAll()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Amazon Cognito Sync (API 2014-06-30), 17 operations:")
        XCTAssertEqual(lines.count, 18)
        let names = lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(names, ServiceModel.cognitoSync.operations.map(\.luaName).sorted())
        XCTAssertTrue(lines.contains { $0.hasPrefix("  updateRecords ") && $0.hasSuffix(
            "POST   /identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}") }, text)
    }
}
