import CCurl
import CCurlShims
import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// All HTTP goes through one curl multi handle, so concurrent requests share its connection cache.
///
/// Single-threaded: it is driven by the owner's loop (`perform`) on the thread that created it. Other threads send
/// through its `inbox`.
public final class CurlTransport {
    private let multi: UnsafeMutableRawPointer
    private var active: [UnsafeMutableRawPointer: Exchange] = [:]
    private var idle: [Transfer] = []
    /// Requests from other threads (credential fetches), sent from `perform`.
    public let inbox: TransportInbox

    private struct Exchange {
        let transfer: Transfer
        /// Kept for a redirect the transport follows itself (see `redirectTarget`); its options are the transfer's
        /// `appliedOptions`.
        let request: WireRequest
        let completion: (WireOutcome) -> Void
        /// Sent for another thread, which waits for the outcome even when the transport goes away.
        let handedOver: Bool
    }

    /// What watches the sockets and curl's timer; nil when the system would not give the descriptors it needs.
    private let events: OpaquePointer?
    /// Why `events` is missing, as the failure of every exchange.
    private let eventsFailure: TransportFailure?

    public init() {
        multi = cogsync_curl_multi_init()
        // Keep-alive connections are reused across requests; cap them so a large batch does not leak sockets.
        cogsync_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        events = cogsync_curl_events_new(multi)
        eventsFailure = events != nil ? nil : TransportFailure(
            kind: .connection,
            message: "could not create the descriptors that watch sockets: \(String(cString: strerror(errno)))")
        inbox = TransportInbox(events: events)
    }

    deinit {
        for handoff in inbox.close() { handoff.completion(.failure(TransportInbox.closedFailure)) }
        for (handle, exchange) in active {
            cogsync_curl_multi_remove_handle(multi, handle)
            if exchange.handedOver { exchange.completion(.failure(TransportInbox.closedFailure)) }
        }
        active.removeAll()
        idle.removeAll()
        cogsync_curl_multi_cleanup(multi)
        cogsync_curl_events_free(events)
    }

    /// Number of exchanges in flight.
    public var inFlight: Int { active.count }

    /// Starts an exchange; `completion` runs from `perform` when it ends. Returns the transfer, for `abandon`; nil
    /// when none could be made (then `completion` has already run with the failure).
    @discardableResult
    public func send(_ request: WireRequest, options: TransportOptions,
                     completion: @escaping (WireOutcome) -> Void) -> UnsafeMutableRawPointer? {
        start(request, options: options, handedOver: false, completion: completion)
    }

    /// Stops an exchange in flight without completing it: its connection is closed and its answer never read.
    public func abandon(_ handle: UnsafeMutableRawPointer) {
        guard let exchange = active.removeValue(forKey: handle) else { return }
        cogsync_curl_multi_remove_handle(multi, handle)
        recycle(exchange.transfer)
    }

    @discardableResult
    private func start(_ request: WireRequest, options: TransportOptions, handedOver: Bool,
                       completion: @escaping (WireOutcome) -> Void) -> UnsafeMutableRawPointer? {
        if let eventsFailure {
            completion(.failure(eventsFailure))
            return nil
        }
        let transfer: Transfer
        if let reused = idle.popLast() {
            reused.reset()
            transfer = reused
        } else if let fresh = Transfer() {
            transfer = fresh
        } else {
            let failure = TransportFailure(kind: .connection, message: "curl could not create a transfer handle")
            completion(.failure(failure))
            return nil
        }
        configure(transfer, request, options)
        active[transfer.handle] = Exchange(transfer: transfer, request: request, completion: completion,
                                           handedOver: handedOver)
        cogsync_curl_multi_add_handle(multi, transfer.handle)
        return transfer.handle
    }

    /// Starts what other threads handed over, moves transfers forward, waiting at most `timeout` seconds for
    /// socket activity or a wake-up when nothing has finished yet, and completes the finished ones.
    public func perform(timeout: Double) {
        for handoff in inbox.take() {
            start(handoff.request, options: handoff.options, handedOver: true, completion: handoff.completion)
        }
        let milliseconds = Int32(min(timeout * 1000, 60_000).rounded(.up))
        guard let events else {
            if timeout > 0 { _ = poll(nil, 0, milliseconds) }
            return
        }
        cogsync_curl_events_run_due(events)
        // A transfer can finish without waiting (one just added may fail at once, or an earlier turn finished more
        // than it collected); waiting before collecting it would sleep on a quiet socket.
        if harvest() > 0 || timeout <= 0 { return }
        // With no transfer, this waits for the timeout or a wake-up from the inbox.
        cogsync_curl_events_wait(events, milliseconds)
        harvest()
    }

