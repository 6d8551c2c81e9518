/// Per-client transport settings (the `httpOptions` and `maxRedirects` options, `AWS_CA_BUNDLE`, the proxy
/// variables). TLS peers are always verified.
public struct TransportOptions: Equatable {
    /// Seconds to wait for the connection; nil leaves curl's default.
    public var connectTimeout: Double?
    /// Whole-exchange limit in seconds; nil means none. Two minutes by default, as in the AWS SDK for JavaScript,
    /// so an endpoint that accepts and never answers cannot stall a script.
    public var timeout: Double? = 120
    /// `http://host:port` of a forward proxy; nil leaves curl to read the proxy variables itself, and an empty
    /// string means none.
    public var proxy: String?
    /// Hosts reached without the proxy (`NO_PROXY` syntax); applies only to a proxy from the environment.
    public var noProxy: String?
    public var maxRedirects: Int = 10
    /// A PEM bundle to verify the server against instead of the system store (`AWS_CA_BUNDLE`).
    public var caBundle: String?

    public init() {}
}
