#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CognitoSyncModel

/// An exclusive lock on a data file, held from start-up until `release()` or the end of the process, so that two
/// endpoints never write one file over each other. It is a `flock` on the sidecar `FILE.lock`, which holds the
/// owner's process id for the message a second process gives; SQLite's own byte-range locks on the database are
/// left alone.
final class DataFileLock {
    private var descriptor: Int32

    /// Takes the lock, or throws `DataFileError.inUse` naming the process that holds it.
    init(dataFile path: String) throws {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataFileError.cannotLock(path: lockPath, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            defer { close(fd) }
            if failure == EWOULDBLOCK {
                throw DataFileError.inUse(path: path, pid: Self.owner(fd))
            }
            throw DataFileError.cannotLock(path: lockPath, reason: String(cString: strerror(failure)))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit {
        release()
    }

    /// Gives the lock up; calling it again does nothing.
    func release() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    /// The process id the holder wrote, if it can be read.
    private static func owner(_ fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else {
            return nil
        }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingWhitespacesAndNewlines())
    }
}
