/// What a profile says about IAM Identity Center: the role to fetch and the sign-in (start URL and region) whose
/// cached token fetches it. The sign-in comes from the profile's `[sso-session NAME]` section, or, in legacy
/// profiles, from `sso_start_url` and `sso_region` in the profile itself.
struct SSOProfileConfiguration: Equatable {
    let profileName: String
    /// The `sso_session` the profile names; `nil` for a legacy profile.
    let sessionName: String?
    let startURL: String
    let region: String
    let accountId: String
    let roleName: String

    /// The AWS CLI caches the token under the session name, or under the start URL for legacy profiles.
    var tokenCacheName: String { sessionName ?? startURL }

    /// Only tokens from an `sso-session` carry a client registration that can refresh them (as in botocore).
    var canRefreshToken: Bool { sessionName != nil }

    /// The command that signs in again.
    var loginCommand: String {
        sessionName.map { "aws sso login --sso-session \($0)" } ?? "aws sso login --profile \(profileName)"
    }

    /// Who owns the token, for messages: `sso-session 'corp' (profile 'prod')` or `profile 'prod'`.
    var tokenOwner: String {
        sessionName.map { "sso-session '\($0)' (profile '\(profileName)')" } ?? "profile '\(profileName)'"
    }

    /// The profile's configuration, `nil` when it has neither `sso_account_id` nor `sso_role_name` (botocore's
    /// test for an SSO profile). Missing or conflicting settings are a `ConfigError`, as in botocore.
    static func resolve(profile: String, files: SharedConfigFiles) throws -> SSOProfileConfiguration? {
        var settings = [String: String]()
        for key in ["sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name"] {
            settings[key] = files.setting(key, profile: profile).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard settings["sso_account_id"] != nil || settings["sso_role_name"] != nil else {
            return nil
        }
        if let sessionName = settings["sso_session"] {
            guard let section = files.ssoSessions[sessionName] else {
                throw ConfigurationError.config(
                    "profile '\(profile)' names sso_session '\(sessionName)', but \(files.configPath) has no "
                        + "[sso-session \(sessionName)] section"
                )
            }
            for (key, value) in section.sorted(by: { $0.key < $1.key }) {
                guard let text = value.text, !text.isEmpty else { continue }
                if let own = settings[key], own != text {
                    throw ConfigurationError.config(
                        "\(key) differs between profile '\(profile)' (\(own)) and [sso-session \(sessionName)] "
                            + "(\(text)); remove it from the profile"
                    )
                }
                settings[key] = text
            }
            // botocore's token provider reads the sign-in of an sso-session profile from the section alone.
            let unset = ["sso_start_url", "sso_region"].filter { (section[$0]?.text ?? "").isEmpty }
            guard unset.isEmpty else {
                throw ConfigurationError.config(
                    "[sso-session \(sessionName)] (used by profile '\(profile)') is missing "
                        + unset.joined(separator: ", ")
                )
            }
        }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { settings[$0] == nil }
        guard missing.isEmpty, let startURL = settings["sso_start_url"], let region = settings["sso_region"],
            let accountId = settings["sso_account_id"], let roleName = settings["sso_role_name"]
        else {
            throw ConfigurationError.config(
                "profile '\(profile)' uses IAM Identity Center but is missing " + missing.joined(separator: ", ")
            )
        }
        return SSOProfileConfiguration(
            profileName: profile, sessionName: settings["sso_session"], startURL: startURL, region: region,
            accountId: accountId, roleName: roleName
        )
    }
}
