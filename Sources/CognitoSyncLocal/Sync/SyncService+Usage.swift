import CognitoSyncModel

extension SyncService {
    func describeIdentityPoolUsage(_ request: ServiceRequest) throws -> [UInt8] {
        let usage = try locked { Self.poolUsage(try existingPool(request.route.identityPoolId)) }
        return Self.encode(ResponseBody.DescribeIdentityPoolUsageResponse(IdentityPoolUsage: usage))
    }

    func describeIdentityUsage(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let usage = try locked { () throws -> ResponseBody.IdentityUsage in
            guard let identity = try existingPool(route.identityPoolId).identities[route.identityId] else {
                throw ServiceError.notFound("Identity '\(route.identityId)' not found")
            }
            return ResponseBody.IdentityUsage(
                DataStorage: identity.dataStorage, DatasetCount: identity.existingDatasets.count,
                IdentityId: identity.id, IdentityPoolId: route.identityPoolId,
                LastModifiedDate: identity.lastModifiedDate
            )
        }
        return Self.encode(ResponseBody.DescribeIdentityUsageResponse(IdentityUsage: usage))
    }

    func listIdentityPoolUsage(_ request: ServiceRequest) throws -> [UInt8] {
        let maxResults = request.input["MaxResults"]?.intValue
        let pageSize = min(Int(clamping: maxResults ?? Int64(Self.listPoolsPageSize)), Self.listPoolsPageSize)
        let response = try locked { () throws -> ResponseBody.ListIdentityPoolUsageResponse in
            let sorted = pools.values.sorted { $0.id < $1.id }
            let (items, next) = try Self.page(
                sorted, after: request.input["NextToken"]?.stringValue, scope: ["pools"], size: pageSize,
                position: { [$0.id] }, isAfter: { $0.id > ($1.first ?? "") }
            )
            return ResponseBody.ListIdentityPoolUsageResponse(
                Count: items.count, IdentityPoolUsages: items.map(Self.poolUsage), MaxResults: pageSize,
                NextToken: next
            )
        }
        return Self.encode(response)
    }

    static func poolUsage(_ pool: PoolState) -> ResponseBody.IdentityPoolUsage {
        ResponseBody.IdentityPoolUsage(
            DataStorage: pool.dataStorage, IdentityPoolId: pool.id, LastModifiedDate: pool.settings.lastModifiedDate,
            SyncSessionsCount: pool.settings.syncSessionsCount
        )
    }
}
