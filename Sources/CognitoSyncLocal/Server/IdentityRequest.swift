import CognitoSyncModel

/// One authenticated and validated Cognito Identity request handed to the service.
struct IdentityRequest {
    var operation: IdentityOperation
    /// The operation's input members by name, checked against the model and typed as `ModelValidator` reads them.
    var input: Value
    /// The region of the caller's credential scope (nil for an unsigned request); new pools are created in it.
    var region: String?
}
