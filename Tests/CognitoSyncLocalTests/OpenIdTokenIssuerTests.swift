import XCTest

@testable import CognitoSyncLocal

final class OpenIdTokenIssuerTests: XCTestCase {
    private let issuer = OpenIdTokenIssuer(key: Array(repeating: 7, count: 32))
    private let pool = "us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    private let identity = "us-east-1:11111111-2222-3333-4444-555555555555"

    func testATokenNamesItsIdentityUntilItExpires() {
        let token = issuer.issue(pool: pool, identity: identity, expires: 1000)
        XCTAssertEqual(issuer.identity(in: token, pool: pool, now: 999.9), identity)
        XCTAssertNil(issuer.identity(in: token, pool: pool, now: 1000))
    }

    func testATokenIsBoundToItsPoolAndKey() {
        let token = issuer.issue(pool: pool, identity: identity, expires: 1000)
        XCTAssertNil(issuer.identity(in: token, pool: "us-east-1:00", now: 0))
        XCTAssertNil(OpenIdTokenIssuer(key: Array(repeating: 8, count: 32)).identity(in: token, pool: pool, now: 0))
    }

    func testAlteredOrForeignTokensAreRefused() {
        let token = issuer.issue(pool: pool, identity: identity, expires: 1000)
        let pieces = token.split(separator: ".")
        let other = issuer.issue(pool: pool, identity: "us-east-1:99", expires: 1000).split(separator: ".")
        XCTAssertNil(issuer.identity(in: "\(other[0]).\(pieces[1])", pool: pool, now: 0))
        for forged in ["", ".", "abc", "abc.def", token + "x", token + ".x"] {
            XCTAssertNil(issuer.identity(in: forged, pool: pool, now: 0), forged)
        }
        // A sync session token signed with the same key is not an OpenID token.
        let session = SessionTokenIssuer(key: issuer.key, lifetime: 60)
            .issue(pool: pool, identity: identity, dataset: "d", now: 0)
        XCTAssertNil(issuer.identity(in: session, pool: pool, now: 0))
    }
}
