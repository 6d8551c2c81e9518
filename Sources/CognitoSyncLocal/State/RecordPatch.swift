import CognitoSyncModel

/// One entry of UpdateRecords' RecordPatches, read from validated input (which guarantees the required members).
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
