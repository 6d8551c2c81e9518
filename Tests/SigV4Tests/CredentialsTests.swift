import Foundation
import SigV4
import XCTest

final class CredentialsTests: XCTestCase {
    private let credentials = Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN", expiration: Date(timeIntervalSince1970: 1_795_743_300)
    )

    func testDescriptionHidesSecretAndToken() {
        XCTAssertEqual(
            credentials.description,
            "Credentials(accessKeyId: AKIDEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>, "
                + "expiration: 2026-11-27T01:35:00Z)"
        )
        for text in [credentials.debugDescription, "\(credentials)", String(reflecting: credentials), dumped()] {
            XCTAssertFalse(text.contains("wJalrXUtnFEMI"), text)
            XCTAssertFalse(text.contains("FQoGZXIvYXdz"), text)
            XCTAssertTrue(text.contains("AKIDEXAMPLE"), text)
        }
    }

    func testDescriptionOfLongTermCredentials() {
        let plain = Credentials(accessKeyId: "AKID", secretAccessKey: "s3cr3t")
        XCTAssertEqual(plain.description, "Credentials(accessKeyId: AKID, secretAccessKey: <redacted>)")
    }

    private func dumped() -> String {
        var text = ""
        dump(credentials, to: &text)
        return text
    }
}
