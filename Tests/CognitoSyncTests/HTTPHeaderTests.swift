import XCTest

@testable import CognitoSyncModel

final class HTTPHeaderTests: XCTestCase {
    func testNamesCompareWithoutRegardToASCIICaseOnly() {
        XCTAssertTrue(HTTPHeader.namesEqual("x-amzn-RequestId", "X-AMZN-REQUESTID"))
        XCTAssertTrue(HTTPHeader.namesEqual("Content-Length", "content-length"))
        XCTAssertFalse(HTTPHeader.namesEqual("Content-Length", "Content-Lengths"))
        XCTAssertFalse(HTTPHeader.namesEqual("Date", "Data"))
        // Bytes that differ only in the 0x20 bit but are not letters are different characters.
        XCTAssertFalse(HTTPHeader.namesEqual("a[b", "a{b"))
        XCTAssertFalse(HTTPHeader.namesEqual("x-1", "x-\u{11}"))
        XCTAssertFalse(HTTPHeader.namesEqual("K", "\u{212A}"), "the Kelvin sign is not K")
    }

    func testTheFirstHeaderOfTheNameIsTaken() {
        let headers = [("Retry-After", "1"), ("x-amzn-errortype", "Throttling"), ("retry-after", "2")]
        XCTAssertEqual(HTTPHeader.value("retry-after", in: headers), "1")
        XCTAssertEqual(HTTPHeader.value("X-Amzn-ErrorType", in: headers), "Throttling")
        XCTAssertNil(HTTPHeader.value("Date", in: headers))
    }
}
