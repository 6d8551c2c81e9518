import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class ModelTests: XCTestCase {
    func testLookupByModelAndScriptName() throws {
        let byModel = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "UpdateRecords"))
        let byScript = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "updateRecords"))
        XCTAssertEqual(byModel.name, "UpdateRecords")
        XCTAssertEqual(byScript.name, "UpdateRecords")
        XCTAssertEqual(byModel.luaName, "updateRecords")
        XCTAssertNil(ServiceModel.cognitoSync.operation(named: "updaterecords"))
        XCTAssertNil(ServiceModel.cognitoSync.operation(named: "PutRecord"))
    }

    func testScriptNamesAreTheJavaScriptSDKNames() {
        let expected = [
            "bulkPublish", "deleteDataset", "describeDataset", "describeIdentityPoolUsage", "describeIdentityUsage",
            "getBulkPublishDetails", "getCognitoEvents", "getIdentityPoolConfiguration", "listDatasets",
            "listIdentityPoolUsage", "listRecords", "registerDevice", "setCognitoEvents",
            "setIdentityPoolConfiguration", "subscribeToDataset", "unsubscribeFromDataset", "updateRecords",
        ]
        XCTAssertEqual(ServiceModel.cognitoSync.operations.map(\.luaName).sorted(), expected)
    }

    func testUpdateRecordsInputShape() throws {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "UpdateRecords"))
        let input = try XCTUnwrap(operation.input)
        guard case .structure(let members, let required) = input.kind else {
            return XCTFail("input is not a structure")
        }
        XCTAssertEqual(required, ["IdentityPoolId", "IdentityId", "DatasetName", "SyncSessionToken"])
        XCTAssertEqual(input.member(named: "ClientContext")?.location, .header("x-amz-Client-Context"))
        XCTAssertEqual(input.member(named: "IdentityPoolId")?.location, .uri("IdentityPoolId"))
        XCTAssertEqual(input.member(named: "DeviceId")?.location, .body)
        XCTAssertEqual(members.count, 7)
        let patches = try XCTUnwrap(input.member(named: "RecordPatches")?.shape)
        guard case .list(let patch, nil, nil) = patches.kind else {
            return XCTFail("RecordPatches is not an unbounded list")
        }
        XCTAssertEqual(patch.member(named: "Op")?.shape.name, "Operation")
        guard case .string(let constraints) = try XCTUnwrap(patch.member(named: "Op")).shape.kind else {
            return XCTFail("Op is not a string")
        }
        XCTAssertEqual(constraints.enumValues, ["replace", "remove"])
        guard case .long = try XCTUnwrap(patch.member(named: "SyncCount")).shape.kind else {
            return XCTFail("SyncCount is not a long")
        }
    }

    func testQueryMembersUseTheModelNames() throws {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "listRecords"))
        let locations = try XCTUnwrap(operation.input).members.map(\.location)
        for name in ["lastSyncCount", "maxResults", "nextToken", "syncSessionToken"] {
            XCTAssertTrue(locations.contains(.querystring(name)), name)
        }
    }

    func testSharedShapesAreOneInstance() throws {
        let describe = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "DescribeDataset")?.input)
        let delete = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "DeleteDataset")?.input)
        let first = try XCTUnwrap(describe.member(named: "DatasetName")).shape
        let second = try XCTUnwrap(delete.member(named: "DatasetName")).shape
        XCTAssertTrue(first === second)
    }

    func testSetCognitoEventsHasNoOutput() throws {
        XCTAssertNil(try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "SetCognitoEvents")).output)
    }
}
