import Foundation
import XCTest

@testable import CognitoSync

/// One run at a time, joined by the calls that come while it runs, its end told to the calls that asked; runs go
/// when the test says, or on real threads that wait on each other's signals.
final class BackgroundJobTests: XCTestCase {
    private struct Failure: Error, Equatable {
        let run: Int
    }

    private var pending: [() -> Void] = []
    private var runs = 0
    private var kept: [Int] = []

    private func job() -> BackgroundJob {
        BackgroundJob(runInBackground: { [unowned self] in pending.append($0) })
    }

    /// Starts a run (or joins the one under way) that counts itself, keeps its number and fails when `failing`.
    private func start(_ job: BackgroundJob, failing: Bool = false, notify ready: ((Error?) -> Void)? = nil) {
        job.locked {
            job.start(notify: ready, work: { [unowned self] () -> Int in
                runs += 1
                return runs
            }, finish: { [unowned self] run in
                kept.append(run)
                return failing ? Failure(run: run) : nil
            })
        }
    }

    private func runPending() {
        let work = pending
        pending = []
        for run in work { run() }
    }

    func testCallsThatComeWhileARunIsUnderWayJoinIt() {
        let job = job()
        var told: [String] = []
        start(job, notify: { told.append("first \($0 == nil)") })
        start(job, notify: { told.append("second \($0 == nil)") })
        XCTAssertEqual(pending.count, 1, "one run for both calls")
        XCTAssertTrue(job.locked { job.isRunning })
        XCTAssertEqual(runs, 0, "the work runs in the background, not in the call")
        runPending()
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(kept, [1])
        XCTAssertEqual(told, ["first true", "second true"])
        XCTAssertFalse(job.locked { job.isRunning })
    }

    func testOnlyTheCallsThatAskedAreTold() {
        let job = job()
        var told = 0
        start(job)
        start(job, notify: { _ in told += 1 })
        runPending()
        XCTAssertEqual(told, 1)
        start(job)
        runPending()
        XCTAssertEqual(told, 1, "a call is told of the run it joined only")
        XCTAssertEqual(runs, 2)
    }

    func testEveryWaitingCallGetsTheFailureAndTheNextCallStartsAnotherRun() {
        let job = job()
        var errors: [Failure?] = []
        start(job, failing: true, notify: { errors.append($0 as? Failure) })
        start(job, failing: true, notify: { errors.append($0 as? Failure) })
        runPending()
        XCTAssertEqual(errors, [Failure(run: 1), Failure(run: 1)])
        start(job, notify: { errors.append($0 as? Failure) })
        XCTAssertEqual(pending.count, 1, "a failed run does not stop the next")
        runPending()
        XCTAssertEqual(errors, [Failure(run: 1), Failure(run: 1), nil])
    }

    func testWhatARunKeepsIsThereBeforeTheWaitingCallsAreTold() {
        let job = job()
        var seen: [Int] = []
        start(job, notify: { [unowned self] _ in seen = job.locked { kept } })
        runPending()
        XCTAssertEqual(seen, [1])
    }

    func testTheWorkRunsWithoutTheLockAndFinishRunsWithIt() {
        let job = BackgroundJob()
        let tookTheLock = expectation(description: "the work took the lock")
        let ended = expectation(description: "the run ended")
        job.locked {
            job.start(notify: { _ in ended.fulfill() }, work: {
                // Taking the lock here would deadlock if the work ran with it held.
                job.locked { tookTheLock.fulfill() }
            }, finish: { _ in
                XCTAssertTrue(job.isRunning, "finish runs before the run is marked ended")
                return nil
            })
        }
        wait(for: [tookTheLock, ended], timeout: 60, enforceOrder: true)
    }

    func testWaitingForARunOnAnotherThreadThrowsWhatItEndedWith() throws {
        let job = BackgroundJob()
        let waiting = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            // The test thread holds the lock until it waits, which lets this in.
            waiting.wait()
            job.locked {}
            release.signal()
        }
        XCTAssertThrowsError(
            try job.locked {
                job.start(work: { release.wait() }, finish: { Failure(run: 7) })
                waiting.signal()
                try job.waitForRun()
            }
        ) { XCTAssertEqual($0 as? Failure, Failure(run: 7)) }
        XCTAssertFalse(job.locked { job.isRunning })
    }

    func testWaitingForARunThatSucceedsReturns() throws {
        let job = BackgroundJob()
        var value = 0
        try job.locked {
            job.start(work: { 42 }, finish: {
                value = $0
                return nil
            })
            try job.waitForRun()
        }
        XCTAssertEqual(value, 42)
    }
}
