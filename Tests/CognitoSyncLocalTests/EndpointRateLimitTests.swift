import XCTest

@testable import CognitoSyncLocal

/// How the endpoint core picks the bucket of a request: the access key it names, if configured, and its operation.
final class EndpointRateLimitTests: XCTestCase {
    private let listRecords = "/identitypools/us-east-1:p/identities/us-east-1:i/datasets/d/records"
    private let updateRecords = "/identitypools/us-east-1:p/identities/us-east-1:i/datasets/d"

    private func makeCore(_ limits: String...) throws -> EndpointCore {
        let limiter = RateLimiter(limits: try limits.map { try RateLimitSpec(parsing: $0) }) { 0 }
        return try .inMemory(credentials: [("AKIDA", "a"), ("AKIDB", "b")], rateLimiter: limiter)
    }

    private func signedBy(_ key: String) -> [(String, String)] {
        [("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20240102/us-east-1/cognito-sync/aws4_request")]
    }

    func testConfiguredKeysAreCountedApartEvenWhenTheSignatureIsBad() throws {
        let core = try makeCore("0.001")
        XCTAssertTrue(core.admits(method: "GET", uri: listRecords, headers: signedBy("AKIDA")))
        XCTAssertFalse(core.admits(method: "GET", uri: listRecords, headers: signedBy("AKIDA")))
        XCTAssertTrue(core.admits(method: "GET", uri: "/identitypools?X-Amz-Credential=AKIDB%2Fx", headers: []))
        XCTAssertFalse(core.admits(method: "GET", uri: "/identitypools", headers: signedBy("AKIDB")))
    }

    func testUnsignedRequestsAndUnknownKeysShareTheAnonymousBucket() throws {
        let core = try makeCore("0.001")
        XCTAssertTrue(core.admits(method: "GET", uri: "/identitypools", headers: []))
        XCTAssertFalse(core.admits(method: "GET", uri: "/identitypools", headers: signedBy("AKIDMADEUP")))
        XCTAssertFalse(core.admits(method: "GET", uri: "/identitypools", headers: signedBy("AKIDOTHER")))
        XCTAssertTrue(core.admits(method: "GET", uri: "/identitypools", headers: signedBy("AKIDA")))
    }

    func testTheOperationIsTakenFromTheRoute() throws {
        let core = try makeCore("UpdateRecords=0.001")
        XCTAssertTrue(core.admits(method: "POST", uri: updateRecords, headers: signedBy("AKIDA")))
        XCTAssertFalse(core.admits(method: "POST", uri: updateRecords, headers: signedBy("AKIDA")))
        for _ in 0..<5 {
            XCTAssertTrue(core.admits(method: "GET", uri: listRecords + "?maxResults=2", headers: signedBy("AKIDA")))
            XCTAssertTrue(core.admits(method: "GET", uri: "/no/such/route", headers: signedBy("AKIDA")))
        }
    }

    func testACognitoIdentityRequestIsCountedUnderItsTarget() throws {
        let core = try makeCore("GetId=0.001")
        func target(_ operation: String) -> [(String, String)] {
            signedBy("AKIDA") + [("X-Amz-Target", "AWSCognitoIdentityService." + operation)]
        }
        XCTAssertTrue(core.admits(method: "POST", uri: "/", headers: target("GetId")))
        XCTAssertFalse(core.admits(method: "POST", uri: "/", headers: target("GetId")))
        XCTAssertTrue(core.admits(method: "POST", uri: "/", headers: target("ListIdentityPools")))
        XCTAssertTrue(core.admits(method: "POST", uri: "/", headers: target("NoSuchOperation")))
    }
}
