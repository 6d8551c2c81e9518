import XCTest

@testable import CognitoSync

final class EngineTimerQueueTests: XCTestCase {
    func testPopsDueActionsEarliestFirstAndKeepsTheRest() {
        var queue = TimerQueue()
        var fired: [String] = []
        for (deadline, name) in [(5.0, "e"), (1.0, "a"), (3.0, "c"), (2.0, "b"), (4.0, "d")] {
            queue.schedule(at: deadline) { fired.append(name) }
        }
        XCTAssertEqual(queue.nextDeadline, 1)
        for action in queue.popDue(now: 3) { action() }
        XCTAssertEqual(fired, ["a", "b", "c"])
        XCTAssertEqual(queue.nextDeadline, 4)
        XCTAssertTrue(queue.popDue(now: 3.5).isEmpty)
        for action in queue.popDue(now: 10) { action() }
        XCTAssertEqual(fired, ["a", "b", "c", "d", "e"])
        XCTAssertTrue(queue.isEmpty)
        XCTAssertNil(queue.nextDeadline)
    }

    func testTiesKeepInsertionOrder() {
        var queue = TimerQueue()
        var fired: [Int] = []
        for i in 0..<50 { queue.schedule(at: Double(i % 3)) { fired.append(i) } }
        for action in queue.popDue(now: 2) { action() }
        let expected = (0..<3).flatMap { residue in (0..<50).filter { $0 % 3 == residue } }
        XCTAssertEqual(fired, expected)
    }

    func testManyRandomDeadlinesComeOutSorted() {
        var queue = TimerQueue()
        var generator = SystemRandomNumberGenerator()
        var fired: [Double] = []
        for _ in 0..<1000 {
            let deadline = Double.random(in: 0..<100, using: &generator)
            queue.schedule(at: deadline) { fired.append(deadline) }
        }
        var now = 0.0
        while !queue.isEmpty {
            now += 7
            for action in queue.popDue(now: now) { action() }
        }
        XCTAssertEqual(fired.count, 1000)
        XCTAssertEqual(fired, fired.sorted())
    }

    func testEngineRunsScheduledActionsAfterTheirDelay() {
        let engine = RequestEngine()
        var order: [String] = []
        let start = MonotonicClock.now()
        engine.schedule(after: 0.2) { order.append("late") }
        engine.schedule(after: 0.05) { order.append("early") }
        engine.schedule(after: -1) { order.append("now") }
        XCTAssertTrue(engine.hasWork)
        while engine.hasWork { engine.step(maxWait: 1) }
        XCTAssertEqual(order, ["now", "early", "late"])
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - start, 0.2)
        XCTAssertLessThan(MonotonicClock.now() - start, 1.0, "the step waits for the next timer, not maxWait")
    }
}
