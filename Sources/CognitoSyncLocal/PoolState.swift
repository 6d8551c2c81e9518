/// An identity pool: its settings, identities, registered devices and dataset subscriptions.
final class PoolState {
    let id: String
    var settings: PoolSettings
    var identities: [String: IdentityState] = [:]
    var devices: [String: DeviceRegistration] = [:]
    var subscriptions: Set<Subscription> = []

    init(id: String, settings: PoolSettings = PoolSettings()) {
        self.id = id
        self.settings = settings
    }

    var dataStorage: Int64 {
        identities.values.reduce(0) { $0 + $1.dataStorage }
    }
}
