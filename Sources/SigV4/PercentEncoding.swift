/// RFC 3986 percent-encoding as SigV4 and the AWS rest protocols use it.
public enum PercentEncoding {
    /// Encodes the UTF-8 bytes of `text`, keeping only `A-Z a-z 0-9 - . _ ~` (and `/` when `keepingSlash`).
    /// Escapes use upper-case hex.
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var text = text
        return text.withUTF8 { encode($0, keepingSlash: keepingSlash) }
    }

    /// Encodes raw bytes like `encode(_:keepingSlash:)`.
    public static func encode(bytes: [UInt8], keepingSlash: Bool = false) -> String {
        bytes.withUnsafeBufferPointer { encode($0, keepingSlash: keepingSlash) }
    }

    /// For each byte, 1 when it must be escaped; the second table keeps `/`. Looked up rather than tested: every
    /// URI label and path byte of every request passes here (twice for the path, which is signed encoded again).
    private static let escapes: [UInt8] = (0...255).map { isUnreserved(UInt8($0)) ? 0 : 1 }
    private static let escapesKeepingSlash: [UInt8] = (0...255).map {
        isUnreserved(UInt8($0)) || $0 == Int(UInt8(ascii: "/")) ? 0 : 1
    }

    private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, keepingSlash: Bool) -> String {
        (keepingSlash ? escapesKeepingSlash : escapes).withUnsafeBufferPointer { table in
            var escaped = 0
            for byte in bytes { escaped &+= Int(table[Int(byte)]) }
            // The usual label or path needs no escape at all, or a few: one exact allocation either way.
            return String(unsafeUninitializedCapacity: bytes.count + 2 * escaped) { out in
                guard escaped > 0 else {
                    _ = out.initialize(fromContentsOf: bytes)
                    return bytes.count
                }
                var position = 0
                for byte in bytes {
                    if table[Int(byte)] == 0 {
                        out[position] = byte
                        position += 1
                    } else {
                        out[position] = UInt8(ascii: "%")
                        out[position + 1] = hexDigit(byte >> 4)
                        out[position + 2] = hexDigit(byte & 0x0f)
                        position += 3
                    }
                }
                return position
            }
        }
    }

    /// The upper-case hex digit of a value below 16.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") - 10 + value
    }

    /// Decodes `%XX` escapes into bytes. A `%` not followed by two hex digits is kept as it is, and `+` stays `+`.
    public static func decodeBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// Decodes `%XX` escapes like `decodeBytes(_:)`; `nil` when the result is not valid UTF-8.
    public static func decode(_ text: String) -> String? {
        String(validating: decodeBytes(text), as: UTF8.self)
    }

    /// Splits a raw query string (without `?`) into its `name=value` pairs, still encoded, in order.
    /// Empty pieces (`a=1&&b=2`) are skipped; a piece without `=` has an empty value.
    public static func splitQuery(_ rawQuery: String) -> [(name: String, value: String)] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { piece in
            if let equals = piece.firstIndex(of: "=") {
                return (String(piece[..<equals]), String(piece[piece.index(after: equals)...]))
            }
            return (String(piece), "")
        }
    }

    /// Splits and decodes a raw query string into `name=value` pairs, in order. Invalid UTF-8 is replaced.
    public static func decodeQuery(_ rawQuery: String) -> [(String, String)] {
        splitQuery(rawQuery).map { pair in
            (
                String(decoding: decodeBytes(pair.name), as: UTF8.self),
                String(decoding: decodeBytes(pair.value), as: UTF8.self)
            )
        }
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The value of one ASCII hex digit, either case; nil for any other byte.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
