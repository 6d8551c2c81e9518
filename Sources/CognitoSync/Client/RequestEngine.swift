#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SigV4
import CognitoSyncModel

/// Moves API calls through their life: queued behind the client's in-flight cap and send-rate limiter, signed
/// when dispatched, sent over the shared curl transport, parsed, retried after a backoff, and completed exactly
/// once.
///
/// Single-threaded and driven by its owner's loop through `step`.
public final class RequestEngine {
    /// Made on first use: creating it loads libcurl, which a script that sends nothing never needs.
    private var madeTransport: CurlTransport?
    private var transport: CurlTransport {
        if let made = madeTransport { return made }
        let made = CurlTransport()
        madeTransport = made
        return made
    }
    private var timers = TimerQueue()
    /// Calls parked while their credentials are looked up or refreshed, and where their lookups hand them back.
    private var awaitingCredentials = 0
    private let credentialsMailbox = CredentialsMailbox()
    private var waitingClients: [ObjectIdentifier: ServiceClient] = [:]
    private var queues: [ObjectIdentifier: CallQueue] = [:]
    /// The latest `Date` header and its time: it changes once a second, so most answers repeat it.
    private var lastServerDate: (text: String, seconds: Double?) = ("", nil)

    /// Receives a text trace of every attempt and its outcome (`--debug`), with secrets redacted.
    public var trace: ((String) -> Void)?

    public init() {}

    /// Where credential sources send their requests from their own threads: this engine's transport.
    public var inbox: TransportInbox { transport.inbox }

    /// True while anything is queued, in flight, waiting on a timer or on credentials.
    public var hasWork: Bool {
        !waitingClients.isEmpty || (madeTransport?.inFlight ?? 0) > 0 || !timers.isEmpty || awaitingCredentials > 0
    }

    /// Queues a call; `completion` runs from a later `step`, exactly once. An unsigned call is sent without looking
    /// for credentials; `attempts` hears of each attempt sent and each retry decided. With an `output` sink, a
    /// successful response is read into it (from the `step` that completes the call) instead of into the result.
    @discardableResult
    public func submit(client: ServiceClient, operation: CognitoSyncModel.Operation, request: HTTPRequest,
                       signed: Bool = true, attempts: ((AttemptEvent) -> Void)? = nil,
                       output: (any ResponseSink)? = nil,
                       completion: @escaping (CallOutcome) -> Void) -> CallTicket {
        let call = PendingCall(client: client, operation: operation, request: request, output: output,
                               completion: completion)
        call.signed = signed
        call.attemptObserver = attempts
        enqueue(call)
        return CallTicket(call: call)
    }

    /// Ends a call now with a `Cancelled` error: a request in flight is taken off the transport (its connection
    /// closed, its answer never read) and nothing more is sent or retried for it. Does nothing once it has ended.
    public func cancel(_ ticket: CallTicket) {
        let call = ticket.call
        guard !call.finished else { return }
        if let transfer = call.transfer {
            transport.abandon(transfer)
            call.transfer = nil
            call.client.inFlight -= 1
        }
        finish(call, .failure(ServiceError(code: "Cancelled", message: "the call was cancelled", statusCode: nil,
                                           requestId: nil, retryable: false)))
    }

