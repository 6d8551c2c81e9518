import Foundation
import SigV4
import XCTest

@testable import CognitoSync
@testable import CognitoSyncModel

final class EngineTests: XCTestCase {
    static let secret = "engine-test-secret-key"
    static let token = "engine-test-session-token"

    private var server: ScriptedServer?

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func start(_ reply: @escaping (Int) -> ScriptedServer.Reply) throws -> ScriptedServer {
        let started = try ScriptedServer(reply: reply)
        server = started
        return started
    }

    static func client(_ endpoint: String, _ configure: (inout ClientOptions) -> Void = { _ in }) throws
        -> ServiceClient {
        var options = ClientOptions()
        configure(&options)
        let credentials = Credentials(accessKeyId: "AKIDENGINE", secretAccessKey: secret, sessionToken: token)
        let configuration = ResolvedConfiguration(
            region: "us-east-1", endpoint: endpoint, credentials: StaticCredentialProvider(credentials),
            profileName: "default", maxAttempts: nil)
        return try ServiceClient(configuration: configuration, options: options)
    }

    /// Runs calls to completion on one engine and returns their outcomes in order.
    static func run(_ engine: RequestEngine, _ client: ServiceClient, count: Int = 1,
                    operation name: String = "ListIdentityPoolUsage", params: Value = .map([])) throws
        -> [CallOutcome] {
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name))
        let request = try client.prepare(operation, params: params)
        var outcomes = [CallOutcome?](repeating: nil, count: count)
        for i in 0..<count {
            engine.submit(client: client, operation: operation, request: request) { outcomes[i] = $0 }
        }
        let deadline = MonotonicClock.now() + 60
        while outcomes.contains(where: { $0 == nil }) && MonotonicClock.now() < deadline {
            engine.step(maxWait: 0.2)
        }
        return try outcomes.map { try XCTUnwrap($0, "the call did not finish") }
    }

    static let usage = ScriptedServer.Reply.respond(200, body: #"{"IdentityPoolUsages":[],"Count":0}"#)

    static func failure(_ status: Int, _ code: String, headers: [(String, String)] = []) -> ScriptedServer.Reply {
        .respond(status, headers: [("x-amzn-ErrorType", code)] + headers, body: #"{"message":"scripted \#(code)"}"#)
    }

    private struct ExpectedFailure: Error {}

    private func error(_ outcome: CallOutcome) throws -> ServiceError {
        guard case let .failure(error) = outcome.result else { throw ExpectedFailure() }
        return error
    }

    private func succeeded(_ outcome: CallOutcome) -> Bool {
        if case .success = outcome.result { return true }
        return false
    }

    // MARK: retries

    func testEveryRetryIsSignedAgainWhenItIsSent() throws {
        let server = try start { $0 == 0 ? Self.failure(500, "InternalErrorException") : Self.usage }
        let client = try Self.client(server.url) { $0.retry.customBackoff = { _, _, _ in 1100 } }
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertTrue(succeeded(outcome))
        XCTAssertEqual(outcome.retryCount, 1)
        let requests = server.received()
        XCTAssertEqual(requests.count, 2)
        let dates = requests.map { $0.header("X-Amz-Date") ?? "" }
        XCTAssertNotEqual(dates[0], dates[1], "the retry carries the time it was sent")
        XCTAssertNotEqual(requests[0].signature, requests[1].signature)
        XCTAssertGreaterThanOrEqual(requests[1].time - requests[0].time, 1.05)
    }

    func testRetryAfterSetsTheWait() throws {
        let server = try start {
            $0 == 0 ? Self.failure(429, "TooManyRequestsException", headers: [("Retry-After", "1")]) : Self.usage
        }
        let client = try Self.client(server.url) { $0.retry.customBackoff = { _, _, _ in 0 } }
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertTrue(succeeded(outcome))
        XCTAssertEqual(outcome.retryCount, 1)
        XCTAssertEqual(outcome.throttledAttempts, 1)
        let requests = server.received()
        XCTAssertEqual(requests.count, 2)
        XCTAssertGreaterThanOrEqual(requests[1].time - requests[0].time, 0.95)
    }

    func testBatchModeResendsThrottledRequestsWithoutSpendingAttemptsOrQuota() throws {
        let server = try start { $0 < 4 ? Self.failure(429, "TooManyRequestsException") : Self.usage }
        let client = try Self.client(server.url) { $0.retry.maxRetries = 0 }
        XCTAssertEqual(client.options.retryMode, .batch)
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertTrue(succeeded(outcome))
        XCTAssertEqual(outcome.retryCount, 4)
        XCTAssertEqual(outcome.retries.throttling, 4)
        XCTAssertEqual(outcome.throttledAttempts, 4)
        XCTAssertEqual(client.retryQuota.available, 500)
        XCTAssertEqual(server.received().count, 5)
    }

    func testBatchModeGivesUpAfterTenThrottlesOfOneCall() throws {
        let server = try start { _ in Self.failure(429, "TooManyRequestsException") }
        let client = try Self.client(server.url)
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertEqual(try error(outcome).code, "TooManyRequestsException")
        XCTAssertEqual(try error(outcome).message,
                       "scripted TooManyRequestsException (gave up after 11 throttled attempts; the send rate was lowered at each)")
        XCTAssertEqual(outcome.throttledAttempts, RequestEngine.batchThrottleLimit + 1)
        XCTAssertEqual(server.received().count, RequestEngine.batchThrottleLimit + 1)
    }

    func testStandardModeSpendsAttemptsAndQuotaOnThrottles() throws {
        let server = try start { _ in Self.failure(429, "TooManyRequestsException") }
        let client = try Self.client(server.url) {
            $0.retryMode = .standard
            $0.retry.customBackoff = { _, _, _ in 0 }
        }
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertEqual(outcome.retryCount, 2)
        XCTAssertEqual(outcome.retries.throttling, 2)
        XCTAssertEqual(client.retryQuota.available, 490, "5 tokens a throttling retry")
        XCTAssertEqual(server.received().count, 3)
    }

    func testMaxRetriesBoundsTheAttempts() throws {
        let server = try start { _ in Self.failure(503, "ServiceUnavailable") }
        let client = try Self.client(server.url) {
            $0.retry.maxRetries = 2
            $0.retry.base = 0.001
        }
        let outcome = try Self.run(RequestEngine(), client)[0]
        let failure = try error(outcome)
        XCTAssertEqual(failure.code, "ServiceUnavailable")
        XCTAssertEqual(failure.statusCode, 503)
        XCTAssertTrue(failure.retryable)
        XCTAssertEqual(outcome.retryCount, 2)
        XCTAssertEqual(server.received().count, 3)
    }

    func testConflictsAndLimitsAreNeverRetried() throws {
        for code in ["ResourceConflictException", "LimitExceededException", "InvalidParameterException"] {
            let server = try start { _ in Self.failure(code == "ResourceConflictException" ? 409 : 400, code) }
            let outcome = try Self.run(RequestEngine(), try Self.client(server.url))[0]
            XCTAssertEqual(try error(outcome).code, code)
            XCTAssertFalse(try error(outcome).retryable)
            XCTAssertEqual(outcome.retryCount, 0)
            XCTAssertEqual(server.received().count, 1, code)
            server.stop()
        }
    }

    func testRetryQuotaStopsRetriesAgainstAnEndpointThatIsDown() throws {
        var failing = true
        let lock = NSLock()
        let server = try start { _ in
            lock.lock()
            defer { lock.unlock() }
            return failing ? Self.failure(500, "InternalErrorException") : Self.usage
        }
        let client = try Self.client(server.url) {
            $0.retry.maxRetries = 1000
            $0.retry.customBackoff = { _, _, _ in 0 }
        }
        let engine = RequestEngine()
        let outcome = try Self.run(engine, client)[0]
        XCTAssertEqual(outcome.retryCount, 35, "500 tokens at 14 a retry")
        XCTAssertEqual(server.received().count, 36)
        XCTAssertEqual(client.retryQuota.available, 10)
        XCTAssertTrue(outcome.quotaExhausted)
        let message = try error(outcome).message
        XCTAssertTrue(message.hasPrefix("scripted InternalErrorException (not retried: retry quota exhausted after 35 other failures in "), message)
        let next = try Self.run(engine, client)[0]
        XCTAssertEqual(next.retryCount, 0, "an empty bucket returns the error at once")
        XCTAssertEqual(server.received().count, 37)
        XCTAssertEqual(client.retryQuota.exhaustions, 2)
        lock.lock()
        failing = false
        lock.unlock()
        XCTAssertTrue(succeeded(try Self.run(engine, client)[0]))
        XCTAssertEqual(client.retryQuota.available, 11, "a success without retries puts one token back")
    }

    func testCredentialFailureIsNotRetriedAndSendsNothing() throws {
        final class Failing: CredentialProvider {
            func credentials() throws -> Credentials {
                throw ConfigurationError(code: "CredentialsError", message: "no credentials found; tried nothing")
            }
        }
        let server = try start { _ in Self.usage }
        let configuration = ResolvedConfiguration(region: "us-east-1", endpoint: server.url, credentials: Failing(),
                                                  profileName: "default", maxAttempts: nil)
        let client = try ServiceClient(configuration: configuration, options: ClientOptions())
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertEqual(try error(outcome).code, "CredentialsError")
        XCTAssertEqual(try error(outcome).message, "no credentials found; tried nothing")
        XCTAssertEqual(server.received().count, 0)
    }

    // MARK: lost answers and transport failures

    func testALostAnswerOnAReusedConnectionIsNotResentSilently() throws {
        let server = try start { $0 == 1 ? .close : Self.usage }
        let client = try Self.client(server.url) { $0.retry.maxRetries = 0 }
        let engine = RequestEngine()
        XCTAssertTrue(succeeded(try Self.run(engine, client)[0]))
        let lost = try Self.run(engine, client)[0]
        let failure = try error(lost)
        XCTAssertEqual(failure.code, "NetworkingError")
        XCTAssertTrue(failure.retryable)
        XCTAssertTrue(failure.message.contains("closed before a response arrived"), failure.message)
        let requests = server.received()
        XCTAssertEqual(requests.count, 2, "the transport must not send the request again on its own")
        XCTAssertEqual(requests[0].connection, requests[1].connection, "the second call reused the connection")
    }

    func testALostAnswerIsRetriedByThePolicyAndCounted() throws {
        let server = try start { $0 == 1 ? .close : Self.usage }
        let client = try Self.client(server.url) { $0.retry.base = 0.001 }
        let engine = RequestEngine()
        XCTAssertTrue(succeeded(try Self.run(engine, client)[0]))
        let retried = try Self.run(engine, client)[0]
        XCTAssertTrue(succeeded(retried))
        XCTAssertEqual(retried.retryCount, 1)
        let requests = server.received()
        XCTAssertEqual(requests.count, 3)
        XCTAssertNotEqual(requests[1].connection, requests[2].connection)
    }

    func testTimeoutIsARetryableTimeoutError() throws {
        let server = try start { _ in .hang }
        let client = try Self.client(server.url) {
            $0.retry.maxRetries = 0
            $0.transport.timeout = 0.3
        }
        let started = MonotonicClock.now()
        let outcome = try Self.run(RequestEngine(), client)[0]
        let failure = try error(outcome)
        XCTAssertEqual(failure.code, "TimeoutError")
        XCTAssertTrue(failure.retryable)
        XCTAssertNil(failure.statusCode)
        XCTAssertLessThan(MonotonicClock.now() - started, 3)
    }

    func testARetriedTimeoutCostsFourteenTokens() throws {
        let server = try start { $0 == 0 ? .hang : .respond(200, body: "{}", delay: 0.2) }
        let client = try Self.client(server.url) {
            $0.transport.timeout = 0.3
            $0.retry.customBackoff = { _, _, _ in 0 }
        }
        let engine = RequestEngine()
        var quotaAfterRetry = 0
        let operation = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: "ListIdentityPoolUsage"))
        var outcome: CallOutcome?
        engine.submit(client: client, operation: operation, request: try client.prepare(operation, params: .map([]))) {
            outcome = $0
        }
        while outcome == nil {
            engine.step(maxWait: 0.1)
            if server.received().count == 2 && quotaAfterRetry == 0 { quotaAfterRetry = client.retryQuota.available }
        }
        XCTAssertEqual(quotaAfterRetry, 486)
        XCTAssertTrue(succeeded(try XCTUnwrap(outcome)))
        XCTAssertEqual(client.retryQuota.available, 500)
    }

    func testRefusedConnectionIsARetryableNetworkingError() throws {
        let port = try ScriptedServer.unusedPort()
        let client = try Self.client("http://127.0.0.1:\(port)") { $0.retry.maxRetries = 0 }
        let failure = try error(try Self.run(RequestEngine(), client)[0])
        XCTAssertEqual(failure.code, "NetworkingError")
        XCTAssertTrue(failure.retryable)
        XCTAssertTrue(failure.message.lowercased().contains("connect"), failure.message)
    }

    // MARK: clock skew

    private static func date(offset: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSinceNow: offset))
    }

    private static func amzDate(_ text: String?) -> Double? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return text.flatMap { formatter.date(from: $0)?.timeIntervalSince1970 }
    }

    /// A server an hour ahead: it rejects signatures made more than 15 minutes from its clock.
    private func startSkewedServer() throws -> ScriptedServer {
        try start { _ in .check { request in
            let serverNow = Date().timeIntervalSince1970 + 3600
            let dateHeader = [("Date", Self.date(offset: 3600))]
            guard let signed = Self.amzDate(request.header("X-Amz-Date")), abs(signed - serverNow) < 900 else {
                return Self.failure(403, "InvalidSignatureException", headers: dateHeader)
            }
            return .respond(200, headers: dateHeader, body: #"{"Count":0}"#)
        } }
    }

    func testClockSkewIsCorrectedFromTheServerDateAndRetriedOnce() throws {
        let server = try startSkewedServer()
        let client = try Self.client(server.url) { $0.retry.maxRetries = 0 }
        let engine = RequestEngine()
        let outcomes = try Self.run(engine, client, count: 8)
        XCTAssertTrue(outcomes.allSatisfy(succeeded), "every call in flight when the skew was found is retried")
        XCTAssertEqual(outcomes.map(\.retryCount), Array(repeating: 1, count: 8))
        XCTAssertEqual(client.options.systemClockOffset, 3600, accuracy: 3)
        XCTAssertEqual(server.received().count, 16)
        let later = try Self.run(engine, client)[0]
        XCTAssertTrue(succeeded(later))
        XCTAssertEqual(later.retryCount, 0, "later calls are signed with the corrected clock")
    }

    func testClockSkewWithoutCorrectionFailsWithAClearMessage() throws {
        let server = try startSkewedServer()
        let client = try Self.client(server.url) { $0.correctClockSkew = false }
        let outcome = try Self.run(RequestEngine(), client)[0]
        let failure = try error(outcome)
        XCTAssertEqual(failure.code, "InvalidSignatureException")
        XCTAssertFalse(failure.retryable)
        let seconds = failure.message.range(of: #"\d+ s behind the server's"#, options: .regularExpression)
            .flatMap { Int(failure.message[$0].prefix { $0.isNumber }) }
        XCTAssertEqual(Double(try XCTUnwrap(seconds, failure.message)), 3600, accuracy: 5)
        XCTAssertTrue(failure.message.contains("correctClockSkew is off"), failure.message)
        XCTAssertEqual(server.received().count, 1)
    }

    func testSystemClockOffsetIsUsedForSigning() throws {
        let server = try startSkewedServer()
        let client = try Self.client(server.url) {
            $0.correctClockSkew = false
            $0.systemClockOffset = 3600
        }
        let outcome = try Self.run(RequestEngine(), client)[0]
        XCTAssertTrue(succeeded(outcome))
        XCTAssertEqual(outcome.retryCount, 0)
        let signed = try XCTUnwrap(Self.amzDate(server.received()[0].header("X-Amz-Date")))
        XCTAssertEqual(signed, Date().timeIntervalSince1970 + 3600, accuracy: 5)
    }

    // MARK: scheduling

    func testMaxInFlightCapsConcurrentRequests() throws {
        let server = try start { _ in .respond(200, body: #"{"Count":0}"#, delay: 0.1) }
        let client = try Self.client(server.url) { $0.maxInFlight = 3 }
        let outcomes = try Self.run(RequestEngine(), client, count: 12)
        XCTAssertTrue(outcomes.allSatisfy(succeeded))
        XCTAssertEqual(server.received().count, 12)
        XCTAssertEqual(server.maxConcurrent, 3)
    }

    /// A loopback HTTP/1.1 server whose answer to each request (numbered from 0 in arrival order) comes from a
    /// script. It keeps connections alive and records every request with the connection it came on.
    final class ScriptedServer {
        enum Reply {
            case respond(Int, headers: [(String, String)] = [], body: String, delay: Double = 0)
            /// Reads the request and closes the connection without answering.
            case close
            /// Reads the request and never answers.
            case hang
            /// Decides from the request itself.
            case check((Received) -> Reply)
        }

        struct Received {
            let method: String
            let target: String
            let headers: [(String, String)]
            let body: [UInt8]
            let time: Double
            let connection: Int

            func header(_ name: String) -> String? {
                headers.first { $0.0.lowercased() == name.lowercased() }?.1
            }

            var signature: String? {
                header("Authorization")?.components(separatedBy: "Signature=").last
            }
        }

        let url: String
        private let listener: Int32
        private let reply: (Int) -> Reply
        private let lock = NSLock()
        private var log: [Received] = []
        private var connections: [Int32] = []
        private var stopped = false
        private var active = 0
        private(set) var maxConcurrent = 0
        private var sentAnswers = 0

        init(reply: @escaping (Int) -> Reply) throws {
            self.reply = reply
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            var address = Self.loopback(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0, listen(fd, 64) == 0 else {
                close(fd)
                throw SetUpFailure("cannot listen on loopback")
            }
            listener = fd
            url = "http://127.0.0.1:\(Self.port(of: fd))"
            Thread.detachNewThread { [self] in acceptLoop() }
        }

        static func loopback(port: UInt16) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return address
        }

        static func port(of socket: Int32) -> UInt16 {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
            }
            return UInt16(bigEndian: address.sin_port)
        }

        /// A loopback port nothing listens on (bound, then released).
        static func unusedPort() throws -> UInt16 {
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(probe) }
            var address = loopback(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw SetUpFailure("cannot bind on loopback") }
            return port(of: probe)
        }

        func received() -> [Received] {
            lock.lock()
            defer { lock.unlock() }
            return log
        }

        /// How many answers have been written whole to their connections.
        func answered() -> Int {
            lock.lock()
            defer { lock.unlock() }
            return sentAnswers
        }

        func stop() {
            lock.lock()
            let open = connections
            let wasStopped = stopped
            stopped = true
            lock.unlock()
            guard !wasStopped else { return }
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }

        private var isStopped: Bool {
            lock.lock()
            defer { lock.unlock() }
            return stopped
        }

        private func acceptLoop() {
            var number = 0
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                lock.lock()
                if stopped {
                    lock.unlock()
                    close(fd)
                    return
                }
                connections.append(fd)
                lock.unlock()
                number += 1
                let connection = number
                Thread.detachNewThread { [self] in serve(fd, connection) }
            }
        }

        private func serve(_ fd: Int32, _ connection: Int) {
            defer { close(fd) }
            var buffer: [UInt8] = []
            while let request = readRequest(fd, &buffer, connection) {
                lock.lock()
                let index = log.count
                log.append(request)
                active += 1
                maxConcurrent = max(maxConcurrent, active)
                lock.unlock()
                defer {
                    lock.lock()
                    active -= 1
                    lock.unlock()
                }
                var answer = reply(index)
                while case let .check(decide) = answer { answer = decide(request) }
                switch answer {
                case let .respond(status, headers, body, delay):
                    if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                    var head = "HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\n"
                    head += "Content-Length: \(body.utf8.count)\r\n"
                    for (name, value) in headers { head += "\(name): \(value)\r\n" }
                    let bytes = Array((head + "\r\n" + body).utf8)
                    let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    guard sent == bytes.count else { return }
                    lock.lock()
                    sentAnswers += 1
                    lock.unlock()
                case .close:
                    return
                case .hang:
                    while !isStopped { Thread.sleep(forTimeInterval: 0.02) }
                    return
                case .check:
                    return
                }
            }
        }

        private func readRequest(_ fd: Int32, _ buffer: inout [UInt8], _ connection: Int) -> Received? {
            let separator: [UInt8] = [13, 10, 13, 10]
            var headerEnd: Int?
            while true {
                if buffer.count >= 4 {
                    headerEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator }
                }
                if headerEnd != nil { break }
                guard readMore(fd, &buffer) else { return nil }
            }
            let end = headerEnd!
            let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let requestLine = lines[0].split(separator: " ").map(String.init)
            guard requestLine.count == 3 else { return nil }
            let headers: [(String, String)] = lines.dropFirst().compactMap { line in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
            while buffer.count < end + 4 + length {
                guard readMore(fd, &buffer) else { return nil }
            }
            let body = Array(buffer[(end + 4)..<(end + 4 + length)])
            buffer.removeFirst(end + 4 + length)
            return Received(method: requestLine[0], target: requestLine[1], headers: headers, body: body,
                            time: MonotonicClock.now(), connection: connection)
        }

        private func readMore(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[..<n])
            return true
        }
    }
}
