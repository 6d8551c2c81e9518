import Foundation
import XCTest

@testable import SigV4

/// The `X-Amz-Date` and ISO 8601 forms, padded and clamped to the years four digits hold.
final class AmzDateTests: XCTestCase {
    func testBothFormsAreZeroPadded() {
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        XCTAssertEqual(SigV4Signer.amzDate(date), "20150830T123600Z")
        XCTAssertEqual(AmzDate.iso8601(date), "2015-08-30T12:36:00Z")
        XCTAssertEqual(AmzDate.day(date), "20150830")
        let early = Date(timeIntervalSince1970: -60_904_897_201)
        XCTAssertEqual(SigV4Signer.amzDate(early), "00400101T045959Z")
        XCTAssertEqual(AmzDate.iso8601(early), "0040-01-01T04:59:59Z")
    }

    func testDatesOutsideFourDigitYearsAreClamped() {
        XCTAssertEqual(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1e30)), "99991231T235959Z")
        XCTAssertEqual(SigV4Signer.amzDate(Date(timeIntervalSince1970: -1e30)), "00010101T000000Z")
        XCTAssertEqual(AmzDate.iso8601(Date(timeIntervalSince1970: 1e30)), "9999-12-31T23:59:59Z")
    }

    func testTheBasicFormParsesBack() {
        for seconds in [0.0, 1_440_938_160, 253_402_300_799, -62_135_596_800] {
            let text = SigV4Signer.amzDate(Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(AmzDate.parseBasic(text)?.timeIntervalSince1970, seconds, text)
        }
        XCTAssertNil(AmzDate.parseBasic("20150231T000000Z"), "31 February")
    }
}
