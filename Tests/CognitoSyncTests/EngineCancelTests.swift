import Foundation
import SigV4
import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

/// Cancelling calls, unsigned calls and the events of each attempt.
final class EngineCancelTests: XCTestCase {
    private typealias Server = EngineTests.ScriptedServer
    private var server: Server?

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func start(_ reply: @escaping (Int) -> Server.Reply) throws -> Server {
        let started = try Server(reply: reply)
        server = started
        return started
    }

    private let operation = ServiceModel.cognitoSync.operation(named: "ListIdentityPoolUsage")!

    /// Steps the engine until `done` holds or it has no work left.
    private func step(_ engine: RequestEngine, until done: () -> Bool) {
        let deadline = MonotonicClock.now() + 60
        while !done() && engine.hasWork && MonotonicClock.now() < deadline { engine.step(maxWait: 0.1) }
    }

    private func code(_ outcome: CallOutcome?) -> String? {
        guard case let .failure(error)? = outcome?.result else { return nil }
        return error.code
    }

    func testCancellingARequestInFlightEndsItAtOnceAndSendsNothingMore() throws {
        let server = try start { _ in .hang }
        let client = try EngineTests.client(server.url)
        let engine = RequestEngine()
        var outcome: CallOutcome?
        let ticket = engine.submit(client: client, operation: operation, request: try client.prepare(operation, params: .map([]))) {
            outcome = $0
        }
        step(engine) { !server.received().isEmpty }
        XCTAssertEqual(server.received().count, 1, "the request is on the wire")
        engine.cancel(ticket)
        XCTAssertEqual(code(outcome), "Cancelled", "the completion ran within cancel")
        XCTAssertFalse(engine.hasWork, "nothing in flight, queued or waiting on a timer")
        XCTAssertEqual(client.inFlight, 0)
        engine.cancel(ticket)
        XCTAssertEqual(code(outcome), "Cancelled", "a second cancel does nothing")
    }

    func testACallCancelledWhileItWaitsToBeRetriedIsNotSentAgain() throws {
        let server = try start { _ in EngineTests.failure(500, "InternalErrorException") }
        let client = try EngineTests.client(server.url) { $0.retry.customBackoff = { _, _, _ in 50 } }
        let engine = RequestEngine()
        var outcomes: [CallOutcome] = []
        var events: [String] = []
        let ticket = engine.submit(client: client, operation: operation,
                                   request: try client.prepare(operation, params: .map([])),
                                   attempts: { event in
                                       if case .retrying = event { events.append("retrying") }
                                   }) { outcomes.append($0) }
        step(engine) { !events.isEmpty }
        engine.cancel(ticket)
        step(engine) { false }
        XCTAssertEqual(outcomes.count, 1, "completed once")
        XCTAssertEqual(code(outcomes.first), "Cancelled")
        XCTAssertEqual(server.received().count, 1, "the retry was never sent")
    }

    func testAQueuedCallThatIsCancelledNeverGoesOut() throws {
        let server = try start { _ in EngineTests.usage }
        let client = try EngineTests.client(server.url) { $0.maxInFlight = 1 }
        let engine = RequestEngine()
        let request = try client.prepare(operation, params: .map([]))
        var first: CallOutcome?
        var second: CallOutcome?
        engine.submit(client: client, operation: operation, request: request) { first = $0 }
        let queued = engine.submit(client: client, operation: operation, request: request) { second = $0 }
        engine.cancel(queued)
        XCTAssertEqual(code(second), "Cancelled")
        step(engine) { first != nil }
        step(engine) { false }
        guard case .success? = first?.result else { return XCTFail("the first call should succeed") }
        XCTAssertEqual(server.received().count, 1)
    }

    func testCancellingAFinishedCallDoesNothing() throws {
        let server = try start { _ in EngineTests.usage }
        let client = try EngineTests.client(server.url)
        let engine = RequestEngine()
        var outcomes: [CallOutcome] = []
        let ticket = engine.submit(client: client, operation: operation,
                                   request: try client.prepare(operation, params: .map([]))) { outcomes.append($0) }
        step(engine) { !outcomes.isEmpty }
        engine.cancel(ticket)
        XCTAssertEqual(outcomes.count, 1)
        guard case .success? = outcomes.first?.result else { return XCTFail("expected success") }
    }

    /// A provider that fails the test if asked.
    private final class Untouchable: CredentialProvider {
        var asked = false
        func credentials() throws -> Credentials {
            asked = true
            throw ConfigurationError.credentials("an unsigned call looked for credentials")
        }
    }

    func testAnUnsignedCallCarriesNoSignatureAndLooksForNoCredentials() throws {
        let server = try start { _ in EngineTests.failure(403, "MissingAuthenticationTokenException") }
        let provider = Untouchable()
        let configuration = ResolvedConfiguration(region: "us-east-1", endpoint: server.url, credentials: provider,
                                                  profileName: "default", maxAttempts: nil)
        let client = try ServiceClient(configuration: configuration, options: ClientOptions())
        let engine = RequestEngine()
        var outcome: CallOutcome?
        engine.submit(client: client, operation: operation, request: try client.prepare(operation, params: .map([])),
                      signed: false) { outcome = $0 }
        step(engine) { outcome != nil }
        XCTAssertEqual(code(outcome), "MissingAuthenticationTokenException")
        XCTAssertFalse(provider.asked)
        let received = try XCTUnwrap(server.received().first)
        XCTAssertNil(received.header("Authorization"))
        XCTAssertNil(received.header("X-Amz-Date"))
        XCTAssertNil(received.header("X-Amz-Security-Token"))
        XCTAssertNotNil(received.header("Host"))
    }

    func testEachAttemptIsReportedAndEachRetryWithItsErrorAndDelay() throws {
        let server = try start { $0 == 0 ? EngineTests.failure(500, "InternalErrorException") : EngineTests.usage }
        let client = try EngineTests.client(server.url) { $0.retry.customBackoff = { _, _, _ in 10 } }
        let engine = RequestEngine()
        var events: [String] = []
        var outcome: CallOutcome?
        engine.submit(client: client, operation: operation, request: try client.prepare(operation, params: .map([])),
                      attempts: { event in
                          switch event {
                          case let .sent(attempt): events.append("sent \(attempt)")
                          case let .retrying(attempt, error, delay):
                              events.append("retrying \(attempt) \(error.code) \(error.statusCode ?? 0) \(delay)")
                          }
                      }) { outcome = $0 }
        step(engine) { outcome != nil }
        XCTAssertEqual(events, ["sent 1", "retrying 1 InternalErrorException 500 0.01", "sent 2"])
    }
}
