import CognitoSyncModel

extension Wire {
    /// One entry of UpdateRecords' RecordPatches, read from validated input (which guarantees the required
    /// members).
    struct RecordPatch {
        var op: String
        var key: String
        var syncCount: Int64
        var value: String?
        var deviceLastModifiedDate: Double?

        init(input: Value) {
            op = input["Op"]?.stringValue ?? ""
            key = input["Key"]?.stringValue ?? ""
            syncCount = input["SyncCount"]?.intValue ?? 0
            value = input["Value"]?.stringValue
            deviceLastModifiedDate = input["DeviceLastModifiedDate"]?.doubleValue
        }
    }
}

extension Wire.PushSync {
    /// The members present in validated input; absent ones stay nil.
    init(input: Value) {
        if case .list(let arns) = input["ApplicationArns"] {
            ApplicationArns = arns.compactMap(\.stringValue)
        }
        RoleArn = input["RoleArn"]?.stringValue
    }
}

extension Wire.CognitoStreams {
    /// The members present in validated input; absent ones stay nil.
    init(input: Value) {
        RoleArn = input["RoleArn"]?.stringValue
        StreamName = input["StreamName"]?.stringValue
        StreamingStatus = input["StreamingStatus"]?.stringValue
    }
}
