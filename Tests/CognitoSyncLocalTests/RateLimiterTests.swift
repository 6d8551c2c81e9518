import XCTest

@testable import CognitoSyncLocal

final class RateLimiterTests: XCTestCase {
    private let millisecond: UInt64 = 1_000_000
    /// The injected monotonic clock, in nanoseconds.
    private var time: UInt64 = 0

    private func limiter(_ limits: String...) throws -> RateLimiter {
        RateLimiter(limits: try limits.map { try RateLimitSpec(parsing: $0) }) { [unowned self] in self.time }
    }

    /// How many of `count` requests at the current time are admitted.
    private func admitted(
        _ limiter: RateLimiter, _ count: Int, key: String? = "AKID", operation: EndpointOperation? = .sync(.listRecords)
    ) -> Int {
        (0..<count).filter { _ in limiter.admit(accessKey: key, operation: operation) }.count
    }

    func testWithoutLimitsEverythingIsAdmitted() throws {
        XCTAssertEqual(admitted(try limiter(), 1000), 1000)
    }

    func testABurstThenOneRequestPerRefilledToken() throws {
        let limiter = try limiter("50")
        XCTAssertEqual(admitted(limiter, 10), 5)
        time += 20 * millisecond
        XCTAssertEqual(admitted(limiter, 10), 1)
        time += 19 * millisecond
        XCTAssertEqual(admitted(limiter, 10), 0)
        time += 1 * millisecond
        XCTAssertEqual(admitted(limiter, 10), 1)
    }

    func testAPauseRefillsNoMoreThanTheBurst() throws {
        let limiter = try limiter("50")
        XCTAssertEqual(admitted(limiter, 10), 5)
        time += 60_000 * millisecond
        XCTAssertEqual(admitted(limiter, 10), 5)
    }

    func testOverTimeTheAdmittedCountFollowsTheRate() throws {
        let limiter = try limiter("50")
        var total = 0
        for _ in 0..<1000 {
            total += admitted(limiter, 3)
            time += 1 * millisecond
        }
        // One second at 50 per second, plus the burst the bucket started with.
        XCTAssertEqual(Double(total), 5 + 50, accuracy: 1)
    }

    func testEachAccessKeyHasItsOwnBucket() throws {
        let limiter = try limiter("0.001")
        XCTAssertEqual(admitted(limiter, 3, key: "AKIDA"), 1)
        XCTAssertEqual(admitted(limiter, 3, key: "AKIDB"), 1)
        XCTAssertEqual(admitted(limiter, 3, key: nil), 1)
        XCTAssertEqual(admitted(limiter, 3, key: "AKIDA"), 0)
        XCTAssertEqual(admitted(limiter, 3, key: nil), 0)
    }

    func testAnOperationLimitCountsOnlyThatOperation() throws {
        let limiter = try limiter("UpdateRecords=0.001")
        XCTAssertEqual(admitted(limiter, 3, operation: .sync(.updateRecords)), 1)
        XCTAssertEqual(admitted(limiter, 100, operation: .sync(.listRecords)), 100)
        XCTAssertEqual(admitted(limiter, 100, operation: nil), 100)
        XCTAssertEqual(admitted(limiter, 3, key: "AKIDB", operation: .sync(.updateRecords)), 1)
    }

    func testARequestMustPassItsOperationsBucketAndTheGlobalOne() throws {
        let limiter = try limiter("20", "UpdateRecords=0.001")
        // UpdateRecords takes one of the two global tokens and its own only one.
        XCTAssertEqual(admitted(limiter, 3, operation: .sync(.updateRecords)), 1)
        XCTAssertEqual(admitted(limiter, 3, operation: .sync(.listRecords)), 1)
        XCTAssertEqual(admitted(limiter, 3, operation: nil), 0)
    }

    func testARequestTheOperationRefusesTakesNoGlobalToken() throws {
        let limiter = try limiter("20", "UpdateRecords=0.001")
        XCTAssertEqual(admitted(limiter, 1, operation: .sync(.updateRecords)), 1)
        XCTAssertEqual(admitted(limiter, 50, operation: .sync(.updateRecords)), 0)
        XCTAssertEqual(admitted(limiter, 3, operation: .sync(.listRecords)), 1)
    }

    func testARequestTheGlobalLimitRefusesTakesNoOperationToken() throws {
        let limiter = try limiter("10", "UpdateRecords=0.001")
        XCTAssertEqual(admitted(limiter, 1, operation: .sync(.listRecords)), 1)
        XCTAssertEqual(admitted(limiter, 50, operation: .sync(.updateRecords)), 0)
        time += 100 * millisecond
        // The global bucket has refilled; UpdateRecords still has the token it started with.
        XCTAssertEqual(admitted(limiter, 3, operation: .sync(.updateRecords)), 1)
    }

    func testALaterLimitForTheSameScopeReplacesAnEarlierOne() throws {
        let limiter = try limiter("0.001", "UpdateRecords=0.001", "100", "UpdateRecords=1000")
        XCTAssertEqual(admitted(limiter, 20, operation: .sync(.listRecords)), 10)
        time += 1000 * millisecond
        XCTAssertEqual(admitted(limiter, 20, operation: .sync(.updateRecords)), 10)
    }

    func testConcurrentCallersShareTheBucketsSafely() throws {
        let limiter = try limiter("0.001")
        let lock = NSLock()
        var total = 0
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let count = (0..<1000).filter { index in
                limiter.admit(accessKey: "AKID\(index % 4)", operation: .sync(.listRecords))
            }.count
            lock.lock()
            total += count
            lock.unlock()
        }
        XCTAssertEqual(total, 4)
    }
}
