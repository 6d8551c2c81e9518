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

    func testRefusesYearsTheFormCannotHold() {
        for year in ["999999999999", "99999999999", "10000", "0000", "994", "+994", "-994", " 994", "１９９４"] {
            let text = "Sun, 06 Nov \(year) 08:49:37 GMT"
            XCTAssertNil(HTTPDate.parse(text), text)
        }
        XCTAssertEqual(HTTPDate.parse("Mon, 01 Jan 0001 00:00:00 GMT"), -62_135_596_800)
        XCTAssertEqual(HTTPDate.parse("Fri, 31 Dec 9999 23:59:59 GMT"), 253_402_300_799)
    }

    func testRefusesFieldsOfTheWrongWidthOrImpossibleDays() {
        for text in ["Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 006 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
                     "Sun, 06 Nov 1994 08:49:037 GMT", "Sun, 06 Nov 1994 08:+9:37 GMT", "Sun,  06 Nov 1994 08:49:37 GMT",
                     "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT", "Sun, 31 Apr 1994 08:49:37 GMT",
                     "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 00 Nov 1994 08:49:37 GMT"] {
            XCTAssertNil(HTTPDate.parse(text), text)
        }
        XCTAssertEqual(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT"), 951_782_400)
    }

    func testFormatNeverTrapsOutsideTheRange() {
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: 1e30)), "Fri, 31 Dec 9999 23:59:59 GMT")
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: -1e30)), "Mon, 01 Jan 0001 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: .nan)), "Mon, 01 Jan 0001 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(Date(timeIntervalSince1970: -61_000_000_000)), "Fri, 26 Dec 0036 11:33:20 GMT")
    }

    func testDaysFromCivil() {
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 1969, month: 12, day: 31), -1)
        XCTAssertEqual(HTTPDate.daysFromCivil(year: 2000, month: 3, day: 1), 11_017)
        let march = HTTPDate.daysFromCivil(year: 2100, month: 3, day: 1)
        XCTAssertEqual(march - HTTPDate.daysFromCivil(year: 2100, month: 2, day: 28), 1, "2100 is not a leap year")
    }
}
