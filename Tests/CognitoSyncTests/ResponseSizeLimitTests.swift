import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class ResponseSizeLimitTests: XCTestCase {
    func testContentLengthOverTheLimitIsSeenWithoutOverflow() {
        let exceeds = { (text: String) in ResponseSizeLimit.isExceeded(byContentLength: Array(text.utf8)) }
        XCTAssertFalse(exceeds("0"))
        XCTAssertFalse(exceeds(String(ResponseSizeLimit.bytes)))
        XCTAssertTrue(exceeds(String(ResponseSizeLimit.bytes + 1)))
        XCTAssertTrue(exceeds("1073741824"))
        XCTAssertTrue(exceeds(String(repeating: "9", count: 400)), "no overflow however long")
        XCTAssertFalse(exceeds("12x"), "not a length: curl itself refuses it")
    }

    func testAnAnnouncedOversizedBodyFailsTheCallWithoutRetries() throws {
        let body = String(repeating: "x", count: ResponseSizeLimit.bytes + 1)
        let server = try EngineTests.ScriptedServer { _ in .respond(200, body: body) }
        defer { server.stop() }
        let client = try EngineTests.client(server.url) { $0.retryMode = .standard }
        let outcome = try EngineTests.run(RequestEngine(), client)[0]
        guard case let .failure(error) = outcome.result else { return XCTFail("the call succeeded") }
        XCTAssertEqual(error.code, "ResponseTooLarge")
        XCTAssertTrue(error.message.hasPrefix("the response announces a body of more than 16 MiB"), error.message)
        XCTAssertFalse(error.retryable)
        XCTAssertEqual(server.received().count, 1)
    }

    func testTimeLimitsBecomeCurlMillisecondsWithoutTrapping() {
        XCTAssertEqual(CurlTransport.curlMilliseconds(1.5), 1500)
        XCTAssertEqual(CurlTransport.curlMilliseconds(0.0001), 1, "rounded up, never 0 (which is no limit)")
        XCTAssertEqual(CurlTransport.curlMilliseconds(1e30), Int(Int32.max))
        XCTAssertEqual(CurlTransport.curlMilliseconds(.infinity), Int(Int32.max))
        XCTAssertEqual(CurlTransport.curlMilliseconds(.nan), Int(Int32.max))
    }
}
