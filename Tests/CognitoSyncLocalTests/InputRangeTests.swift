import CognitoSyncModel
@testable import CognitoSyncLocal
import XCTest

/// Values the service would refuse and the SDKs could not read back: timestamps outside years 1 to 9999, lone
/// UTF-16 surrogates and sync counts outside Int64.
final class InputRangeTests: XCTestCase {
    private let labels = [
        "IdentityPoolId": "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "IdentityId": "us-east-1:11111111-2222-3333-4444-555555555555", "DatasetName": "settings",
    ]

    private func updateRecords(_ patch: String) throws -> Value {
        let shape = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "UpdateRecords")?.input)
        let body = #"{"SyncSessionToken": "t", "RecordPatches": [{"Op": "replace", "Key": "k", "Value": "v", "#
            + patch + "}]}"
        return try ModelValidator.input(
            for: shape, labels: labels, query: [:], headers: [], body: Array(body.utf8),
            minimums: SyncService.inputMinimums)
    }

    private func rejection(_ patch: String, file: StaticString = #filePath, line: UInt = #line) -> CognitoSyncLocal.ServiceError? {
        do {
            let input = try updateRecords(patch)
            XCTFail("accepted as \(input)", file: file, line: line)
        } catch let error as CognitoSyncLocal.ServiceError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testTimestampsOutsideYearsOneTo9999AreInvalidParameters() {
        for (text, shown) in [("1e300", "1e+300"), ("-1e15", "-1000000000000000.0"), ("253402300800", "253402300800.0"),
                              ("9223372036854775807", "9.223372036854776e+18"), ("-62135596801", "-62135596801.0"),
                              ("253402300799.9996", "253402300799.9996"), ("1e400", "inf")] {
            let error = rejection(#""SyncCount": 0, "DeviceLastModifiedDate": "# + text)
            XCTAssertEqual(error?.code, "InvalidParameterException", text)
            XCTAssertEqual(
                error?.message,
                "1 validation error detected: Value '\(shown)' at 'recordPatches.1.member.deviceLastModifiedDate' "
                    + "failed to satisfy constraint: " + ModelValidator.timestampRange, text)
        }
    }

    func testTimestampsAtTheEdgesAreAccepted() throws {
        for text in ["-62135596800", "253402300799", "253402300799.999", "0", "1700000000.5"] {
            XCTAssertNoThrow(try updateRecords(#""SyncCount": 0, "DeviceLastModifiedDate": "# + text), text)
        }
    }

    func testSyncCountsBelowAndAboveInt64AreTheSameSerializationError() {
        for count in ["-9223372036854775809", "9223372036854775808", "-1e19", "1e19", "-9.223372036854775808e18"] {
            let error = rejection(#""SyncCount": "# + count)
            XCTAssertEqual(error?.code, "SerializationException", count)
            XCTAssertEqual(error?.message, "Unexpected value type at 'recordPatches.1.member.syncCount'", count)
        }
        XCTAssertNoThrow(try updateRecords(#""SyncCount": -9223372036854775808"#))
    }

    func testLoneSurrogatesAreInvalidParameters() {
        let cases = [
            (#""\ud800""#, #"\ud800"#), (#""\uDC00x""#, #"\uDC00"#), (#""a\ud800\u0041""#, #"\ud800"#),
            (#""\ud800\ud800\udc00""#, #"\ud800"#), (#""\ud83d\ude00\ud83d""#, #"\ud83d"#),
        ]
        for (value, escape) in cases {
            let error = rejection(#""SyncCount": 0, "DeviceId": "# + value)
            XCTAssertEqual(error?.code, "InvalidParameterException", value)
            XCTAssertTrue(
                error?.message.hasPrefix("The request body has the lone UTF-16 surrogate \(escape) at byte ") ?? false,
                error?.message ?? value)
        }
    }

    func testSurrogatePairsAndEscapedBackslashesAreNotLone() {
        XCTAssertNil(LoneSurrogate.first(in: Array(#"{"a": "\ud83d\ude00 \\ud800 x"}"#.utf8)))
        XCTAssertEqual(
            LoneSurrogate.first(in: Array(#"{"a": "\\\ud800"}"#.utf8)).map { [$0.escape, String($0.offset)] },
            [#"\ud800"#, "9"])
        XCTAssertNil(LoneSurrogate.first(in: Array(#""\ud8"#.utf8)), "a truncated escape is the parser's to refuse")
    }
}
