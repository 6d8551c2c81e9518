import Foundation

/// Writes text straight to a standard stream (unbuffered, so it interleaves correctly with Lua's io).
enum FileHandleWriter {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
