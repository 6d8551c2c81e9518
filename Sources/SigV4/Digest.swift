import CCryptoShims

/// SHA-256 and HMAC-SHA256 from libcrypto.
public enum Digest {
    /// The lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(sha256(bytes))
    }

    /// The lower-case hex SHA-256 of the UTF-8 bytes of `s`.
    public static func sha256Hex(_ s: String) -> String {
        sha256Hex(Array(s.utf8))
    }

    /// The raw SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            bytes.withUnsafeBufferPointer { cogsync_sha256($0.baseAddress, $0.count, output.baseAddress) }
            count = 32
        }
    }

    /// The raw SHA-1 of `bytes` (the AWS CLI names its SSO token cache files by it).
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { output, count in
            bytes.withUnsafeBufferPointer { cogsync_sha1($0.baseAddress, $0.count, output.baseAddress) }
            count = 20
        }
    }

    /// The raw HMAC-SHA256 of `data` under `key`.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            key.withUnsafeBufferPointer { keyBuffer in
                data.withUnsafeBufferPointer { dataBuffer in
                    cogsync_hmac_sha256(keyBuffer.baseAddress, Int32(keyBuffer.count), dataBuffer.baseAddress,
                                        dataBuffer.count, output.baseAddress)
                }
            }
            count = 32
        }
    }

    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var chars = [UInt8]()
        chars.reserveCapacity(bytes.count * 2)
        appendHex(bytes, to: &chars)
        return String(decoding: chars, as: UTF8.self)
    }

    /// Appends the lower-case hex of `bytes` to `out`.
    public static func appendHex(_ bytes: [UInt8], to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        for byte in bytes {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0f)])
        }
    }

    /// Whether two byte strings are equal, taking the same time wherever they differ.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else {
            return false
        }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                cogsync_crypto_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
