import XCTest

@testable import CognitoSync

final class RetryQuotaTests: XCTestCase {
    func testStartsFullAndRetriesCostFiveOrTenAfterATimeout() {
        var quota = RetryQuota()
        XCTAssertEqual(quota.available, 500)
        XCTAssertEqual(quota.acquire(timedOut: false), 5)
        XCTAssertEqual(quota.available, 495)
        XCTAssertEqual(quota.acquire(timedOut: true), 10)
        XCTAssertEqual(quota.available, 485)
    }

    func testAnEmptyBucketRefusesRetriesUntilSuccessesRefillIt() {
        var quota = RetryQuota()
        var granted = 0
        while quota.acquire(timedOut: false) != nil { granted += 1 }
        XCTAssertEqual(granted, 100, "500 tokens pay for 100 retries")
        XCTAssertEqual(quota.available, 0)
        XCTAssertNil(quota.acquire(timedOut: true))
        for _ in 0..<4 { quota.release(lastRetryCost: nil) }
        XCTAssertNil(quota.acquire(timedOut: false), "four clean successes give back four tokens, not enough")
        quota.release(lastRetryCost: nil)
        XCTAssertEqual(quota.acquire(timedOut: false), 5)
    }

    func testASuccessAfterARetryReturnsWhatTheRetryTook() {
        var quota = RetryQuota()
        let cost = quota.acquire(timedOut: true)
        XCTAssertEqual(quota.available, 490)
        quota.release(lastRetryCost: cost)
        XCTAssertEqual(quota.available, 500)
    }

    func testRefundsNeverExceedTheCapacity() {
        var quota = RetryQuota()
        for _ in 0..<50 { quota.release(lastRetryCost: 10) }
        XCTAssertEqual(quota.available, RetryQuota.capacity)
    }
}
