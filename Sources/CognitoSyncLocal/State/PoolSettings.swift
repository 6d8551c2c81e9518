/// The pool-wide settings and counters, persisted as one JSON document per pool.
struct PoolSettings: Codable, Equatable {
    var pushSync: ResponseBody.PushSync?
    var cognitoStreams: ResponseBody.CognitoStreams?
    var events: [String: String] = [:]
    var bulkPublish: BulkPublishRun?
    var syncSessionsCount: Int64 = 0
    var lastModifiedDate: Double?
    /// The pool as Cognito Identity describes it; nil for a pool that only Cognito Sync has written to.
    var identityPool: IdentityResponseBody.IdentityPool?
    /// SetIdentityPoolRoles' roles and role mappings.
    var roles: [String: String]?
    var roleMappings: [String: IdentityResponseBody.RoleMapping]?
    /// SetPrincipalTagAttributeMap's settings by identity provider name.
    var principalTags: [String: PrincipalTagMapping]?
}
