import CCurlShims
import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CCurl

/// One HTTP exchange on a curl easy handle: the request bytes it sends and the response it collects.
///
/// curl's callbacks only append to these buffers; they never reach Lua.
final class Transfer {
    let handle: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// The origin `CURLOPT_URL` holds while requests go out as origin and target; nil while it holds a whole URL.
    var origin: String?
    /// The transport followed a redirect on this handle and left the rest to curl; the handle is reset before its
    /// next exchange.
    var followedRedirect = false
    /// The transport, not curl, follows this exchange's redirect (a request sent as origin and target under a
    /// `maxRedirects` above zero); when it started, for the time limit the redirect shares.
    var followsRedirect = false
    var startedAt = 0.0
    /// The response being read has a 3xx status, and (`isRedirect`) a `Location` the transport will follow: its
    /// body is dropped unread, as curl drops a body of a redirect it follows.
    private var redirectStatus = false
    private(set) var isRedirect = false
    var responseBody: [UInt8] = []
    var responseHeaders: [(String, String)] = []
    /// Requests put on the wire and responses begun for this exchange; a redirect adds one of each.
    private var requestsStarted = 0
    private var responsesStarted = 0
    /// Set when curl wanted to send the request again on a fresh connection and was stopped.
    private(set) var refusedResend = false
    /// Set when the response was stopped for exceeding `ResponseSizeLimit`, from its header or its bytes.
    private(set) var oversized: TransportFailure?
    /// curl writes its detailed error text here; it must stay at one address for the handle's lifetime.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// The options the handle was last set up with: the next exchange with the same ones sets only what its request
    /// changes.
    var appliedOptions: TransportOptions?
    /// The handle's last request had a method of its own (`CURLOPT_CUSTOMREQUEST`), which outlives the exchange.
    var customMethod = false

    init?() {
        guard let h = cogsync_curl_easy_init() else { return nil }
        handle = h
        errorBuffer[0] = 0
    }

    deinit {
        if let list = headerList { cogsync_curl_slist_free_all(list) }
        cogsync_curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Clears the previous exchange so the handle (and its connection cache entry) can be reused. curl's options
    /// stay: resetting and setting them again took more time than the rest of starting an exchange.
    func reset() {
        if let list = headerList { cogsync_curl_slist_free_all(list) }
        headerList = nil
        responseBody = []
        responseHeaders.removeAll(keepingCapacity: true)
        requestsStarted = 0
        responsesStarted = 0
        redirectStatus = false
        isRedirect = false
        refusedResend = false
        oversized = nil
        errorBuffer[0] = 0
    }

    /// Called by curl each time it is about to send the request on a connection. curl on its own sends a
    /// request again, unsigned anew and unseen by the retry policy, when a reused connection closes before any
    /// answer; a write may already have been applied then. Only a redirect's answer allows another request.
    func mayStartRequest() -> Bool {
        guard requestsStarted == responsesStarted else {
            refusedResend = true
            return false
        }
        requestsStarted += 1
        return true
    }

    /// Keeps body bytes; false (and the transfer is to be stopped) once they pass the size limit.
    func appendBody(_ ptr: UnsafeRawPointer, _ count: Int) -> Bool {
        if isRedirect { return true }
        guard count <= ResponseSizeLimit.bytes - responseBody.count else {
            oversized = ResponseSizeLimit.failure(announced: false)
            return false
        }
        responseBody.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: count))
        return true
    }

    /// Records one header line; false (and the transfer is to be stopped) when it announces an oversized body.
    func appendHeaderLine(_ ptr: UnsafeRawPointer, _ count: Int) -> Bool {
        let bytes = UnsafeRawBufferPointer(start: ptr, count: count)
        var end = count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return true }
        if end > 5, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[4] == UInt8(ascii: "/") {
            // A new status line (after 100-continue or a redirect) starts a new header block.
            responsesStarted = requestsStarted
            responseHeaders.removeAll(keepingCapacity: true)
            redirectStatus = followsRedirect && Self.isRedirectStatus(bytes[..<end])
            isRedirect = false
            return true
        }
        guard let colon = bytes[..<end].firstIndex(of: UInt8(ascii: ":")) else { return true }
        var start = colon + 1
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        var stop = end
        while stop > start, bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09 { stop -= 1 }
        let name = String(decoding: bytes[..<colon], as: UTF8.self)
        if redirectStatus, start < stop, HTTPHeader.namesEqual(name, "Location") { isRedirect = true }
        // A redirect's announced size does not count: its body is not read when it is followed.
        if !redirectStatus, HTTPHeader.namesEqual(name, "Content-Length"),
           ResponseSizeLimit.isExceeded(byContentLength: bytes[start..<stop]) {
            oversized = ResponseSizeLimit.failure(announced: true)
            return false
        }
        responseHeaders.append((name, String(decoding: bytes[start..<stop], as: UTF8.self)))
        return true
    }

    /// Whether a status line (`HTTP/1.1 307 ...`) has a 3xx code.
    private static func isRedirectStatus(_ line: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")), space + 3 < line.endIndex else { return false }
        return line[space + 1] == UInt8(ascii: "3") && (line[space + 2] &- 0x30) < 10 && (line[space + 3] &- 0x30) < 10
    }

    var curlErrorMessage: String {
        String(cString: errorBuffer)
    }
}

// The callbacks reach their transfer without retaining it (a retain and a release are two atomic operations, for
// every header line and body chunk): the transport holds every transfer curl is running.

/// curl write callback: appends the body bytes to the transfer named by `userdata`. A short count makes curl stop
/// the transfer (`CURLE_WRITE_ERROR`).
let transferWriteCallback: cogsync_curl_data_fn = { ptr, size, count, userdata in
    let n = size * count
    guard let ptr, let userdata else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(userdata)._withUnsafeGuaranteedRef { $0.appendBody(ptr, n) } ? n : 0
}

/// curl pre-request callback: lets the request go out unless it would be a silent resend.
let transferPrereqCallback: curl_prereq_callback = { userdata, _, _, _, _ in
    guard let userdata else { return CURL_PREREQFUNC_OK }
    let allowed = Unmanaged<Transfer>.fromOpaque(userdata)._withUnsafeGuaranteedRef { $0.mayStartRequest() }
    return allowed ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT
}

/// curl header callback: records one header line; a short count makes curl stop the transfer.
let transferHeaderCallback: cogsync_curl_data_fn = { ptr, size, count, userdata in
    let n = size * count
    guard let ptr, let userdata else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(userdata)._withUnsafeGuaranteedRef { $0.appendHeaderLine(ptr, n) } ? n : 0
}
