/// Parses JSON text (RFC 8259) into a `Value` in one pass over the bytes.
///
/// Integers that fit in 64 bits stay exact (`.int`); every other number becomes `.double`.
/// Foundation's `JSONSerialization` is not used because it turns large integers into doubles,
/// which would corrupt sync counts above 2^53. Object entries keep their order. An escaped lone
/// UTF-16 surrogate (`\ud800` without its pair) cannot be held by a Swift string and reads as U+FFFD.
public enum JSONParser {
    /// How deeply arrays and objects may nest before the input is rejected.
    public static let maximumDepth = 512

    /// Parses one JSON document; surrounding whitespace is allowed, anything else after it is not.
    public static func parse(_ bytes: [UInt8]) throws -> Value {
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer)
            cursor.skipWhitespace()
            let value = try cursor.parseValue(depth: 0)
            cursor.skipWhitespace()
            if cursor.index < buffer.count {
                throw JSONError(offset: cursor.index, reason: "unexpected data after the JSON value")
            }
            return value
        }
    }

    /// Parses one JSON document from its UTF-8 text.
    public static func parse(_ text: String) throws -> Value {
        try parse(Array(text.utf8))
    }
}

/// A position in JSON text. `JSONParser` builds `Value`s with it; a reader guided by a model walks the text with
/// its public steps instead (reading or skipping each value), and meets exactly the parser's errors.
public struct JSONCursor {
    /// What a value is, from its first byte.
    public enum Kind {
        case object, array, string, number, bool, null
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The kind of the value that starts here, which is not consumed; fails as the parser would on anything else.
    public func kind() throws -> Kind {
        guard index < bytes.count else {
            throw fail("unexpected end of input")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw fail(describeCurrent())
        }
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws -> Bool {
        if bytes[index] == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads `null`.
    public mutating func readNull() throws {
        try expectLiteral("null")
    }

    /// Reads a number: `.int` when it is an integer that fits in 64 bits, else `.double`.
    public mutating func readNumber() throws -> Value {
        try parseNumber()
    }

    /// Reads a string and hands `body` its bytes (escapes resolved) and whether they are all ASCII; `body` answers
    /// whether they are valid UTF-8 (bytes that are not fail as the parser's strings do).
    public mutating func readString(_ body: (UnsafeBufferPointer<UInt8>, Bool) -> Bool) throws {
        try scanString(body)
    }

    /// Enters the object that starts here, `depth` levels deep as the parser counts; true when it has members.
    public mutating func enterObject(depth: Int) throws -> Bool {
        try enter(closedBy: UInt8(ascii: "}"), depth: depth)
    }

    /// Reads a member's key, as `readString` does, and the `:` after it; the cursor is left at the member's value.
    public mutating func readKey(_ body: (UnsafeBufferPointer<UInt8>, Bool) -> Bool) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw fail(index < bytes.count ? "expected a string key" : "unexpected end of input")
        }
        try scanString(body)
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw fail(index < bytes.count ? "expected ':' after an object key" : "unexpected end of input")
        }
        index += 1
        skipWhitespace()
    }

