import XCTest

@testable import CognitoSyncModel

final class StringUTF8BytesTests: XCTestCase {
    private func equals(_ text: String, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { text.utf8Equals($0) }
    }

    func testTheStringsBytesAreComparedExactly() {
        XCTAssertTrue(equals("IdentityId", Array("IdentityId".utf8)))
        XCTAssertFalse(equals("IdentityId", Array("identityId".utf8)), "case matters")
        XCTAssertFalse(equals("IdentityId", Array("IdentityIds".utf8)))
        XCTAssertFalse(equals("IdentityId", Array("Identity".utf8)))
        XCTAssertTrue(equals("", []))
        XCTAssertFalse(equals("", [0]))
        XCTAssertFalse(equals("a", []))
        // Past the 15 bytes a string keeps inline, and outside ASCII.
        let long = "LastModifiedDate-\u{212A}elvin-\u{1F600}"
        XCTAssertTrue(equals(long, Array(long.utf8)))
        var changed = Array(long.utf8)
        changed[changed.count - 1] ^= 1
        XCTAssertFalse(equals(long, changed))
        XCTAssertFalse(equals("K", Array("\u{212A}".utf8)), "the Kelvin sign is not K")
    }
}
