import Foundation
import XCTest

@testable import SigV4

final class SigningKeyCacheTests: XCTestCase {
    private let date = Date(timeIntervalSince1970: 1_795_741_323)

    /// A reused signer gives the same signature as a fresh one when the secret or the day changes.
    func testCachedKeyFollowsSecretAndDay() {
        let reused = SigV4Signer(service: "cognito-sync", region: "us-east-1")
        let nextDay = date.addingTimeInterval(86_400)
        for (secret, when) in [("first", date), ("second", date), ("second", nextDay), ("first", nextDay)] {
            let fresh = SigV4Signer(service: "cognito-sync", region: "us-east-1")
            XCTAssertEqual(reused.signature(stringToSign: "text", secretAccessKey: secret, date: when),
                           fresh.signature(stringToSign: "text", secretAccessKey: secret, date: when))
        }
        XCTAssertNotEqual(reused.signature(stringToSign: "text", secretAccessKey: "first", date: date),
                          reused.signature(stringToSign: "text", secretAccessKey: "second", date: date))
    }

    func testDerivesOnlyWhenTheSecretOrTheDayChanges() {
        let cache = SigningKeyCache()
        var derived: [String] = []
        for (secret, amzDate) in [("a", "20261127T000000Z"), ("a", "20261127T235959Z"), ("b", "20261127T120000Z"),
                                  ("b", "20261128T000000Z"), ("b", "20261128T000001Z")] {
            let signing = cache.signing(secret: secret, amzDate: amzDate) { day in
                derived.append(secret + "/" + day)
                return (scope: "scope-" + day, key: Array((secret + day).utf8))
            }
            let day = String(amzDate.prefix(8))
            XCTAssertEqual(signing.scope, "scope-" + day)
            XCTAssertEqual(signing.key, Array((secret + day).utf8))
        }
        XCTAssertEqual(derived, ["a/20261127", "b/20261127", "b/20261128"])
    }

    /// The Authorization header is written in one piece; its text is the parts joined in order.
    func testAuthorizationJoinsItsParts() {
        XCTAssertEqual(
            SigV4Signer.authorization(accessKeyId: "AKIDEXAMPLE", scope: "20150830/us-east-1/service/aws4_request",
                                      signedHeaders: "host;x-amz-date", signature: String(repeating: "ab", count: 32)),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + String(repeating: "ab", count: 32))
        // Non-ASCII bytes are copied as they are (a key id is ASCII, but the writer does not rely on it).
        XCTAssertEqual(SigV4Signer.authorization(accessKeyId: "ké", scope: "s", signedHeaders: "h", signature: ""),
                       "AWS4-HMAC-SHA256 Credential=ké/s, SignedHeaders=h, Signature=")
    }
}
