#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// Role credentials from IAM Identity Center (botocore's `SSOProvider`): the portal's `GetRoleCredentials` for the
/// profile's account and role, authorised by the cached SSO token.
struct SSOCredentialSource {
    let configuration: SSOProfileConfiguration
    let tokens: SSOTokenProvider
    let portal: SSOPortalClient

    /// Role credentials are refreshed 15 minutes before they expire, as botocore's fetcher does.
    static let refreshWindow: TimeInterval = 15 * 60

    /// A provider that fetches on first use and again before each expiry.
    func provider() -> CredentialProvider {
        RefreshingCredentialProvider(
            source: "IAM Identity Center role '\(configuration.roleName)' in account '\(configuration.accountId)' "
                + "of profile '\(configuration.profileName)'",
            refreshWindow: Self.refreshWindow, fetch: fetch
        )
    }

    func fetch() throws -> Credentials {
        let token = try tokens.accessToken()
        do {
            return try portal.roleCredentials(
                accountId: configuration.accountId, roleName: configuration.roleName, accessToken: token
            )
        } catch let error as SSOServiceError {
            throw ConfigurationError.credentials(message(for: error))
        }
    }

    private func message(for error: SSOServiceError) -> String {
        let role = "role '\(configuration.roleName)' in account '\(configuration.accountId)' "
            + "for profile '\(configuration.profileName)'"
        switch error.status {
        case 401:
            return "IAM Identity Center refused \(role) (\(error.reason): the SSO token is no longer valid); "
                + "run \(configuration.loginCommand)"
        case 403:
            return "IAM Identity Center refused \(role) (\(error.reason): the role is not assigned to the signed-in "
                + "user); check sso_account_id and sso_role_name, or run \(configuration.loginCommand)"
        default:
            return "IAM Identity Center GetRoleCredentials for \(role) failed: \(error)"
        }
    }
}
