import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Cognito Identity's operations run over the same state as Cognito Sync's: one set of pools and identities under
// one lock, so an identity either service creates is the other's too.
extension SyncService {
    /// The most identity pools an account may have (the service's default quota).
    static let maxIdentityPools = 1000
    /// The most tags a pool may carry.
    static let maxPoolTags = 50
    /// The default and the longest lifetime of a GetOpenIdTokenForDeveloperIdentity token, in seconds.
    static let defaultTokenDuration: Int64 = 15 * 60

    /// Runs one validated Cognito Identity request and returns its JSON response body.
    func execute(_ request: IdentityRequest) throws -> [UInt8] {
        let input = request.input
        switch request.operation {
        case .createIdentityPool: return try createIdentityPool(input, region: request.region)
        case .describeIdentityPool: return try describeIdentityPool(input)
        case .updateIdentityPool: return try updateIdentityPool(input)
        case .deleteIdentityPool: return try deleteIdentityPool(input)
        case .listIdentityPools: return try listIdentityPools(input)
        case .tagResource: return try tagResource(input)
        case .untagResource: return try untagResource(input)
        case .listTagsForResource: return try listTagsForResource(input)
        case .setIdentityPoolRoles: return try setIdentityPoolRoles(input)
        case .getIdentityPoolRoles: return try getIdentityPoolRoles(input)
        case .setPrincipalTagAttributeMap: return try setPrincipalTagAttributeMap(input)
        case .getPrincipalTagAttributeMap: return try getPrincipalTagAttributeMap(input)
        case .getId: return try getId(input)
        case .listIdentities: return try listIdentities(input)
        case .describeIdentity: return try describeIdentity(input)
        case .deleteIdentities: return try deleteIdentities(input)
        case .unlinkIdentity: return try unlinkIdentity(input)
        case .lookupDeveloperIdentity: return try lookupDeveloperIdentity(input)
        case .getOpenIdTokenForDeveloperIdentity: return try getOpenIdTokenForDeveloperIdentity(input)
        case .mergeDeveloperIdentities: return try mergeDeveloperIdentities(input)
        case .unlinkDeveloperIdentity: return try unlinkDeveloperIdentity(input)
        case .getCredentialsForIdentity, .getOpenIdToken:
            throw ServiceError.notEmulated(request.operation.rawValue)
        }
    }

    func identityPool(_ id: String) throws -> PoolState {
        guard let pool = pools[id] else {
            throw ServiceError.identity("ResourceNotFoundException", "IdentityPool '\(id)' not found.")
        }
        return pool
    }

    /// The pool and identity of an identity id, wherever it lives.
    func identity(_ id: String) throws -> (PoolState, IdentityState) {
        for pool in pools.values {
            if let identity = pool.identities[id] {
                return (pool, identity)
            }
        }
        throw ServiceError.identity("ResourceNotFoundException", "Identity '\(id)' not found.")
    }

    /// A pool as Cognito Identity describes it. A pool only Cognito Sync has written to is named after the part of
    /// its id after the region, and allows no unauthenticated identities.
    static func description(of pool: PoolState) -> IdentityResponseBody.IdentityPool {
        pool.settings.identityPool
            ?? IdentityResponseBody.IdentityPool(
                IdentityPoolId: pool.id, IdentityPoolName: String(pool.id.drop { $0 != ":" }.dropFirst()),
                AllowUnauthenticatedIdentities: false, AllowClassicFlow: false
            )
    }

    static func newId(region: String) -> String {
        region + ":" + UUID().uuidString.lowercased()
    }
}
