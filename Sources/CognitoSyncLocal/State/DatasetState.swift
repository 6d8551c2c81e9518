/// A dataset of one identity: its metadata and records, with running totals of its live records and storage.
final class DatasetState {
    let name: String
    var meta: DatasetMeta
    private(set) var records: [String: StoredRecord] = [:]
    /// Live (non-tombstone) records.
    private(set) var numRecords: Int64 = 0
    private(set) var dataStorage: Int64 = 0

    init(name: String, meta: DatasetMeta) {
        self.name = name
        self.meta = meta
    }

    /// Stores `record`, keeping the NumRecords and DataStorage totals in step.
    func put(_ record: StoredRecord) {
        if let old = records[record.key] {
            dataStorage -= old.storageBytes
            if old.value != nil {
                numRecords -= 1
            }
        }
        records[record.key] = record
        dataStorage += record.storageBytes
        if record.value != nil {
            numRecords += 1
        }
    }

    func removeAllRecords() {
        records.removeAll()
        numRecords = 0
        dataStorage = 0
    }
}
