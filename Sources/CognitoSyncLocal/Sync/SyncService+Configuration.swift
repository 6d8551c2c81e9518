import CognitoSyncModel

extension SyncService {
    func getIdentityPoolConfiguration(_ request: ServiceRequest) throws -> [UInt8] {
        let settings = try locked { try existingPool(request.route.identityPoolId).settings }
        return Self.encode(
            ResponseBody.GetIdentityPoolConfigurationResponse(
                CognitoStreams: settings.cognitoStreams, IdentityPoolId: request.route.identityPoolId,
                PushSync: settings.pushSync
            )
        )
    }

    func setIdentityPoolConfiguration(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        let pushSync = request.input["PushSync"].map(ResponseBody.PushSync.init(input:))
        let cognitoStreams = request.input["CognitoStreams"].map(ResponseBody.CognitoStreams.init(input:))
        let settings = try locked { () throws -> PoolSettings in
            let pool = pools[poolId] ?? PoolState(id: poolId)
            var settings = pool.settings
            if let push = pushSync {
                var merged = settings.pushSync ?? ResponseBody.PushSync()
                merged.ApplicationArns = push.ApplicationArns ?? merged.ApplicationArns
                merged.RoleArn = push.RoleArn ?? merged.RoleArn
                settings.pushSync = merged
            }
            if let streams = cognitoStreams {
                var merged = settings.cognitoStreams ?? ResponseBody.CognitoStreams()
                merged.StreamName = streams.StreamName ?? merged.StreamName
                merged.RoleArn = streams.RoleArn ?? merged.RoleArn
                merged.StreamingStatus = streams.StreamingStatus ?? merged.StreamingStatus
                settings.cognitoStreams = merged
            }
            try persist { try $0.savePool(poolId, settings) }
            pools[poolId] = pool
            pool.settings = settings
            return settings
        }
        return Self.encode(
            ResponseBody.SetIdentityPoolConfigurationResponse(
                CognitoStreams: settings.cognitoStreams, IdentityPoolId: poolId, PushSync: settings.pushSync
            )
        )
    }

    func getCognitoEvents(_ request: ServiceRequest) throws -> [UInt8] {
        let events = try locked { try existingPool(request.route.identityPoolId).settings.events }
        return Self.encode(ResponseBody.GetCognitoEventsResponse(Events: events))
    }

    func setCognitoEvents(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        var events: [(type: String, function: String)] = []
        if case .map(let entries) = request.input["Events"] {
            events = entries.map { ($0.0, $0.1.stringValue ?? "") }
        }
        if let unknown = events.first(where: { $0.type != "SyncTrigger" })?.type {
            throw ServiceError.invalidParameter(
                "Invalid Cognito event type: \(unknown); the supported type is SyncTrigger")
        }
        try locked {
            let pool = pools[poolId] ?? PoolState(id: poolId)
            var settings = pool.settings
            for (type, function) in events {
                settings.events[type] = function.isEmpty ? nil : function
            }
            try persist { try $0.savePool(poolId, settings) }
            pools[poolId] = pool
            pool.settings = settings
        }
        return []
    }

    func bulkPublish(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        let now = clock.now
        try locked {
            let pool = try existingPool(poolId)
            var settings = pool.settings
            if let last = settings.bulkPublish {
                switch last.status(at: now) {
                case "IN_PROGRESS":
                    throw ServiceError.duplicateRequest(
                        "A bulk publish is already in progress for identity pool \(poolId)")
                case "SUCCEEDED" where now < last.completionTime + Self.bulkPublishInterval:
                    throw ServiceError.alreadyStreamed(
                        "Identity pool \(poolId) was already bulk published in the last 24 hours"
                    )
                default:
                    break
                }
            }
            let streams = settings.cognitoStreams
            let ready = streams?.StreamingStatus == "ENABLED" && streams?.StreamName != nil && streams?.RoleArn != nil
            settings.bulkPublish = BulkPublishRun(
                startTime: now, duration: bulkPublishDuration,
                failureMessage: ready ? nil : "Cognito Streams is not configured and enabled for this identity pool"
            )
            try persist { try $0.savePool(poolId, settings) }
            pool.settings = settings
        }
        return Self.encode(ResponseBody.BulkPublishResponse(IdentityPoolId: poolId))
    }

    func getBulkPublishDetails(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        let now = clock.now
        let run = try locked { try existingPool(poolId).settings.bulkPublish }
        guard let run else {
            return Self.encode(
                ResponseBody.GetBulkPublishDetailsResponse(BulkPublishStatus: "NOT_STARTED", IdentityPoolId: poolId))
        }
        let status = run.status(at: now)
        return Self.encode(
            ResponseBody.GetBulkPublishDetailsResponse(
                BulkPublishCompleteTime: status == "SUCCEEDED" ? run.completionTime : nil,
                BulkPublishStartTime: run.startTime, BulkPublishStatus: status,
                FailureMessage: status == "FAILED" ? run.failureMessage : nil, IdentityPoolId: poolId
            )
        )
    }
}