    /// Runs `action` from a `step` at least `seconds` from now.
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) {
        timers.schedule(at: MonotonicClock.now() + max(0, seconds), action)
    }

    /// True while `step` runs. Completions, timers and retry decisions run inside it, and with them a script's
    /// logger, customBackoff and request hooks: those must not start calls that step the engine again.
    public private(set) var isStepping = false

    /// Dispatches what the caps allow, waits up to `maxWait` seconds for network activity or the next timer,
    /// and runs every completion and timer that became due.
    public func step(maxWait: Double) {
        isStepping = true
        defer { isStepping = false }
        admit()
        var wait = maxWait
        if let deadline = timers.nextDeadline { wait = min(wait, max(0, deadline - MonotonicClock.now())) }
        // Also sends what credential lookups hand over, and wakes when one ends.
        if let made = madeTransport {
            made.perform(timeout: wait)
        } else if wait > 0 {
            // Only timers so far (a script that sleeps): no client, so no request and no credential lookup to wake us.
            // A bare poll(2) waits as curl's would, and a signal (Ctrl-C) ends it early.
            _ = poll(nil, 0, Int32(min(wait * 1000, 60_000).rounded(.up)))
        }
        for (call, error) in credentialsMailbox.take() {
            awaitingCredentials -= 1
            if call.finished { continue }
            if let error {
                finish(call, .failure(Self.credentialsFailure(error)))
            } else {
                enqueue(call, retry: true)
            }
        }
        for action in timers.popDue(now: MonotonicClock.now()) { action() }
        admit()
    }

    /// Throttled attempts after which a call fails in batch mode, where throttles spend neither attempts nor
    /// quota: the controller has lowered the rate at each of them and the service still refuses.
    static let batchThrottleLimit = 10

    private func enqueue(_ call: PendingCall, retry: Bool = false) {
        // A call cancelled while it waited on a timer or on credentials is not sent again.
        guard !call.finished else { return }
        let id = ObjectIdentifier(call.client)
        if retry {
            queues[id, default: CallQueue()].appendRetry(call)
        } else {
            queues[id, default: CallQueue()].append(call)
        }
        waitingClients[id] = call.client
    }

    private func admit() {
        let now = MonotonicClock.now()
        for (id, client) in waitingClients {
            while client.inFlight < max(1, client.options.maxInFlight), queues[id]?.isEmpty == false {
                if let limiter = client.rateLimiter {
                    let wait = limiter.reserve(now: now)
                    if wait > 0 {
                        wake(client, after: wait)
                        break
                    }
                }
                let call = queues[id]!.popFirst()!
                if !call.finished { dispatch(call) }
            }
            if queues[id]?.isEmpty ?? true {
                waitingClients[id] = nil
                queues[id] = nil
            }
        }
    }

    /// One timer per client paced by its limiter; `step` admits again after it fires.
    private func wake(_ client: ServiceClient, after seconds: Double) {
        guard !client.wakeScheduled else { return }
        client.wakeScheduled = true
        schedule(after: seconds) { client.wakeScheduled = false }
    }

    private func dispatch(_ call: PendingCall) {
        let now = MonotonicClock.now()
        if call.startedAt == 0 { call.startedAt = now }
        call.attemptSentAt = now
        call.attemptWindow = call.client.rateLimiter?.window ?? 0
        let wire: WireRequest
        if !call.signed {
            wire = call.client.wireRequest(call.request, credentials: nil)
        } else { do {
            let mailbox = credentialsMailbox
            let inbox = transport.inbox
            guard let credentials = try call.client.configuration.credentials.credentials(orNotify: { error in
                mailbox.post(call, error)
                inbox.wakeUp()
            }) else {
                // Only this call waits for the lookup; the others in flight and queued carry on.
                awaitingCredentials += 1
                return
            }
            call.signingOffset = call.client.options.systemClockOffset
            wire = call.client.wireRequest(call.request, credentials: credentials)
        } catch {
            finish(call, .failure(Self.credentialsFailure(error)))
            return
        } }
        trace?(WireTrace.request(wire, attempt: call.retryCount))
        call.attemptObserver?(.sent(attempt: call.retryCount + 1))
        call.client.inFlight += 1
        call.transfer = transport.send(wire, options: call.client.options.transport) { [unowned self] outcome in
            call.transfer = nil
            call.client.inFlight -= 1
            // One use of the unowned reference: each use is a pair of atomic operations.
            self.handle(call, outcome)
        }
    }

    private func handle(_ call: PendingCall, _ outcome: WireOutcome) {
        trace?(WireTrace.outcome(outcome))
        let client = call.client
        let now = MonotonicClock.now()
        var error: ServiceError
        var hint = RetryPolicy.ServerHint()
        switch outcome {
        case let .response(status, headers, body):
            let serverTime = HTTPHeader.value("Date", in: headers).flatMap(serverDate)
            if let serverTime { observeServerClock(client, serverTime) }
            let read: Result<Value?, ServiceError>
            if let output = call.output {
                read = call.operation.readResponse(status: status, headers: headers, body: body, into: output)
                    .map { nil }
            } else {
                read = call.operation.parseResponse(status: status, headers: headers, body: body).map { $0 }
            }
            switch read {
            case let .success(value):
                observe(call, .success, now: now)
                client.retryQuota.release(lastRetryCost: call.lastRetryCost)
                finish(call, .success(value))
                return
            case let .failure(serviceError):
                error = serviceError
                hint.retryAfter = HTTPHeader.value("Retry-After", in: headers).flatMap {
                    Self.retryAfterSeconds($0, now: Date().timeIntervalSince1970 + client.options.systemClockOffset)
                }
                hint.amzRetryAfter = HTTPHeader.value("x-amz-retry-after", in: headers).flatMap(Self.amzRetryAfterSeconds)
                if Self.isClockSkewError(error), let serverTime { explainSkew(&error, client, serverTime) }
            }
        case let .failure(failure):
            error = ServiceError(code: failure.code, message: failure.message, statusCode: nil, requestId: nil,
                                 retryable: failure.retryable)
        }
        let throttling = error.isThrottling
        observe(call, throttling ? .throttled : .failed, now: now)
        if throttling { call.throttledAttempts += 1 }
        let clockCorrected = client.options.systemClockOffset != call.signingOffset
        if Self.isClockSkewError(error) && !call.retriedForSkew && clockCorrected {
            // The attempt was signed with a clock the server rejects and the offset has been corrected since
            // (by this response or a concurrent one), so one immediate retry succeeds where a backoff would only
            // repeat the failure.
            call.retriedForSkew = true
            call.retryCount += 1
            call.retries.clockSkew += 1
            retry(call, after: 0, error: error)
            return
        }
        if Self.isExpiredTokenError(error) {
            let provider = client.configuration.credentials
            if !call.retriedForExpiry && provider.expire() {
                // New credentials, then one more try; the quota is not spent on a failure of our own making.
                call.retriedForExpiry = true
                call.retryCount += 1
                call.retries.expiredCredentials += 1
                retry(call, after: 0, error: error)
                return
            }
            error.message += " (signed with \(provider.expiryDescription))"
            finish(call, .failure(error))
            return
        }
        let policy = client.options.retry
        do throws(ServiceError) {
            if client.options.retryMode == .batch && throttling && error.retryable {
                if call.throttledAttempts <= Self.batchThrottleLimit,
                   let delay = try batchThrottleDelay(policy, call, error, hint) {
                    call.retryCount += 1
                    call.retries.throttling += 1
                    retry(call, after: delay, error: error)
                    return
                }
                if call.throttledAttempts > Self.batchThrottleLimit {
                    error.message += " (gave up after \(call.throttledAttempts) throttled attempts; the send rate was"
                        + " lowered at each)"
                }
            } else if let delay = try policy.delay(retryCount: call.policyRetries, error: error,
                                                   operation: call.operation.name, hint: hint) {
                if let cost = client.retryQuota.acquire(throttling: throttling, now: now) {
                    call.retryCount += 1
                    call.policyRetries += 1
                    if throttling { call.retries.throttling += 1 } else { call.retries.transient += 1 }
                    call.lastRetryCost = cost
                    retry(call, after: delay, error: error)
                    return
                }
                error.message += " (not retried: \(client.retryQuota.exhaustionText(now: now)))"
                call.quotaExhausted = true
            }
        } catch {
            // customBackoff answered no delay: the call fails with what it did instead.
            finish(call, .failure(error))
            return
        }
        finish(call, .failure(error))
    }

    private func retry(_ call: PendingCall, after delay: Double, error: ServiceError) {
        call.attemptObserver?(.retrying(attempt: call.retryCount, error: error, delay: delay))
        if delay > 0 {
            schedule(after: delay) { [unowned self] in self.enqueue(call, retry: true) }
        } else {
            enqueue(call, retry: true)
        }
    }

    /// In batch mode a throttled request goes back to the front of its client's queue, where the send-rate
    /// controller paces it; only the server's hints or `customBackoff` delay it further.
    private func batchThrottleDelay(_ policy: RetryPolicy, _ call: PendingCall, _ error: ServiceError,
                                    _ hint: RetryPolicy.ServerHint) throws(ServiceError) -> Double? {
        var seconds = 0.0
        if policy.customBackoff != nil {
            guard let custom = try policy.backoff(retryCount: call.retries.throttling, error: error,
                                                  operation: call.operation.name) else { return nil }
            seconds = custom
        }
        return policy.honour(hint, after: seconds)
    }

    private func observe(_ call: PendingCall, _ outcome: AttemptSample.Outcome, now: Double) {
        guard let limiter = call.client.rateLimiter else { return }
        limiter.observe(AttemptSample(outcome: outcome, window: call.attemptWindow,
                                      latency: now - call.attemptSentAt), now: now)
    }

    private func serverDate(_ text: String) -> Double? {
        if text != lastServerDate.text { lastServerDate = (text, HTTPDate.parse(text)) }
        return lastServerDate.seconds
    }

    /// When correction is on and the server's `Date` is more than five minutes from our signing clock, adopts
    /// the server's offset for every later signature of this client.
    private func observeServerClock(_ client: ServiceClient, _ serverTime: Double) {
        guard client.options.correctClockSkew else { return }
        let local = Date().timeIntervalSince1970
        guard abs(serverTime - (local + client.options.systemClockOffset)) > Self.skewTolerance else { return }
        client.options.systemClockOffset = serverTime - local
    }

    /// Adds to a signature error how far our clock is from the server's, when that is the likely cause.
    private func explainSkew(_ error: inout ServiceError, _ client: ServiceClient, _ serverTime: Double) {
        guard !client.options.correctClockSkew else { return }
        let skew = serverTime - (Date().timeIntervalSince1970 + client.options.systemClockOffset)
        guard abs(skew) > Self.skewTolerance else { return }
        let direction = skew > 0 ? "behind" : "ahead of"
        error.message += " (the client's clock is \(Int(abs(skew).rounded())) s \(direction) the server's and"
            + " correctClockSkew is off; turn it on or set systemClockOffset)"
    }

    /// Seconds a server's clock may differ from ours before we adopt its time.
    static let skewTolerance: Double = 300

    /// `x-amz-retry-after` (milliseconds) as seconds; nil when it is not a non-negative whole number.
    static func amzRetryAfterSeconds(_ value: String) -> Double? {
        guard let ms = Int(value.trimmingWhitespaces()), ms >= 0 else { return nil }
        return Double(ms) / 1000
    }

    /// `Retry-After` as seconds from now: either a number of seconds or an HTTP date.
    static func retryAfterSeconds(_ value: String, now: Double) -> Double? {
        let trimmed = value.trimmingWhitespaces()
        if let seconds = Double(trimmed) { return seconds >= 0 ? seconds : nil }
        return HTTPDate.parse(trimmed).map { max(0, $0 - now) }
    }

    /// A credential source's error as the call's.
    static func credentialsFailure(_ error: Error) -> ServiceError {
        (error as? ConfigurationError).map { ServiceError(code: $0.code, message: $0.message) }
            ?? ServiceError(code: "CredentialsError", message: "\(error)")
    }

    /// The service refused the session token as expired.
    static func isExpiredTokenError(_ error: ServiceError) -> Bool {
        switch error.code {
        case "ExpiredTokenException", "ExpiredToken", "TokenRefreshRequired": return true
        default: return false
        }
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

    private func finish(_ call: PendingCall, _ result: Result<Value?, ServiceError>) {
        guard !call.finished else { return }
        call.finished = true
        let latency = MonotonicClock.now() - call.startedAt
        call.completion(CallOutcome(result: result, retryCount: call.retryCount, retries: call.retries,
                                    throttledAttempts: call.throttledAttempts, quotaExhausted: call.quotaExhausted,
                                    latency: latency))
    }
}

