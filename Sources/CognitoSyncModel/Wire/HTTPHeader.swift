/// Header lookup for the header lists requests and responses carry as `(name, value)` pairs.
public enum HTTPHeader {
    /// The value of the first header called `name`, compared without regard to ASCII case (header names are
    /// ASCII tokens); nil when there is none.
    public static func value(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { namesEqual($0.0, name) }?.1
    }

    /// ASCII case-insensitive equality without building lower-cased copies: this runs for every response.
    public static func namesEqual(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Compared on their bytes: walking two UTF-8 views in step cost several times as much.
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for index in 0..<x.count where !byteEqualIgnoringCase(x[index], y[index]) { return false }
                return true
            }
        }
    }

    private static func byteEqualIgnoringCase(_ x: UInt8, _ y: UInt8) -> Bool {
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
    }
}
