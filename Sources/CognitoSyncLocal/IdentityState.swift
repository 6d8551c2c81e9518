/// An identity of a pool: its datasets and when its data last changed.
final class IdentityState {
    let id: String
    var lastModifiedDate: Double?
    var datasets: [String: DatasetState] = [:]

    init(id: String, lastModifiedDate: Double?) {
        self.id = id
        self.lastModifiedDate = lastModifiedDate
    }

    var existingDatasets: [DatasetState] {
        datasets.values.filter(\.meta.exists)
    }

    var dataStorage: Int64 {
        existingDatasets.reduce(0) { $0 + $1.dataStorage }
    }
}