/// One call's state across its attempts.
final class PendingCall {
    let client: ServiceClient
    let operation: CognitoSyncModel.Operation
    let request: HTTPRequest
    /// Where a successful response is read to; nil for the result's `Value`.
    let output: (any ResponseSink)?
    let completion: (CallOutcome) -> Void
    var retryCount = 0
    /// Retries counted against `maxRetries`: all of them, except throttles in batch mode and clock-skew retries.
    var policyRetries = 0
    var retries = RetryCounts()
    var throttledAttempts = 0
    var quotaExhausted = false
    var lastRetryCost: Int?
    /// When the latest attempt was sent, and the limiter's window it was sent in.
    var attemptSentAt: Double = 0
    var attemptWindow = 0
    var retriedForSkew = false
    var retriedForExpiry = false
    /// The clock offset the latest attempt was signed with.
    var signingOffset: Double = 0
    var startedAt: Double = 0
    /// False for an unauthenticated call: sent without credentials or a signature.
    var signed = true
    var attemptObserver: ((AttemptEvent) -> Void)?
    /// The transport's transfer while an attempt is in flight.
    var transfer: UnsafeMutableRawPointer?
    /// Set once the completion has run (or the call was cancelled); nothing more happens to the call.
    var finished = false

    init(client: ServiceClient, operation: CognitoSyncModel.Operation, request: HTTPRequest,
         output: (any ResponseSink)?, completion: @escaping (CallOutcome) -> Void) {
        self.client = client
        self.operation = operation
        self.request = request
        self.output = output
        self.completion = completion
    }
}

/// Names a submitted call, to cancel it.
public struct CallTicket {
    let call: PendingCall
}

/// What happens to one call's attempts, for request lifecycle hooks.
public enum AttemptEvent {
    /// Attempt number `attempt` (1 for the first) went on the wire.
    case sent(attempt: Int)
    /// Attempt number `attempt` failed with `error` and the call will be sent again after `delay` seconds.
    case retrying(attempt: Int, error: ServiceError, delay: Double)
}
