import Dispatch

/// Work that runs on a background thread for the calls that need its result: a credential lookup or refresh, which
/// may run a process or wait on an endpoint. The first call that needs it starts a run; calls that come while it
/// runs join it instead of starting another; only the calls that asked to wait are told when it ends, on its thread.
///
/// The job's lock also guards the state its owner keeps the results in, so that a run keeps its result, ends and
/// hands back its waiters in one step: a caller sees either the result or a run it can still join.
final class BackgroundJob {
    /// Runs a piece of work off the caller's thread.
    typealias Runner = (@escaping () -> Void) -> Void

    /// A pooled Dispatch thread: a thread created per run can hang in its exit on Linux.
    static let pooledThread: Runner = { DispatchQueue.global().async(execute: $0) }

    private let condition = Lock()
    private let runInBackground: Runner
    private var running = false
    private var waiters: [(Error?) -> Void] = []
    /// Runs ended so far, and the error the latest one ended with.
    private var runsEnded = 0
    private var lastFailure: Error?

    /// - Parameter runInBackground: runs the work (on a pooled thread unless a test says otherwise).
    init(runInBackground: @escaping Runner = pooledThread) {
        self.runInBackground = runInBackground
    }

    /// Runs `body` with the job's lock held.
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Whether a run is under way. With the lock held.
    var isRunning: Bool { running }

    /// With the lock held: starts a run unless one is under way, and has `ready` (when given) called once the run
    /// under way ends, with the error it ended with. `work` runs on the background thread without the lock;
    /// `finish` runs there with the lock held, keeps what `work` gave and returns the error for the waiting calls,
    /// nil when they can go on.
    func start<Outcome>(
        notify ready: ((Error?) -> Void)? = nil, work: @escaping () -> Outcome,
        finish: @escaping (Outcome) -> Error?
    ) {
        if let ready { waiters.append(ready) }
        guard !running else { return }
        running = true
        runInBackground { [self] in
            let outcome = work()
            condition.lock()
            let failure = finish(outcome)
            lastFailure = failure
            runsEnded += 1
            let ready = waiters
            waiters = []
            running = false
            condition.broadcast()
            condition.unlock()
            for notify in ready { notify(failure) }
        }
    }

    /// With the lock held and a run under way: blocks until that run ends, and throws the error it ended with.
    func waitForRun() throws {
        let awaited = runsEnded + 1
        while runsEnded < awaited { condition.wait() }
        if let lastFailure { throw lastFailure }
    }
}
