/// One authenticated, routed request handed to the service.
struct ServiceRequest {
    var route: RoutedRequest
    /// Decoded query parameters; the first occurrence of a name wins.
    var query: [String: String]
    var body: [UInt8]
    /// The account the caller's credentials belong to; it becomes LastModifiedBy on writes.
    var caller: String
}