    /// Finished transfers collected per `perform`. Each collected response is parsed and then waits in memory
    /// until the script takes it; the rest wait in curl as raw bytes, which are far smaller than parsed pages.
    static let harvestLimit = 8

    @discardableResult
    private func harvest() -> Int {
        var finished = 0
        var handle: UnsafeMutableRawPointer?
        var result = CURLE_OK
        while finished < Self.harvestLimit, cogsync_curl_multi_next_done(multi, &handle, &result) == 1,
              let done = handle {
            cogsync_curl_multi_remove_handle(multi, done)
            guard let exchange = active.removeValue(forKey: done) else { continue }
            let transfer = exchange.transfer
            let outcome: WireOutcome
            switch result == CURLE_OK ? redirectTarget(exchange) : nil {
            case let .url(target)?:
                guard let failure = follow(exchange, to: target) else { continue }
                outcome = .failure(failure)
            case let .failure(failure)?:
                outcome = .failure(failure)
            case nil:
                outcome = Self.outcome(transfer, result, exchange)
            }
            recycle(transfer)
            finished += 1
            exchange.completion(outcome)
        }
        return finished
    }

    /// Keeps a finished transfer's handle (and its place in the connection cache) for the next exchange.
    private func recycle(_ transfer: Transfer) {
        if let list = transfer.headerList {
            cogsync_curl_slist_free_all(list)
            transfer.headerList = nil
        }
        idle.append(transfer)
    }

    private static func outcome(_ transfer: Transfer, _ result: CURLcode, _ exchange: Exchange) -> WireOutcome {
        if let oversized = transfer.oversized {
            return .failure(oversized)
        }
        if transfer.refusedResend {
            return .failure(TransportFailure(
                kind: .connection,
                message: "the connection closed before a response arrived (the request may have been processed)"))
        }
        guard result == CURLE_OK else {
            // curl counted only the redirects after the one the transport followed.
            let limit = transfer.appliedOptions?.maxRedirects ?? 0
            let detail = transfer.followedRedirect && result == CURLE_TOO_MANY_REDIRECTS
                ? "Maximum (\(limit)) redirects followed" : transfer.curlErrorMessage
            return .failure(TransportFailure.from(curlCode: result.rawValue, detail: detail, url: exchange.request.url))
        }
        var status = 0
        cogsync_curl_getinfo_long(transfer.handle, CURLINFO_RESPONSE_CODE, &status)
        // The body moves out: an idle transfer keeps no buffer, so a batch of large pages does not pin one per
        // pooled handle.
        let body = transfer.responseBody
        transfer.responseBody = []
        return .response(status: status, headers: transfer.responseHeaders, body: body)
    }

    /// A time limit in seconds as curl's milliseconds, held within a 32-bit long whatever the options say (the Lua
    /// options refuse values outside it; converting a larger or NaN value to an integer would trap).
    static func curlMilliseconds(_ seconds: Double) -> Int {
        let ms = (seconds * 1000).rounded(.up)
        return ms < Double(Int32.max) ? Int(max(1, ms)) : Int(Int32.max)
    }

