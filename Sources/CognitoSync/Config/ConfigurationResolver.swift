#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// Works out region, endpoint, profile and credentials as the AWS CLI does, from explicit settings, environment
/// variables and the shared config and credentials files.
public enum ConfigurationResolver {
    /// Resolves a configuration. Reads the shared files but runs no process and makes no request: credentials are
    /// looked up on the first `credentials()` call, and their sources send over `inbox` (the engine's transport).
    public static func resolve(
        _ settings: ClientSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
        inbox: TransportInbox
    ) throws -> ResolvedConfiguration {
        let files = try SharedConfigFiles.load(environment: environment)
        let explicitProfile = settings.profile.flatMap { $0.isEmpty ? nil : $0 }
        let namedProfile = explicitProfile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let namedProfile, !files.hasProfile(namedProfile) {
            throw ConfigurationError.config(
                "the config profile (\(namedProfile)) could not be found in \(files.configPath) or "
                    + files.credentialsPath
            )
        }
        let context = ConfigurationContext(
            settings: settings, environment: environment, files: files, profileName: namedProfile ?? "default",
            profileIsExplicit: explicitProfile != nil, inbox: inbox
        )
        let region = try resolveRegion(context)
        return ResolvedConfiguration(
            service: settings.service, region: region, endpoint: try resolveEndpoint(context, region: region),
            credentials: try credentialProvider(context, region: region), profileName: context.profileName,
            maxAttempts: try resolveMaxAttempts(context), retryMode: try resolveRetryMode(context),
            caBundle: (context.env("AWS_CA_BUNDLE") ?? context.profileSetting("ca_bundle")).flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    static func resolveRegion(_ context: ConfigurationContext) throws -> String {
        let explicit = context.settings.region.flatMap { $0.isEmpty ? nil : $0 }
        guard
            let region = explicit ?? context.env("AWS_REGION") ?? context.env("AWS_DEFAULT_REGION")
                ?? context.profileSetting("region")
        else {
            throw ConfigurationError.config(
                "no region: set region = ... in cognitosync.new{}, --region, AWS_REGION or region in the profile"
            )
        }
        guard isValidRegion(region) else {
            throw ConfigurationError.config("region '\(region)' is not a valid region name (a DNS host label)")
        }
        return region
    }

    /// A DNS host label, as botocore requires of region names.
    static func isValidRegion(_ region: String) -> Bool {
        let bytes = Array(region.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else {
            return false
        }
        let allowed = bytes.allSatisfy { byte in
            byte == UInt8(ascii: "-") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        let allDigits = bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return allowed && !allDigits
    }

    /// `AWS_RETRY_MODE`, then the profile's `retry_mode`; nil when neither is set.
    static func resolveRetryMode(_ context: ConfigurationContext) throws -> RetryMode? {
        let (text, source): (String?, String) =
            context.env("AWS_RETRY_MODE").map { ($0, "AWS_RETRY_MODE") }
            ?? (context.profileSetting("retry_mode"), "retry_mode in profile '\(context.profileName)'")
        guard let text else { return nil }
        guard let mode = RetryMode(name: text) else {
            throw ConfigurationError.config("\(source) must be one of \(RetryMode.names), not '\(text)'")
        }
        return mode
    }

    static func resolveMaxAttempts(_ context: ConfigurationContext) throws -> Int? {
        let (text, source): (String?, String) =
            context.env("AWS_MAX_ATTEMPTS").map { ($0, "AWS_MAX_ATTEMPTS") }
            ?? (context.profileSetting("max_attempts"), "max_attempts in profile '\(context.profileName)'")
        guard let text else {
            return nil
        }
        guard let value = Int(text.trimmingWhitespaces()), value >= 1 else {
            throw ConfigurationError.config("\(source) must be a whole number of at least 1, not '\(text)'")
        }
        return value
    }
}
