#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Writes diagnostics to standard error. Unlike `FileHandle.write`, a closed or broken stream never traps:
/// the text is dropped and the endpoint keeps serving.
enum StandardError {
    static func write(_ text: String) {
        fputs(text, stderr)
        fflush(stderr)
    }
}
