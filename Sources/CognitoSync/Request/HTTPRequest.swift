import CognitoSyncModel
import SigV4

/// A serialised request, before the endpoint, signing and transport headers are added.
public struct HTTPRequest {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The path as sent on the wire: each URI label percent-encoded once.
    public var path: String
    /// Query parameters, decoded, in model member order.
    var query: [(String, String)]
    /// Headers set by the operation's members and its body (`Content-Type`), in the order botocore sets them.
    var headers: [(String, String)]
    /// The request body; empty when the operation sends none.
    public var body: [UInt8]

    /// Creates a request.
    init(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
         body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The query string without the `?`: names and values RFC 3986-encoded, in `query` order, joined by `&`.
    public var encodedQuery: String {
        query.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
    }

    /// The request target: `path`, plus `?` and `encodedQuery` when there is a query.
    var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + encodedQuery
    }

    /// The value of the first header named `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        HTTPHeader.value(name, in: headers)
    }
}
