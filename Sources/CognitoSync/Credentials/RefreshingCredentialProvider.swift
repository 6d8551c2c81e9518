#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SigV4

/// Caches credentials from a fetch function and refreshes them before they expire, in two windows as botocore
/// does: inside the advisory window (`refreshWindow` before expiry, 15 minutes for most sources) a refresh runs
/// in the background while requests keep being signed with the current credentials; only inside the mandatory
/// window (two thirds of it: 10 minutes) or once they are gone must a request wait for new ones.
///
/// A refresh that fails while the current credentials are still valid keeps them, says so once on stderr, and is
/// tried again after `retryDelay`. A refresh that fails otherwise fails the requests that waited for it.
final class RefreshingCredentialProvider: CredentialProvider {
    private let advisoryWindow: TimeInterval
    private let mandatoryWindow: TimeInterval
    private let now: () -> Date
    private let fetch: () throws -> Credentials
    private let describeSource: String
    private let report: (String) -> Void
    /// The refresh; its lock also guards `cached` and `nextAttempt`.
    private let refresh: BackgroundJob
    private var cached: Credentials?
    private var nextAttempt = Date.distantPast

    /// Seconds before a failed refresh is tried again while the current credentials still work.
    static let retryDelay: TimeInterval = 30

    /// - Parameters:
    ///   - source: names the source in errors, e.g. `credential_process of profile 'dev'`.
    ///   - refreshWindow: the advisory window; the mandatory one is two thirds of it.
    ///   - initial: credentials already fetched, used until they need a refresh.
    ///   - runInBackground: runs a refresh off the caller's thread (see `BackgroundJob`).
    ///   - report: receives the one line said when a refresh fails (stderr unless a test says otherwise).
    init(
        source: String, refreshWindow: TimeInterval, now: @escaping () -> Date = Date.init,
        initial: Credentials? = nil,
        runInBackground: @escaping BackgroundJob.Runner = BackgroundJob.pooledThread,
        report: @escaping (String) -> Void = { fputs("cogsync-lua: " + $0 + "\n", stderr) },
        fetch: @escaping () throws -> Credentials
    ) {
        describeSource = source
        advisoryWindow = refreshWindow
        mandatoryWindow = refreshWindow * 2 / 3
        self.now = now
        cached = initial
        refresh = BackgroundJob(runInBackground: runInBackground)
        self.report = report
        self.fetch = fetch
    }

    /// Blocks while a refresh the credentials need runs, and throws the error it failed with.
    func credentials() throws -> Credentials {
        try refresh.locked {
            while true {
                if let ready = available(notify: nil) { return ready }
                try refresh.waitForRun()
            }
        }
    }

    func credentials(orNotify ready: @escaping (Error?) -> Void) throws -> Credentials? {
        refresh.locked { available(notify: ready) }
    }

    func expire() -> Bool {
        refresh.locked { cached = nil }
        return true
    }

    var expiryDescription: String {
        refresh.locked {
            cached?.expiration.map { "\(describeSource), valid until \(AmzDate.iso8601($0))" } ?? describeSource
        }
    }

    /// The credentials to sign with now, or nil after starting (or joining) the refresh they wait for. Called
    /// with the lock held.
    private func available(notify ready: ((Error?) -> Void)?) -> Credentials? {
        let current = now()
        if let cached {
            let left = cached.expiration.map { $0.timeIntervalSince(current) } ?? .infinity
            if left > advisoryWindow { return cached }
            if left > mandatoryWindow {
                if !refresh.isRunning && current >= nextAttempt { startRefresh(notify: nil) }
                return cached
            }
            // A refresh failed a moment ago and these still work: use them until the next attempt is due.
            if left > 0 && current < nextAttempt { return cached }
        }
        startRefresh(notify: ready)
        return nil
    }

    /// Starts a refresh unless one runs; `ready`, when given, is told when it ends. Called with the lock held.
    private func startRefresh(notify ready: ((Error?) -> Void)?) {
        refresh.start(notify: ready, work: { [fetch] in Result { try fetch() } }, finish: finish)
    }

    /// Keeps what the refresh brought; the error for the callers that waited, nil when they can sign now. Called
    /// with the lock held.
    private func finish(_ outcome: Result<Credentials, Error>) -> Error? {
        let current = now()
        do {
            let fresh = try outcome.get()
            if let expiration = fresh.expiration, expiration <= current {
                throw ConfigurationError.credentials(
                    "\(describeSource) gave credentials that expired at \(AmzDate.iso8601(expiration))"
                )
            }
            cached = fresh
            if let expiration = fresh.expiration, expiration.timeIntervalSince(current) <= mandatoryWindow {
                // Fresh but already short-lived (a source that never gives more): use them rather than fetch again
                // on every request, and try again after the retry delay.
                nextAttempt = current.addingTimeInterval(Self.retryDelay)
            }
            return nil
        } catch {
            if let cached, let expiration = cached.expiration, expiration > current {
                nextAttempt = current.addingTimeInterval(Self.retryDelay)
                report("refreshing credentials from \(describeSource) failed (\(error)); still signing with the "
                       + "current ones, valid until \(AmzDate.iso8601(expiration)); trying again in "
                       + "\(Int(Self.retryDelay)) s")
                return nil
            }
            return error
        }
    }
}
