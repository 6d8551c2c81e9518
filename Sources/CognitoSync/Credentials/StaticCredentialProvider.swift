import SigV4

/// Always gives the same credentials.
public final class StaticCredentialProvider: CredentialProvider {
    private let value: Credentials

    /// Creates a provider for fixed credentials.
    public init(_ credentials: Credentials) {
        value = credentials
    }

    /// The fixed credentials.
    public func credentials() throws -> Credentials {
        value
    }

    public var expiryDescription: String {
        value.expiration.map { "static credentials that expired at \(AmzDate.iso8601($0))" }
            ?? "static credentials (their expiry is not known)"
    }
}
