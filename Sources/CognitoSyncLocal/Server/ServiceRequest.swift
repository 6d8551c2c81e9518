import CognitoSyncModel

/// One authenticated, routed and validated request handed to the service.
struct ServiceRequest {
    var route: RoutedRequest
    /// The operation's input members by name, checked against the model and typed as `ModelValidator` reads them.
    var input: Value
    /// The account the caller's credentials belong to; it becomes LastModifiedBy on writes.
    var caller: String
}
