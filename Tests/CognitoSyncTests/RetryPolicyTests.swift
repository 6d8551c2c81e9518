import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class RetryPolicyTests: XCTestCase {
    private let throttled = ServiceError(code: "TooManyRequestsException", message: "Rate exceeded", statusCode: 429,
                                         retryable: true)
    private let internalError = ServiceError(code: "InternalErrorException", message: "oops", statusCode: 500,
                                             retryable: true)
    private let conflict = ServiceError(code: "ResourceConflictException", message: "stale", statusCode: 409)

    /// The policy's delay; a refused customBackoff answer fails the test (those are checked on their own).
    private func delay(_ policy: RetryPolicy, _ retryCount: Int, _ error: ServiceError? = nil,
                       hint: RetryPolicy.ServerHint = .init(), random: Double = 1) -> Double? {
        do {
            return try policy.delay(retryCount: retryCount, error: error ?? throttled, operation: "UpdateRecords",
                                    hint: hint, random: { random })
        } catch {
            XCTFail("unexpected refusal: \(error)")
            return nil
        }
    }

    func testDefaultsAreTheSDKsStandardMode() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.maxRetries, 2, "three attempts")
        XCTAssertNil(policy.base)
        XCTAssertEqual(policy.cap, 20)
        XCTAssertEqual(policy.base(for: throttled), 1.0, "throttling base 1 s")
        XCTAssertEqual(policy.base(for: internalError), 0.05, "transient base 50 ms")
        XCTAssertEqual(ClientOptions().retryMode, .batch, "batch is this tool's default")
    }

    func testThrottlesAndTransientErrorsBackOffFromTheirOwnBase() throws {
        var policy = RetryPolicy()
        policy.maxRetries = 20
        // With the random draw at its upper end the delay is the whole window: base * 2^retryCount.
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0)), 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 1)), 2, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 4)), 16, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 5)), 20, accuracy: 1e-9, "capped at 20 s")
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, internalError)), 0.05, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 3, internalError)), 0.4, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 9, internalError)), 20, accuracy: 1e-9)
        let lambdaThrottled = ServiceError(code: "LambdaThrottledException", message: "", statusCode: 429,
                                           retryable: true)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, lambdaThrottled)), 1, accuracy: 1e-9)
        let bare429 = ServiceError(code: "Http429", message: "", statusCode: 429, retryable: true)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, bare429)), 1, accuracy: 1e-9, "429 alone is throttling")
        // The draw scales the window (full jitter), and a zero draw retries at once.
        XCTAssertEqual(try XCTUnwrap(delay(policy, 3, random: 0.25)), 2, accuracy: 1e-9)
        XCTAssertEqual(delay(policy, 2, random: 0), 0)
    }

    func testRealJitterStaysInsideTheWindow() {
        let policy = RetryPolicy()
        for retryCount in 0..<2 {
            let window = 0.05 * Double(1 << retryCount)
            let delays = (0..<200).compactMap {
                _ in try? policy.delay(retryCount: retryCount, error: internalError, operation: "X")
            }
            XCTAssertEqual(delays.count, 200)
            XCTAssertTrue(delays.allSatisfy { $0 >= 0 && $0 < window })
            XCTAssertGreaterThan(Set(delays).count, 150, "the delays are random")
        }
    }

    func testBaseOptionReplacesBothClassBases() throws {
        var policy = RetryPolicy()
        policy.base = 0.5
        XCTAssertEqual(try XCTUnwrap(delay(policy, 1)), 1.0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 1, internalError)), 1.0, accuracy: 1e-9)
    }

    func testMaxRetriesStopsRetrying() {
        var policy = RetryPolicy()
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

    func testThrottlingIsRecognisedByCodeAndBy429() {
        for code in ["TooManyRequestsException", "ThrottlingException", "Throttling", "RequestLimitExceeded",
                     "SlowDown", "LambdaThrottledException", "RequestThrottledException"] {
            XCTAssertTrue(ServiceError(code: code, message: "", statusCode: 400).isThrottling, code)
        }
        XCTAssertTrue(ServiceError(code: "Http429", message: "", statusCode: 429).isThrottling)
        XCTAssertFalse(ServiceError(code: "LimitExceededException", message: "", statusCode: 400).isThrottling)
        XCTAssertFalse(internalError.isThrottling)
    }

    func testCustomBackoffGetsTheRetryCountErrorAndOperation() throws {
        var policy = RetryPolicy()
        policy.maxRetries = 3
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

    func testCustomBackoffNilStopsRetryingAndHugeWaitsAreCapped() {
        var policy = RetryPolicy()
        policy.customBackoff = { _, _, _ in nil }
        XCTAssertNil(delay(policy, 0))
        for answer in [1e9, .infinity] {
            policy.customBackoff = { _, _, _ in answer }
            XCTAssertEqual(delay(policy, 0), 20, "\(answer) ms waits the cap")
        }
        policy.customBackoff = { _, _, _ in 0 }
        XCTAssertEqual(delay(policy, 0), 0)
    }

    func testCustomBackoffNegativeOrNaNFailsTheCallSayingWhatItReturned() {
        var policy = RetryPolicy()
        for (answer, shown) in [(-1.0, "returned -1;"), (-0.5, "returned -0.5;"), (.nan, "returned nan;")] {
            policy.customBackoff = { _, _, _ in answer }
            XCTAssertThrowsError(try policy.delay(retryCount: 0, error: throttled, operation: "X")) { error in
                let refusal = error as? ServiceError
                XCTAssertEqual(refusal?.code, "InvalidParameter")
                XCTAssertEqual(refusal?.retryable, false)
                XCTAssertTrue(refusal?.message.hasPrefix("retryDelayOptions.customBackoff " + shown) ?? false,
                              refusal?.message ?? "")
                XCTAssertTrue(refusal?.message.hasSuffix("(while retrying TooManyRequestsException: Rate exceeded)")
                              ?? false, refusal?.message ?? "")
            }
        }
    }

    func testRetryAfterIsAFloorCappedAtTheCap() throws {
        let policy = RetryPolicy()
        let hint = { (seconds: Double) in RetryPolicy.ServerHint(retryAfter: seconds) }
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, hint: hint(3), random: 0.5)), 3, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, hint: hint(0), random: 0.5)), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, hint: hint(3600), random: 0.5)), 20, accuracy: 1e-9)
        var custom = policy
        custom.customBackoff = { _, _, _ in 100 }
        XCTAssertEqual(try XCTUnwrap(delay(custom, 0, hint: hint(2))), 2, accuracy: 1e-9)
        XCTAssertNil(delay(policy, 0, conflict, hint: hint(1)), "Retry-After does not make an error retryable")
    }

    func testAmzRetryAfterIsHonouredUpToFiveSecondsPastTheBackoff() throws {
        let policy = RetryPolicy()
        let hint = { (seconds: Double) in RetryPolicy.ServerHint(amzRetryAfter: seconds) }
        // botocore: max(t, min(retry_after, t + 5)).
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, internalError, hint: hint(2), random: 0.5)), 2, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, internalError, hint: hint(60), random: 0.5)), 5.025,
                       accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(delay(policy, 0, hint: hint(0.1), random: 0.5)), 0.5, accuracy: 1e-9)
        XCTAssertEqual(RequestEngine.amzRetryAfterSeconds("1500"), 1.5)
        XCTAssertNil(RequestEngine.amzRetryAfterSeconds("-1"))
        XCTAssertNil(RequestEngine.amzRetryAfterSeconds("1.5s"))
    }

    func testRetryModeNames() {
        XCTAssertEqual(RetryMode(name: "standard"), .standard)
        XCTAssertEqual(RetryMode(name: "legacy"), .standard, "legacy is taken as standard")
        XCTAssertEqual(RetryMode(name: " Adaptive "), .adaptive)
        XCTAssertEqual(RetryMode(name: "batch"), .batch)
        XCTAssertNil(RetryMode(name: "fast"))
    }
}
