import Foundation
import SigV4

/// Caches credentials from a fetch function and fetches again when they come within `refreshWindow` of their
/// expiration. When a refresh fails while the cached credentials are still valid, those are used, so requests keep
/// going; the next call tries again.
final class RefreshingCredentialProvider: CredentialProvider {
    private let refreshWindow: TimeInterval
    private let now: () -> Date
    private let fetch: () throws -> Credentials
    private let describeSource: String
    private let lock = NSLock()
    private var cached: Credentials?

    /// - Parameters:
    ///   - source: names the source in errors, e.g. `credential_process of profile 'dev'`.
    ///   - initial: credentials already fetched, used until they need a refresh.
    init(
        source: String, refreshWindow: TimeInterval, now: @escaping () -> Date = Date.init,
        initial: Credentials? = nil, fetch: @escaping () throws -> Credentials
    ) {
        describeSource = source
        self.refreshWindow = refreshWindow
        self.now = now
        cached = initial
        self.fetch = fetch
    }

    func credentials() throws -> Credentials {
        lock.lock()
        defer { lock.unlock() }
        let current = now()
        if let cached, !needsRefresh(cached, at: current) {
            return cached
        }
        do {
            let fresh = try fetch()
            if let expiration = fresh.expiration, expiration <= current {
                throw ConfigurationError.credentials(
                    "\(describeSource) gave credentials that expired at \(Self.format(expiration))"
                )
            }
            cached = fresh
            return fresh
        } catch {
            if let cached, let expiration = cached.expiration, expiration > current {
                return cached
            }
            throw error
        }
    }

    private func needsRefresh(_ credentials: Credentials, at current: Date) -> Bool {
        guard let expiration = credentials.expiration else {
            return false
        }
        return expiration.timeIntervalSince(current) <= refreshWindow
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
