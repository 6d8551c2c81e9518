import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class ResponseTests: XCTestCase {
    private func operation(_ name: String) throws -> CognitoSyncModel.Operation {
        try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name))
    }

    private func parse(_ name: String, status: Int = 200, headers: [(String, String)] = [], _ body: String) throws
        -> Result<Value, ServiceError> {
        try operation(name).parseResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    private func success(_ result: Result<Value, ServiceError>, file: StaticString = #filePath, line: UInt = #line)
        -> Value? {
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    private func failure(_ result: Result<Value, ServiceError>, file: StaticString = #filePath, line: UInt = #line)
        -> ServiceError? {
        switch result {
        case .success(let value):
            XCTFail("unexpected success \(value)", file: file, line: line)
            return nil
        case .failure(let error):
            return error
        }
    }

    // MARK: - Success

    func testListRecordsIsReadByTheModel() throws {
        let body = #"""
            {"Count": 2, "DatasetDeletedAfterRequestedSyncCount": false, "DatasetExists": true,
             "DatasetSyncCount": 9223372036854775807, "LastModifiedBy": null, "MergedDatasetNames": null,
             "NextToken": null, "SyncSessionToken": "sess+/=",
             "Records": [
               {"Key": "ключ", "Value": "v", "SyncCount": 9007199254740993, "LastModifiedDate": 1.412974057244E9,
                "DeviceLastModifiedDate": 1440938160, "LastModifiedBy": "123", "Unknown": {"deep": [1]}},
               {"Key": "gone", "Value": null, "SyncCount": 4.0, "LastModifiedDate": "2026-11-27T01:02:03.250Z"}
             ],
             "SomethingNew": "ignored"}
            """#
        let value = try XCTUnwrap(success(try parse("listRecords", headers: [("X-Amzn-RequestId", "r1")], body)))
        XCTAssertEqual(value, .map([
            ("Count", .int(2)),
            ("DatasetDeletedAfterRequestedSyncCount", .bool(false)),
            ("DatasetExists", .bool(true)),
            ("DatasetSyncCount", .int(Int64.max)),
            ("Records", .list([
                .map([("DeviceLastModifiedDate", .int(1_440_938_160)), ("Key", .string("ключ")),
                      ("LastModifiedBy", .string("123")), ("LastModifiedDate", .double(1_412_974_057.244)),
                      ("SyncCount", .int(9_007_199_254_740_993)), ("Value", .string("v"))]),
                .map([("Key", .string("gone")), ("LastModifiedDate", .double(1_795_741_323.25)),
                      ("SyncCount", .int(4))]),
            ])),
            ("SyncSessionToken", .string("sess+/=")),
        ]))
        guard case .map(let entries) = value else {
            return XCTFail("not a map")
        }
        XCTAssertEqual(entries.map(\.0), ["Count", "DatasetDeletedAfterRequestedSyncCount", "DatasetExists",
                                          "DatasetSyncCount", "Records", "SyncSessionToken"], "model order")
    }

    func testMapsAndNestedStructures() throws {
        let events = try XCTUnwrap(success(try parse("getCognitoEvents", #"{"Events": {"SyncTrigger": "arn:x"}}"#)))
        XCTAssertEqual(events, .map([("Events", .map([("SyncTrigger", .string("arn:x"))]))]))
        let config = try XCTUnwrap(success(try parse("getIdentityPoolConfiguration", #"""
            {"IdentityPoolId": "p:1", "PushSync": {"ApplicationArns": ["a", "b"], "RoleArn": "r"},
             "CognitoStreams": {"StreamingStatus": "SOMETHING_NEW"}}
            """#)))
        XCTAssertEqual(config["PushSync"]?["ApplicationArns"], .list([.string("a"), .string("b")]))
        XCTAssertEqual(config["CognitoStreams"]?["StreamingStatus"], .string("SOMETHING_NEW"),
                       "enumerations are not enforced on output")
    }

    func testTimestampForms() throws {
        let body = #"""
            {"BulkPublishStartTime": "1440938160.5", "BulkPublishCompleteTime": "1440938161",
             "BulkPublishStatus": "SUCCEEDED"}
            """#
        let value = try XCTUnwrap(success(try parse("getBulkPublishDetails", body)))
        XCTAssertEqual(value["BulkPublishStartTime"], .double(1_440_938_160.5))
        XCTAssertEqual(value["BulkPublishCompleteTime"], .int(1_440_938_161))
    }

    func testEmptyBodyIsAnEmptyResult() throws {
        XCTAssertEqual(success(try parse("subscribeToDataset", "")), .map([]))
        XCTAssertEqual(success(try parse("describeDataset", " \n")), .map([]))
        XCTAssertEqual(success(try parse("unsubscribeFromDataset", "{}")), .map([]))
    }

    func testOperationWithoutOutputIgnoresTheBody() throws {
        XCTAssertEqual(success(try parse("setCognitoEvents", "")), .map([]))
        XCTAssertEqual(success(try parse("setCognitoEvents", "not json")), .map([]))
    }

    // MARK: - Invalid responses

    func testFieldOfTheWrongType() throws {
        let body = #"{"Records": [{"Key": "k", "SyncCount": "7"}]}"#
        let error = try XCTUnwrap(failure(try parse("listRecords", headers: [("x-amzn-requestid", "req-9")], body)))
        XCTAssertEqual(error.code, "InvalidResponse")
        XCTAssertEqual(error.message, "response.Records[1].SyncCount: expected integer, got string")
        XCTAssertEqual(error.statusCode, 200)
        XCTAssertEqual(error.requestId, "req-9")
        XCTAssertFalse(error.retryable)
    }

    func testOtherTypeMismatches() throws {
        let cases: [(String, String, String)] = [
            ("listRecords", #"{"Count": 1.5}"#, "response.Count: expected integer, got number 1.5"),
            ("listRecords", #"{"DatasetExists": "true"}"#, "response.DatasetExists: expected boolean, got string"),
            ("listRecords", #"{"Records": {}}"#, "response.Records: expected array, got object"),
            ("listRecords", #"{"Records": [1]}"#, "response.Records[1]: expected object, got integer"),
            ("listRecords", #"{"NextToken": 5}"#, "response.NextToken: expected string, got integer"),
            ("listRecords", "[]", "response: expected object, got array"),
            ("getCognitoEvents", #"{"Events": {"Sync\"Trigger": false}}"#,
             #"response.Events["Sync\"Trigger"]: expected string, got boolean"#),
            ("describeDataset", #"{"Dataset": {"CreationDate": "last week"}}"#,
             "response.Dataset.CreationDate: expected timestamp, got string"),
            ("describeDataset", #"{"Dataset": {"NumRecords": 1e19}}"#,
             "response.Dataset.NumRecords: expected integer, got number 1e+19"),
        ]
        for (name, body, message) in cases {
            let error = try XCTUnwrap(failure(try parse(name, status: 200, body)), body)
            XCTAssertEqual(error.code, "InvalidResponse", body)
            XCTAssertEqual(error.message, message, body)
            XCTAssertEqual(error.statusCode, 200)
        }
    }

    func testNonJSONSuccessBody() throws {
        let error = try XCTUnwrap(failure(try parse("listDatasets", status: 200, "<html>proxy</html>")))
        XCTAssertEqual(error.code, "InvalidResponse")
        XCTAssertTrue(error.message.hasPrefix("response body is not valid JSON: invalid JSON at byte 0"), error.message)
        XCTAssertEqual(error.statusCode, 200)
        XCTAssertFalse(error.retryable)
    }

    // MARK: - Service errors

    func testErrorCodeFromHeaderCutAtColon() throws {
        let headers = [("X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon/"),
                       ("x-amzn-RequestId", "abc-123")]
        let error = try XCTUnwrap(failure(try parse(
            "describeDataset", status: 404, headers: headers,
            #"{"__type": "Other", "message": "Dataset not found."}"#)))
        XCTAssertEqual(error.code, "ResourceNotFoundException")
        XCTAssertEqual(error.message, "Dataset not found.")
        XCTAssertEqual(error.statusCode, 404)
        XCTAssertEqual(error.requestId, "abc-123")
        XCTAssertFalse(error.retryable)
        XCTAssertEqual(error.description, "ResourceNotFoundException: Dataset not found. (HTTP 404)")
    }

    func testErrorCodeFromBodyType() throws {
        let error = try XCTUnwrap(failure(try parse(
            "updateRecords", status: 409,
            #"{"__type": "com.amazonaws.cognito.sync.model#ResourceConflictException", "Message": "stale"}"#)))
        XCTAssertEqual(error.code, "ResourceConflictException")
        XCTAssertEqual(error.message, "stale")
        XCTAssertFalse(error.retryable)
    }

    func testErrorCodeFromBodyCode() throws {
        let error = try XCTUnwrap(failure(try parse(
            "updateRecords", status: 400, #"{"code": "LimitExceededException", "message": "too many"}"#)))
        XCTAssertEqual(error.code, "LimitExceededException")
        XCTAssertFalse(error.retryable)
        let typed = try XCTUnwrap(failure(try parse(
            "updateRecords", status: 400, #"{"code": "aws#InvalidParameterException:x", "__type": "Ignored"}"#)))
        XCTAssertEqual(typed.code, "InvalidParameterException")
        XCTAssertEqual(typed.message, "HTTP 400 Bad Request", "no message in the body")
    }

    func testEmptyErrorBody() throws {
        let error = try XCTUnwrap(failure(try parse("listDatasets", status: 503, "")))
        XCTAssertEqual(error.code, "Http503")
        XCTAssertEqual(error.message, "HTTP 503 Service Unavailable")
        XCTAssertEqual(error.statusCode, 503)
        XCTAssertTrue(error.retryable)
        let notFound = try XCTUnwrap(failure(try parse("listDatasets", status: 404, "")))
        XCTAssertEqual(notFound.code, "Http404")
        XCTAssertFalse(notFound.retryable)
        let odd = try XCTUnwrap(failure(try parse("listDatasets", status: 302, "")))
        XCTAssertEqual(odd.code, "Http302")
        XCTAssertEqual(odd.message, "HTTP 302")
    }

    func testNonJSONErrorBody() throws {
        let html = "<html>\n<body>  <h1>502 Bad Gateway</h1>\n</body></html>"
        let error = try XCTUnwrap(failure(try parse("listDatasets", status: 502, html)))
        XCTAssertEqual(error.code, "Http502")
        XCTAssertEqual(error.message, "HTTP 502 Bad Gateway: <html> <body> <h1>502 Bad Gateway</h1> </body></html>")
        XCTAssertTrue(error.retryable)
        let long = try XCTUnwrap(failure(try parse("listDatasets", status: 500, String(repeating: "x", count: 5000))))
        XCTAssertLessThan(long.message.count, 250)
    }

    func testHeaderCodeWithNonJSONBody() throws {
        let error = try XCTUnwrap(failure(try parse(
            "listDatasets", status: 429, headers: [("x-amzn-errortype", "TooManyRequestsException")], "slow down")))
        XCTAssertEqual(error.code, "TooManyRequestsException")
        XCTAssertEqual(error.message, "HTTP 429 Too Many Requests: slow down")
        XCTAssertTrue(error.retryable)
    }

    func testRetryableClassification() {
        XCTAssertTrue(ServiceError.isRetryable(code: "TooManyRequestsException", statusCode: 429))
        XCTAssertTrue(ServiceError.isRetryable(code: "LambdaThrottledException", statusCode: 429))
        XCTAssertTrue(ServiceError.isRetryable(code: "LambdaThrottledException", statusCode: nil))
        XCTAssertTrue(ServiceError.isRetryable(code: "InternalErrorException", statusCode: 500))
        XCTAssertTrue(ServiceError.isRetryable(code: "Http504", statusCode: 504))
        XCTAssertTrue(ServiceError.isRetryable(code: "Whatever", statusCode: 429))
        XCTAssertFalse(ServiceError.isRetryable(code: "ResourceConflictException", statusCode: 409))
        XCTAssertFalse(ServiceError.isRetryable(code: "ResourceConflictException", statusCode: 503))
        XCTAssertFalse(ServiceError.isRetryable(code: "LimitExceededException", statusCode: 400))
        XCTAssertFalse(ServiceError.isRetryable(code: "InvalidParameterException", statusCode: 400))
        XCTAssertFalse(ServiceError.isRetryable(code: "NotAuthorizedException", statusCode: 403))
    }

    func testErrorCodeSanitizing() {
        XCTAssertEqual(CognitoSyncModel.Operation.sanitizeErrorCode("aws.protocoltests#FooError:http://x/y"), "FooError")
        XCTAssertEqual(CognitoSyncModel.Operation.sanitizeErrorCode("FooError"), "FooError")
        XCTAssertEqual(CognitoSyncModel.Operation.sanitizeErrorCode(" FooError "), "FooError")
        XCTAssertNil(CognitoSyncModel.Operation.sanitizeErrorCode(":http://x"))
        XCTAssertNil(CognitoSyncModel.Operation.sanitizeErrorCode("ns#"))
    }
}
