import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

/// A customBackoff that answers no delay fails the call with what it answered, in every retry mode, instead of
/// silently ending the retries.
final class EngineBackoffRefusalTests: XCTestCase {
    private func outcome(mode: RetryMode, answer: Double) throws -> (CallOutcome, requests: Int) {
        let server = try EngineTests.ScriptedServer { _ in EngineTests.failure(429, "TooManyRequestsException") }
        defer { server.stop() }
        let client = try EngineTests.client(server.url) {
            $0.retryMode = mode
            $0.retry.customBackoff = { _, _, _ in answer }
        }
        let outcome = try EngineTests.run(RequestEngine(), client)[0]
        return (outcome, server.received().count)
    }

    func testANegativeAnswerFailsTheCallAfterOneAttempt() throws {
        for mode in [RetryMode.standard, .adaptive, .batch] {
            let (outcome, requests) = try outcome(mode: mode, answer: -1)
            guard case let .failure(error) = outcome.result else { return XCTFail("\(mode) succeeded") }
            XCTAssertEqual(error.code, "InvalidParameter", "\(mode)")
            XCTAssertTrue(error.message.hasPrefix("retryDelayOptions.customBackoff returned -1;"), error.message)
            XCTAssertEqual(outcome.retryCount, 0)
            XCTAssertEqual(requests, 1, "\(mode)")
        }
    }

    func testAThrownRefusalIsTheCallsError() throws {
        let server = try EngineTests.ScriptedServer { _ in EngineTests.failure(503, "ServiceUnavailable") }
        defer { server.stop() }
        let client = try EngineTests.client(server.url) {
            $0.retryMode = .standard
            $0.retry.customBackoff = { _, error, _ throws(ServiceError) in
                throw RetryPolicy.refusedBackoff("returned a table", retrying: error)
            }
        }
        let outcome = try EngineTests.run(RequestEngine(), client)[0]
        guard case let .failure(error) = outcome.result else { return XCTFail("succeeded") }
        XCTAssertEqual(error.message, "retryDelayOptions.customBackoff returned a table; it must return milliseconds"
            + " >= 0, or nil to stop retrying (while retrying ServiceUnavailable: scripted ServiceUnavailable)")
        XCTAssertFalse(error.retryable)
    }
}
