#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// The bytes of request bodies being buffered at once, across every connection, held under a cap so that many
/// large requests together cannot exhaust the endpoint's memory. Safe to use from any event loop.
final class BodyBudget {
    /// 64 MiB: eight requests of the largest size the endpoint accepts at once, far more than a rehearsal needs.
    static let defaultCapacity = 64 * 1024 * 1024

    let capacity: Int
    private var used = 0
    private let lock = NIOLock()

    init(capacity: Int = BodyBudget.defaultCapacity) {
        self.capacity = capacity
    }

    /// Takes `bytes` from the budget if that many are left.
    func reserve(_ bytes: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard bytes <= capacity - used else {
            return false
        }
        used += bytes
        return true
    }

    /// Gives back bytes taken by `reserve`.
    func release(_ bytes: Int) {
        lock.lock()
        used -= bytes
        lock.unlock()
    }
}
