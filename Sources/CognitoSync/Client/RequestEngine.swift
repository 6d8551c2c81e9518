import Foundation
import SigV4
import CognitoSyncModel

/// Moves API calls through their life: queued behind the client's in-flight cap, signed when dispatched,
/// sent over the shared curl transport, parsed, retried after a backoff, and completed exactly once.
///
/// Single-threaded and driven by its owner's loop through `step`.
public final class RequestEngine {
    private let transport = CurlTransport()
    private var timers = TimerQueue()
    private var waitingClients: [ObjectIdentifier: CognitoSyncClient] = [:]
    private var queues: [ObjectIdentifier: CallQueue] = [:]

    /// Calls dispatched and retries made over the engine's life.
    public private(set) var attempts = 0
    /// Receives a text trace of every attempt and its outcome (`--debug`), with secrets redacted.
    public var trace: ((String) -> Void)?

    public init() {}

    /// True while anything is queued, in flight or waiting on a timer.
    public var hasWork: Bool { !waitingClients.isEmpty || transport.inFlight > 0 || !timers.isEmpty }

    /// Queues a call; `completion` runs from a later `step`.
    public func submit(client: CognitoSyncClient, operation: CognitoSyncModel.Operation, request: HTTPRequest,
                       completion: @escaping (CallOutcome) -> Void) {
        enqueue(PendingCall(client: client, operation: operation, request: request, completion: completion))
    }

