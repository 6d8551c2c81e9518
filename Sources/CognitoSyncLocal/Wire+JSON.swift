extension Wire.Dataset {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("CreationDate", seconds: CreationDate)
            if let DataStorage { out.member("DataStorage", DataStorage) }
            out.member("DatasetName", DatasetName)
            out.member("IdentityId", IdentityId)
            out.member("LastModifiedBy", LastModifiedBy)
            out.member("LastModifiedDate", seconds: LastModifiedDate)
            if let NumRecords { out.member("NumRecords", NumRecords) }
        }
    }
}

extension Wire.Record {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("DeviceLastModifiedDate", seconds: DeviceLastModifiedDate)
            out.member("Key", Key)
            out.member("LastModifiedBy", LastModifiedBy)
            out.member("LastModifiedDate", seconds: LastModifiedDate)
            out.member("SyncCount", SyncCount)
            out.member("Value", Value)
        }
    }
}

extension Wire.IdentityPoolUsage {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("DataStorage", DataStorage)
            out.member("IdentityPoolId", IdentityPoolId)
            out.member("LastModifiedDate", seconds: LastModifiedDate)
            out.member("SyncSessionsCount", SyncSessionsCount)
        }
    }
}

extension Wire.IdentityUsage {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("DataStorage", DataStorage)
            out.member("DatasetCount", DatasetCount)
            out.member("IdentityId", IdentityId)
            out.member("IdentityPoolId", IdentityPoolId)
            out.member("LastModifiedDate", seconds: LastModifiedDate)
        }
    }
}

extension Wire.PushSync {
    func write(to output: inout JSONOutput) {
        output.object { out in
            if let ApplicationArns { out.member("ApplicationArns", ApplicationArns) }
            out.member("RoleArn", RoleArn)
        }
    }
}

extension Wire.CognitoStreams {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("RoleArn", RoleArn)
            out.member("StreamName", StreamName)
            out.member("StreamingStatus", StreamingStatus)
        }
    }
}

extension Wire.DatasetResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.key("Dataset")
            Dataset.write(to: &out)
        }
    }
}

extension Wire.ListDatasetsResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("Count", Count)
            out.key("Datasets")
            out.array(Datasets) { $1.write(to: &$0) }
            out.member("NextToken", NextToken)
        }
    }
}

extension Wire.ListIdentityPoolUsageResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("Count", Count)
            out.key("IdentityPoolUsages")
            out.array(IdentityPoolUsages) { $1.write(to: &$0) }
            out.member("MaxResults", MaxResults)
            out.member("NextToken", NextToken)
        }
    }
}

extension Wire.ListRecordsResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("Count", Count)
            out.member("DatasetDeletedAfterRequestedSyncCount", DatasetDeletedAfterRequestedSyncCount)
            out.member("DatasetExists", DatasetExists)
            out.member("DatasetSyncCount", DatasetSyncCount)
            out.member("LastModifiedBy", LastModifiedBy)
            if let MergedDatasetNames { out.member("MergedDatasetNames", MergedDatasetNames) }
            out.member("NextToken", NextToken)
            out.key("Records")
            out.array(Records) { $1.write(to: &$0) }
            out.member("SyncSessionToken", SyncSessionToken)
        }
    }
}

extension Wire.UpdateRecordsResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.key("Records")
            out.array(Records) { $1.write(to: &$0) }
        }
    }
}

extension Wire.IdentityPoolUsageResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.key("IdentityPoolUsage")
            IdentityPoolUsage.write(to: &out)
        }
    }
}

extension Wire.IdentityUsageResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.key("IdentityUsage")
            IdentityUsage.write(to: &out)
        }
    }
}

extension Wire.BulkPublishResponse {
    func write(to output: inout JSONOutput) {
        output.object { $0.member("IdentityPoolId", IdentityPoolId) }
    }
}

extension Wire.GetBulkPublishDetailsResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            out.member("BulkPublishCompleteTime", seconds: BulkPublishCompleteTime)
            out.member("BulkPublishStartTime", seconds: BulkPublishStartTime)
            out.member("BulkPublishStatus", BulkPublishStatus)
            out.member("FailureMessage", FailureMessage)
            out.member("IdentityPoolId", IdentityPoolId)
        }
    }
}

extension Wire.EventsResponse {
    func write(to output: inout JSONOutput) {
        output.object { $0.member("Events", Events) }
    }
}

extension Wire.ConfigurationResponse {
    func write(to output: inout JSONOutput) {
        output.object { out in
            if let CognitoStreams {
                out.key("CognitoStreams")
                CognitoStreams.write(to: &out)
            }
            out.member("IdentityPoolId", IdentityPoolId)
            if let PushSync {
                out.key("PushSync")
                PushSync.write(to: &out)
            }
        }
    }
}

extension Wire.RegisterDeviceResponse {
    func write(to output: inout JSONOutput) {
        output.object { $0.member("DeviceId", DeviceId) }
    }
}

extension Wire.ErrorBody {
    func write(to output: inout JSONOutput) {
        output.object { $0.member("message", message) }
    }
}
