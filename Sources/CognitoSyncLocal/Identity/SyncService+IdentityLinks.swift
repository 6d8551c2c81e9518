import CognitoSyncModel

// Linking logins to identities, shared by GetId, GetOpenIdTokenForDeveloperIdentity and the unlink operations.
extension SyncService {
    /// The providers whose logins GetId accepts for a pool: its public providers, Cognito user pools, OpenID Connect
    /// providers (by the host their ARN names) and SAML providers (by ARN).
    static func loginProviders(of pool: IdentityResponseBody.IdentityPool) -> Set<String> {
        var providers = Set((pool.SupportedLoginProviders ?? [:]).keys)
        providers.formUnion((pool.CognitoIdentityProviders ?? []).compactMap(\.ProviderName))
        providers.formUnion((pool.OpenIdConnectProviderARNs ?? []).map { arn in
            arn.firstRange(of: "oidc-provider/").map { String(arn[$0.upperBound...]) } ?? arn
        })
        providers.formUnion(pool.SamlProviderARNs ?? [])
        return providers
    }

    /// The logins of a request's `Logins` map, in key order.
    static func logins(_ input: Value?) -> [LoginLink] {
        guard case .map(let entries) = input else {
            return []
        }
        return entries.map { LoginLink(provider: $0.0, value: $0.1.stringValue ?? "") }.sorted()
    }

    static func notAuthorized(_ message: String) -> ServiceError {
        .identity("NotAuthorizedException", message)
    }

    static func identityConflict(_ message: String) -> ServiceError {
        .identity("ResourceConflictException", message)
    }

    /// Links `logins` to one identity of `pool` and returns it: `target` when given (a login already linked to
    /// another identity is refused with `conflict`), else the one identity the logins already lead to, else a new
    /// identity. Logins that lead to two identities are ResourceConflictException. Committed before it is applied.
    func link(
        _ logins: [LoginLink], in pool: PoolState, to target: IdentityState?, now: Double,
        conflict: (LoginLink) -> ServiceError = {
            identityConflict("Login \($0.provider) is already linked to another identity.")
        }
    ) throws -> IdentityState {
        let identity: IdentityState
        if let target {
            if let taken = logins.first(where: { pool.loginOwners[$0].map { $0 != target.id } ?? false }) {
                throw conflict(taken)
            }
            identity = target
        } else {
            let owners = Set(logins.compactMap { pool.loginOwners[$0] })
            guard owners.count <= 1 else {
                throw Self.identityConflict("The logins given are linked to different identities.")
            }
            if let owner = owners.first, let existing = pool.identities[owner] {
                identity = existing
            } else {
                identity = IdentityState(id: Self.newId(region: pool.region), lastModifiedDate: nil)
                identity.creationDate = now
            }
        }
        let added = logins.filter { !identity.logins.contains($0) }
        let isNew = pool.identities[identity.id] == nil
        guard isNew || !added.isEmpty else {
            return identity
        }
        let staged = IdentityState(id: identity.id, lastModifiedDate: identity.lastModifiedDate)
        staged.creationDate = identity.creationDate
        staged.identityModifiedDate = added.isEmpty ? identity.identityModifiedDate : now
        staged.disabled = identity.disabled && added.isEmpty
        try persist { store in
            try store.saveIdentity(pool: pool.id, staged)
            for login in added {
                try store.saveLogin(pool: pool.id, login, identity: identity.id)
            }
        }
        identity.identityModifiedDate = staged.identityModifiedDate
        identity.disabled = staged.disabled
        identity.logins.formUnion(added)
        added.forEach { pool.loginOwners[$0] = identity.id }
        pool.identities[identity.id] = identity
        return identity
    }

    /// Unlinks `logins` from `identity`; one left without logins is disabled. Committed before it is applied.
    func unlink(_ logins: [LoginLink], from identity: IdentityState, in pool: PoolState, now: Double) throws {
        let removed = logins.filter { identity.logins.contains($0) }
        guard !removed.isEmpty else {
            return
        }
        let staged = IdentityState(id: identity.id, lastModifiedDate: identity.lastModifiedDate)
        staged.creationDate = identity.creationDate
        staged.identityModifiedDate = now
        staged.disabled = identity.logins.subtracting(removed).isEmpty
        try persist { store in
            try store.saveIdentity(pool: pool.id, staged)
            for login in removed {
                try store.deleteLogin(pool: pool.id, login)
            }
        }
        identity.identityModifiedDate = now
        identity.disabled = staged.disabled
        identity.logins.subtract(removed)
        removed.forEach { pool.loginOwners[$0] = nil }
    }

    /// Removes an identity with its datasets, devices and subscriptions. Committed before it is applied.
    func remove(_ identity: IdentityState, from pool: PoolState) throws {
        try persist { try $0.deleteIdentity(pool: pool.id, id: identity.id) }
        pool.identities[identity.id] = nil
        identity.logins.forEach { pool.loginOwners[$0] = nil }
        pool.devices = pool.devices.filter { $0.value.identityId != identity.id }
        pool.subscriptions = pool.subscriptions.filter { $0.identityId != identity.id }
    }
}
