extension SyncService {
    func getIdentityPoolConfiguration(_ request: ServiceRequest) throws -> [UInt8] {
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        try errors.check()
        let settings = try locked { try existingPool(request.route.identityPoolId).settings }
        return Self.encode(
            Wire.ConfigurationResponse(
                CognitoStreams: settings.cognitoStreams, IdentityPoolId: request.route.identityPoolId,
                PushSync: settings.pushSync
            )
        )
    }

    func setIdentityPoolConfiguration(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        let input = try decode(Wire.SetIdentityPoolConfigurationRequest.self, from: request.body)
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        if let push = input.PushSync {
            for (index, arn) in (push.ApplicationArns ?? []).enumerated() {
                errors.pattern(
                    arn, at: "pushSync.applicationArns.\(index + 1).member", ValidationErrors.applicationArnPattern)
            }
            if let role = push.RoleArn {
                Self.validateRoleArn(role, at: "pushSync.roleArn", errors: &errors)
            }
        }
        if let streams = input.CognitoStreams {
            if let name = streams.StreamName {
                errors.length(name, at: "cognitoStreams.streamName", min: 1, max: 128)
            }
            if let role = streams.RoleArn {
                Self.validateRoleArn(role, at: "cognitoStreams.roleArn", errors: &errors)
            }
            if let status = streams.StreamingStatus {
                errors.oneOf(status, at: "cognitoStreams.streamingStatus", allowed: ["ENABLED", "DISABLED"])
            }
        }
        try errors.check()

        let settings = try locked { () throws -> PoolSettings in
            let pool = pools[poolId] ?? PoolState(id: poolId)
            var settings = pool.settings
            if let push = input.PushSync {
                var merged = settings.pushSync ?? Wire.PushSync()
                merged.ApplicationArns = push.ApplicationArns ?? merged.ApplicationArns
                merged.RoleArn = push.RoleArn ?? merged.RoleArn
                settings.pushSync = merged
            }
            if let streams = input.CognitoStreams {
                var merged = settings.cognitoStreams ?? Wire.CognitoStreams()
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
            Wire.ConfigurationResponse(
                CognitoStreams: settings.cognitoStreams, IdentityPoolId: poolId, PushSync: settings.pushSync
            )
        )
    }

    func getCognitoEvents(_ request: ServiceRequest) throws -> [UInt8] {
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        try errors.check()
        let events = try locked { try existingPool(request.route.identityPoolId).settings.events }
        return Self.encode(Wire.EventsResponse(Events: events))
    }

    func setCognitoEvents(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        let input = try decode(Wire.SetCognitoEventsRequest.self, from: request.body)
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        errors.required(input.Events != nil, at: "events")
        let events = input.Events ?? [:]
        errors.count(events.count, of: "\(events)", at: "events", max: 1)
        try errors.check()
        if let unknown = events.keys.first(where: { $0 != "SyncTrigger" }) {
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
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        try errors.check()
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
        return Self.encode(Wire.BulkPublishResponse(IdentityPoolId: poolId))
    }

    func getBulkPublishDetails(_ request: ServiceRequest) throws -> [UInt8] {
        let poolId = request.route.identityPoolId
        var errors = ValidationErrors()
        Self.validateLabels(request.route, errors: &errors)
        try errors.check()
        let now = clock.now
        let run = try locked { try existingPool(poolId).settings.bulkPublish }
        guard let run else {
            return Self.encode(
                Wire.GetBulkPublishDetailsResponse(BulkPublishStatus: "NOT_STARTED", IdentityPoolId: poolId))
        }
        let status = run.status(at: now)
        return Self.encode(
            Wire.GetBulkPublishDetailsResponse(
                BulkPublishCompleteTime: status == "SUCCEEDED" ? run.completionTime : nil,
                BulkPublishStartTime: run.startTime, BulkPublishStatus: status,
                FailureMessage: status == "FAILED" ? run.failureMessage : nil, IdentityPoolId: poolId
            )
        )
    }

    private static func validateRoleArn(_ role: String, at member: String, errors: inout ValidationErrors) {
        errors.length(role, at: member, min: 20, max: 2048)
        errors.pattern(role, at: member, ValidationErrors.roleArnPattern)
    }
}
