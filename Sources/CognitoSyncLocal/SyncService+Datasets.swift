import Foundation

extension SyncService {
    func listRecords(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        var errors = ValidationErrors()
        Self.validateLabels(route, identity: true, dataset: true, errors: &errors)
        let lastSyncCount = Self.integerParameter(request.query, "lastSyncCount", minimum: 0, errors: &errors) ?? 0
        let maxResults = Self.integerParameter(request.query, "maxResults", minimum: 1, errors: &errors)
        try errors.check()
        let pageSize = min(Int(clamping: maxResults ?? Int64(Self.listRecordsPageSize)), Self.listRecordsPageSize)
        let now = clock.now

        var response = try locked { () throws -> Wire.ListRecordsResponse in
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
                changed, after: request.query["nextToken"], scope: scope, size: pageSize,
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
                    $0.hasPrefix(prefix) && ValidationErrors.isIdentityId(String($0.dropFirst(prefix.count)))
                }.sorted()
            }
            pool?.settings.syncSessionsCount += 1
            return Wire.ListRecordsResponse(
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
        let input = try decode(Wire.UpdateRecordsRequest.self, from: request.body)
        var errors = ValidationErrors()
        Self.validateLabels(route, identity: true, dataset: true, errors: &errors)
        if let deviceId = input.DeviceId {
            errors.length(deviceId, at: "deviceId", min: 1, max: 256)
        }
        errors.required(input.SyncSessionToken != nil, at: "syncSessionToken")
        let patches = input.RecordPatches ?? []
        for (index, patch) in patches.enumerated() {
            let member = "recordPatches.\(index + 1).member"
            errors.required(patch.Op != nil, at: "\(member).op")
            errors.required(patch.Key != nil, at: "\(member).key")
            errors.required(patch.SyncCount != nil, at: "\(member).syncCount")
            if let op = patch.Op {
                errors.oneOf(op, at: "\(member).op", allowed: ["replace", "remove"])
            }
            if let key = patch.Key {
                errors.length(key, at: "\(member).key", min: 1, max: 1024)
            }
            if let value = patch.Value {
                errors.length(value, at: "\(member).value", max: 1_048_575)
            }
        }
        try errors.check()
        if let index = patches.firstIndex(where: { $0.Op == "replace" && $0.Value == nil }) {
            throw ServiceError.invalidParameter("RecordPatches[\(index + 1)]: a replace operation requires a Value")
        }
        let now = clock.now
        try tokens.validate(
            input.SyncSessionToken ?? "", pool: route.identityPoolId, identity: route.identityId,
            dataset: route.datasetName, now: now
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
                let key = patch.Key ?? ""
                let current = dataset?.records[key]?.syncCount ?? 0
                let sent = patch.SyncCount ?? 0
                if sent != current {
                    throw ServiceError.conflict("Current SyncCount for: \(key) is: \(current) not: \(sent)")
                }
            }

            let counter = dataset?.meta.syncCount ?? 0
            let newCount = patches.isEmpty ? counter : counter + 1
            var staged: [String: StoredRecord] = [:]
            var order: [String] = []
            for patch in patches {
                let key = patch.Key ?? ""
                if staged[key] == nil {
                    order.append(key)
                }
                staged[key] = StoredRecord(
                    key: key, value: patch.Op == "remove" ? nil : patch.Value, syncCount: newCount,
                    lastModifiedDate: now, lastModifiedBy: request.caller,
                    deviceLastModifiedDate: patch.DeviceLastModifiedDate.map { ($0 * 1000).rounded() / 1000 }
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
            pool.settings = settings
            return records
        }
        return Self.encode(Wire.UpdateRecordsResponse(Records: written.map(Self.wireRecord)))
    }

    func describeDataset(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        var errors = ValidationErrors()
        Self.validateLabels(route, identity: true, dataset: true, errors: &errors)
        try errors.check()
        let dataset = try locked {
            try Self.wireDataset(existingDataset(route), identityId: route.identityId)
        }
        return Self.encode(Wire.DatasetResponse(Dataset: dataset))
    }

    func listDatasets(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        var errors = ValidationErrors()
        Self.validateLabels(route, identity: true, errors: &errors)
        let maxResults = Self.integerParameter(request.query, "maxResults", minimum: 1, errors: &errors)
        try errors.check()
        let pageSize = min(Int(clamping: maxResults ?? Int64(Self.listDatasetsPageSize)), Self.listDatasetsPageSize)
        let response = try locked { () throws -> Wire.ListDatasetsResponse in
            let identity = pools[route.identityPoolId]?.identities[route.identityId]
            let datasets = (identity?.existingDatasets ?? []).sorted { $0.name < $1.name }
            let (items, next) = try Self.page(
                datasets, after: request.query["nextToken"],
                scope: ["datasets", route.identityPoolId, route.identityId],
                size: pageSize, position: { [$0.name] }, isAfter: { $0.name > ($1.first ?? "") }
            )
            return Wire.ListDatasetsResponse(
                Count: items.count, Datasets: items.map { Self.wireDataset($0, identityId: route.identityId) },
                NextToken: next
            )
        }
        return Self.encode(response)
    }

    func deleteDataset(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        var errors = ValidationErrors()
        Self.validateLabels(route, identity: true, dataset: true, errors: &errors)
        try errors.check()
        let now = clock.now
        let deleted = try locked { () throws -> Wire.Dataset in
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
        return Self.encode(Wire.DatasetResponse(Dataset: deleted))
    }

    func existingDataset(_ route: RoutedRequest) throws -> DatasetState {
        guard let dataset = pools[route.identityPoolId]?.identities[route.identityId]?.datasets[route.datasetName],
            dataset.meta.exists
        else {
            throw ServiceError.notFound("Dataset \(route.datasetName) not found for identity \(route.identityId)")
        }
        return dataset
    }

    static func wireRecord(_ record: StoredRecord) -> Wire.Record {
        Wire.Record(
            DeviceLastModifiedDate: record.deviceLastModifiedDate, Key: record.key,
            LastModifiedBy: record.lastModifiedBy, LastModifiedDate: record.lastModifiedDate,
            SyncCount: record.syncCount, Value: record.value
        )
    }

    static func wireDataset(_ dataset: DatasetState, identityId: String) -> Wire.Dataset {
        Wire.Dataset(
            CreationDate: dataset.meta.creationDate, DataStorage: dataset.dataStorage, DatasetName: dataset.name,
            IdentityId: identityId, LastModifiedBy: dataset.meta.lastModifiedBy,
            LastModifiedDate: dataset.meta.lastModifiedDate, NumRecords: dataset.numRecords
        )
    }
}
