import CCogSyncShims
import CCurl
import Foundation

/// One synchronous HTTP exchange over a curl easy handle, for the few requests credential sources make (STS,
/// container credentials, instance metadata). TLS peers are verified; `AWS_CA_BUNDLE` replaces the CA store.
struct BlockingHTTPClient {
    struct Response {
        let status: Int
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The transfer failed before a response arrived (connection refused, timeout, TLS failure).
    struct TransportError: Error, CustomStringConvertible {
        let description: String
    }

    /// Whole-exchange time limit, in seconds.
    var timeout: TimeInterval
    /// Connection time limit, in seconds.
    var connectTimeout: TimeInterval
    /// A PEM file of trusted CAs, used instead of the system store.
    var caBundle: String?

    func send(
        method: String, url: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> Response {
        guard let handle = curl_easy_init() else {
            throw TransportError(description: "cannot create a curl handle")
        }
        let sink = BodySink()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            curl_easy_cleanup(handle)
        }
        cogsync_curl_setopt_str(handle, CURLOPT_URL, url)
        cogsync_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        cogsync_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        cogsync_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        cogsync_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        if let caBundle {
            cogsync_curl_setopt_str(handle, CURLOPT_CAINFO, caBundle)
        }
        switch method {
        case "GET":
            cogsync_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "POST":
            cogsync_curl_setopt_long(handle, CURLOPT_POST, 1)
        default:
            cogsync_curl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if method != "GET" {
            cogsync_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                cogsync_curl_setopt_str(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBufferPointer { buffer in
                    _ = cogsync_curl_setopt_ptr(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress)
                    )
                }
            }
        }
        for (name, value) in headers + [("Expect", ""), ("Accept", "")] {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        cogsync_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        let result = withExtendedLifetime(sink) { () -> CURLcode in
            cogsync_curl_setopt_write(handle, blockingHTTPWrite, Unmanaged.passUnretained(sink).toOpaque())
            return curl_easy_perform(handle)
        }
        if let oversized = sink.oversized {
            throw TransportError(description: oversized.message)
        }
        guard result == CURLE_OK else {
            throw TransportError(description: String(cString: curl_easy_strerror(result)))
        }
        var status = 0
        cogsync_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, body: sink.bytes)
    }

    private final class BodySink {
        var bytes: [UInt8] = []
        /// Set when the body passed `ResponseSizeLimit` and the transfer was stopped.
        var oversized: TransportFailure?
    }

    /// Keeps body bytes; false once they pass the size limit.
    fileprivate static func append(
        _ data: UnsafeMutablePointer<CChar>, count: Int, to userdata: UnsafeMutableRawPointer
    ) -> Bool {
        let sink = Unmanaged<BodySink>.fromOpaque(userdata).takeUnretainedValue()
        guard count <= ResponseSizeLimit.bytes - sink.bytes.count else {
            sink.oversized = ResponseSizeLimit.failure(announced: false)
            return false
        }
        data.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        }
        return true
    }
}

private func blockingHTTPWrite(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userdata else {
        return 0
    }
    // A short count makes curl stop the transfer.
    return BlockingHTTPClient.append(data, count: size * count, to: userdata) ? size * count : 0
}
