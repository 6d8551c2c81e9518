import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SyncService {
    private static let identityIdShape = ServiceModel.cognitoSync.shapes["IdentityId"]

    func listRecords(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let lastSyncCount = request.input["LastSyncCount"]?.intValue ?? 0
        let maxResults = request.input["MaxResults"]?.intValue
        let pageSize = min(Int(clamping: maxResults ?? Int64(Self.listRecordsPageSize)), Self.listRecordsPageSize)
        let now = clock.now

        var response = try locked { () throws -> ResponseBody.ListRecordsResponse in
            let pool = pools[route.identityPoolId]
            let identity = pool?.identities[route.identityId]
            let dataset = identity?.datasets[route.datasetName]
            let counter = dataset?.meta.syncCount ?? 0
            if lastSyncCount > counter {
                throw ServiceError.invalidParameter("No such SyncCount: \(lastSyncCount) exists for this Dataset")
            }
            let exists = dataset?.meta.exists ?? false
            var changed: [StoredRecord] = []
            if let dataset, exists {
                changed = dataset.records.values.filter { $0.syncCount > lastSyncCount }
                changed.sort { ($0.syncCount, $0.key) < ($1.syncCount, $1.key) }
            }
            let scope = ["records", route.identityPoolId, route.identityId, route.datasetName]
            let (records, next) = try Self.page(
                changed, after: request.input["NextToken"]?.stringValue, scope: scope, size: pageSize,
                position: { [String($0.syncCount), $0.key] },
                isAfter: { record, start in
                    guard start.count == 2, let count = Int64(start[0]) else {
                        return true
                    }
                    return (record.syncCount, record.key) > (count, start[1])
                }
            )
            var deletedAfter = false
            if let deletedAt = dataset?.meta.deletedAtSyncCount, lastSyncCount > 0 {
                deletedAfter = lastSyncCount <= deletedAt
            }
            var merged: [String] = []
            if let identity, exists {
                let prefix = route.datasetName + "."
                merged = identity.existingDatasets.map(\.name).filter {
                    $0.hasPrefix(prefix) && Self.isIdentityId(String($0.dropFirst(prefix.count)))
                }.sorted()
            }
            pool?.settings.syncSessionsCount += 1
            return ResponseBody.ListRecordsResponse(
                Count: records.count, DatasetDeletedAfterRequestedSyncCount: deletedAfter, DatasetExists: exists,
                DatasetSyncCount: counter, LastModifiedBy: exists ? dataset?.meta.lastModifiedBy : nil,
                MergedDatasetNames: merged.isEmpty ? nil : merged, NextToken: next,
                Records: records.map(Self.wireRecord), SyncSessionToken: ""
            )
        }
        response.SyncSessionToken = tokens.issue(
            pool: route.identityPoolId, identity: route.identityId, dataset: route.datasetName, now: now
        )
        return Self.encode(response)
    }

    func updateRecords(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        var patches: [RecordPatch] = []
        if case .list(let items) = request.input["RecordPatches"] {
            patches = items.map(RecordPatch.init(input:))
        }
        if let index = patches.firstIndex(where: { $0.op == "replace" && $0.value == nil }) {
            throw ServiceError.invalidParameter("RecordPatches[\(index + 1)]: a replace operation requires a Value")
        }
        let now = clock.now
        let token = request.input["SyncSessionToken"]?.stringValue ?? ""
        try tokens.validate(
            token, pool: route.identityPoolId, identity: route.identityId, dataset: route.datasetName, now: now
        )

        let written = try locked { () throws -> [StoredRecord] in
            let pool = pools[route.identityPoolId] ?? PoolState(id: route.identityPoolId)
            let identity =
                pool.identities[route.identityId] ?? IdentityState(id: route.identityId, lastModifiedDate: nil)
            let dataset = identity.datasets[route.datasetName]
            let exists = dataset?.meta.exists ?? false
            if !exists && identity.existingDatasets.count >= Self.maxDatasetsPerIdentity {
                throw ServiceError.limitExceeded(
                    "Cannot create dataset \(route.datasetName): identity \(route.identityId) already has "
                        + "\(Self.maxDatasetsPerIdentity) datasets, the maximum allowed"
                )
            }
            for patch in patches {
                let current = dataset?.records[patch.key]?.syncCount ?? 0
                if patch.syncCount != current {
                    throw ServiceError.conflict(
                        "Current SyncCount for: \(patch.key) is: \(current) not: \(patch.syncCount)")
                }
            }

            let counter = dataset?.meta.syncCount ?? 0
            let newCount = patches.isEmpty ? counter : counter + 1
            var staged: [String: StoredRecord] = [:]
            var order: [String] = []
            for patch in patches {
                if staged[patch.key] == nil {
                    order.append(patch.key)
                }
                staged[patch.key] = StoredRecord(
                    key: patch.key, value: patch.op == "remove" ? nil : patch.value, syncCount: newCount,
                    lastModifiedDate: now, lastModifiedBy: request.caller,
                    deviceLastModifiedDate: patch.deviceLastModifiedDate.map { ($0 * 1000).rounded() / 1000 }
                )
            }
            var numRecords = dataset?.numRecords ?? 0
            var dataStorage = dataset?.dataStorage ?? 0
            for record in staged.values {
                if let old = dataset?.records[record.key] {
                    numRecords -= old.value == nil ? 0 : 1
                    dataStorage -= old.storageBytes
                }
                numRecords += record.value == nil ? 0 : 1
                dataStorage += record.storageBytes
            }
            if numRecords > Self.maxRecordsPerDataset {
                throw ServiceError.limitExceeded(
                    "Dataset \(route.datasetName) would hold \(numRecords) records; the maximum is "
                        + "\(Self.maxRecordsPerDataset)"
                )
            }
            if dataStorage > Self.maxDatasetBytes {
                throw ServiceError.limitExceeded(
                    "Dataset \(route.datasetName) would use \(dataStorage) bytes; the maximum is "
                        + "\(Self.maxDatasetBytes)"
                )
            }

            var meta =
                dataset?.meta
                ?? DatasetMeta(
                    exists: false, creationDate: now, lastModifiedDate: now, lastModifiedBy: request.caller,
                    syncCount: 0, deletedAtSyncCount: nil
                )
            if !meta.exists {
                meta.exists = true
                meta.creationDate = now
            }
            meta.syncCount = newCount
            meta.lastModifiedDate = now
            meta.lastModifiedBy = request.caller
            var settings = pool.settings
            settings.lastModifiedDate = now
            let records = order.compactMap { staged[$0] }

            try persist { store in
                try store.savePool(pool.id, settings)
                try store.saveIdentity(pool: pool.id, id: identity.id, lastModifiedDate: now)
                try store.saveDataset(pool: pool.id, identity: identity.id, name: route.datasetName, meta)
                for record in records {
                    try store.saveRecord(pool: pool.id, identity: identity.id, dataset: route.datasetName, record)
                }
            }

            pools[pool.id] = pool
            pool.identities[identity.id] = identity
            let target = dataset ?? DatasetState(name: route.datasetName, meta: meta)
            identity.datasets[route.datasetName] = target
            target.meta = meta
            records.forEach(target.put)
            identity.lastModifiedDate = now
            identity.creationDate = identity.creationDate ?? now
            pool.settings = settings
            return records
        }
        return Self.encode(ResponseBody.UpdateRecordsResponse(Records: written.map(Self.wireRecord)))
    }

    func describeDataset(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let dataset = try locked {
            try Self.wireDataset(existingDataset(route), identityId: route.identityId)
        }
        return Self.encode(ResponseBody.DescribeDatasetResponse(Dataset: dataset))
    }

    func listDatasets(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let maxResults = request.input["MaxResults"]?.intValue
        let pageSize = min(Int(clamping: maxResults ?? Int64(Self.listDatasetsPageSize)), Self.listDatasetsPageSize)
        let response = try locked { () throws -> ResponseBody.ListDatasetsResponse in
            let identity = pools[route.identityPoolId]?.identities[route.identityId]
            let datasets = (identity?.existingDatasets ?? []).sorted { $0.name < $1.name }
            let (items, next) = try Self.page(
                datasets, after: request.input["NextToken"]?.stringValue,
                scope: ["datasets", route.identityPoolId, route.identityId],
                size: pageSize, position: { [$0.name] }, isAfter: { $0.name > ($1.first ?? "") }
            )
            return ResponseBody.ListDatasetsResponse(
                Count: items.count, Datasets: items.map { Self.wireDataset($0, identityId: route.identityId) },
                NextToken: next
            )
        }
        return Self.encode(response)
    }

    func deleteDataset(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let now = clock.now
        let deleted = try locked { () throws -> ResponseBody.Dataset in
            let dataset = try existingDataset(route)
            let before = Self.wireDataset(dataset, identityId: route.identityId)
            guard let pool = pools[route.identityPoolId], let identity = pool.identities[route.identityId] else {
                throw ServiceError.internalError()
            }
            var meta = dataset.meta
            meta.exists = false
            meta.deletedAtSyncCount = meta.syncCount
            meta.lastModifiedDate = now
            meta.lastModifiedBy = request.caller
            var settings = pool.settings
            settings.lastModifiedDate = now
            try persist { store in
                try store.savePool(pool.id, settings)
                try store.saveIdentity(pool: pool.id, id: identity.id, lastModifiedDate: now)
                try store.saveDataset(pool: pool.id, identity: identity.id, name: dataset.name, meta)
                try store.deleteRecords(pool: pool.id, identity: identity.id, dataset: dataset.name)
            }
            dataset.meta = meta
            dataset.removeAllRecords()
            identity.lastModifiedDate = now
            pool.settings = settings
            return before
        }
        return Self.encode(ResponseBody.DeleteDatasetResponse(Dataset: deleted))
    }

    func existingDataset(_ route: RoutedRequest) throws -> DatasetState {
        guard let dataset = pools[route.identityPoolId]?.identities[route.identityId]?.datasets[route.datasetName],
            dataset.meta.exists
        else {
            throw ServiceError.notFound("Dataset \(route.datasetName) not found for identity \(route.identityId)")
        }
        return dataset
    }

    /// Whether `text` is an identity id by the model's IdentityId shape.
    private static func isIdentityId(_ text: String) -> Bool {
        identityIdShape.map { ModelValidator.accepts(.string(text), as: $0) } ?? false
    }

    static func wireRecord(_ record: StoredRecord) -> ResponseBody.Record {
        ResponseBody.Record(
            DeviceLastModifiedDate: record.deviceLastModifiedDate, Key: record.key,
            LastModifiedBy: record.lastModifiedBy, LastModifiedDate: record.lastModifiedDate,
            SyncCount: record.syncCount, Value: record.value
        )
    }

    static func wireDataset(_ dataset: DatasetState, identityId: String) -> ResponseBody.Dataset {
        ResponseBody.Dataset(
            CreationDate: dataset.meta.creationDate, DataStorage: dataset.dataStorage, DatasetName: dataset.name,
            IdentityId: identityId, LastModifiedBy: dataset.meta.lastModifiedBy,
            LastModifiedDate: dataset.meta.lastModifiedDate, NumRecords: dataset.numRecords
        )
    }
}
