import SigV4
import XCTest

final class PercentEncodingTests: XCTestCase {
    func testEncodeKeepsOnlyUnreserved() {
        XCTAssertEqual(PercentEncoding.encode("us-east-1:a b/c~d.e_f"), "us-east-1%3Aa%20b%2Fc~d.e_f")
        XCTAssertEqual(PercentEncoding.encode("a/b c", keepingSlash: true), "a/b%20c")
        XCTAssertEqual(PercentEncoding.encode("+=&é"), "%2B%3D%26%C3%A9")
    }

    /// Every byte, alone and in one run of all 256 (the no-escape shortcut and the escaping pass), against RFC 3986.
    func testEveryByteIsKeptOrEscapedAsRFC3986Says() {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        for keepingSlash in [false, true] {
            var whole = ""
            for byte in 0...255 {
                let kept = unreserved.contains(UInt8(byte)) || (keepingSlash && byte == 0x2F)
                let expected = kept ? String(UnicodeScalar(UInt8(byte))) : "%" + String(format: "%02X", byte)
                XCTAssertEqual(PercentEncoding.encode(bytes: [UInt8(byte)], keepingSlash: keepingSlash), expected)
                whole += expected
            }
            XCTAssertEqual(PercentEncoding.encode(bytes: Array(0...255), keepingSlash: keepingSlash), whole)
        }
        XCTAssertEqual(PercentEncoding.encode("abc-XYZ_0.9~"), "abc-XYZ_0.9~")
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
