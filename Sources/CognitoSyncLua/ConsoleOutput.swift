#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Writes text to the standard streams through C stdio, flushed at once so it interleaves with Lua's own
/// io. A closed pipe (`cogsync-lua script | head`) only loses the text; FileHandle would trap on EPIPE.
public enum ConsoleOutput {
    public static func standardError(_ text: String) {
        fputs(text, stderr)
        fflush(stderr)
    }

    public static func standardOutput(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}
