import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

extension ConfigurationResolver {
    /// The explicit provider, or the credential chain in the AWS CLI's order: explicit keys, environment, assume
    /// role (`role_arn` in the profile), web identity, IAM Identity Center (`sso_*` in the profile), the shared
    /// credentials file, `credential_process`, static keys in the config file, the container endpoint, EC2 instance
    /// metadata.
    static func credentialProvider(_ context: ConfigurationContext, region: String) throws -> CredentialProvider {
        if let provider = context.settings.credentialProvider {
            return provider
        }
        let settings = context.settings
        let hasKey = settings.accessKeyId.map { !$0.isEmpty } ?? false
        let hasSecret = settings.secretAccessKey.map { !$0.isEmpty } ?? false
        let hasToken = settings.sessionToken.map { !$0.isEmpty } ?? false
        if hasKey != hasSecret || (hasToken && !hasKey) {
            throw ConfigurationError.credentials(
                "accessKeyId and secretAccessKey must be given together (sessionToken only with both)"
            )
        }
        let profiles = ProfileCredentialResolver(context: context, region: region)
        return CredentialChain(links: [
            explicitLink(settings), environmentLink(context),
            CredentialChain.Link(name: "assume role", lookup: profiles.assumeRoleLookup),
            CredentialChain.Link(name: "web identity", lookup: profiles.webIdentityLookup),
            CredentialChain.Link(name: "IAM Identity Center", lookup: profiles.ssoLookup),
            sharedCredentialsFileLink(context), processLink(context), configFileLink(context),
            containerLink(context, profiles: profiles), instanceMetadataLink(context, profiles: profiles),
        ])
    }

    private static func explicitLink(_ settings: ClientSettings) -> CredentialChain.Link {
        CredentialChain.Link(name: "explicit options") {
            guard let key = settings.accessKeyId, let secret = settings.secretAccessKey, !key.isEmpty else {
                return .unavailable("accessKeyId and secretAccessKey not given")
            }
            let token = settings.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
            return .found(
                StaticCredentialProvider(Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
            )
        }
    }

    private static func environmentLink(_ context: ConfigurationContext) -> CredentialChain.Link {
        CredentialChain.Link(name: "environment variables") {
            if context.profileIsExplicit {
                return .unavailable("skipped because a profile was named explicitly")
            }
            switch (context.env("AWS_ACCESS_KEY_ID"), context.env("AWS_SECRET_ACCESS_KEY")) {
            case (nil, nil):
                return .unavailable("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
            case (.some, nil):
                throw ConfigurationError.credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            case (nil, .some):
                throw ConfigurationError.credentials("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
            case (.some(let key), .some(let secret)):
                let token = context.env("AWS_SESSION_TOKEN") ?? context.env("AWS_SECURITY_TOKEN")
                // Set by `aws configure export-credentials`; known, it lets an expired-token error say when.
                let expiration = context.env("AWS_CREDENTIAL_EXPIRATION")
                    .flatMap(Timestamp.parseISO8601).flatMap(\.doubleValue).map { Date(timeIntervalSince1970: $0) }
                return .found(
                    StaticCredentialProvider(
                        Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token,
                                    expiration: expiration)
                    )
                )
            }
        }
    }

    private static func sharedCredentialsFileLink(_ context: ConfigurationContext) -> CredentialChain.Link {
        let files = context.files
        return CredentialChain.Link(name: "shared credentials file \(files.credentialsPath)") {
            guard files.credentialsFileExists else {
                return .unavailable("no such file")
            }
            return try staticKeys(
                files.credentialProfiles[context.profileName], profile: context.profileName,
                file: files.credentialsPath
            )
        }
    }

    private static func processLink(_ context: ConfigurationContext) -> CredentialChain.Link {
        CredentialChain.Link(name: "credential_process") {
            guard let command = context.profileSetting("credential_process") else {
                return .unavailable("profile '\(context.profileName)' has no credential_process")
            }
            let source = ProcessCredentialSource(
                command: command, profileName: context.profileName, environment: context.environment
            )
            return .found(source.provider())
        }
    }

    private static func configFileLink(_ context: ConfigurationContext) -> CredentialChain.Link {
        let files = context.files
        return CredentialChain.Link(name: "config file \(files.configPath)") {
            guard files.configFileExists else {
                return .unavailable("no such file")
            }
            return try staticKeys(
                files.configProfiles[context.profileName], profile: context.profileName, file: files.configPath
            )
        }
    }

    private static func containerLink(
        _ context: ConfigurationContext, profiles: ProfileCredentialResolver
    ) -> CredentialChain.Link {
        CredentialChain.Link(name: "container credentials") {
            guard let source = try ContainerCredentialSource.fromEnvironment(context.env, http: profiles.containerHTTP)
            else {
                return .unavailable(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"
                )
            }
            return .found(source.provider())
        }
    }

    private static func instanceMetadataLink(
        _ context: ConfigurationContext, profiles: ProfileCredentialResolver
    ) -> CredentialChain.Link {
        CredentialChain.Link(name: "EC2 instance metadata") {
            if context.env("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
                return .unavailable("AWS_EC2_METADATA_DISABLED is true")
            }
            let source = InstanceMetadataCredentialSource.configured(context, caBundle: profiles.caBundle)
            switch try source.fetch() {
            case .credentials(let credentials):
                return .found(source.provider(initial: credentials))
            case .unavailable(let reason):
                return .unavailable(reason)
            }
        }
    }

    /// `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` of one profile in one file.
    private static func staticKeys(
        _ profile: [String: INIFile.Value]?, profile name: String, file: String
    ) throws -> CredentialChain.Lookup {
        guard let profile else {
            return .unavailable("no profile '\(name)'")
        }
        let key = profile["aws_access_key_id"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        let secret = profile["aws_secret_access_key"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case (nil, nil):
            return .unavailable("profile '\(name)' has no aws_access_key_id")
        case (.some(let key), .some(let secret)):
            let token = (profile["aws_session_token"] ?? profile["aws_security_token"])?.text
                .flatMap { $0.isEmpty ? nil : $0 }
            return .found(
                StaticCredentialProvider(Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
            )
        default:
            throw ConfigurationError.credentials(
                "profile '\(name)' in \(file) needs both aws_access_key_id and aws_secret_access_key"
            )
        }
    }
}
