import CognitoSyncModel

extension SyncService {
    /// Links the Logins (the pool's developer provider name to a developer user identifier, and any provider GetId
    /// accepts) to IdentityId, or to the identity they lead to, or to a new one; returns it with a token
    /// (`OpenIdTokenIssuer`) valid for TokenDuration seconds. PrincipalTags are accepted and not kept: they would only
    /// go into the token's claims.
    func getOpenIdTokenForDeveloperIdentity(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        let requested = input["IdentityId"]?.stringValue
        let logins = Self.logins(input["Logins"])
        let duration = input["TokenDuration"]?.intValue ?? Self.defaultTokenDuration
        let now = clock.now
        let identity = try locked { () throws -> IdentityState in
            let pool = try identityPool(poolId)
            let description = Self.description(of: pool)
            var providers = Self.loginProviders(of: description)
            if let developer = description.DeveloperProviderName {
                providers.insert(developer)
            }
            if let unknown = logins.first(where: { !providers.contains($0.provider) }) {
                throw Self.notAuthorized("Login provider \(unknown.provider) is not configured for this identity pool.")
            }
            var target: IdentityState?
            if let requested {
                guard let existing = pool.identities[requested] else {
                    throw ServiceError.identity("ResourceNotFoundException", "Identity '\(requested)' not found.")
                }
                target = existing
            }
            return try link(logins, in: pool, to: target, now: now) { taken in
                taken.provider == description.DeveloperProviderName
                    ? .identity(
                        "DeveloperUserAlreadyRegisteredException",
                        "The developer user identifier is already registered with Cognito under a different identity.")
                    : Self.identityConflict("Login \(taken.provider) is already linked to another identity.")
            }
        }
        let token = openIdTokens.issue(pool: poolId, identity: identity.id, expires: now + Double(duration))
        return Self.encode(
            IdentityResponseBody.GetOpenIdTokenForDeveloperIdentityResponse(IdentityId: identity.id, Token: token))
    }

    /// The identity of IdentityId or DeveloperUserIdentifier (one is needed; both must agree) and its developer user
    /// identifiers, a page of MaxResults (60 by default) at a time.
    func lookupDeveloperIdentity(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        let identityId = input["IdentityId"]?.stringValue
        let user = input["DeveloperUserIdentifier"]?.stringValue
        let pageSize = Int(input["MaxResults"]?.intValue ?? 60)
        guard identityId != nil || user != nil else {
            throw ServiceError.identity(
                "InvalidParameterException", "Either IdentityId or DeveloperUserIdentifier must be given.")
        }
        let response = try locked { () throws -> IdentityResponseBody.LookupDeveloperIdentityResponse in
            let pool = try identityPool(poolId)
            let developer = Self.description(of: pool).DeveloperProviderName ?? ""
            var id = identityId
            if let user {
                guard let owner = pool.loginOwners[LoginLink(provider: developer, value: user)] else {
                    throw ServiceError.identity(
                        "ResourceNotFoundException", "Developer user identifier '\(user)' not found.")
                }
                if let identityId, identityId != owner {
                    throw Self.identityConflict(
                        "Developer user identifier '\(user)' is not linked to identity '\(identityId)'.")
                }
                id = owner
            }
            guard let id, let identity = pool.identities[id] else {
                throw ServiceError.identity("ResourceNotFoundException", "Identity '\(identityId ?? "")' not found.")
            }
            let users = identity.logins.filter { $0.provider == developer }.map(\.value).sorted()
            let (items, next) = try Self.page(
                users, after: input["NextToken"]?.stringValue, scope: ["developer", poolId, id], size: pageSize,
                position: { [$0] }, isAfter: { $0 > ($1.first ?? "") }
            )
            return IdentityResponseBody.LookupDeveloperIdentityResponse(
                IdentityId: id, DeveloperUserIdentifierList: items, NextToken: next)
        }
        return Self.encode(response)
    }

    /// Moves the source user's identity into the destination user's: its logins are linked to the destination
    /// identity and its datasets become `<dataset>.<source identity id>` there, the names Cognito Sync gives merged
    /// datasets; the source identity is deleted.
    func mergeDeveloperIdentities(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        let provider = input["DeveloperProviderName"]?.stringValue ?? ""
        let sourceUser = input["SourceUserIdentifier"]?.stringValue ?? ""
        let destinationUser = input["DestinationUserIdentifier"]?.stringValue ?? ""
        let now = clock.now
        let merged = try locked { () throws -> String in
            let pool = try identityPool(poolId)
            guard Self.description(of: pool).DeveloperProviderName == provider else {
                throw ServiceError.identity(
                    "ResourceNotFoundException", "Developer provider '\(provider)' is not this identity pool's.")
            }
            func owner(_ user: String) throws -> IdentityState {
                guard let id = pool.loginOwners[LoginLink(provider: provider, value: user)],
                    let identity = pool.identities[id]
                else {
                    throw ServiceError.identity(
                        "ResourceNotFoundException", "Developer user identifier '\(user)' not found.")
                }
                return identity
            }
            let source = try owner(sourceUser)
            let destination = try owner(destinationUser)
            guard source.id != destination.id else {
                return destination.id
            }
            let moved = source.existingDatasets.map { dataset -> DatasetState in
                let copy = DatasetState(name: dataset.name + "." + source.id, meta: dataset.meta)
                dataset.records.values.forEach(copy.put)
                return copy
            }
            let logins = Array(source.logins)
            try persist { store in
                try store.deleteIdentity(pool: pool.id, id: source.id)
                for dataset in moved {
                    try store.saveDataset(pool: pool.id, identity: destination.id, name: dataset.name, dataset.meta)
                    for record in dataset.records.values {
                        try store.saveRecord(pool: pool.id, identity: destination.id, dataset: dataset.name, record)
                    }
                }
                for login in logins {
                    try store.saveLogin(pool: pool.id, login, identity: destination.id)
                }
                let staged = IdentityState(id: destination.id, lastModifiedDate: destination.lastModifiedDate)
                staged.creationDate = destination.creationDate
                staged.identityModifiedDate = now
                try store.saveIdentity(pool: pool.id, staged)
            }
            pool.identities[source.id] = nil
            pool.devices = pool.devices.filter { $0.value.identityId != source.id }
            pool.subscriptions = pool.subscriptions.filter { $0.identityId != source.id }
            moved.forEach { destination.datasets[$0.name] = $0 }
            destination.logins.formUnion(logins)
            logins.forEach { pool.loginOwners[$0] = destination.id }
            destination.identityModifiedDate = now
            destination.disabled = false
            return destination.id
        }
        return Self.encode(IdentityResponseBody.MergeDeveloperIdentitiesResponse(IdentityId: merged))
    }

    func unlinkDeveloperIdentity(_ input: Value) throws -> [UInt8] {
        let poolId = input["IdentityPoolId"]?.stringValue ?? ""
        let id = input["IdentityId"]?.stringValue ?? ""
        let login = LoginLink(
            provider: input["DeveloperProviderName"]?.stringValue ?? "",
            value: input["DeveloperUserIdentifier"]?.stringValue ?? "")
        let now = clock.now
        try locked {
            let pool = try identityPool(poolId)
            guard let identity = pool.identities[id] else {
                throw ServiceError.identity("ResourceNotFoundException", "Identity '\(id)' not found.")
            }
            guard identity.logins.contains(login) else {
                throw ServiceError.identity(
                    "ResourceNotFoundException",
                    "Developer user identifier '\(login.value)' of \(login.provider) is not linked to identity "
                        + "'\(id)'.")
            }
            try unlink([login], from: identity, in: pool, now: now)
        }
        return []
    }
}
