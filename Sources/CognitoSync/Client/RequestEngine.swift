import Foundation

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
    public func submit(client: CognitoSyncClient, operation: Operation, request: HTTPRequest,
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
            wire = try call.client.signedRequest(call.request)
        } catch {
            let failure = (error as? ConfigurationError).map {
                ServiceError(code: $0.code, message: $0.message, statusCode: nil, requestId: nil, retryable: false)
            } ?? ServiceError(code: "CredentialsError", message: "\(error)", statusCode: nil, requestId: nil, retryable: false)
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
        let error: ServiceError
        var retryAfter: Double?
        var timedOut = false
        var skewed = false
        switch outcome {
        case let .response(status, headers, body):
            skewed = adoptServerClock(client, headers)
            switch call.operation.parseResponse(status: status, headers: headers, body: body) {
            case let .success(value):
                client.retryQuota.release(lastRetryCost: call.lastRetryCost)
                finish(call, .success(value))
                return
            case let .failure(serviceError):
                error = serviceError
                retryAfter = header("Retry-After", in: headers).flatMap(Double.init)
            }
        case let .failure(message, didTimeOut):
            timedOut = didTimeOut
            error = ServiceError(code: didTimeOut ? "TimeoutError" : "NetworkingError", message: message,
                                 statusCode: nil, requestId: nil, retryable: true)
        }
        if error.statusCode == 429 || ServiceError.throttlingCodes.contains(error.code) { call.throttledAttempts += 1 }
        if skewed && Self.isClockSkewError(error) && !call.retriedForSkew {
            // The signature was made with a clock the server rejects; the offset is fixed now, so one immediate
            // retry succeeds where a backoff would only repeat the failure.
            call.retriedForSkew = true
            call.retryCount += 1
            enqueue(call)
            return
        }
        if let delay = client.options.retry.delay(retryCount: call.retryCount, error: error, retryAfter: retryAfter),
           let cost = client.retryQuota.acquire(timedOut: timedOut) {
            call.retryCount += 1
            call.lastRetryCost = cost
            schedule(after: delay) { [unowned self] in self.enqueue(call) }
            return
        }
        finish(call, .failure(error))
    }

    /// Compares the server's `Date` with our signing clock; when they are more than five minutes apart and
    /// correction is on, adopts the server's offset and reports true.
    private func adoptServerClock(_ client: CognitoSyncClient, _ headers: [(String, String)]) -> Bool {
        guard client.options.correctClockSkew, let text = header("Date", in: headers),
              let server = HTTPDate.parse(text)
        else { return false }
        let local = Date().timeIntervalSince1970
        guard abs(server - (local + client.options.systemClockOffset)) > 300 else { return false }
        client.options.systemClockOffset = server - local
        return true
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
    let operation: Operation
    let request: HTTPRequest
    let completion: (CallOutcome) -> Void
    var retryCount = 0
    var throttledAttempts = 0
    var lastRetryCost: Int?
    var retriedForSkew = false
    var startedAt: Double = 0

    init(client: CognitoSyncClient, operation: Operation, request: HTTPRequest,
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
