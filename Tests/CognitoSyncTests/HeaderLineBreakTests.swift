import XCTest
@testable import CognitoSync
import CognitoSyncModel

/// A header member (ClientContext, sent as `x-amz-Client-Context`) must not end its header early: each of CR, LF
/// and NUL on its own is refused by validation, and with validation off the serializer sends a space in its place.
final class HeaderLineBreakTests: XCTestCase {
    private let breaks: [(String, String)] = [("CR", "\r"), ("LF", "\n"), ("NUL", "\0")]

    private func updateRecords(clientContext: String) -> Value {
        .map([
            ("IdentityPoolId", .string("us-east-1:0123abcd-0000-4000-8000-00000000beef")),
            ("IdentityId", .string("us-east-1:0123abcd-0000-4000-8000-00000000cafe")),
            ("DatasetName", .string("d")), ("SyncSessionToken", .string("token")), ("RecordPatches", .list([])),
            ("ClientContext", .string(clientContext)),
        ])
    }

    func testEachLineBreakCharacterAloneIsRefused() throws {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "updateRecords"))
        for (name, character) in breaks {
            XCTAssertThrowsError(
                try operation.prepare(params: updateRecords(clientContext: "a\(character)X-Evil: 1")), name
            ) {
                let error = $0 as? ValidationError
                XCTAssertEqual(error?.code, "InvalidHeaderValue", name)
                XCTAssertEqual(error?.path, "params.ClientContext", name)
            }
        }
    }

    func testWithValidationOffEachBecomesASpace() throws {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "updateRecords"))
        for (name, character) in breaks {
            let prepared = try operation.prepare(
                params: updateRecords(clientContext: "a\(character)X-Evil: 1"), validation: .none)
            let request = operation.serialize(prepared)
            XCTAssertEqual(request.header("x-amz-Client-Context"), "a X-Evil: 1", name)
        }
    }
}
