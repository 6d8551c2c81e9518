/// A device subscribed to push notifications for one dataset of one identity.
struct Subscription: Hashable {
    var identityId: String
    var datasetName: String
    var deviceId: String
}
