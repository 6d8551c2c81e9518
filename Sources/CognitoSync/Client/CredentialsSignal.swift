import Foundation

/// Tells the engine's thread that a credential refresh ended: set from the refresh's thread, taken by the
/// engine, which may also sleep on it when it has nothing in flight to poll.
final class CredentialsSignal {
    private let condition = NSCondition()
    private var raised = false

    func set() {
        condition.lock()
        raised = true
        condition.signal()
        condition.unlock()
    }

    /// Clears the signal; true when it was set.
    func take() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let was = raised
        raised = false
        return was
    }

    /// Sleeps until the signal is set or `seconds` pass.
    func wait(upTo seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        if !raised && seconds > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
    }
}
