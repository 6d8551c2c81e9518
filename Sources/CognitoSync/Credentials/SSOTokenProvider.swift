#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The access token of a profile's IAM Identity Center sign-in, as botocore's `SSOTokenProvider` gives it: read from
/// the AWS CLI's cache each time; within 15 minutes of its expiry, an `sso-session` token is refreshed through SSO
/// OIDC and the new token written back to the same cache file. A failed refresh keeps a token that is still valid, or
/// takes the one another process refreshed meanwhile.
struct SSOTokenProvider {
    let configuration: SSOProfileConfiguration
    let cache: SSOTokenCache
    let oidc: SSOOIDCClient
    var now: () -> Date = Date.init

    /// botocore's `SSOTokenProvider._REFRESH_WINDOW`.
    static let refreshWindow: TimeInterval = 15 * 60

    /// What to do with a cached token.
    enum Decision: Equatable {
        /// Valid and outside the refresh window (or a legacy token that has not expired).
        case use
        /// Within the refresh window, with the client registration and refresh token that renew it.
        case refresh(Registration)
        /// Within the refresh window but it cannot be refreshed, for this reason.
        case cannotRefresh(String)
    }

    /// What `CreateToken` needs from the cached token; `description` hides the secret and the refresh token.
    struct Registration: Equatable, CustomStringConvertible {
        let clientId: String
        let clientSecret: String
        let refreshToken: String

        var description: String { "Registration(clientId: \(clientId))" }
    }

    static func decision(for token: SSOToken, canRefresh: Bool, at now: Date) -> Decision {
        let remaining = token.expiresAt.timeIntervalSince(now)
        if canRefresh ? remaining >= refreshWindow : remaining > 0 {
            return .use
        }
        guard canRefresh else {
            return .cannotRefresh("a profile with sso_start_url and no sso_session cannot refresh its token")
        }
        let missing = [
            ("refreshToken", token.refreshToken), ("clientId", token.clientId), ("clientSecret", token.clientSecret),
            ("registrationExpiresAt", token.registrationExpiresAt),
        ].filter { $0.1 == nil }.map(\.0)
        guard let clientId = token.clientId, let clientSecret = token.clientSecret,
            let refreshToken = token.refreshToken, let registrationText = token.registrationExpiresAt
        else {
            return .cannotRefresh("the cached token has no " + missing.joined(separator: ", "))
        }
        guard let registrationExpiry = SSOTimestamp.parse(registrationText) else {
            return .cannotRefresh("the cached registrationExpiresAt is not a date")
        }
        guard registrationExpiry > now else {
            return .cannotRefresh("the client registration expired at \(SSOTimestamp.format(registrationExpiry))")
        }
        return .refresh(Registration(clientId: clientId, clientSecret: clientSecret, refreshToken: refreshToken))
    }

    /// A token that has not expired; errors say which command signs in again.
    func accessToken() throws -> String {
        let name = configuration.tokenCacheName
        let cached: SSOToken
        do {
            guard let token = try cache.load(name) else {
                throw ConfigurationError.credentials(
                    "\(configuration.tokenOwner) has no cached IAM Identity Center token (\(cache.path(for: name))); "
                        + "run \(configuration.loginCommand)"
                )
            }
            cached = token
        } catch let failure as SSOTokenCache.Failure {
            throw ConfigurationError.credentials(
                "the cached IAM Identity Center token of \(configuration.tokenOwner) is unusable: \(failure); "
                    + "run \(configuration.loginCommand)"
            )
        }
        let current = now()
        let problem: String
        switch Self.decision(for: cached, canRefresh: configuration.canRefreshToken, at: current) {
        case .use:
            return cached.accessToken
        case .cannotRefresh(let reason):
            problem = reason
        case .refresh(let registration):
            do {
                let fresh = try refreshed(cached, with: registration, at: current)
                try save(fresh)
                return fresh.accessToken
            } catch let error as SSOServiceError {
                // Another process (the AWS CLI, a parallel cogsync-lua) may have refreshed first and spent the
                // refresh token; its token is in the cache now.
                if let other = try? cache.load(name), other.accessToken != cached.accessToken,
                    other.expiresAt > current
                {
                    return other.accessToken
                }
                problem = "the refresh through SSO OIDC failed (\(error))"
            }
        }
        guard cached.expiresAt > current else {
            throw ConfigurationError.credentials(
                "the IAM Identity Center token of \(configuration.tokenOwner) expired at "
                    + "\(SSOTimestamp.format(cached.expiresAt)) and cannot be refreshed: \(problem); "
                    + "run \(configuration.loginCommand)"
            )
        }
        return cached.accessToken
    }

    /// The token `CreateToken` gives, with the keys botocore writes: the new refresh token only when one came back.
    private func refreshed(_ token: SSOToken, with registration: Registration, at current: Date) throws -> SSOToken {
        let grant = try oidc.refresh(
            clientId: registration.clientId, clientSecret: registration.clientSecret,
            refreshToken: registration.refreshToken
        )
        return SSOToken(
            accessToken: grant.accessToken, expiresAt: current.addingTimeInterval(grant.expiresIn),
            refreshToken: grant.refreshToken, clientId: token.clientId, clientSecret: token.clientSecret,
            registrationExpiresAt: token.registrationExpiresAt, region: configuration.region,
            startUrl: configuration.startURL
        )
    }

    private func save(_ token: SSOToken) throws {
        do {
            try cache.save(token, for: configuration.tokenCacheName)
        } catch let failure as SSOTokenCache.Failure {
            throw ConfigurationError.credentials(
                "the refreshed IAM Identity Center token of \(configuration.tokenOwner) could not be cached: \(failure)"
            )
        }
    }
}
