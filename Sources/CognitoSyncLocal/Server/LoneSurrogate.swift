import SigV4
/// Finds a `\uD800`-`\uDFFF` escape in JSON text that is not half of a surrogate pair. JSON's grammar allows one, but
/// it is no Unicode character: a parser can only replace it (with U+FFFD), silently changing the value.
struct LoneSurrogate: Equatable {
    /// The escape as written, such as `\ud800`.
    let escape: String
    /// Where the escape starts in the text.
    let offset: Int

    /// The first lone surrogate escape in `text`. A backslash only appears inside strings in valid JSON, so the
    /// escapes can be read without tracking strings; invalid JSON is the parser's to refuse.
    static func first(in text: [UInt8]) -> LoneSurrogate? {
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "\\"), index + 1 < text.count else {
                index += 1
                continue
            }
            guard text[index + 1] == UInt8(ascii: "u"), let unit = Self.unit(in: text, at: index) else {
                index += 2
                continue
            }
            switch unit {
            case 0xD800..<0xDC00:
                if let low = Self.unit(in: text, at: index + 6), (0xDC00..<0xE000).contains(low) {
                    index += 12
                    continue
                }
                return LoneSurrogate(text: text, offset: index)
            case 0xDC00..<0xE000:
                return LoneSurrogate(text: text, offset: index)
            default:
                index += 6
            }
        }
        return nil
    }

    private init(text: [UInt8], offset: Int) {
        escape = String(decoding: text[offset..<offset + 6], as: UTF8.self)
        self.offset = offset
    }

    /// The code unit of the `\uXXXX` escape at `offset`, or nil if there is none there.
    private static func unit(in text: [UInt8], at offset: Int) -> UInt16? {
        guard offset + 6 <= text.count, text[offset] == UInt8(ascii: "\\"), text[offset + 1] == UInt8(ascii: "u")
        else {
            return nil
        }
        var value: UInt16 = 0
        for byte in text[offset + 2..<offset + 6] {
            guard let digit = PercentEncoding.hexValue(byte) else {
                return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
