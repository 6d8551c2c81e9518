#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The few requests credential sources make (STS, SSO, container credentials, instance metadata), sent over the
/// engine's transport through its inbox from the background thread a lookup or refresh runs on, which waits for the
/// answer. TLS peers are verified; `AWS_CA_BUNDLE` replaces the CA store; redirects are not followed.
struct CredentialHTTPClient {
    struct Response {
        let status: Int
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The transfer failed before a response arrived (connection refused, timeout, TLS failure).
    struct TransportError: Error, CustomStringConvertible {
        let description: String
    }

    let inbox: TransportInbox
    /// Whole-exchange time limit, in seconds.
    var timeout: TimeInterval
    /// Connection time limit, in seconds.
    var connectTimeout: TimeInterval
    /// A PEM file of trusted CAs, used instead of the system store.
    var caBundle: String?

    func send(
        method: String, url: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws(TransportError) -> Response {
        var options = TransportOptions()
        options.timeout = timeout
        options.connectTimeout = connectTimeout
        options.caBundle = caBundle
        options.maxRedirects = 0
        let request = WireRequest(url: url, method: method, headers: headers, body: body)
        switch inbox.exchange(request, options: options) {
        case let .response(status, _, body):
            return Response(status: status, body: body)
        case let .failure(failure):
            throw TransportError(description: failure.message)
        }
    }

    /// Sends up to `attempts` times while the transfer fails or the answer is a 5xx, `retryDelay` seconds apart, as
    /// botocore's container and instance metadata fetchers do: the first answer below 500, or what went wrong with
    /// the last attempt.
    func send(
        method: String, url: String, headers: [(String, String)] = [], attempts: Int, retryDelay: TimeInterval = 0
    ) -> Result<Response, TransportError> {
        var last = TransportError(description: "not attempted")
        for attempt in 1...attempts {
            if attempt > 1 {
                usleep(useconds_t(retryDelay * 1_000_000))
            }
            do {
                let response = try send(method: method, url: url, headers: headers)
                if response.status < 500 {
                    return .success(response)
                }
                last = TransportError(description: "HTTP \(response.status)")
            } catch {
                last = error
            }
        }
        return .failure(last)
    }
}
