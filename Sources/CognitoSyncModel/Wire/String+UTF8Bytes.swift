#if canImport(FoundationEssentials)
import Glibc
#else
import Foundation
#endif

extension String {
    /// Whether the string's UTF-8 is exactly `bytes`: member and label names are matched against request and
    /// response bytes this way many times per call, where comparing through the UTF-8 view cost several times as
    /// much as one `memcmp`.
    public func utf8Equals(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard utf8.count == bytes.count else { return false }
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return true }
        var text = self
        return text.withUTF8 { memcmp($0.baseAddress!, start, bytes.count) == 0 }
    }
}
