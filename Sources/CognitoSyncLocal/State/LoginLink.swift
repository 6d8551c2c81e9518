/// A login linked to an identity: a provider name (`graph.facebook.com`, a pool's developer provider name) and the
/// user it names there (the token as sent for public providers, the developer user identifier for a developer
/// provider).
struct LoginLink: Hashable, Comparable {
    let provider: String
    let value: String

    static func < (lhs: LoginLink, rhs: LoginLink) -> Bool {
        (lhs.provider, lhs.value) < (rhs.provider, rhs.value)
    }
}
