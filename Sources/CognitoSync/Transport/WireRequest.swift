/// A fully formed HTTP request as the transport sends it: absolute URL, signed headers, body.
public struct WireRequest {
    public var url: String
    public var method: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(url: String, method: String, headers: [(String, String)], body: [UInt8]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// What came back for one attempt: a response of any status, or a transport failure.
public enum WireOutcome {
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    /// `timedOut` separates connect/read time-outs from other connection failures.
    case failure(message: String, timedOut: Bool)
}

/// Per-client transport settings (the `httpOptions`, `sslEnabled`, `maxRedirects` options).
public struct TransportOptions {
    /// Seconds; nil leaves curl's default.
    public var connectTimeout: Double?
    /// Whole-exchange limit in seconds; nil means none.
    public var timeout: Double?
    public var proxy: String?
    public var maxRedirects: Int = 10
    public var verifyPeer: Bool = true
    /// A PEM bundle to verify the server against instead of the system store (`AWS_CA_BUNDLE`).
    public var caBundle: String?

    public init() {}
}
