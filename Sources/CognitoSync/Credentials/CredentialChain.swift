import Foundation
import SigV4

/// Tries credential sources in order on first use and keeps the first that has credentials.
///
/// Building the chain reads nothing and runs nothing; each source is looked at only when `credentials()` is first
/// called. A source that is configured but fails (a `credential_process` that exits non-zero) stops the search
/// with its error, as in the AWS CLI; the next call searches again. When no source has credentials, the error lists
/// every source and why it gave nothing.
public final class CredentialChain: CredentialProvider {
    /// What a source found.
    enum Lookup {
        /// The source has credentials; the provider gives (and refreshes) them.
        case found(CredentialProvider)
        /// The source has nothing; the reason goes into the error when no source has credentials.
        case unavailable(String)
    }

    /// One source: its name in messages and how to look at it.
    struct Link {
        let name: String
        let lookup: () throws -> Lookup
    }

    private let links: [Link]
    private let lock = NSLock()
    private var chosen: (name: String, provider: CredentialProvider)?

    init(links: [Link]) {
        self.links = links
    }

    /// The names of the sources, in the order they are tried.
    public var sourceNames: [String] { links.map(\.name) }

    /// The name of the source in use, once one was found.
    public var chosenSourceName: String? {
        lock.lock()
        defer { lock.unlock() }
        return chosen?.name
    }

    public func credentials() throws -> Credentials {
        try provider().credentials()
    }

    /// The first call looks the sources up in place (nothing is in flight before it); later ones never block.
    public func credentials(orNotify ready: @escaping () -> Void) throws -> Credentials? {
        try provider().credentials(orNotify: ready)
    }

    public func expire() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return chosen?.provider.expire() ?? false
    }

    public var expiryDescription: String {
        lock.lock()
        defer { lock.unlock() }
        guard let chosen else { return "no credentials yet" }
        return "\(chosen.name): \(chosen.provider.expiryDescription)"
    }

    private func provider() throws -> CredentialProvider {
        lock.lock()
        defer { lock.unlock() }
        if let chosen {
            return chosen.provider
        }
        var reasons = [String]()
        for link in links {
            switch try link.lookup() {
            case .found(let provider):
                chosen = (link.name, provider)
                return provider
            case .unavailable(let reason):
                reasons.append("\(link.name): \(reason)")
            }
        }
        throw ConfigurationError.credentials("no credentials found; tried " + reasons.joined(separator: "; "))
    }
}
