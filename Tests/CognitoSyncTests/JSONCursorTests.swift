import XCTest
@testable import CognitoSyncModel

/// A reader that skips or steps through JSON with `JSONCursor` must fail where and as `JSONParser` fails.
final class JSONCursorTests: XCTestCase {
    private func skipError(_ input: [UInt8]) -> JSONError? {
        input.withUnsafeBufferPointer { bytes in
            var cursor = JSONCursor(bytes: bytes)
            do {
                cursor.skipWhitespace()
                try cursor.skipValue(depth: 0)
                try cursor.finish()
                return nil
            } catch {
                return error as? JSONError
            }
        }
    }

    private func parseError(_ input: [UInt8]) -> JSONError? {
        do {
            _ = try JSONParser.parse(input)
            return nil
        } catch {
            return error as? JSONError
        }
    }

    func testSkippingFailsExactlyAsParsing() {
        let depth = JSONParser.maximumDepth
        let texts = [
            "", "   ", "{", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":1,}"#, "{1:2}", #"{"a":1 "b":2}"#, "01", "1 2", "1.",
            "1e", "-", "+1", "tru", "nul", "True", #""abc"#, #""a\"#, "\"a\nb\"", #""\x""#, #""\u12G4""#, #""\u12""#,
            "'a'", #"{"a": [1, {"b": [true, false, null, "x\u00e9\ud83d\ude00"]}], "c": -1.5e3}"#, "[]", "{}",
            " [ ] ", #"{"k": {"k": {}}}"#, #"["\ud800"]"#, "[1,2", #"{"a":"#, #"{"a"}"#,
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
            String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1),
            String(repeating: #"{"a":"#, count: depth + 1) + "1" + String(repeating: "}", count: depth + 1),
        ]
        let bytes = texts.map { Array($0.utf8) } + [[0x22, 0xFF, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22],
                                                    [0x5B, 0x00, 0x5D], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]]
        for input in bytes {
            XCTAssertEqual(skipError(input), parseError(input), String(decoding: input, as: UTF8.self))
        }
    }

    func testSteppingThroughAnObjectHandsOverKeysAndValues() throws {
        let input = Array(#" {"a\n": [1, "x"], "b": {}} "#.utf8)
        var seen: [String] = []
        try input.withUnsafeBufferPointer { bytes in
            var cursor = JSONCursor(bytes: bytes)
            cursor.skipWhitespace()
            XCTAssertEqual(try cursor.kind(), .object)
            XCTAssertTrue(try cursor.enterObject(depth: 1))
            repeat {
                try cursor.readKey { key, ascii in
                    seen.append(String(decoding: key, as: UTF8.self) + (ascii ? "" : "*"))
                    return true
                }
                if try cursor.kind() == .array {
                    XCTAssertTrue(try cursor.enterArray(depth: 2))
                    XCTAssertEqual(try cursor.readNumber(), .int(1))
                    XCTAssertTrue(try cursor.nextElement())
                    try cursor.readString { text, _ in
                        seen.append(String(decoding: text, as: UTF8.self))
                        return true
                    }
                    XCTAssertFalse(try cursor.nextElement())
                } else {
                    XCTAssertFalse(try cursor.enterObject(depth: 2))
                }
            } while try cursor.nextMember()
            try cursor.finish()
        }
        XCTAssertEqual(seen, ["a\n*", "x", "b"])
    }

    /// Strings are scanned eight bytes at a time: a quote, backslash, control character or non-ASCII byte must be
    /// found at every offset within a word, and a string of any length must come out whole.
    func testEveryByteThatEndsTheWordScanIsFoundAtEveryOffset() throws {
        func readString(_ json: [UInt8]) throws -> (String, Bool) {
            try json.withUnsafeBufferPointer { bytes in
                var cursor = JSONCursor(bytes: bytes)
                var result = ("", false)
                try cursor.readString { text, ascii in
                    result = (String(decoding: text, as: UTF8.self), ascii)
                    return JSONCursor.isValid(text, ascii: ascii)
                }
                return result
            }
        }
        for length in 0..<20 {
            let plain = String(repeating: "a", count: length)
            for offset in 0...length {
                let before = String(plain.prefix(offset)), after = String(plain.dropFirst(offset))
                let quoted = { (middle: String) in Array(("\"" + before + middle + after + "\"").utf8) }
                XCTAssertEqual(try readString(quoted("")).0, plain)
                XCTAssertEqual(try readString(Array(("\"" + before + "\"" + after).utf8)).0, before)
                XCTAssertEqual(try readString(quoted(#"\n"#)).0, before + "\n" + after)
                XCTAssertEqual(try readString(quoted("\u{7F}")).0, before + "\u{7F}" + after)
                XCTAssertTrue(try readString(quoted("\u{7F}")).1)
                let accented = try readString(quoted("é"))
                XCTAssertEqual(accented.0, before + "é" + after)
                XCTAssertFalse(accented.1)
                for control: UInt8 in [0x00, 0x01, 0x1F] {
                    var json = Array(("\"" + before).utf8) + [control] + Array((after + "\"").utf8)
                    XCTAssertThrowsError(try readString(json)) { error in
                        XCTAssertEqual((error as? JSONError)?.offset, offset + 1, "control \(control) at \(offset)")
                    }
                    json = quoted("")
                    json.removeLast()
                    XCTAssertThrowsError(try readString(json), "unterminated, \(length) bytes")
                }
            }
        }
    }

    /// Fractional numbers take an exact shortcut where the significand and the power of ten are exact doubles: every
    /// number must still come out as the full conversion gives it, inside the shortcut's range and at its edges.
    func testNumbersConvertExactlyAsTheFullConversion() throws {
        var random = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        func next(_ bound: Int) -> Int { random.next(below: bound) }
        var texts = ["0.0", "-0.0", "1.5", "9007199254740993.0", "9007199254740992.5", "1e22", "1e23", "1.0e-22",
                     "1e-23", "123456789012345678.9", "0.1", "1765080123.456", "1.765080123456E9", "5e-324", "1e308",
                     "-2.5E+3", "4.9406564584124654e-324"]
        for _ in 0..<20_000 {
            let count = 1 + next(20)
            var digits = (0..<count).map { _ in String(next(10)) }.joined()
            while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
            let point = next(digits.count + 1)
            var text = (next(2) == 0 ? "-" : "") + String(digits.prefix(point == 0 ? digits.count : point))
            if point > 0 && point < digits.count { text += "." + digits.dropFirst(point) } else { text += ".0" }
            if next(2) == 0 { text += "e" + String(next(61) - 30) }
            texts.append(text)
        }
        for text in texts {
            let expected = try XCTUnwrap(Double(text), text)
            guard case .double(let parsed) = try JSONParser.parse(text) else {
                XCTFail("\(text) did not parse as a fractional number")
                continue
            }
            XCTAssertEqual(parsed.bitPattern, expected.bitPattern, text)
        }
    }
}
