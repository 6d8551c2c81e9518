#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
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
    private let runInBackground: (@escaping () -> Void) -> Void
    private let lock = Lock()
    private var chosen: (name: String, provider: CredentialProvider)?
    /// Callers waiting for the background search, while one runs.
    private var waiters: [(Error?) -> Void] = []
    private var searching = false

    init(
        links: [Link],
        runInBackground: @escaping (@escaping () -> Void) -> Void = { work in DispatchQueue.global().async { work() } }
    ) {
        self.links = links
        self.runInBackground = runInBackground
    }

    /// The name of the source in use, once one was found.
    public var chosenSourceName: String? {
        lock.lock()
        defer { lock.unlock() }
        return chosen?.name
    }

    public func credentials() throws -> Credentials {
        try provider().credentials()
    }

    /// Never blocks: the first calls wait for a search in the background, which also fetches the chosen source's
    /// first credentials.
    public func credentials(orNotify ready: @escaping (Error?) -> Void) throws -> Credentials? {
        lock.lock()
        if let chosen {
            lock.unlock()
            return try chosen.provider.credentials(orNotify: ready)
        }
        waiters.append(ready)
        let start = !searching
        searching = true
        lock.unlock()
        if start { runInBackground(search) }
        return nil
    }

    private func search() {
        var failure: Error?
        do {
            let found = try find()
            lock.lock()
            chosen = found
            lock.unlock()
            _ = try found.provider.credentials()
        } catch {
            failure = error
        }
        lock.lock()
        let ready = waiters
        waiters = []
        searching = false
        lock.unlock()
        for notify in ready { notify(failure) }
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
        let found = try find()
        chosen = found
        return found.provider
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