    private func configure(_ t: Transfer, _ request: WireRequest, _ options: TransportOptions) {
        let h = t.handle
        if t.appliedOptions != options || t.followedRedirect {
            // Another client's options, or a handle set up to follow a redirect: start from curl's defaults, as a
            // new handle would.
            if t.appliedOptions != nil {
                cogsync_curl_easy_reset(h)
                t.customMethod = false
                t.origin = nil
                t.followedRedirect = false
            }
            apply(options, to: t)
            t.appliedOptions = options
        }
        if Self.sendsTarget(request, options) {
            // curl would parse the URL and print it back, a byte at a time, for every request; given only the
            // origin, it does that for a few bytes, and sends the target as it is.
            if t.origin != request.origin {
                cogsync_curl_setopt_str(h, CURLOPT_URL, request.origin + "/")
                t.origin = request.origin
            }
            cogsync_curl_setopt_str(h, CURLOPT_REQUEST_TARGET, request.target)
            // curl would send the same target to a redirect's location; `follow` takes the first one.
            cogsync_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)
            t.followsRedirect = options.maxRedirects > 0
            if t.followsRedirect { t.startedAt = MonotonicClock.now() }
        } else {
            cogsync_curl_setopt_str(h, CURLOPT_URL, request.url)
            t.origin = nil
            cogsync_curl_setopt_ptr(h, CURLOPT_REQUEST_TARGET, nil)
            cogsync_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, options.maxRedirects > 0 ? 1 : 0)
            t.followsRedirect = false
        }
        if t.customMethod {
            cogsync_curl_setopt_ptr(h, CURLOPT_CUSTOMREQUEST, nil)
            t.customMethod = false
        }
        switch request.method {
        case "GET":
            cogsync_curl_setopt_long(h, CURLOPT_HTTPGET, 1)
        case "POST":
            cogsync_curl_setopt_long(h, CURLOPT_POST, 1)
        default:
            cogsync_curl_setopt_str(h, CURLOPT_CUSTOMREQUEST, request.method)
            t.customMethod = true
        }
        if request.method != "GET" {
            // curl copies the body, so the request value need not outlive this call.
            cogsync_curl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            if request.body.isEmpty {
                cogsync_curl_setopt_str(h, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBufferPointer { buf in
                    let bytes = UnsafeMutableRawPointer(mutating: buf.baseAddress)
                    _ = cogsync_curl_setopt_ptr(h, CURLOPT_COPYPOSTFIELDS, bytes)
                }
            }
        }
        setHeaders(t, request, authorization: true)
    }

    /// Sets the request's headers but `Host`; without `Authorization` unless `authorization`.
    private func setHeaders(_ t: Transfer, _ request: WireRequest, authorization: Bool) {
        var list: UnsafeMutablePointer<curl_slist>?
        var line: [UInt8] = []
        for (name, value) in request.headers
        where !HTTPHeader.namesEqual(name, "Host") && (authorization || !HTTPHeader.namesEqual(name, "Authorization")) {
            // One reused buffer per line: curl copies it, and a Swift string would be copied into a C string first.
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: name.utf8)
            line.append(contentsOf: ": ".utf8)
            line.append(contentsOf: value.utf8)
            line.append(0)
            list = line.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cogsync_curl_slist_append(list, $0.baseAddress) }
            }
        }
        // curl adds these on its own; the request is signed without them, and AWS does not need them. curl looks
        // each of its own headers up in this list, so a GET, which never gets Expect or a form Content-Type, carries
        // only what it needs.
        list = cogsync_curl_slist_append(list, "Accept:")
        if request.method != "GET" {
            list = cogsync_curl_slist_append(list, "Expect:")
            // Nor curl's form Content-Type on a POST without a body: botocore sends none there.
            if HTTPHeader.value("Content-Type", in: request.headers) == nil {
                list = cogsync_curl_slist_append(list, "Content-Type:")
            }
        }
        if let old = t.headerList { cogsync_curl_slist_free_all(old) }
        t.headerList = list
        cogsync_curl_setopt_ptr(t.handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
    }

    /// Whether a request goes out as origin and target. Only when no proxy can be in play (a proxy is sent the
    /// whole URL) and the target is what curl would send for the whole URL: printable ASCII with no fragment and no
    /// `.` or `..` segment (curl removes those). Redirects are then followed by `follow`, as curl would send the
    /// same target to the new location.
    static func sendsTarget(_ request: WireRequest, _ options: TransportOptions) -> Bool {
        guard options.proxy == "" else { return false }
        var target = request.target
        return target.withUTF8(isVerbatim)
    }

    /// How `isVerbatim` sees each byte: 0 plain, 1 `/`, 2 `.`, 3 `?`, 4 never sent as it is (a control character,
    /// space, `#`, DEL or non-ASCII).
    private static let targetByteClass: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x2F: return 1
        case 0x2E: return 2
        case 0x3F: return 3
        case 0x23, 0...0x20, 0x7F...: return 4
        default: return 0
        }
    }

    private static func isVerbatim(_ target: UnsafeBufferPointer<UInt8>) -> Bool {
        guard target.first == UInt8(ascii: "/") else { return false }
        return targetByteClass.withUnsafeBufferPointer { classes in
            var segmentStart = true
            var dots = 0
            var index = 0
            // The path: no byte outside printable ASCII, no `.` or `..` segment.
            while index < target.count {
                let byteClass = classes[Int(target[index])]
                index += 1
                switch byteClass {
                case 0:
                    segmentStart = false
                case 2:
                    dots += 1
                    if dots > 2 { segmentStart = false }
                case 4:
                    return false
                default:
                    if segmentStart && dots > 0 { return false }
                    segmentStart = true
                    dots = 0
                    if byteClass == 3 {
                        // The query: only the bytes count.
                        while index < target.count {
                            if classes[Int(target[index])] == 4 { return false }
                            index += 1
                        }
                        return true
                    }
                }
            }
            return !(segmentStart && dots > 0)
        }
    }

    private enum RedirectStep {
        case url(String)
        case failure(TransportFailure)
    }

    /// Where a redirect the transport must follow itself leads: the answer to a request sent as origin and target,
    /// under a `maxRedirects` above zero, is a 3xx with a `Location`. nil when the answer is to be delivered.
    private func redirectTarget(_ exchange: Exchange) -> RedirectStep? {
        let t = exchange.transfer
        guard t.followsRedirect, t.isRedirect, let location = HTTPHeader.value("Location", in: t.responseHeaders)
        else { return nil }
        var resolved: UnsafeMutablePointer<CChar>?
        let code = cogsync_curl_redirect_url(exchange.request.url, location, &resolved)
        guard code == CURLUE_OK, let resolved else {
            // As curl fails a redirect it cannot follow: an unknown scheme is an unsupported protocol.
            let curlCode = code == CURLUE_UNSUPPORTED_SCHEME ? CURLE_UNSUPPORTED_PROTOCOL
                : code == CURLUE_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_URL_MALFORMAT
            let reason = String(cString: cogsync_curl_url_strerror(code))
            return .failure(TransportFailure.from(
                curlCode: curlCode.rawValue, detail: "The redirect target URL could not be parsed: \(reason)",
                url: exchange.request.url))
        }
        defer { cogsync_curl_free(resolved) }
        return .url(String(cString: resolved))
    }

    /// Sends the exchange on to a redirect's target as curl does when it follows one: a request with a body answered
    /// with 301, 302 or 303 goes on without it (a POST as a GET, another method under its own name),
    /// `Authorization` goes only to the same scheme, host and port, and the time limit covers the whole exchange.
    /// curl follows any further redirects itself. Returns the failure when the exchange cannot go on.
    private func follow(_ exchange: Exchange, to url: String) -> TransportFailure? {
        let t = exchange.transfer
        let h = t.handle
        let options = t.appliedOptions ?? TransportOptions()
        var status = 0
        cogsync_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        t.followedRedirect = true
        t.followsRedirect = false
        t.origin = nil
        cogsync_curl_setopt_str(h, CURLOPT_URL, url)
        cogsync_curl_setopt_ptr(h, CURLOPT_REQUEST_TARGET, nil)
        // The same schemes as the redirects curl follows (see `apply`).
        cogsync_curl_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https")
        cogsync_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 1)
        cogsync_curl_setopt_long(h, CURLOPT_MAXREDIRS, options.maxRedirects - 1)
        // curl sends every method but GET with a body as a POST underneath, and drops the body on these three; a
        // method of its own keeps its name.
        if exchange.request.method != "GET", status == 301 || status == 302 || status == 303 {
            cogsync_curl_setopt_long(h, CURLOPT_HTTPGET, 1)
        }
        if let timeout = options.timeout {
            let left = timeout - (MonotonicClock.now() - t.startedAt)
            cogsync_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, Self.curlMilliseconds(max(left, 0)))
        }
        setHeaders(t, exchange.request,
                   authorization: cogsync_curl_same_origin(exchange.request.url, url) == 1)
        guard cogsync_curl_multi_add_handle(multi, h) == CURLM_OK else {
            return TransportFailure(kind: .connection, message: "curl could not go on to the redirect's target")
        }
        active[h] = exchange
        return nil
    }

    /// Sets what every exchange of a handle shares: its callbacks, the client's transport options and TLS checks.
    private func apply(_ options: TransportOptions, to t: Transfer) {
        let h = t.handle
        cogsync_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        cogsync_curl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        cogsync_curl_setopt_long(h, CURLOPT_TCP_NODELAY, 1)
        cogsync_curl_setopt_ptr(h, CURLOPT_ERRORBUFFER, t.errorBuffer)
        let me = Unmanaged.passUnretained(t).toOpaque()
        cogsync_curl_setopt_write(h, transferWriteCallback, me)
        cogsync_curl_setopt_header(h, transferHeaderCallback, me)
        cogsync_curl_setopt_prereq(h, transferPrereqCallback, me)
        if let s = options.connectTimeout {
            cogsync_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Self.curlMilliseconds(s))
        }
        if let s = options.timeout { cogsync_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, Self.curlMilliseconds(s)) }
        if let proxy = options.proxy { cogsync_curl_setopt_str(h, CURLOPT_PROXY, proxy) }
        if let noProxy = options.noProxy { cogsync_curl_setopt_str(h, CURLOPT_NOPROXY, noProxy) }
        cogsync_curl_setopt_long(h, CURLOPT_MAXREDIRS, options.maxRedirects)
        // Redirects lead to web URLs only, where curl's own default would also allow FTP.
        cogsync_curl_setopt_str(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        cogsync_curl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1)
        cogsync_curl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2)
        if let bundle = options.caBundle { cogsync_curl_setopt_str(h, CURLOPT_CAINFO, bundle) }
    }
}
