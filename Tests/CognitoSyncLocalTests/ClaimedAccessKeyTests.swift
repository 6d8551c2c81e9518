import XCTest

@testable import CognitoSyncLocal

final class ClaimedAccessKeyTests: XCTestCase {
    private let authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDHEADER/20240102/us-east-1/cognito-sync/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=0123"

    func testTheAuthorizationHeadersCredentialNamesTheKey() {
        for name in ["Authorization", "authorization"] {
            XCTAssertEqual(ClaimedAccessKey.named(headers: [(name, authorization)], rawQuery: ""), "AKIDHEADER")
        }
    }

    func testTheQueryCredentialNamesTheKey() {
        let query = "maxResults=3&X-Amz-Credential=AKIDQUERY%2F20240102%2Fus-east-1%2Fcognito-sync%2Faws4_request"
        XCTAssertEqual(ClaimedAccessKey.named(headers: [], rawQuery: query), "AKIDQUERY")
    }

    func testTheHeaderWinsOverTheQuery() {
        let query = "X-Amz-Credential=AKIDQUERY%2F20240102"
        let named = ClaimedAccessKey.named(headers: [("Authorization", authorization)], rawQuery: query)
        XCTAssertEqual(named, "AKIDHEADER")
    }

    func testARequestNamingNoKeyIsAnonymous() {
        XCTAssertNil(ClaimedAccessKey.named(headers: [("Host", "localhost")], rawQuery: "maxResults=3"))
        for authorization in ["Bearer abc", "AWS4-HMAC-SHA256 Credential=/x"] {
            XCTAssertNil(ClaimedAccessKey.named(headers: [("Authorization", authorization)], rawQuery: ""))
        }
        XCTAssertNil(ClaimedAccessKey.named(headers: [], rawQuery: "X-Amz-Credential="))
    }
}
