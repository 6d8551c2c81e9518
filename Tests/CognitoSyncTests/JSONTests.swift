import XCTest
@testable import CognitoSync
@testable import CognitoSyncModel

final class JSONTests: XCTestCase {
    private func parse(_ text: String) throws -> Value {
        try JSONParser.parse(text)
    }

    private func text(_ value: Value) -> String {
        String(decoding: JSONWriter.write(value), as: UTF8.self)
    }

    private func assertMalformed(_ input: [UInt8], offset: Int, reason: String, file: StaticString = #filePath,
                                 line: UInt = #line) {
        XCTAssertThrowsError(try JSONParser.parse(input), file: file, line: line) { error in
            guard let error = error as? JSONError else {
                return XCTFail("not a JSONError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.offset, offset, "offset for \(String(decoding: input, as: UTF8.self))",
                           file: file, line: line)
            XCTAssertTrue(error.reason.contains(reason), "\(error.reason) lacks \(reason)", file: file, line: line)
        }
    }

    private func assertMalformed(_ input: String, offset: Int, reason: String, file: StaticString = #filePath,
                                 line: UInt = #line) {
        assertMalformed(Array(input.utf8), offset: offset, reason: reason, file: file, line: line)
    }

    // MARK: - Integers

    func testSixtyFourBitIntegersStayExact() throws {
        XCTAssertEqual(try parse("9223372036854775807"), .int(Int64.max))
        XCTAssertEqual(try parse("-9223372036854775808"), .int(Int64.min))
        XCTAssertEqual(try parse("9007199254740993"), .int(9_007_199_254_740_993))
        XCTAssertEqual(try parse("-9007199254740993"), .int(-9_007_199_254_740_993))
        XCTAssertEqual(try parse("0"), .int(0))
        XCTAssertEqual(try parse("-0"), .int(0))
        XCTAssertEqual(text(.int(Int64.max)), "9223372036854775807")
        XCTAssertEqual(text(.int(Int64.min)), "-9223372036854775808")
        XCTAssertEqual(text(.int(9_007_199_254_740_993)), "9007199254740993")
    }

    func testIntegersBeyondSixtyFourBitsBecomeDoubles() throws {
        XCTAssertEqual(try parse("9223372036854775808"), .double(9_223_372_036_854_775_808.0))
        XCTAssertEqual(try parse("-9223372036854775809"), .double(-9_223_372_036_854_775_809.0))
        XCTAssertEqual(try parse("18446744073709551616"), .double(18_446_744_073_709_551_616.0))
    }

    func testIntegerRoundTrips() throws {
        for number: Int64 in [Int64.max, Int64.min, 1 << 53, (1 << 53) + 1, -((1 << 53) + 1), 0, -1, 42] {
            XCTAssertEqual(try JSONParser.parse(JSONWriter.write(.int(number))), .int(number))
            XCTAssertEqual(text(.int(number)), String(number))
            var writer = JSONWriter()
            writer.beginArray()
            writer.element()
            writer.integer(number)
            writer.element()
            writer.integer(number)
            writer.endArray()
            XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), "[\(number),\(number)]")
        }
    }

    // MARK: - Doubles

    func testDoublesParse() throws {
        XCTAssertEqual(try parse("1.5"), .double(1.5))
        XCTAssertEqual(try parse("-0.25"), .double(-0.25))
        XCTAssertEqual(try parse("1e3"), .double(1000))
        XCTAssertEqual(try parse("1E+2"), .double(100))
        XCTAssertEqual(try parse("2.5e-3"), .double(0.0025))
        XCTAssertEqual(try parse("1.412974057244E9"), .double(1_412_974_057.244))
        XCTAssertEqual(try parse("1.0"), .double(1.0), "a decimal point makes a double, as in Lua")
    }

    func testDoublesAreWrittenShortest() {
        XCTAssertEqual(text(.double(0.1)), "0.1")
        XCTAssertEqual(text(.double(1.5)), "1.5")
        XCTAssertEqual(text(.double(1.0)), "1.0")
        XCTAssertEqual(text(.double(1_440_938_160.123)), "1440938160.123")
        XCTAssertEqual(text(.double(1e300)), "1e+300")
        XCTAssertEqual(text(.double(5e-324)), "5e-324")
        XCTAssertEqual(text(.double(-0.0)), "-0.0")
        XCTAssertEqual(text(.double(.nan)), "null")
        XCTAssertEqual(text(.double(.infinity)), "null")
    }

    func testDoubleRoundTrips() throws {
        for number in [0.1, 1.0 / 3.0, 1e-7, 123_456.789, 1.7976931348623157e308, 2.2250738585072014e-308, -42.5] {
            XCTAssertEqual(try JSONParser.parse(JSONWriter.write(.double(number))), .double(number), "\(number)")
        }
    }

    // MARK: - Strings

    func testEscapesParse() throws {
        XCTAssertEqual(try parse(#""\"\\\/\b\f\n\r\t""#), .string("\"\\/\u{8}\u{C}\n\r\t"))
        XCTAssertEqual(try parse(#""\u0041\u00e9\u4E2D""#), .string("Aé中"))
        XCTAssertEqual(try parse(#""\u0000""#), .string("\u{0}"))
    }

    func testSurrogatePairs() throws {
        XCTAssertEqual(try parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try parse(#""x\uD834\uDD1Ey""#), .string("x𝄞y"))
    }

    func testLoneSurrogatesBecomeReplacementCharacters() throws {
        XCTAssertEqual(try parse(#""\ud800""#), .string("\u{FFFD}"))
        XCTAssertEqual(try parse(#""\udc00x""#), .string("\u{FFFD}x"))
        XCTAssertEqual(try parse(#""\ud800\u0041""#), .string("\u{FFFD}A"))
        XCTAssertEqual(try parse(#""\ud800\ud800\udc00""#), .string("\u{FFFD}𐀀"))
    }

    func testRawUTF8PassesThrough() throws {
        XCTAssertEqual(try parse("\"ключ é 😀\""), .string("ключ é 😀"))
        XCTAssertEqual(Array(text(.string("é😀")).utf8), [0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    func testStringEscapingOnWrite() {
        XCTAssertEqual(text(.string("a\"b\\c")), #""a\"b\\c""#)
        XCTAssertEqual(text(.string("l1\nl2\r\t")), #""l1\nl2\r\t""#)
        XCTAssertEqual(text(.string("\u{1}\u{1F}\u{8}\u{C}")), #""\u0001\u001f\b\f""#)
        XCTAssertEqual(text(.string("a/b\u{7F}")), "\"a/b\u{7F}\"")
    }

    func testStringRoundTrips() throws {
        let samples = ["", "plain", "quote\" backslash\\ slash/", "\u{0}\u{1}\u{1F}", "日本語", "😀𝄞", "tab\tnl\n"]
        for sample in samples {
            XCTAssertEqual(try JSONParser.parse(JSONWriter.write(.string(sample))), .string(sample))
        }
    }

    // MARK: - Structure

    func testNestedDocument() throws {
        let value = try parse(#" { "a" : [1, 2.5, "x", true, false, null, {}, []], "b": {"c": {"d": -7}} } "#)
        XCTAssertEqual(value, .map([
            ("a", .list([.int(1), .double(2.5), .string("x"), .bool(true), .bool(false), .null, .map([]), .list([])])),
            ("b", .map([("c", .map([("d", .int(-7))]))])),
        ]))
        XCTAssertEqual(value["b"]?["c"]?["d"], .int(-7))
    }

    func testObjectsKeepOrderAndWriteCompact() throws {
        let value = try parse(#"{"z": 1, "a": 2, "m": [3, {"k": "v"}]}"#)
        XCTAssertEqual(text(value), #"{"z":1,"a":2,"m":[3,{"k":"v"}]}"#)
    }

    func testDuplicateKeysReadLastValue() throws {
        let value = try parse(#"{"a": 1, "a": 2}"#)
        XCTAssertEqual(value["a"], .int(2))
    }

    func testRoundTripOfAComplexValue() throws {
        let value: Value = .map([
            ("Records", .list([
                .map([("Key", .string("ключ")), ("SyncCount", .int(Int64.max)), ("When", .double(1.25))]),
                .map([("Key", .string("a\"b")), ("SyncCount", .int(Int64.min)), ("Gone", .bool(false))]),
            ])),
            ("Nothing", .null),
            ("Empty", .map([])),
        ])
        XCTAssertEqual(try JSONParser.parse(JSONWriter.write(value)), value)
    }

    func testMapEqualityIgnoresOrderButNotNumberKinds() {
        XCTAssertEqual(Value.map([("a", .int(1)), ("b", .int(2))]), .map([("b", .int(2)), ("a", .int(1))]))
        XCTAssertNotEqual(Value.map([("a", .int(1))]), .map([("a", .int(1)), ("b", .int(2))]))
        XCTAssertNotEqual(Value.map([("a", .int(1))]), .map([("a", .int(2))]))
        XCTAssertNotEqual(Value.int(1), .double(1))
        XCTAssertNotEqual(Value.list([.int(1), .int(2)]), .list([.int(2), .int(1)]))
        XCTAssertNotEqual(Value.map([]), .list([]))
    }

    func testDeepNestingIsLimited() throws {
        let depth = JSONParser.maximumDepth
        XCTAssertNoThrow(try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        assertMalformed(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1),
                        offset: depth, reason: "nesting")
    }

    // MARK: - Malformed input

    func testMalformedInputReportsOffsetAndReason() {
        assertMalformed("", offset: 0, reason: "end of input")
        assertMalformed("   ", offset: 3, reason: "end of input")
        assertMalformed("{", offset: 1, reason: "end of input")
        assertMalformed("[1,]", offset: 3, reason: "unexpected character ']'")
        assertMalformed("[1 2]", offset: 3, reason: "expected ',' or ']'")
        assertMalformed(#"{"a" 1}"#, offset: 5, reason: "expected ':'")
        assertMalformed(#"{"a":1,}"#, offset: 7, reason: "expected a string key")
        assertMalformed("{1:2}", offset: 1, reason: "expected a string key")
        assertMalformed(#"{"a":1 "b":2}"#, offset: 7, reason: "expected ',' or '}'")
        assertMalformed("01", offset: 1, reason: "after the JSON value")
        assertMalformed("1 2", offset: 2, reason: "after the JSON value")
        assertMalformed("1.", offset: 2, reason: "digit after the decimal point")
        assertMalformed("1e", offset: 2, reason: "digit in the exponent")
        assertMalformed("-", offset: 1, reason: "expected a digit")
        assertMalformed("+1", offset: 0, reason: "unexpected character '+'")
        assertMalformed("tru", offset: 0, reason: "invalid literal")
        assertMalformed("nul", offset: 0, reason: "invalid literal")
        assertMalformed("True", offset: 0, reason: "unexpected character 'T'")
        assertMalformed(#""abc"#, offset: 0, reason: "unterminated string")
        assertMalformed(#""a\"#, offset: 3, reason: "unterminated string")
        assertMalformed("\"a\nb\"", offset: 2, reason: "control character")
        assertMalformed(#""\x""#, offset: 1, reason: "invalid escape")
        assertMalformed(#""\u12G4""#, offset: 5, reason: "hex digit")
        assertMalformed(#""\u12""#, offset: 1, reason: "truncated")
        assertMalformed("'a'", offset: 0, reason: "unexpected character")
        assertMalformed([0x22, 0xFF, 0x22], offset: 0, reason: "invalid UTF-8")
        assertMalformed([0x22, 0x5C, 0x6E, 0xC3, 0x22], offset: 0, reason: "invalid UTF-8")
        assertMalformed([0x5B, 0x00, 0x5D], offset: 1, reason: "unexpected byte 0x0")
    }

    func testLargeDocument() throws {
        var records: [Value] = []
        for index in 0..<20_000 {
            records.append(.map([
                ("Key", .string("key-\(index)")), ("Value", .string("välue \(index) \"quoted\"")),
                ("SyncCount", .int(Int64(index) + (1 << 53))), ("LastModifiedDate", .double(1_440_938_160.5)),
            ]))
        }
        let document: Value = .map([("Records", .list(records)), ("Count", .int(20_000))])
        let bytes = JSONWriter.write(document)
        XCTAssertGreaterThan(bytes.count, 1_000_000)
        let parsed = try JSONParser.parse(bytes)
        XCTAssertEqual(parsed, document)
        XCTAssertEqual(parsed["Records"]?[19_999]?["SyncCount"], .int(19_999 + (1 << 53)))
    }
}
