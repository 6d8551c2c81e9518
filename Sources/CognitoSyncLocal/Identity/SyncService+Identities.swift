import CognitoSyncModel

extension SyncService {
    /// Without logins, a new unauthenticated identity (if the pool allows them). With logins, the identity they are
    /// linked to, or a new one linked to them: the same logins give the same identity again. The login
    /// `cognito-identity.amazonaws.com` takes a token of GetOpenIdTokenForDeveloperIdentity and leads to its identity.
    func getId(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        var logins = Self.logins(input["Logins"])
        let now = clock.now
        let identity = try locked { () throws -> IdentityState in
            let pool = try identityPool(poolId)
            let description = Self.description(of: pool)
            var target: IdentityState?
            if let token = logins.first(where: { $0.provider == OpenIdTokenIssuer.loginProvider }) {
                guard let id = openIdTokens.identity(in: token.value, pool: poolId, now: now),
                    let owner = pool.identities[id]
                else {
                    throw Self.notAuthorized("Invalid login token. The \(OpenIdTokenIssuer.loginProvider) token is "
                        + "not valid for this identity pool.")
                }
                target = owner
                logins.removeAll { $0.provider == OpenIdTokenIssuer.loginProvider }
            } else if logins.isEmpty && !description.AllowUnauthenticatedIdentities {
                throw Self.notAuthorized("Unauthenticated access is not supported for this identity pool.")
            }
            let providers = Self.loginProviders(of: description)
            if let unknown = logins.first(where: { !providers.contains($0.provider) }) {
                throw Self.notAuthorized("Invalid login token. Login provider \(unknown.provider) is not "
                    + "configured for this identity pool.")
            }
            return try link(logins, in: pool, to: target, now: now)
        }
        return Self.encode(IdentityResponseBody.GetIdResponse(IdentityId: identity.id))
    }

    func listIdentities(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        let pageSize = Int(input["MaxResults"]?.intValue ?? 60)
        var hideDisabled = false
        if case .bool(let flag) = input["HideDisabled"] {
            hideDisabled = flag
        }
        let response = try locked { () throws -> IdentityResponseBody.ListIdentitiesResponse in
            let pool = try identityPool(poolId)
            let listed = pool.identities.values.filter { !(hideDisabled && $0.disabled) }.sorted { $0.id < $1.id }
            let (items, next) = try Self.page(
                listed, after: input["NextToken"]?.stringValue, scope: ["identities", poolId], size: pageSize,
                position: { [$0.id] }, isAfter: { $0.id > ($1.first ?? "") }
            )
            return IdentityResponseBody.ListIdentitiesResponse(
                IdentityPoolId: poolId, Identities: items.map(Self.identityDescription), NextToken: next)
        }
        return Self.encode(response)
    }

    func describeIdentity(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityId"]?.stringValue ?? ""
        return Self.encode(try locked { Self.identityDescription(try identity(id).1) })
    }

    /// Deletes each identity with its Cognito Sync data; an id that is not found is listed as unprocessed with
    /// ErrorCode AccessDenied, and the others are deleted.
    func deleteIdentities(_ input: Value) throws -> [UInt8] {
        let ids = input["IdentityIdsToDelete"]?.listStrings ?? []
        let unprocessed = try locked { () throws -> [IdentityResponseBody.UnprocessedIdentityId] in
            var unprocessed: [IdentityResponseBody.UnprocessedIdentityId] = []
            for id in ids {
                guard let (pool, identity) = try? identity(id) else {
                    unprocessed.append(.init(IdentityId: id, ErrorCode: "AccessDenied"))
                    continue
                }
                try remove(identity, from: pool)
            }
            return unprocessed
        }
        return Self.encode(IdentityResponseBody.DeleteIdentitiesResponse(UnprocessedIdentityIds: unprocessed))
    }

    /// Unlinks the providers of LoginsToRemove from an identity. Logins must prove the caller holds the identity:
    /// each must be linked to it (a `cognito-identity.amazonaws.com` token must name it).
    func unlinkIdentity(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityId"]?.stringValue ?? ""
        let proof = Self.logins(input["Logins"])
        let providers = Set(input["LoginsToRemove"]?.listStrings ?? [])
        let now = clock.now
        try locked {
            let (pool, identity) = try identity(id)
            for login in proof {
                let holds =
                    login.provider == OpenIdTokenIssuer.loginProvider
                    ? openIdTokens.identity(in: login.value, pool: pool.id, now: now) == id
                    : identity.logins.contains(login)
                guard holds else {
                    throw Self.notAuthorized(
                        "Logins don't match. Please include at least one valid login for this identity or "
                            + "identity pool.")
                }
            }
            try unlink(identity.logins.filter { providers.contains($0.provider) }, from: identity, in: pool, now: now)
        }
        return []
    }

    static func identityDescription(_ identity: IdentityState) -> IdentityResponseBody.IdentityDescription {
        IdentityResponseBody.IdentityDescription(
            IdentityId: identity.id, Logins: Array(Set(identity.logins.map(\.provider))).sorted(),
            CreationDate: identity.creationDate ?? identity.lastModifiedDate,
            LastModifiedDate: identity.identityModifiedDate ?? identity.creationDate ?? identity.lastModifiedDate
        )
    }
}
