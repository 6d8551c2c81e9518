import CCurl
import CCurlShims
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import Dispatch

/// Lets threads other than the transport's send requests over it: credential sources fetch on background threads
/// while the engine's thread drives the one curl multi handle, so they share its connection cache and settings and
/// there is one HTTP stack. The caller's thread waits for the answer; the engine's thread never does.
public final class TransportInbox {
    /// A request handed over and the code that takes its outcome on the transport's thread.
    struct Handoff {
        let request: WireRequest
        let options: TransportOptions
        let completion: (WireOutcome) -> Void
    }

    private let lock = Lock()
    private var pending: [Handoff] = []
    /// What the transport waits on, to wake it; nil once the transport is gone (or when it has none).
    private var events: OpaquePointer?
    /// False once the transport is gone.
    private var open = true
    private let owner: pthread_t

    /// The outcome of a request that arrived after the transport closed.
    static let closedFailure = TransportFailure(kind: .connection, message: "the client has shut down")

    init(events: OpaquePointer?) {
        self.events = events
        owner = pthread_self()
    }

    /// Sends `request` on the transport's next `perform` and waits for its outcome. Called on the transport's own
    /// thread it fails at once: waiting there would wait for itself.
    public func exchange(_ request: WireRequest, options: TransportOptions) -> WireOutcome {
        if pthread_equal(pthread_self(), owner) != 0 {
            return .failure(TransportFailure(
                kind: .request, message: "a blocking request was made on the thread that drives the transport"))
        }
        let answered = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        lock.lock()
        guard open else {
            lock.unlock()
            return .failure(Self.closedFailure)
        }
        pending.append(Handoff(request: request, options: options) { outcome in
            box.outcome = outcome
            answered.signal()
        })
        if let events { cogsync_curl_events_wakeup(events) }
        lock.unlock()
        answered.wait()
        return box.outcome ?? .failure(Self.closedFailure)
    }

    /// Wakes the transport's `perform` from any thread, so its owner looks at what another thread finished.
    public func wakeUp() {
        lock.lock()
        defer { lock.unlock() }
        if let events { cogsync_curl_events_wakeup(events) }
    }

    /// The requests handed over since the last call; on the transport's thread.
    func take() -> [Handoff] {
        lock.lock()
        defer { lock.unlock() }
        guard !pending.isEmpty else { return [] }
        let taken = pending
        pending = []
        return taken
    }

    /// Refuses later requests and gives back those not yet taken, before the multi handle is freed.
    func close() -> [Handoff] {
        lock.lock()
        defer { lock.unlock() }
        open = false
        events = nil
        let left = pending
        pending = []
        return left
    }

    /// Written on the transport's thread before the semaphore is signalled, read after the wait.
    private final class OutcomeBox {
        var outcome: WireOutcome?
    }
}
