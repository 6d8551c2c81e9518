import CognitoSyncModel

extension SyncService {
    func tagResource(_ input: Value) throws -> [UInt8] {
        let tags = try input["Tags"]?.decoded(as: [String: String].self) ?? [:]
        try changeTags(of: input["ResourceArn"]?.stringValue ?? "") { $0.merge(tags) { $1 } }
        return Self.encode(IdentityResponseBody.TagResourceResponse())
    }

    func untagResource(_ input: Value) throws -> [UInt8] {
        let keys = try input["TagKeys"]?.decoded(as: [String].self) ?? []
        try changeTags(of: input["ResourceArn"]?.stringValue ?? "") { tags in
            keys.forEach { tags[$0] = nil }
        }
        return Self.encode(IdentityResponseBody.UntagResourceResponse())
    }

    func listTagsForResource(_ input: Value) throws -> [UInt8] {
        let arn = input["ResourceArn"]?.stringValue ?? ""
        let tags = try locked { Self.description(of: try pool(arn: arn)).IdentityPoolTags ?? [:] }
        return Self.encode(IdentityResponseBody.ListTagsForResourceResponse(Tags: tags))
    }

    private func changeTags(of arn: String, _ change: (inout [String: String]) -> Void) throws {
        try locked {
            let pool = try pool(arn: arn)
            var description = Self.description(of: pool)
            var tags = description.IdentityPoolTags ?? [:]
            change(&tags)
            try Self.checkTags(tags)
            description.IdentityPoolTags = tags
            var settings = pool.settings
            settings.identityPool = description
            try persist { try $0.savePool(pool.id, settings) }
            pool.settings = settings
        }
    }

    /// The pool an ARN names: `arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/POOLID`, in the pool's region
    /// and the endpoint's account. Another form is InvalidParameterException; a pool that is not there,
    /// ResourceNotFoundException.
    private func pool(arn: String) throws -> PoolState {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws", parts[2] == "cognito-identity",
            parts[5].hasPrefix("identitypool/")
        else {
            throw ServiceError.identity("InvalidParameterException", "Invalid identity pool ARN: \(arn)")
        }
        let id = String(parts[5].dropFirst("identitypool/".count))
        guard parts[4] == EndpointCore.accountId, let pool = pools[id], pool.region == parts[3] else {
            throw ServiceError.identity("ResourceNotFoundException", "Resource '\(arn)' not found.")
        }
        return pool
    }
}
