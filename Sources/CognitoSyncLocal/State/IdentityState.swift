/// An identity of a pool: its datasets and when its data last changed, and what Cognito Identity keeps of it.
final class IdentityState {
    let id: String
    var lastModifiedDate: Double?
    var datasets: [String: DatasetState] = [:]
    /// When the identity was created, by Cognito Identity or by its first Cognito Sync write.
    var creationDate: Double?
    /// When Cognito Identity last linked or unlinked a login of the identity.
    var identityModifiedDate: Double?
    var logins: Set<LoginLink> = []
    /// An identity whose last login was unlinked is disabled: no login leads to it any more.
    var disabled = false

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
