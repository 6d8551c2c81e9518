import Foundation
import XCTest

@testable import CognitoSync

/// Requests from other threads (credential sources) go over the transport its owner drives.
final class TransportInboxTests: XCTestCase {
    private typealias Server = EngineTests.ScriptedServer

    /// The outcome another thread got, and a semaphore signalled when it arrived.
    private final class Reply: @unchecked Sendable {
        var outcome: WireOutcome?
        let arrived = DispatchSemaphore(value: 0)
    }

    private func exchangeInBackground(_ inbox: TransportInbox, _ request: WireRequest) -> Reply {
        let reply = Reply()
        DispatchQueue.global().async {
            reply.outcome = inbox.exchange(request, options: TransportOptions())
            reply.arrived.signal()
        }
        return reply
    }

    /// Drives the transport until the other thread has its outcome.
    private func drive(_ transport: CurlTransport, until reply: Reply) -> WireOutcome? {
        let deadline = Date().addingTimeInterval(30)
        while reply.arrived.wait(timeout: .now()) == .timedOut && Date() < deadline {
            transport.perform(timeout: 0.5)
        }
        return reply.outcome
    }

    func testAnotherThreadSendsOverTheOwnersTransportAndItsConnections() throws {
        let server = try Server { _ in .respond(200, body: #"{"from":"server"}"#) }
        defer { server.stop() }
        let transport = CurlTransport()
        let request = WireRequest(url: server.url + "/federation/credentials", method: "GET",
                                  headers: [("x-test", "1")], body: [])
        var own: WireOutcome?
        transport.send(request, options: TransportOptions()) { own = $0 }
        while own == nil { transport.perform(timeout: 0.5) }

        let outcome = drive(transport, until: exchangeInBackground(transport.inbox, request))
        guard case let .response(200, _, body)? = outcome else {
            return XCTFail("no answer: \(String(describing: outcome))")
        }
        XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"from":"server"}"#)
        let received = server.received()
        XCTAssertEqual(received.count, 2)
        XCTAssertEqual(received[1].header("x-test"), "1")
        XCTAssertEqual(Set(received.map(\.connection)).count, 1, "the handed-over request reused the owner's connection")
    }

    func testTheOwnersThreadIsRefusedRatherThanWaitingForItself() {
        let transport = CurlTransport()
        let request = WireRequest(url: "http://127.0.0.1:9/", method: "GET", headers: [], body: [])
        guard case let .failure(failure) = transport.inbox.exchange(request, options: TransportOptions()) else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(failure.message, "a blocking request was made on the thread that drives the transport")
    }

    func testARequestInFlightWhenTheTransportGoesAwayFailsAndLaterOnesFailAtOnce() throws {
        let server = try Server { _ in .hang }
        defer { server.stop() }
        var transport: CurlTransport? = CurlTransport()
        let inbox = transport!.inbox
        let request = WireRequest(url: server.url + "/token", method: "POST", headers: [], body: [])
        let reply = exchangeInBackground(inbox, request)
        let deadline = Date().addingTimeInterval(30)
        while server.received().isEmpty && Date() < deadline { transport!.perform(timeout: 0.1) }
        XCTAssertEqual(server.received().count, 1, "the request reached the server")
        transport = nil
        XCTAssertEqual(reply.arrived.wait(timeout: .now() + 30), .success)
        guard case let .failure(failure)? = reply.outcome else { return XCTFail("expected a failure") }
        XCTAssertEqual(failure.message, "the client has shut down")

        let late = exchangeInBackground(inbox, request)
        XCTAssertEqual(late.arrived.wait(timeout: .now() + 30), .success)
        guard case let .failure(lateFailure)? = late.outcome else { return XCTFail("expected a failure") }
        XCTAssertEqual(lateFailure.message, "the client has shut down")
    }

    /// The owner's wait for socket activity ends when another thread wakes it, not when its time runs out: a
    /// credential lookup that finishes is taken up at once. A wake-up before the wait begins is kept for it.
    func testAWakeUpFromAnotherThreadEndsTheOwnersWait() {
        let transport = CurlTransport()
        let returned = DispatchSemaphore(value: 0)
        transport.inbox.wakeUp()
        Thread.detachNewThread {
            transport.perform(timeout: 3600)
            returned.signal()
        }
        XCTAssertEqual(returned.wait(timeout: .now() + 60), .success, "the wait outlasted the wake-up")
        let again = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            transport.perform(timeout: 3600)
            again.signal()
        }
        // The first wake-up was used up; the second wait ends on a new one, sent while it may already wait.
        transport.inbox.wakeUp()
        XCTAssertEqual(again.wait(timeout: .now() + 60), .success, "the second wait outlasted its wake-up")
    }
}
