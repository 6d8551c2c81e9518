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

    func testDerivesOnlyWhenTheInputsChange() {
        let cache = SigningKeyCache()
        var derivations = 0
        for (secret, day) in [("a", "20261127"), ("a", "20261127"), ("b", "20261127"), ("b", "20261128")] {
            _ = cache.key(secret: secret, day: day) {
                derivations += 1
                return Array((secret + day).utf8)
            }
        }
        XCTAssertEqual(derivations, 3)
    }
}
