import SigV4

/// Gives the credentials to sign a request with.
public protocol CredentialProvider: AnyObject {
    /// Cached; refreshes temporary credentials ahead of expiry. Called on the scheduler thread before each signing.
    func credentials() throws -> Credentials
}
