/// SetPrincipalTagAttributeMap's settings for one identity provider of a pool.
struct PrincipalTagMapping: Codable, Equatable {
    var useDefaults: Bool
    var principalTags: [String: String]?
}
