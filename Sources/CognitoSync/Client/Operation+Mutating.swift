import CognitoSyncModel

extension Operation {
    /// True for operations that change state on the service; a dry run validates these and does not send them.
    /// Reads are the GETs and, among POSTs, the operations named as reads (`GetBulkPublishDetails`,
    /// `DescribeIdentityPool`, `ListIdentities`, `LookupDeveloperIdentity`), except Cognito Identity's `GetId` and
    /// `GetOpenIdTokenForDeveloperIdentity`, which create an identity when none exists yet.
    public var isMutating: Bool {
        if method == "GET" {
            return false
        }
        if name == "GetId" || name == "GetOpenIdTokenForDeveloperIdentity" {
            return true
        }
        return !["Get", "Describe", "List", "Lookup"].contains { name.hasPrefix($0) }
    }
}
