import SigV4
import XCTest

final class PercentEncodingTests: XCTestCase {
    func testEncodeKeepsOnlyUnreserved() {
        XCTAssertEqual(PercentEncoding.encode("us-east-1:a b/c~d.e_f"), "us-east-1%3Aa%20b%2Fc~d.e_f")
        XCTAssertEqual(PercentEncoding.encode("a/b c", keepingSlash: true), "a/b%20c")
        XCTAssertEqual(PercentEncoding.encode("+=&é"), "%2B%3D%26%C3%A9")
    }

    func testDecode() {
        XCTAssertEqual(PercentEncoding.decode("us-east-1%3Aabc%2fx+y"), "us-east-1:abc/x+y")
        XCTAssertEqual(PercentEncoding.decode("100%"), "100%")
        XCTAssertEqual(PercentEncoding.decode("%zz%4"), "%zz%4")
        XCTAssertNil(PercentEncoding.decode("%FF"))
        XCTAssertEqual(PercentEncoding.decodeBytes("%FF"), [0xff])
    }

    func testQuerySplittingAndDecoding() {
        let pairs = PercentEncoding.decodeQuery("a=1&&b=&c&d=x%3Dy=z&%E1%88%B4=bar")
        XCTAssertEqual(pairs.map { $0.0 }, ["a", "b", "c", "d", "ሴ"])
        XCTAssertEqual(pairs.map { $0.1 }, ["1", "", "", "x=y=z", "bar"])
        XCTAssertTrue(PercentEncoding.decodeQuery("").isEmpty)
    }
}