    /// Runs `action` from a `step` at least `seconds` from now.
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) {
        timers.schedule(at: MonotonicClock.now() + max(0, seconds), action)
    }

    /// Dispatches what the caps allow, waits up to `maxWait` seconds for network activity or the next timer,
    /// and runs every completion and timer that became due.
    public func step(maxWait: Double) {
        admit()
        var wait = maxWait
        if let deadline = timers.nextDeadline { wait = min(wait, max(0, deadline - MonotonicClock.now())) }
        transport.perform(timeout: wait)
        for action in timers.popDue(now: MonotonicClock.now()) { action() }
        admit()
    }

    private func enqueue(_ call: PendingCall) {
        let id = ObjectIdentifier(call.client)
        queues[id, default: CallQueue()].append(call)
        waitingClients[id] = call.client
    }

    private func admit() {
        for (id, client) in waitingClients {
            while client.inFlight < max(1, client.options.maxInFlight), let call = queues[id]?.popFirst() {
                dispatch(call)
            }
            if queues[id]?.isEmpty ?? true {
                waitingClients[id] = nil
                queues[id] = nil
            }
        }
    }

    private func dispatch(_ call: PendingCall) {
        if call.startedAt == 0 { call.startedAt = MonotonicClock.now() }
        let wire: WireRequest
        do {
            call.signingOffset = call.client.options.systemClockOffset
            wire = try call.client.signedRequest(call.request)
        } catch {
            let failure = (error as? ConfigurationError).map { ServiceError(code: $0.code, message: $0.message) }
                ?? ServiceError(code: "CredentialsError", message: "\(error)")
            finish(call, .failure(failure))
            return
        }
        attempts += 1
        trace?(WireTrace.request(wire, attempt: call.retryCount))
        call.client.inFlight += 1
        transport.send(wire, options: call.client.options.transport) { [unowned self] outcome in
            call.client.inFlight -= 1
            self.trace?(WireTrace.outcome(outcome))
            self.handle(call, outcome)
        }
    }

    private func handle(_ call: PendingCall, _ outcome: WireOutcome) {
        let client = call.client
        var error: ServiceError
        var retryAfter: Double?
        var timedOut = false
        switch outcome {
        case let .response(status, headers, body):
            let serverTime = header("Date", in: headers).flatMap(HTTPDate.parse)
            if let serverTime { observeServerClock(client, serverTime) }
            switch call.operation.parseResponse(status: status, headers: headers, body: body) {
            case let .success(value):
                client.retryQuota.release(lastRetryCost: call.lastRetryCost)
                finish(call, .success(value))
                return
            case let .failure(serviceError):
                error = serviceError
                retryAfter = header("Retry-After", in: headers).flatMap {
                    Self.retryAfterSeconds($0, now: Date().timeIntervalSince1970 + client.options.systemClockOffset)
                }
                if Self.isClockSkewError(error), let serverTime { explainSkew(&error, client, serverTime) }
            }
        case let .failure(failure):
            timedOut = failure.kind == .timeout
            error = ServiceError(code: failure.code, message: failure.message, statusCode: nil, requestId: nil,
                                 retryable: failure.retryable)
        }
        if error.statusCode == 429 || ServiceError.throttlingCodes.contains(error.code) { call.throttledAttempts += 1 }
        let clockCorrected = client.options.systemClockOffset != call.signingOffset
        if Self.isClockSkewError(error) && !call.retriedForSkew && clockCorrected {
            // The attempt was signed with a clock the server rejects and the offset has been corrected since
            // (by this response or a concurrent one), so one immediate retry succeeds where a backoff would only
            // repeat the failure.
            call.retriedForSkew = true
            call.retryCount += 1
            enqueue(call)
            return
        }
        let policy = client.options.retry
        if let delay = policy.delay(retryCount: call.retryCount, error: error, operation: call.operation.name,
                                    retryAfter: retryAfter),
           let cost = client.retryQuota.acquire(timedOut: timedOut) {
            call.retryCount += 1
            call.lastRetryCost = cost
            schedule(after: delay) { [unowned self] in self.enqueue(call) }
            return
        }
        finish(call, .failure(error))
    }

    /// When correction is on and the server's `Date` is more than five minutes from our signing clock, adopts
    /// the server's offset for every later signature of this client.
    private func observeServerClock(_ client: CognitoSyncClient, _ serverTime: Double) {
        guard client.options.correctClockSkew else { return }
        let local = Date().timeIntervalSince1970
        guard abs(serverTime - (local + client.options.systemClockOffset)) > Self.skewTolerance else { return }
        client.options.systemClockOffset = serverTime - local
    }

    /// Adds to a signature error how far our clock is from the server's, when that is the likely cause.
    private func explainSkew(_ error: inout ServiceError, _ client: CognitoSyncClient, _ serverTime: Double) {
        guard !client.options.correctClockSkew else { return }
        let skew = serverTime - (Date().timeIntervalSince1970 + client.options.systemClockOffset)
        guard abs(skew) > Self.skewTolerance else { return }
        let direction = skew > 0 ? "behind" : "ahead of"
        error.message += " (the client's clock is \(Int(abs(skew).rounded())) s \(direction) the server's and"
            + " correctClockSkew is off; turn it on or set systemClockOffset)"
    }

    /// Seconds a server's clock may differ from ours before we adopt its time.
    static let skewTolerance: Double = 300

    /// `Retry-After` as seconds from now: either a number of seconds or an HTTP date.
    static func retryAfterSeconds(_ value: String, now: Double) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds >= 0 ? seconds : nil }
        return HTTPDate.parse(trimmed).map { max(0, $0 - now) }
    }

    static func isClockSkewError(_ error: ServiceError) -> Bool {
        switch error.code {
        case "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
             "SignatureDoesNotMatch", "AuthFailure":
            return true
        default:
            return false
        }
    }

    private func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    private func finish(_ call: PendingCall, _ result: Result<Value, ServiceError>) {
        let latency = MonotonicClock.now() - call.startedAt
        call.completion(CallOutcome(result: result, retryCount: call.retryCount,
                                    throttledAttempts: call.throttledAttempts, latency: latency))
    }
}

/// One call's state across its attempts.
final class PendingCall {
    let client: CognitoSyncClient
    let operation: CognitoSyncModel.Operation
    let request: HTTPRequest
    let completion: (CallOutcome) -> Void
    var retryCount = 0
    var throttledAttempts = 0
    var lastRetryCost: Int?
    var retriedForSkew = false
    /// The clock offset the latest attempt was signed with.
    var signingOffset: Double = 0
    var startedAt: Double = 0

    init(client: CognitoSyncClient, operation: CognitoSyncModel.Operation, request: HTTPRequest,
         completion: @escaping (CallOutcome) -> Void) {
        self.client = client
        self.operation = operation
        self.request = request
        self.completion = completion
    }
}

/// A FIFO of calls that pops from the front in constant time.
struct CallQueue {
    private var items: [PendingCall] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ call: PendingCall) { items.append(call) }

    mutating func popFirst() -> PendingCall? {
        guard head < items.count else { return nil }
        let call = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return call
    }
}
