import XCTest

@testable import CognitoSync

final class EngineRetryAfterTests: XCTestCase {
    func testRetryAfterAsSecondsOrDate() {
        let now = 784_111_777.0
        XCTAssertEqual(RequestEngine.retryAfterSeconds("3", now: now), 3)
        XCTAssertEqual(RequestEngine.retryAfterSeconds(" 0.5 ", now: now), 0.5)
        XCTAssertEqual(RequestEngine.retryAfterSeconds("Sun, 06 Nov 1994 08:49:47 GMT", now: now), 10)
        XCTAssertEqual(RequestEngine.retryAfterSeconds("Sun, 06 Nov 1994 08:49:00 GMT", now: now), 0, "a past date")
        XCTAssertNil(RequestEngine.retryAfterSeconds("-4", now: now))
        XCTAssertNil(RequestEngine.retryAfterSeconds("soon", now: now))
    }
}
