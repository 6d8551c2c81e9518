import SigV4

/// Gives the credentials to sign a request with.
public protocol CredentialProvider: AnyObject {
    /// Cached; refreshes temporary credentials ahead of expiry, blocking while a refresh they need runs. Never called
    /// on the engine's thread, whose transport a refresh may need.
    func credentials() throws -> Credentials
    /// The credentials to sign with now, without blocking: nil while a lookup or refresh they need runs in the
    /// background, after which `ready` is called on another thread, with the error that refresh ended with.
    func credentials(orNotify ready: @escaping (Error?) -> Void) throws -> Credentials?
    /// Drops the current credentials after the service said they expired. True when the source can get new ones.
    func expire() -> Bool
    /// Where the credentials come from and, when known, until when they are valid: for the error of a request
    /// the service refused as expired.
    var expiryDescription: String { get }
}

extension CredentialProvider {
    public func credentials(orNotify ready: @escaping (Error?) -> Void) throws -> Credentials? { try credentials() }

    public func expire() -> Bool { false }

    public var expiryDescription: String { "credentials that cannot be refreshed" }
}
