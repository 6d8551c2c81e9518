import CognitoSyncModel

extension SyncService {
    func createIdentityPool(_ input: Value, region: String?) throws -> [UInt8] {
        guard case .map(let members) = input else {
            throw ServiceError.serialization("The request body is not a JSON object")
        }
        let id = Self.newId(region: region ?? "us-east-1")
        var description = try Value.map([("IdentityPoolId", .string(id))] + members)
            .decoded(as: IdentityResponseBody.IdentityPool.self)
        description.AllowClassicFlow = description.AllowClassicFlow ?? false
        try Self.checkTags(description.IdentityPoolTags ?? [:])
        let created = description
        try locked {
            guard pools.count < Self.maxIdentityPools else {
                throw ServiceError.identity(
                    "LimitExceededException",
                    "You have reached the maximum of \(Self.maxIdentityPools) identity pools for this account.")
            }
            let pool = PoolState(id: id)
            pool.settings.identityPool = created
            try persist { try $0.savePool(id, pool.settings) }
            pools[id] = pool
        }
        return Self.encode(created)
    }

    func describeIdentityPool(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        return Self.encode(try locked { Self.description(of: try identityPool(id)) })
    }

    /// Replaces the pool's configuration: a member left out returns to its default, as the service documents,
    /// except the tags, which TagResource and UntagResource manage and which are kept when left out. The developer
    /// provider name cannot change once set.
    func updateIdentityPool(_ input: Value) throws -> [UInt8] {
        var update = try input.decoded(as: IdentityResponseBody.IdentityPool.self)
        update.AllowClassicFlow = update.AllowClassicFlow ?? false
        try Self.checkTags(update.IdentityPoolTags ?? [:])
        let updated = try locked { () throws -> IdentityResponseBody.IdentityPool in
            let pool = try identityPool(update.IdentityPoolId)
            let current = Self.description(of: pool)
            if let developer = current.DeveloperProviderName, update.DeveloperProviderName != developer {
                throw ServiceError.identity(
                    "InvalidParameterException",
                    "The DeveloperProviderName of an identity pool cannot be changed once set (it is '\(developer)').")
            }
            update.IdentityPoolTags = update.IdentityPoolTags ?? current.IdentityPoolTags
            var settings = pool.settings
            settings.identityPool = update
            try persist { try $0.savePool(pool.id, settings) }
            pool.settings = settings
            return update
        }
        return Self.encode(updated)
    }

    /// Deletes the pool with everything in it, its identities' Cognito Sync data included.
    func deleteIdentityPool(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        try locked {
            _ = try identityPool(id)
            try persist { try $0.deletePool(id) }
            pools[id] = nil
        }
        return []
    }

    func listIdentityPools(_ input: Value) throws -> [UInt8] {
        let pageSize = Int(input["MaxResults"]?.intValue ?? 60)
        let response = try locked { () throws -> IdentityResponseBody.ListIdentityPoolsResponse in
            let sorted = pools.values.sorted { $0.id < $1.id }
            let (items, next) = try Self.page(
                sorted, after: input["NextToken"]?.stringValue, scope: ["identitypools"], size: pageSize,
                position: { [$0.id] }, isAfter: { $0.id > ($1.first ?? "") }
            )
            return IdentityResponseBody.ListIdentityPoolsResponse(
                IdentityPools: items.map {
                    let description = Self.description(of: $0)
                    return IdentityResponseBody.IdentityPoolShortDescription(
                        IdentityPoolId: description.IdentityPoolId, IdentityPoolName: description.IdentityPoolName)
                },
                NextToken: next
            )
        }
        return Self.encode(response)
    }

    /// Replaces the pool's roles and role mappings. A mapping of type Rules needs its RulesConfiguration.
    func setIdentityPoolRoles(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        let roles = try input["Roles"]?.decoded(as: [String: String].self) ?? [:]
        let mappings =
            try input["RoleMappings"]?.decoded(as: [String: IdentityResponseBody.RoleMapping].self) ?? [:]
        for (provider, mapping) in mappings.sorted(by: { $0.key < $1.key }) {
            if mapping.Type == "Rules" && mapping.RulesConfiguration == nil {
                throw ServiceError.identity(
                    "InvalidParameterException",
                    "RulesConfiguration is required for the role mapping of \(provider), whose Type is Rules.")
            }
            if mapping.Type == "Token" && mapping.RulesConfiguration != nil {
                throw ServiceError.identity(
                    "InvalidParameterException",
                    "RulesConfiguration is only allowed for role mappings of type Rules (\(provider) is Token).")
            }
        }
        try locked {
            let pool = try identityPool(id)
            var settings = pool.settings
            settings.roles = roles
            settings.roleMappings = mappings
            try persist { try $0.savePool(id, settings) }
            pool.settings = settings
        }
        return []
    }

    func getIdentityPoolRoles(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        let settings = try locked { try identityPool(id).settings }
        return Self.encode(
            IdentityResponseBody.GetIdentityPoolRolesResponse(
                IdentityPoolId: id, Roles: settings.roles ?? [:],
                RoleMappings: settings.roleMappings.flatMap { $0.isEmpty ? nil : $0 }
            )
        )
    }

    /// Keeps the principal tag mapping of one identity provider. UseDefaults left out is false.
    func setPrincipalTagAttributeMap(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        let provider = input["IdentityProviderName"]?.stringValue ?? ""
        var useDefaults = false
        if case .bool(let flag) = input["UseDefaults"] {
            useDefaults = flag
        }
        let mapping = PrincipalTagMapping(
            useDefaults: useDefaults, principalTags: try input["PrincipalTags"]?.decoded(as: [String: String].self))
        try locked {
            let pool = try identityPool(id)
            var settings = pool.settings
            settings.principalTags = (settings.principalTags ?? [:]).merging([provider: mapping]) { $1 }
            try persist { try $0.savePool(id, settings) }
            pool.settings = settings
        }
        return Self.encode(
            IdentityResponseBody.SetPrincipalTagAttributeMapResponse(
                IdentityPoolId: id, IdentityProviderName: provider, UseDefaults: mapping.useDefaults,
                PrincipalTags: mapping.principalTags
            )
        )
    }

    /// A provider never given a mapping uses the default one.
    func getPrincipalTagAttributeMap(_ input: Value) throws -> [UInt8] {
        let id = input["IdentityPoolId"]?.stringValue ?? ""
        let provider = input["IdentityProviderName"]?.stringValue ?? ""
        let mapping = try locked { try identityPool(id).settings.principalTags?[provider] }
            ?? PrincipalTagMapping(useDefaults: true, principalTags: nil)
        return Self.encode(
            IdentityResponseBody.GetPrincipalTagAttributeMapResponse(
                IdentityPoolId: id, IdentityProviderName: provider, UseDefaults: mapping.useDefaults,
                PrincipalTags: mapping.principalTags
            )
        )
    }

    static func checkTags(_ tags: [String: String]) throws {
        if tags.count > maxPoolTags {
            throw ServiceError.identity(
                "InvalidParameterException",
                "An identity pool can have at most \(maxPoolTags) tags; this request would give it \(tags.count).")
        }
    }
}
