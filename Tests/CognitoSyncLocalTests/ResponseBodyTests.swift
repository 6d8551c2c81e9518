import XCTest

@testable import CognitoSyncLocal
@testable import CognitoSyncModel

/// The endpoint's generated operation table and response bodies, written through the shared JSON writer.
final class ResponseBodyTests: XCTestCase {
    private func text(_ body: some JSONWritable) -> String {
        String(decoding: body.jsonBytes, as: UTF8.self)
    }

    func testOperationTableIsTheModelsOperations() {
        XCTAssertEqual(LocalOperation.allCases.map(\.rawValue), ServiceModel.cognitoSync.operations.map(\.name))
    }

    func testListRecordsPageBytes() {
        let records = [
            ResponseBody.Record(
                DeviceLastModifiedDate: 1_700_000_000.5, Key: "plain", LastModifiedBy: "000000000000",
                LastModifiedDate: 1_700_000_001, SyncCount: 3, Value: "café 😀"
            ),
            ResponseBody.Record(Key: "quote\"back\\slash\n\r\t\u{1}\u{1F}", SyncCount: Int64.max),
        ]
        let page = ResponseBody.ListRecordsResponse(
            Count: 2, DatasetDeletedAfterRequestedSyncCount: false, DatasetExists: true, DatasetSyncCount: 3,
            LastModifiedBy: "000000000000", NextToken: "next", Records: records, SyncSessionToken: "token"
        )
        XCTAssertEqual(
            text(page),
            #"{"Count":2,"DatasetDeletedAfterRequestedSyncCount":false,"DatasetExists":true,"DatasetSyncCount":3,"#
                + #""LastModifiedBy":"000000000000","NextToken":"next","Records":[{"DeviceLastModifiedDate":"#
                + #"1700000000.5,"Key":"plain","LastModifiedBy":"000000000000","LastModifiedDate":1700000001.0,"#
                + #""SyncCount":3,"Value":"café 😀"},{"Key":"quote\"back\\slash\n\r\t\u0001\u001f","#
                + #""SyncCount":9223372036854775807}],"SyncSessionToken":"token"}"#
        )
        XCTAssertEqual(text(ResponseBody.UpdateRecordsResponse(Records: [])), #"{"Records":[]}"#)
    }

    func testAbsentMembersAreLeftOutAndTimestampsAreNumbers() {
        XCTAssertEqual(text(ResponseBody.DescribeDatasetResponse()), "{}")
        XCTAssertEqual(
            text(ResponseBody.DescribeDatasetResponse(Dataset: .init(CreationDate: .nan, DatasetName: "d"))),
            #"{"Dataset":{"CreationDate":0,"DatasetName":"d"}}"#
        )
        XCTAssertEqual(
            text(ResponseBody.GetCognitoEventsResponse(Events: ["b": "2", "a": "1"])),
            #"{"Events":{"a":"1","b":"2"}}"#
        )
        XCTAssertEqual(text(ResponseBody.GetCognitoEventsResponse(Events: [:])), #"{"Events":{}}"#)
        XCTAssertEqual(
            text(ResponseBody.GetIdentityPoolConfigurationResponse(
                CognitoStreams: .init(StreamingStatus: "ENABLED"), IdentityPoolId: "p",
                PushSync: .init(ApplicationArns: ["a", "b"])
            )),
            #"{"CognitoStreams":{"StreamingStatus":"ENABLED"},"IdentityPoolId":"p","PushSync":{"ApplicationArns":"#
                + #"["a","b"]}}"#
        )
        XCTAssertEqual(text(ResponseBody.ErrorBody(message: "m")), #"{"message":"m"}"#)
    }

    /// A body with every member set writes them in the model's order.
    func testMembersAreWrittenInModelOrder() throws {
        let dataset = ResponseBody.Dataset(
            CreationDate: 1, DataStorage: 2, DatasetName: "n", IdentityId: "i", LastModifiedBy: "b",
            LastModifiedDate: 3, NumRecords: 4
        )
        let usage = ResponseBody.IdentityUsage(
            DataStorage: 1, DatasetCount: 2, IdentityId: "i", IdentityPoolId: "p", LastModifiedDate: 3
        )
        let bodies: [(String, [UInt8])] = [("Dataset", dataset.jsonBytes), ("IdentityUsage", usage.jsonBytes)]
        for (shapeName, bytes) in bodies {
            guard case .map(let entries) = try JSONParser.parse(bytes) else {
                return XCTFail("\(shapeName) is not an object")
            }
            let shape = try XCTUnwrap(ServiceModel.cognitoSync.shapes[shapeName])
            XCTAssertEqual(entries.map(\.0), shape.members.map(\.name), shapeName)
        }
    }
}
