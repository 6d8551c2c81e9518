#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Calls parked while their credentials are looked up or refreshed, handed back to the engine's thread by the
/// thread that got them: each with the error that lookup failed with, or nil when it can be signed now.
final class CredentialsMailbox {
    private let lock = Lock()
    private var delivered: [(PendingCall, Error?)] = []

    /// From the lookup's thread; the engine's thread must be woken after it.
    func post(_ call: PendingCall, _ error: Error?) {
        lock.lock()
        delivered.append((call, error))
        lock.unlock()
    }

    /// What was posted since the last call; on the engine's thread.
    func take() -> [(PendingCall, Error?)] {
        lock.lock()
        defer { lock.unlock() }
        guard !delivered.isEmpty else { return [] }
        let taken = delivered
        delivered = []
        return taken
    }
}