    /// After a member's value: true when another member follows, false at the end of the object.
    public mutating func nextMember() throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else {
            throw fail("unexpected end of input")
        }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            return true
        case UInt8(ascii: "}"):
            index += 1
            return false
        default:
            throw fail("expected ',' or '}' in an object")
        }
    }

    /// Enters the array that starts here, `depth` levels deep as the parser counts; true when it has elements, and
    /// the cursor is then at the first.
    public mutating func enterArray(depth: Int) throws -> Bool {
        try enter(closedBy: UInt8(ascii: "]"), depth: depth)
    }

    /// Steps into the object or array that starts here; false (and past it) when `closing` ends it at once.
    private mutating func enter(closedBy closing: UInt8, depth: Int) throws -> Bool {
        if depth > JSONParser.maximumDepth {
            throw fail("nesting deeper than \(JSONParser.maximumDepth) levels")
        }
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == closing {
            index += 1
            return false
        }
        return true
    }

    /// After an element: true when another follows (the cursor is then at it), false at the end of the array.
    public mutating func nextElement() throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else {
            throw fail("unexpected end of input")
        }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return true
        case UInt8(ascii: "]"):
            index += 1
            return false
        default:
            throw fail("expected ',' or ']' in an array")
        }
    }

    /// Checks the value that starts here as the parser would, without building it; `depth` as `parseValue`'s.
    public mutating func skipValue(depth: Int) throws {
        switch try kind() {
        case .object:
            guard try enterObject(depth: depth + 1) else { return }
            repeat {
                try readKey(Self.isValid)
                try skipValue(depth: depth + 1)
            } while try nextMember()
        case .array:
            guard try enterArray(depth: depth + 1) else { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try nextElement()
        case .string:
            try scanString(Self.isValid)
        case .number:
            _ = try parseNumber()
        case .bool:
            _ = try readBool()
        case .null:
            try readNull()
        }
    }

    /// Whether string bytes are valid UTF-8, checked as the parser checks them.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> Bool {
        ascii || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Skips trailing whitespace and fails if anything else is left after the document's value.
    public mutating func finish() throws {
        skipWhitespace()
        if index < bytes.count {
            throw JSONError(offset: index, reason: "unexpected data after the JSON value")
        }
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? index, reason: reason)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else {
            return "unexpected end of input"
        }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F {
            return "unexpected character '\(Character(Unicode.Scalar(byte)))'"
        }
        return "unexpected byte 0x\(String(byte, radix: 16))"
    }

    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
            default:
                return
            }
        }
    }

    mutating func parseValue(depth: Int) throws -> Value {
        guard index < bytes.count else {
            throw fail("unexpected end of input")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw fail(describeCurrent())
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else {
            throw fail("invalid literal", at: start)
        }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw fail("invalid literal", at: start)
        }
        index += count
    }

    // The tree is built with the cursor's own steps, so both read JSON alike and fail with the same messages.
    private mutating func parseObject(depth: Int) throws -> Value {
        var entries: [(String, Value)] = []
        guard try enterObject(depth: depth) else { return .map(entries) }
        repeat {
            var key = ""
            try readKey { bytes, ascii in Self.decode(bytes, ascii: ascii, into: &key) }
            entries.append((key, try parseValue(depth: depth)))
        } while try nextMember()
        return .map(entries)
    }

    private mutating func parseArray(depth: Int) throws -> Value {
        var items: [Value] = []
        guard try enterArray(depth: depth) else { return .list(items) }
        repeat {
            items.append(try parseValue(depth: depth))
        } while try nextElement()
        return .list(items)
    }

    private mutating func parseString() throws -> String {
        var text = ""
        try scanString { bytes, ascii in Self.decode(bytes, ascii: ascii, into: &text) }
        return text
    }

    /// The string of a scanned string's bytes; false when they are not UTF-8.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, into text: inout String) -> Bool {
        // ASCII needs no validation, which costs more than the copy for the short strings of a response.
        if ascii {
            text = String(decoding: bytes, as: UTF8.self)
            return true
        }
        guard let valid = String(validating: bytes, as: UTF8.self) else { return false }
        text = valid
        return true
    }

    /// 10^0 ... 10^22, each exactly representable.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// A bit set in the byte of `word` (little-endian) that is a quote, a backslash, below 0x20 or above 0x7f, for
    /// each such byte; zero when there is none. Only the lowest set bit is exact (the bit tricks for "has a zero byte"
    /// and "has a byte less than n" can mark bytes above a true one), which is all `scanString` needs.
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quotes = zeros(word ^ (ones &* 0x22))
        let backslashes = zeros(word ^ (ones &* 0x5C))
        let controls = (word &- ones &* 0x20) & ~word & highs
        return word & highs | quotes | backslashes | controls
    }

    /// Scans a string and hands `body` its bytes; `body` answers whether they are valid UTF-8.
    private mutating func scanString(_ body: (UnsafeBufferPointer<UInt8>, Bool) -> Bool) throws {
        let start = index
        index += 1
        let contentStart = index
        var ascii = true
        // Eight bytes at a time up to the first quote, backslash, control character or non-ASCII byte: string bytes
        // are nearly all plain ASCII, and testing them one at a time was most of reading a response. When that byte is
        // the closing quote, the string is read; otherwise the loop below goes on from it byte by byte.
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let special = Self.specialBytes(UInt64(littleEndian: word))
                guard special != 0 else {
                    index += 8
                    continue
                }
                index += special.trailingZeroBitCount >> 3
                if base[index] == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                    index += 1
                    guard body(slice, true) else {
                        throw fail("invalid UTF-8 in string", at: start)
                    }
                    return
                }
                break
            }
        }
        // Fast path: no escapes, the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                index += 1
                guard body(slice, ascii) else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return
            }
            if byte >= 0x80 {
                ascii = false
            }
            if byte == UInt8(ascii: "\\") {
                break
            }
            if byte < 0x20 {
                throw fail("unescaped control character in string")
            }
            index += 1
        }
        guard index < bytes.count else {
            throw fail("unterminated string", at: start)
        }
        var buffer = Array(bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let valid = buffer.withUnsafeBufferPointer { body($0, false) }
                guard valid else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw fail("unescaped control character in string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string", at: start)
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws {
        let escapeStart = index
        index += 1
        guard index < bytes.count else {
            throw fail("unterminated string")
        }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: escapeStart)
            var scalar = Unicode.Scalar(unit)
            if (0xD800..<0xDC00).contains(unit), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
               bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try parseHex4(escapeStart: save)
                if (0xDC00..<0xE000).contains(low) {
                    scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                } else {
                    index = save
                }
            }
            let resolved = scalar ?? "\u{FFFD}"
            buffer.append(contentsOf: String(Character(resolved)).utf8)
        default:
            throw fail("invalid escape sequence", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws -> UInt16 {
        guard bytes.count - index >= 4 else {
            throw fail("truncated \\u escape", at: escapeStart)
        }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    private mutating func parseNumber() throws -> Value {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative {
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw fail("expected a digit")
        }
        var exact: Int64? = 0
        // Every digit, for the exact conversion below: the significand while it has at most 19 digits.
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                // Accumulate negatively so that Int64.min is reachable.
                if let current = exact {
                    let (shifted, overflow1) = current.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
                    exact = overflow1 || overflow2 ? nil : next
                }
                significand = significand &* 10 &+ UInt64(digit)
                digits += 1
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw fail("expected a digit after the decimal point")
            }
            while index < bytes.count, isDigit(bytes[index]) {
                significand = significand &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw fail("expected a digit in the exponent")
            }
            while index < bytes.count, isDigit(bytes[index]) {
                // Capped: any exponent this large leaves the exact range, and the text goes to the full conversion.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        if isInteger, let magnitude = exact {
            if negative {
                return .int(magnitude)
            }
            if magnitude != Int64.min {
                return .int(-magnitude)
            }
        }
        // Clinger's fast path: a significand below 2^53 and a power of ten up to 10^22 are both exact doubles, so one
        // multiplication or division rounds correctly, to the same double as the full conversion, at a fraction of
        // its cost (timestamps are fractional numbers in every response).
        let scale = exponent - fractionDigits
        if digits <= 19, significand <= 1 << 53, scale >= -22, scale <= 22 {
            let magnitude = scale < 0
                ? Double(significand) / Self.powersOfTen[-scale] : Double(significand) * Self.powersOfTen[scale]
            return .double(negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text) else {
            throw fail("invalid number", at: start)
        }
        return .double(number)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
