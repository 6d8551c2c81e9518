import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class SerializerTests: XCTestCase {
    private func request(_ name: String, _ json: String) throws -> HTTPRequest {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name))
        return operation.serialize(try operation.prepare(params: try JSONParser.parse(json)))
    }

    func testUriLabelsArePercentEncodedOnce() throws {
        let request = try request("subscribeToDataset", #"""
            {"IdentityPoolId": "us-east-1:0a-f", "IdentityId": "eu-west-1:12", "DatasetName": "a.b_c:d-e",
             "DeviceId": "dev/1 ü+~"}
            """#)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path,
                       "/identitypools/us-east-1%3A0a-f/identities/eu-west-1%3A12/datasets/a.b_c%3Ad-e/subscriptions/"
                       + "dev%2F1%20%C3%BC%2B~")
        XCTAssertTrue(request.body.isEmpty)
        XCTAssertTrue(request.headers.isEmpty, "no body, no Content-Type")
    }

    func testQueryUsesModelNamesInMemberOrder() throws {
        let request = try request("listRecords", #"""
            {"SyncSessionToken": "s+/= t", "NextToken": "n", "MaxResults": 25, "LastSyncCount": 9007199254740993,
             "IdentityPoolId": "us-east-1:0a", "IdentityId": "us-east-1:0b", "DatasetName": "d"}
            """#)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/identitypools/us-east-1%3A0a/identities/us-east-1%3A0b/datasets/d/records")
        XCTAssertEqual(request.query.map(\.0), ["lastSyncCount", "maxResults", "nextToken", "syncSessionToken"])
        XCTAssertEqual(request.query.map(\.1), ["9007199254740993", "25", "n", "s+/= t"])
        XCTAssertEqual(request.encodedQuery,
                       "lastSyncCount=9007199254740993&maxResults=25&nextToken=n&syncSessionToken=s%2B%2F%3D%20t")
        XCTAssertEqual(request.pathAndQuery, request.path + "?" + request.encodedQuery)
        XCTAssertTrue(request.body.isEmpty)
    }

    func testHeaderAndBodyMembers() throws {
        let request = try request("updateRecords", #"""
            {"IdentityPoolId": "us-east-1:0a", "IdentityId": "us-east-1:0b", "DatasetName": "d",
             "SyncSessionToken": "tok", "ClientContext": "eyJjbGllbnQiOnt9fQ==", "DeviceId": "dev",
             "RecordPatches": [{"Value": "v", "Op": "replace", "Key": "k", "SyncCount": 9223372036854775807,
                                "DeviceLastModifiedDate": 1440938160.75}]}
            """#)
        XCTAssertEqual(request.headers.map(\.0), ["x-amz-Client-Context", "Content-Type"])
        XCTAssertEqual(request.header("content-type"), "application/json")
        XCTAssertEqual(request.header("X-Amz-Client-Context"), "eyJjbGllbnQiOnt9fQ==")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self),
                       #"{"DeviceId":"dev","RecordPatches":[{"DeviceLastModifiedDate":1440938160,"Key":"k","#
                       + #""Op":"replace","SyncCount":9223372036854775807,"Value":"v"}],"SyncSessionToken":"tok"}"#)
    }

    func testBodyWithNoMembersSetIsAnEmptyObject() throws {
        let request = try request("setIdentityPoolConfiguration", #"{"IdentityPoolId": "us-east-1:0a"}"#)
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), "{}")
        XCTAssertEqual(request.headers.map(\.0), ["Content-Type"])
    }

    func testOperationsWithoutBodyMembersSendNoBody() throws {
        for name in ["bulkPublish", "getBulkPublishDetails", "getCognitoEvents", "describeIdentityPoolUsage"] {
            let request = try request(name, #"{"IdentityPoolId": "us-east-1:0a"}"#)
            XCTAssertTrue(request.body.isEmpty, name)
            XCTAssertTrue(request.headers.isEmpty, name)
        }
    }

    func testEmptyTablesInTheBody() throws {
        let events = try request("setCognitoEvents", #"{"IdentityPoolId": "us-east-1:0a", "Events": {}}"#)
        XCTAssertEqual(String(decoding: events.body, as: UTF8.self), #"{"Events":{}}"#)
        let patches = try request("updateRecords", #"""
            {"IdentityPoolId": "us-east-1:0a", "IdentityId": "us-east-1:0b", "DatasetName": "d",
             "SyncSessionToken": "t", "RecordPatches": {}}
            """#)
        XCTAssertEqual(String(decoding: patches.body, as: UTF8.self), #"{"RecordPatches":[],"SyncSessionToken":"t"}"#)
    }

    func testTimestampsAreWholeSecondsAsBotocoreSendsThem() {
        XCTAssertEqual(Timestamp.botocoreSeconds(1_440_938_160.5), 1_440_938_160)
        XCTAssertEqual(Timestamp.botocoreSeconds(1_440_938_160.999_999_6), 1_440_938_161)
        XCTAssertEqual(Timestamp.botocoreSeconds(1_440_938_160.999_999_4), 1_440_938_160)
        XCTAssertEqual(Timestamp.botocoreSeconds(-1.5), -2)
        XCTAssertEqual(Timestamp.botocoreSeconds(-0.000_000_1), 0)
        XCTAssertEqual(Timestamp.botocoreSeconds(0), 0)
    }

    func testUnpreparedParamsAreSerialisedAsFarAsPossible() throws {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "updateRecords"))
        let params: Value = .map([("IdentityPoolId", .string("p:1")), ("Unknown", .string("dropped")),
                                  ("ClientContext", .string("a\r\nb")),
                                  ("RecordPatches", .list([.map([("DeviceLastModifiedDate",
                                                                  .string("2026-11-27T01:02:03.5Z"))])]))])
        let request = operation.serialize(params)
        XCTAssertEqual(request.path, "/identitypools/p%3A1/identities//datasets/")
        XCTAssertEqual(request.header("x-amz-Client-Context"), "a  b")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self),
                       #"{"RecordPatches":[{"DeviceLastModifiedDate":1795741323}]}"#)
    }
}
