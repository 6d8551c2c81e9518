#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SigV4

/// The AWS CLI's IAM Identity Center token cache: `~/.aws/sso/cache/<sha1 hex of the session name, or of the start
/// URL for legacy profiles>.json`, shared with the AWS CLI and botocore.
struct SSOTokenCache {
    let directory: String

    /// A cache file that exists but cannot be used.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The cache under `home`, as botocore finds it through `~`.
    init(home: String) {
        directory = home + "/.aws/sso/cache"
    }

    init(directory: String) {
        self.directory = directory
    }

    /// The file name for a session name or start URL: the lower-case hex SHA-1 of its UTF-8 bytes, plus `.json`.
    static func fileName(for name: String) -> String {
        return Digest.hex(Digest.sha1(Array(name.utf8))) + ".json"
    }

    func path(for name: String) -> String {
        directory + "/" + Self.fileName(for: name)
    }

    /// The cached token, `nil` when there is no file.
    func load(_ name: String) throws -> SSOToken? {
        let file = path(for: name)
        guard FileManager.default.fileExists(atPath: file) else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure(description: "cannot read \(file)")
        }
        do {
            return try SSOToken.parse(Array(data))
        } catch let error as SSOToken.ParseError {
            throw Failure(description: "\(file) \(error)")
        }
    }

    /// Replaces the cached token the way botocore's `JSONFileCache` does: a private temporary file in the same
    /// directory, written and flushed to disk, then renamed over the old file, so a reader sees the old token or the
    /// new one and never a torn file.
    func save(_ token: SSOToken, for name: String) throws {
        let file = path(for: name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(directory)")
        }
        var template = Array((directory + "/tmpXXXXXX.tmp").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard descriptor >= 0 else {
            throw Failure(description: "cannot create a temporary file in \(directory): \(Self.lastError())")
        }
        let temporary = String(cString: template)
        let flushed = writeAll(token.cacheFileContents(), to: descriptor) && fsync(descriptor) == 0
        let writeProblem = flushed ? nil : Self.lastError()
        let closed = close(descriptor) == 0
        guard flushed, closed, rename(temporary, file) == 0 else {
            let reason = writeProblem ?? Self.lastError()
            unlink(temporary)
            throw Failure(description: "cannot write \(file): \(reason)")
        }
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
