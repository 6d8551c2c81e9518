import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConfigurationResolver {
    /// The endpoint: explicit setting, `AWS_ENDPOINT_URL_<SERVICE>` (`_COGNITO_SYNC`, `_COGNITO_IDENTITY`),
    /// `AWS_ENDPOINT_URL`, the profile's
    /// `services` section, the profile's `endpoint_url`, else the regional endpoint from the service's rules (FIPS
    /// and dual-stack variants included). As in botocore, FIPS and dual-stack apply only to the regional endpoint.
    static func resolveEndpoint(_ context: ConfigurationContext, region: String) throws -> String {
        let sslEnabled = context.settings.sslEnabled ?? true
        if let explicit = context.settings.endpoint.flatMap({ $0.isEmpty ? nil : $0 }) {
            return try validatedEndpoint(explicit, source: "the endpoint option", sslEnabled: sslEnabled)
        }
        let service = context.settings.service
        if let (configured, source) = configuredEndpoint(context, serviceKey: service.configKey) {
            return try validatedEndpoint(configured, source: source, sslEnabled: sslEnabled)
        }
        let useFIPS = context.flag(
            context.settings.useFIPS, env: "AWS_USE_FIPS_ENDPOINT", profileKey: "use_fips_endpoint"
        )
        let useDualStack = context.flag(
            context.settings.useDualStack, env: "AWS_USE_DUALSTACK_ENDPOINT", profileKey: "use_dualstack_endpoint"
        )
        return regionalEndpoint(
            service, region: region, useFIPS: useFIPS, useDualStack: useDualStack, sslEnabled: sslEnabled
        )
    }

    /// The endpoint rules of Cognito Sync and Cognito Identity (2014-06-30) for a region: the same for both, and
    /// every partition supports FIPS and dual-stack.
    static func regionalEndpoint(
        _ service: ServiceModel, region: String, useFIPS: Bool, useDualStack: Bool, sslEnabled: Bool = true
    ) -> String {
        let partition = Partition.of(region: region)
        let host = useFIPS ? service.endpointPrefix + "-fips" : service.endpointPrefix
        let suffix = useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix
        return "\(sslEnabled ? "https" : "http")://\(host).\(region).\(suffix)"
    }

    /// An endpoint set in the environment or the shared config for a service (`cognito_sync`, `sts`), with where
    /// it came from.
    static func configuredEndpoint(_ context: ConfigurationContext, serviceKey: String) -> (String, String)? {
        let ignore = context.flag(
            nil, env: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", profileKey: "ignore_configured_endpoint_urls"
        )
        if ignore {
            return nil
        }
        let serviceVariable = "AWS_ENDPOINT_URL_" + serviceKey.uppercased()
        if let value = context.env(serviceVariable) {
            return (value, serviceVariable)
        }
        if let value = context.env("AWS_ENDPOINT_URL") {
            return (value, "AWS_ENDPOINT_URL")
        }
        if let servicesName = context.profileSetting("services"),
            case .subsection(let entries)? = context.files.services[servicesName]?[serviceKey],
            let value = entries["endpoint_url"], !value.isEmpty
        {
            return (value, "endpoint_url of \(serviceKey) in [services \(servicesName)]")
        }
        if let value = context.profileSetting("endpoint_url") {
            return (value, "endpoint_url in profile '\(context.profileName)'")
        }
        return nil
    }

    /// `scheme://host[:port][/base]` without a trailing slash; a value without a scheme gets `https://` (or `http://`
    /// when SSL is off).
    static func validatedEndpoint(_ raw: String, source: String, sslEnabled: Bool) throws -> String {
        let trimmed = raw.trimmingWhitespaces()
        let withScheme = trimmed.contains("://") ? trimmed : "\(sslEnabled ? "https" : "http")://\(trimmed)"
        guard let components = URLComponents(string: withScheme) else {
            throw ConfigurationError.config("\(source) is not a URL: '\(raw)'")
        }
        guard components.user == nil, components.password == nil else {
            throw ConfigurationError.config("\(source) must not contain a user name or password")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, components.query == nil, components.fragment == nil
        else {
            throw ConfigurationError.config(
                "\(source) must look like https://host[:port][/path], not '\(raw)'"
            )
        }
        var endpoint = withScheme
        while endpoint.hasSuffix("/") {
            endpoint.removeLast()
        }
        return endpoint
    }
}
