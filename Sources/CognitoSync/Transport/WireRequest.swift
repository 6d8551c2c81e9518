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
    case failure(TransportFailure)
}
