import XCTest

@testable import CognitoSyncLocal

final class TokenBucketTests: XCTestCase {
    private let millisecond: UInt64 = 1_000_000

    func testStartsFullAndEachTakeCostsOneToken() {
        var bucket = TokenBucket(rate: 20, capacity: 2, now: 0)
        XCTAssertTrue(bucket.hasToken)
        bucket.take()
        XCTAssertTrue(bucket.hasToken)
        bucket.take()
        XCTAssertFalse(bucket.hasToken)
    }

    func testRefillsAtTheRate() {
        var bucket = TokenBucket(rate: 20, capacity: 2, now: 0)
        bucket.take()
        bucket.take()
        bucket.refill(at: 49 * millisecond)
        XCTAssertFalse(bucket.hasToken)
        bucket.refill(at: 50 * millisecond)
        XCTAssertTrue(bucket.hasToken)
        XCTAssertEqual(bucket.tokens, 1, accuracy: 1e-9)
    }

    func testRefillStopsAtTheCapacity() {
        var bucket = TokenBucket(rate: 20, capacity: 2, now: 0)
        bucket.take()
        bucket.refill(at: 3_600_000 * millisecond)
        XCTAssertEqual(bucket.tokens, 2)
    }

    func testAnOlderClockReadingAddsNothing() {
        var bucket = TokenBucket(rate: 1, capacity: 1, now: 1000 * millisecond)
        bucket.take()
        bucket.refill(at: 0)
        XCTAssertEqual(bucket.tokens, 0)
        bucket.refill(at: 1500 * millisecond)
        XCTAssertEqual(bucket.tokens, 0.5, accuracy: 1e-9)
    }
}
