import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class WireTraceTests: XCTestCase {
    private let authorization = "AWS4-HMAC-SHA256 Credential=AKIDTRACE/20260101/us-east-1/cognito-sync/aws4_request, "
        + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
        + "Signature=9f2b3c1d0e4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e"

    func testRedactsTheSignatureAndTheSessionToken() {
        let redacted = WireTrace.redact("Authorization", authorization)
        XCTAssertFalse(redacted.contains("9f2b3c1d"))
        XCTAssertTrue(redacted.hasSuffix("Signature=<redacted>"))
        XCTAssertTrue(redacted.contains("Credential=AKIDTRACE/20260101/us-east-1/cognito-sync/aws4_request"),
                      "the scope helps debugging and grants nothing")
        XCTAssertEqual(WireTrace.redact("x-amz-security-token", "FwoGZXIvYXdzEJr//////////secret"), "<redacted>")
        XCTAssertEqual(WireTrace.redact("authorization", "Bearer something"), "<redacted>")
        XCTAssertEqual(WireTrace.redact("X-Amz-Date", "20260101T000000Z"), "20260101T000000Z")
    }

    func testRequestAndResponseText() {
        let request = WireRequest(
            url: "https://cognito-sync.us-east-1.amazonaws.com/identitypools", method: "POST",
            headers: [("Authorization", authorization), ("X-Amz-Security-Token", "tok-123")], body: Array("{}".utf8))
        let text = WireTrace.request(request, attempt: 2)
        XCTAssertTrue(text.hasPrefix("> POST https://cognito-sync.us-east-1.amazonaws.com/identitypools (retry 2)\n"))
        XCTAssertTrue(text.contains("> X-Amz-Security-Token: <redacted>\n"))
        XCTAssertTrue(text.contains("> {}\n"))
        XCTAssertFalse(text.contains("tok-123"))
        let response = WireTrace.outcome(.response(status: 409, headers: [("x-amzn-RequestId", "r-9")],
                                                   body: Array(#"{"message":"m"}"#.utf8)))
        XCTAssertEqual(response, "< HTTP 409\n< x-amzn-RequestId: r-9\n< {\"message\":\"m\"}\n")
        let failure = WireTrace.outcome(.failure(TransportFailure(kind: .timeout, message: "timed out after 300 ms")))
        XCTAssertEqual(failure, "< no response: timed out after 300 ms\n")
    }

    func testAnEngineTraceOfRetriedCallsHoldsNoSecret() throws {
        let server = try EngineTests.ScriptedServer { index in
            index % 2 == 0 ? EngineTests.failure(500, "InternalErrorException") : EngineTests.usage
        }
        defer { server.stop() }
        let client = try EngineTests.client(server.url) { $0.retry.base = 0.001 }
        let engine = RequestEngine()
        var trace = ""
        engine.trace = { trace += $0 }
        let outcomes = try (0..<3).map { _ in try EngineTests.run(engine, client)[0] }
        XCTAssertEqual(outcomes.map(\.retryCount), [1, 1, 1])
        let signatures = server.received().compactMap(\.signature)
        XCTAssertEqual(signatures.count, 6)
        XCTAssertEqual(trace.components(separatedBy: "Signature=<redacted>").count - 1, 6)
        XCTAssertEqual(trace.components(separatedBy: "(retry 1)").count - 1, 3)
        XCTAssertTrue(trace.contains("< HTTP 500"))
        for secret in [EngineTests.secret, EngineTests.token] + signatures {
            XCTAssertFalse(trace.contains(secret), "the trace shows \(secret)")
        }
    }
}
