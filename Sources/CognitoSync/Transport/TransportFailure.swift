import CCurl
import CCurlShims

/// Why an exchange ended without a response, and whether trying again can help.
public struct TransportFailure {
    public enum Kind {
        /// The connect or whole-exchange time limit passed (`TimeoutError`).
        case timeout
        /// The connection could not be made or broke before the answer (`NetworkingError`).
        case connection
        /// The server's certificate did not verify; sending again cannot fix that.
        case certificate
        /// The request cannot be carried as configured (too many redirects, a bad proxy or URL scheme).
        case request
        /// The response body exceeds `ResponseSizeLimit` (`ResponseTooLarge`); the same endpoint would send it again.
        case tooLarge
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Timeouts and broken connections are transient; a certificate or configuration problem is not.
    public var retryable: Bool {
        kind == .timeout || kind == .connection
    }

    /// The client-side error code scripts see.
    public var code: String {
        switch kind {
        case .timeout: return "TimeoutError"
        case .tooLarge: return "ResponseTooLarge"
        case .connection, .certificate, .request: return "NetworkingError"
        }
    }

    /// Classifies a curl result code (`CURLcode`'s raw value); `detail` is curl's own error text for the transfer.
    static func from(curlCode code: UInt32, detail: String, url: String) -> TransportFailure {
        let curlCode = CURLcode(rawValue: code)
        let text = String(cString: cogsync_curl_easy_strerror(curlCode))
        let described = detail.isEmpty ? text : "\(text): \(detail)"
        switch curlCode {
        case CURLE_OPERATION_TIMEDOUT:
            return TransportFailure(kind: .timeout, message: described)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE:
            return TransportFailure(
                kind: .certificate,
                message: "TLS certificate verification failed for \(origin(of: url)): \(detail.isEmpty ? text : detail)"
                    + " (set AWS_CA_BUNDLE to a PEM file holding the issuing certificate if the endpoint uses a"
                    + " private CA)")
        case CURLE_TOO_MANY_REDIRECTS, CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return TransportFailure(kind: .request, message: described)
        default:
            return TransportFailure(kind: .connection, message: described)
        }
    }

    /// `scheme://host[:port]` of a URL, for messages that must not repeat its path or query.
    private static func origin(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        return String(url[..<schemeEnd.upperBound]) + String(rest.prefix { $0 != "/" && $0 != "?" })
    }
}
