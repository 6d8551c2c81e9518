/// A push device registered by RegisterDevice for one identity.
struct DeviceRegistration: Codable, Equatable {
    var deviceId: String
    var identityId: String
    var platform: String
    var token: String
}
