/// Where a request member is placed on the wire.
public enum Location: Equatable, Sendable {
    /// In the JSON body, under the member name.
    case body
    /// In the URI path, replacing the `{label}` of the template.
    case uri(String)
    /// In the query string, under the given name.
    case querystring(String)
    /// In the HTTP header with the given name.
    case header(String)
}
