/// One record of a dataset as the endpoint keeps it; a nil `value` is a tombstone left by a `remove`.
struct StoredRecord {
    var key: String
    var value: String?
    var syncCount: Int64
    var lastModifiedDate: Double
    var lastModifiedBy: String
    var deviceLastModifiedDate: Double?

    /// Bytes this record adds to its dataset's DataStorage: key plus value in UTF-8 (key only for a tombstone).
    var storageBytes: Int64 {
        Int64(key.utf8.count) + Int64(value?.utf8.count ?? 0)
    }
}
