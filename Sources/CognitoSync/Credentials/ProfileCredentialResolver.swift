#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel
import SigV4

/// Builds the credential providers that come from profile settings: `role_arn` with `source_profile` or
/// `credential_source` (STS AssumeRole, chained through source profiles), web identity, IAM Identity Center, and the
/// providers a source profile may use. Building a provider sends nothing; each provider calls out on first use.
struct ProfileCredentialResolver {
    let context: ConfigurationContext
    let region: String

    /// `AWS_CA_BUNDLE` or the profile's `ca_bundle`.
    var caBundle: String? { context.env("AWS_CA_BUNDLE") ?? context.profileSetting("ca_bundle") }

    /// STS refreshes 15 minutes before expiry, as botocore does.
    static let refreshWindow: TimeInterval = 15 * 60

    private func setting(_ key: String, _ profile: String) -> String? {
        context.files.setting(key, profile: profile).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The assume-role source of the chain: the active profile's `role_arn` (unless it is a web identity profile).
    func assumeRoleLookup() throws -> CredentialChain.Lookup {
        let profile = context.profileName
        guard setting("role_arn", profile) != nil, setting("web_identity_token_file", profile) == nil else {
            return .unavailable("profile '\(profile)' has no role_arn")
        }
        return .found(try assumeRoleProvider(profile: profile, visited: [profile]))
    }

    /// The web identity source of the chain: `AWS_WEB_IDENTITY_TOKEN_FILE` / `AWS_ROLE_ARN` /
    /// `AWS_ROLE_SESSION_NAME`, each falling back to the profile's `web_identity_token_file` / `role_arn` /
    /// `role_session_name`.
    func webIdentityLookup() throws -> CredentialChain.Lookup {
        let profile = context.profileName
        guard let tokenFile = context.env("AWS_WEB_IDENTITY_TOKEN_FILE") ?? setting("web_identity_token_file", profile)
        else {
            return .unavailable("AWS_WEB_IDENTITY_TOKEN_FILE and web_identity_token_file are not set")
        }
        guard let roleArn = context.env("AWS_ROLE_ARN") ?? setting("role_arn", profile) else {
            throw ConfigurationError.config(
                "a web identity token file is configured but no role: set AWS_ROLE_ARN or role_arn in the profile"
            )
        }
        let sessionName = context.env("AWS_ROLE_SESSION_NAME") ?? setting("role_session_name", profile)
        return .found(try webIdentityProvider(tokenFile: tokenFile, roleArn: roleArn, sessionName: sessionName))
    }

    /// The IAM Identity Center source of the chain: the active profile's `sso_account_id` and `sso_role_name`.
    func ssoLookup() throws -> CredentialChain.Lookup {
        let profile = context.profileName
        guard let configuration = try SSOProfileConfiguration.resolve(profile: profile, files: context.files) else {
            return .unavailable("profile '\(profile)' has no sso_account_id or sso_role_name")
        }
        return .found(try ssoProvider(configuration))
    }

    private func assumeRoleProvider(profile: String, visited: [String]) throws -> CredentialProvider {
        guard let roleArn = setting("role_arn", profile) else {
            throw ConfigurationError.config("profile '\(profile)' has no role_arn")
        }
        if setting("mfa_serial", profile) != nil {
            throw ConfigurationError.config(
                "profile '\(profile)' needs an MFA code (mfa_serial), which cogsync-lua cannot prompt for; "
                    + "use credentials from a session that already passed MFA"
            )
        }
        let source: CredentialProvider
        switch (setting("source_profile", profile), setting("credential_source", profile)) {
        case (nil, nil):
            throw ConfigurationError.config(
                "profile '\(profile)' has role_arn but neither source_profile nor credential_source"
            )
        case (.some, .some):
            throw ConfigurationError.config(
                "profile '\(profile)' has both source_profile and credential_source; keep one"
            )
        case (.some(let sourceProfile), nil):
            source = try sourceProfileProvider(sourceProfile, referencedBy: profile, visited: visited)
        case (nil, .some(let credentialSource)):
            source = try credentialSourceProvider(credentialSource, profile: profile)
        }
        var durationSeconds: Int?
        if let text = setting("duration_seconds", profile) {
            guard let value = Int(text), value > 0 else {
                throw ConfigurationError.config("duration_seconds in profile '\(profile)' must be a number of seconds")
            }
            durationSeconds = value
        }
        let sts = try stsClient()
        let sessionName = setting("role_session_name", profile) ?? defaultSessionName()
        let externalId = setting("external_id", profile)
        return RefreshingCredentialProvider(
            source: "role \(roleArn) of profile '\(profile)'", refreshWindow: Self.refreshWindow
        ) {
            try sts.assumeRole(
                roleArn: roleArn, sessionName: sessionName, externalId: externalId, durationSeconds: durationSeconds,
                source: try source.credentials()
            )
        }
    }

    /// The credentials of a `source_profile`: its static keys if it has any, else its own role (chaining), web
    /// identity, IAM Identity Center or `credential_process`.
    private func sourceProfileProvider(_ name: String, referencedBy parent: String, visited: [String]) throws
        -> CredentialProvider
    {
        guard context.files.hasProfile(name) else {
            throw ConfigurationError.config(
                "the source_profile '\(name)' referenced in profile '\(parent)' does not exist"
            )
        }
        let key = setting("aws_access_key_id", name)
        let secret = setting("aws_secret_access_key", name)
        if visited.contains(name), !(name == parent && key != nil) {
            throw ConfigurationError.config(
                "source_profile chain loops: " + (visited + [name]).joined(separator: " -> ")
            )
        }
        if let key, let secret {
            let token = setting("aws_session_token", name) ?? setting("aws_security_token", name)
            return StaticCredentialProvider(Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
        }
        if let tokenFile = setting("web_identity_token_file", name), let roleArn = setting("role_arn", name) {
            return try webIdentityProvider(
                tokenFile: tokenFile, roleArn: roleArn, sessionName: setting("role_session_name", name)
            )
        }
        if setting("role_arn", name) != nil {
            return try assumeRoleProvider(profile: name, visited: visited + [name])
        }
        if let configuration = try SSOProfileConfiguration.resolve(profile: name, files: context.files) {
            return try ssoProvider(configuration)
        }
        if let command = setting("credential_process", name) {
            return ProcessCredentialSource(command: command, profileName: name, environment: context.environment)
                .provider()
        }
        throw ConfigurationError.config("the source_profile '\(name)' has no credentials")
    }

    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    private func credentialSourceProvider(_ name: String, profile: String) throws -> CredentialProvider {
        switch name {
        case "Environment":
            guard let key = context.env("AWS_ACCESS_KEY_ID"), let secret = context.env("AWS_SECRET_ACCESS_KEY") else {
                throw ConfigurationError.credentials(
                    "profile '\(profile)' uses credential_source Environment, but AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY are not both set"
                )
            }
            let token = context.env("AWS_SESSION_TOKEN") ?? context.env("AWS_SECURITY_TOKEN")
            return StaticCredentialProvider(Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
        case "EcsContainer":
            guard let source = try ContainerCredentialSource.fromEnvironment(context.env, http: containerHTTP) else {
                throw ConfigurationError.credentials(
                    "profile '\(profile)' uses credential_source EcsContainer, but neither "
                        + "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
                )
            }
            return source.provider()
        case "Ec2InstanceMetadata":
            let source = InstanceMetadataCredentialSource.configured(context, caBundle: caBundle)
            return RefreshingCredentialProvider(source: "EC2 instance metadata", refreshWindow: Self.refreshWindow) {
                switch try source.fetch() {
                case .credentials(let credentials): return credentials
                case .unavailable(let reason):
                    throw ConfigurationError.credentials("EC2 instance metadata: \(reason)")
                }
            }
        default:
            throw ConfigurationError.config(
                "credential_source '\(name)' in profile '\(profile)' is not one of Environment, "
                    + "Ec2InstanceMetadata, EcsContainer"
            )
        }
    }

    private func webIdentityProvider(tokenFile: String, roleArn: String, sessionName: String?) throws
        -> CredentialProvider
    {
        let name = sessionName ?? defaultSessionName()
        let sts = try stsClient()
        return RefreshingCredentialProvider(source: "web identity role \(roleArn)", refreshWindow: Self.refreshWindow) {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ConfigurationError.credentials("cannot read the web identity token file \(tokenFile)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingWhitespacesAndNewlines()
            return try sts.assumeRoleWithWebIdentity(roleArn: roleArn, sessionName: name, token: token)
        }
    }

    /// The portal and SSO OIDC in the profile's `sso_region`, each at its configured endpoint if there is one.
    private func ssoProvider(_ configuration: SSOProfileConfiguration) throws -> CredentialProvider {
        let http = serviceHTTP
        let portal = SSOPortalClient(
            endpoint: try endpoint(serviceKey: "sso", host: "portal.sso", region: configuration.region), http: http
        )
        let oidc = SSOOIDCClient(
            endpoint: try endpoint(serviceKey: "sso_oidc", host: "oidc", region: configuration.region), http: http
        )
        let home = context.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let tokens = SSOTokenProvider(configuration: configuration, cache: SSOTokenCache(home: home), oidc: oidc)
        return SSOCredentialSource(configuration: configuration, tokens: tokens, portal: portal).provider()
    }

    /// STS at `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the config's `sts` endpoint, else the regional
    /// endpoint.
    private func stsClient() throws -> STSClient {
        STSClient(
            endpoint: try endpoint(serviceKey: "sts", host: "sts", region: region), region: region,
            http: serviceHTTP
        )
    }

    /// A service's configured endpoint (`AWS_ENDPOINT_URL_<KEY>`, `AWS_ENDPOINT_URL`, the profile's `services`
    /// section or `endpoint_url`, as botocore looks them up), else `https://<host>.<region>.<partition suffix>`.
    private func endpoint(serviceKey: String, host: String, region: String) throws -> String {
        if let (configured, source) = ConfigurationResolver.configuredEndpoint(context, serviceKey: serviceKey) {
            return try ConfigurationResolver.validatedEndpoint(configured, source: source, sslEnabled: true)
        }
        return "https://\(host).\(region).\(Partition.of(region: region).dnsSuffix)"
    }

    /// STS and IAM Identity Center requests.
    private var serviceHTTP: CredentialHTTPClient {
        CredentialHTTPClient(inbox: context.inbox, timeout: 30, connectTimeout: 10, caBundle: caBundle)
    }

    /// Container endpoints answer locally; botocore gives them 2 seconds.
    var containerHTTP: CredentialHTTPClient {
        CredentialHTTPClient(inbox: context.inbox, timeout: 2, connectTimeout: 2, caBundle: caBundle)
    }

    private func defaultSessionName() -> String {
        "cogsync-lua-session-\(Int(Date().timeIntervalSince1970))"
    }
}
