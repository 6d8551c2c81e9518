/// The metadata of a dataset, kept apart from its records so a write can be staged and persisted before
/// it is applied.
struct DatasetMeta: Equatable {
    var exists: Bool
    var creationDate: Double
    var lastModifiedDate: Double
    var lastModifiedBy: String
    /// The dataset sync counter; it never goes back, not even across delete and re-creation.
    var syncCount: Int64
    /// The counter's value when the dataset was last deleted.
    var deletedAtSyncCount: Int64?
}
