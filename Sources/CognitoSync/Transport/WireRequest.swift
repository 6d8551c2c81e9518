/// A fully formed HTTP request as the transport sends it: its URL (whole, or as origin and target), signed headers,
/// body.
public struct WireRequest {
    /// `scheme://host[:port]` when `target` is set; otherwise the whole URL.
    public var origin: String
    /// The request target (path and query, from `/`), or empty when `origin` is the whole URL.
    public var target: String
    public var method: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// The absolute URL.
    public var url: String { origin + target }

    public init(url: String, method: String, headers: [(String, String)], body: [UInt8]) {
        self.init(origin: url, target: "", method: method, headers: headers, body: body)
    }

    /// A request whose URL is given in two parts: the transport can then send the target as it is, without curl
    /// parsing the whole URL and printing it back for every request.
    public init(origin: String, target: String, method: String, headers: [(String, String)], body: [UInt8]) {
        self.origin = origin
        self.target = target
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// What came back for one attempt: a response of any status, or a transport failure.
public enum WireOutcome {
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    case failure(TransportFailure)
}
