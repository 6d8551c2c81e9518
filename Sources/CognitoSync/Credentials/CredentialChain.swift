#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// Tries credential sources in order on first use and keeps the first that has credentials.
///
/// Building the chain reads nothing and runs nothing; each source is looked at only when credentials are first
/// asked for, on a background thread when asked without blocking (a lookup may run a process or wait on an
/// endpoint). A source that is configured but fails (a `credential_process` that exits non-zero) stops the search
/// with its error, as in the AWS CLI: the calls that waited for that search fail with it, and the next call
/// searches again. When no source has credentials, the error lists every source and why it gave nothing.
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
    /// The background search; its lock also guards `chosen`.
    private let search: BackgroundJob
    private var chosen: (name: String, provider: CredentialProvider)?

    init(links: [Link]) {
        self.links = links
        search = BackgroundJob()
    }

    /// The name of the source in use, once one was found.
    public var chosenSourceName: String? {
        search.locked { chosen?.name }
    }

    public func credentials() throws -> Credentials {
        try provider().credentials()
    }

    /// Never blocks: the first calls wait for a search in the background, which also fetches the chosen source's
    /// first credentials.
    public func credentials(orNotify ready: @escaping (Error?) -> Void) throws -> Credentials? {
        let found: CredentialProvider? = search.locked {
            if let chosen { return chosen.provider }
            search.start(notify: ready, work: searchAndFetch, finish: { $0 })
            return nil
        }
        return try found?.credentials(orNotify: ready)
    }

    /// The background search: finds the source, keeps it, and fetches its first credentials; the error it failed
    /// with, if any.
    private func searchAndFetch() -> Error? {
        do {
            let found = try find()
            search.locked { chosen = found }
            _ = try found.provider.credentials()
            return nil
        } catch {
            return error
        }
    }

    public func expire() -> Bool {
        search.locked { chosen?.provider.expire() ?? false }
    }

    public var expiryDescription: String {
        search.locked {
            guard let chosen else { return "no credentials yet" }
            return "\(chosen.name): \(chosen.provider.expiryDescription)"
        }
    }

    private func provider() throws -> CredentialProvider {
        try search.locked {
            if let chosen {
                return chosen.provider
            }
            let found = try find()
            chosen = found
            return found.provider
        }
    }

    /// The first source that has credentials.
    private func find() throws -> (name: String, provider: CredentialProvider) {
        var reasons = [String]()
        for link in links {
            switch try link.lookup() {
            case .found(let provider):
                return (link.name, provider)
            case .unavailable(let reason):
                reasons.append("\(link.name): \(reason)")
            }
        }
        throw ConfigurationError.credentials("no credentials found; tried " + reasons.joined(separator: "; "))
    }
}
