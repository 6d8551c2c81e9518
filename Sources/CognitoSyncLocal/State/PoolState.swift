/// An identity pool: its settings, identities, registered devices and dataset subscriptions.
final class PoolState {
    let id: String
    var settings: PoolSettings
    var identities: [String: IdentityState] = [:]
    var devices: [String: DeviceRegistration] = [:]
    var subscriptions: Set<Subscription> = []
    /// The identity each linked login leads to.
    var loginOwners: [LoginLink: String] = [:]

    init(id: String, settings: PoolSettings = PoolSettings()) {
        self.id = id
        self.settings = settings
    }

    var dataStorage: Int64 {
        identities.values.reduce(0) { $0 + $1.dataStorage }
    }

    /// The region the pool's id starts with (`us-east-1` of `us-east-1:1a2b...`); its identities' ids start with it.
    var region: String {
        String(id.prefix { $0 != ":" })
    }
}
