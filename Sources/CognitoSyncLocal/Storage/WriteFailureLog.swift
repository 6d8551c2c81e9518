#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Reports failed writes to the data file on standard error, once per kind (SQLite's primary result code): a full
/// disk fails every write, and one line says why without flooding the log. The client only sees a 500.
final class WriteFailureLog {
    private let path: String
    private var reported: Set<Int32> = []
    private let lock = NIOLock()

    init(path: String) {
        self.path = path
    }

    func report(_ error: Error) {
        let kind = (error as? SQLiteError).map { $0.code & 0xFF } ?? -1
        lock.lock()
        let isNew = reported.insert(kind).inserted
        lock.unlock()
        guard isNew else {
            return
        }
        fputs(
            "cogsync-local: cannot write to the data file \(path): \(error); the request was answered 500 "
                + "InternalErrorException and nothing was applied (further failures of this kind are not reported)\n",
            stderr)
        fflush(stderr)
    }
}
