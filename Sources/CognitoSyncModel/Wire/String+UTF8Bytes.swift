#if canImport(FoundationEssentials)
import Glibc
#else
import Foundation
#endif

extension String {
    /// Whether the string's UTF-8 is exactly `bytes`: member and label names are matched against request and
    /// response bytes this way many times per call, where comparing through the UTF-8 view cost several times as
    /// much as one `memcmp`.
    @inlinable
    public func utf8Equals(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard utf8.count == bytes.count else { return false }
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return true }
        // Native strings (every string on Linux) lend their bytes without a copy; a bridged one is walked.
        return utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, start, bytes.count) == 0 }
            ?? utf8.elementsEqual(bytes)
    }
}
