import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class RetryPolicyTests: XCTestCase {
    private let throttled = ServiceError(code: "TooManyRequestsException", message: "Rate exceeded", statusCode: 429,
                                         retryable: true)
    private let conflict = ServiceError(code: "ResourceConflictException", message: "stale", statusCode: 409)

    private func delay(_ policy: RetryPolicy, _ retryCount: Int, _ error: ServiceError? = nil,
                       retryAfter: Double? = nil, random: Double = 1) -> Double? {
        policy.delay(retryCount: retryCount, error: error ?? throttled, operation: "UpdateRecords",
                     retryAfter: retryAfter, random: { random })
    }

    func testDefaultsMatchTheDesign() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.maxRetries, 3)
        XCTAssertEqual(policy.base, 0.1)
        XCTAssertEqual(policy.cap, 20)
    }

    func testFullJitterDoublesFromBaseUpToTheCap() throws {
        var policy = RetryPolicy()
        policy.maxRetries = 20
        policy.base = 0.1
        // With the random draw at its upper end the delay is the whole window: base * 2^retryCount.
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, random: 1)), 0.1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 1, random: 1)), 0.2, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 4, random: 1)), 1.6, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 10, random: 1)), 20, accuracy: 1e-9, "capped at 20 s")
        XCTAssertEqual(try XCTUnwrap(delay(policy, 19, random: 1)), 20, accuracy: 1e-9)
        // The draw scales the window (full jitter), and a zero draw retries at once.
        XCTAssertEqual(try XCTUnwrap(delay(policy, 3, random: 0.25)), 0.2, accuracy: 1e-9)
        XCTAssertEqual(delay(policy, 2, random: 0), 0)
    }

    func testRealJitterStaysInsideTheWindow() {
        let policy = RetryPolicy()
        for retryCount in 0..<3 {
            let window = 0.1 * Double(1 << retryCount)
            let delays = (0..<200).compactMap {
                _ in policy.delay(retryCount: retryCount, error: throttled, operation: "X", retryAfter: nil)
            }
            XCTAssertEqual(delays.count, 200)
            XCTAssertTrue(delays.allSatisfy { $0 >= 0 && $0 < window })
            XCTAssertGreaterThan(Set(delays).count, 150, "the delays are random")
        }
    }

    func testBaseScalesTheWindow() throws {
        var policy = RetryPolicy()
        policy.base = 0.5
        XCTAssertEqual(try XCTUnwrap(delay(policy, 2, random: 1)), 2.0, accuracy: 1e-9)
    }

    func testMaxRetriesStopsRetrying() {
        var policy = RetryPolicy()
        policy.maxRetries = 2
        XCTAssertNotNil(delay(policy, 0))
        XCTAssertNotNil(delay(policy, 1))
        XCTAssertNil(delay(policy, 2))
        policy.maxRetries = 0
        XCTAssertNil(delay(policy, 0))
    }

    func testErrorsThatAreNotRetryableAreFinal() {
        let policy = RetryPolicy()
        XCTAssertNil(delay(policy, 0, conflict))
        XCTAssertNil(delay(policy, 0, ServiceError(code: "InvalidParameterException", message: "", statusCode: 400)))
    }

    func testCustomBackoffGetsTheRetryCountErrorAndOperation() throws {
        var policy = RetryPolicy()
        var seen: [(Int, String, String)] = []
        policy.customBackoff = { count, error, operation in
            seen.append((count, error.code, operation))
            return Double(250 * (count + 1))
        }
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0)), 0.25, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 2)), 0.75, accuracy: 1e-9)
        XCTAssertEqual(seen.map(\.0), [0, 2])
        XCTAssertEqual(seen.map(\.1), ["TooManyRequestsException", "TooManyRequestsException"])
        XCTAssertEqual(seen.map(\.2), ["UpdateRecords", "UpdateRecords"])
        XCTAssertNil(delay(policy, 3), "maxRetries still applies")
        XCTAssertNil(delay(policy, 0, conflict), "not consulted for an error that cannot be retried")
        XCTAssertEqual(seen.count, 2)
    }

    func testCustomBackoffStopsOnNegativeNilOrNonFinite() {
        var policy = RetryPolicy()
        for answer: Double? in [-1, nil, .nan, .infinity] {
            policy.customBackoff = { _, _, _ in answer }
            XCTAssertNil(delay(policy, 0), "\(String(describing: answer))")
        }
        policy.customBackoff = { _, _, _ in 0 }
        XCTAssertEqual(delay(policy, 0), 0)
    }

    func testRetryAfterIsAFloorCappedAtTheCap() throws {
        let policy = RetryPolicy()
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, retryAfter: 3, random: 0.5)), 3, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, retryAfter: 0, random: 0.5)), 0.05, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, retryAfter: 3600, random: 0.5)), 20, accuracy: 1e-9)
        var custom = policy
        custom.customBackoff = { _, _, _ in 100 }
        XCTAssertEqual(try XCTUnwrap(delay(custom, 0, retryAfter: 2)), 2, accuracy: 1e-9)
        XCTAssertNil(delay(policy, 0, conflict, retryAfter: 1), "Retry-After does not make an error retryable")
    }
}
