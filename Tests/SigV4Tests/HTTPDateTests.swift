import Foundation
import XCTest

@testable import SigV4

final class HTTPDateTests: XCTestCase {
    func testParsesIMFFixdate() {
        XCTAssertEqual(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
        XCTAssertEqual(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0)
        XCTAssertEqual(HTTPDate.parse("Tue, 29 Feb 2000 23:59:59 GMT"), 951_868_799)
        XCTAssertEqual(HTTPDate.parse("Fri, 27 Nov 2026 02:19:21 GMT"), 1_795_745_961)
    }

    func testAgreesWithFoundationOverManyDates() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var seconds = -2_000_000_000.0
        while seconds < 4_000_000_000 {
            let text = formatter.string(from: Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(HTTPDate.parse(text), seconds, text)
            seconds += 86_399 * 37 + 1234
        }
    }

    func testRejectsOtherForms() {
        for text in ["", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
                     "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sun, xx Nov 1994 08:49:37 GMT"] {
            XCTAssertNil(HTTPDate.parse(text), text)
        }
    }

    func testFormatRoundTrips() {
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: 784_111_777.9)), "Sun, 06 Nov 1994 08:49:37 GMT")
        for seconds in stride(from: -1_000_000_000.0, to: 4_000_000_000, by: 86_399 * 53 + 777) {
            XCTAssertEqual(HTTPDate.parse(HTTPDate.format(Date(timeIntervalSince1970: seconds))), seconds)
        }
    }

    func testRejectsOutOfRangeFields() {
        for text in ["Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT"] {
            XCTAssertNil(HTTPDate.parse(text), text)
        }
    }

    func testDaysFromCivil() {
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 1969, month: 12, day: 31), -1)
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 2000, month: 3, day: 1), 11_017)
        let march = HTTPDate.daysFromCivil(year: 2100, month: 3, day: 1)
        XCTAssertEqual(march - HTTPDate.daysFromCivil(year: 2100, month: 2, day: 28), 1, "2100 is not a leap year")
    }
}
