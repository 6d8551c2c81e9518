import XCTest

@testable import CognitoSync

final class RetryQuotaTests: XCTestCase {
    func testStartsFullAndRetriesCostFiveAfterAThrottleAndFourteenOtherwise() {
        var quota = RetryQuota()
        XCTAssertEqual(quota.available, 500)
        XCTAssertEqual(quota.acquire(throttling: true, now: 0), 5)
        XCTAssertEqual(quota.available, 495)
        XCTAssertEqual(quota.acquire(throttling: false, now: 0), 14)
        XCTAssertEqual(quota.available, 481)
    }

    func testAnEmptyBucketRefusesRetriesUntilSuccessesRefillIt() {
        var quota = RetryQuota()
        var granted = 0
        while quota.acquire(throttling: true, now: 0) != nil { granted += 1 }
        XCTAssertEqual(granted, 100, "500 tokens pay for 100 throttling retries")
        XCTAssertEqual(quota.available, 0)
        XCTAssertEqual(quota.exhaustions, 1)
        XCTAssertNil(quota.acquire(throttling: false, now: 0))
        for _ in 0..<4 { quota.release(lastRetryCost: nil) }
        XCTAssertNil(quota.acquire(throttling: true, now: 0), "four clean successes give back four tokens, not enough")
        quota.release(lastRetryCost: nil)
        XCTAssertEqual(quota.acquire(throttling: true, now: 0), 5)
        XCTAssertEqual(quota.exhaustions, 3)
    }

    func testASuccessAfterARetryReturnsWhatTheRetryTook() {
        var quota = RetryQuota()
        let cost = quota.acquire(throttling: false, now: 0)
        XCTAssertEqual(quota.available, 486)
        quota.release(lastRetryCost: cost)
        XCTAssertEqual(quota.available, 500)
    }

    func testRefundsNeverExceedTheCapacity() {
        var quota = RetryQuota()
        for _ in 0..<50 { quota.release(lastRetryCost: 14) }
        XCTAssertEqual(quota.available, RetryQuota.capacity)
    }

    func testTheExhaustionTextCountsWhatDrainedTheQuotaSinceItWasFull() {
        var quota = RetryQuota()
        for i in 0..<30 { _ = quota.acquire(throttling: true, now: 10 + Double(i) * 0.1) }
        while quota.acquire(throttling: false, now: 14) != nil {}
        XCTAssertEqual(quota.exhaustionText(now: 14.25), "retry quota exhausted after 30 throttles and 25 other failures in 4.3 s")
        // Once full again, the count starts over.
        for _ in 0..<500 { quota.release(lastRetryCost: nil) }
        _ = quota.acquire(throttling: true, now: 20)
        XCTAssertEqual(quota.exhaustionText(now: 20.5), "retry quota exhausted after 1 throttle in 0.5 s")
    }
}
