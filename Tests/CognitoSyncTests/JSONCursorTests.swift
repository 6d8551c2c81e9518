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
}
