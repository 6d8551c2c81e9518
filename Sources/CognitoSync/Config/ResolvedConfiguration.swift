import CognitoSyncModel

/// Where and as whom a client sends its requests, after every source of configuration was consulted.
public struct ResolvedConfiguration {
    /// The service the client speaks.
    public let service: ServiceModel
    /// The signing region.
    public let region: String
    /// `scheme://host[:port][/base]`, without a trailing slash.
    public let endpoint: String
    /// Gives the credentials to sign each request with.
    public let credentials: CredentialProvider
    /// The shared config profile in use (`default` unless one was named).
    public let profileName: String
    /// `AWS_MAX_ATTEMPTS` or the profile's `max_attempts` (attempts including the first), when set.
    public let maxAttempts: Int?
    /// `AWS_RETRY_MODE` or the profile's `retry_mode`, when set.
    public let retryMode: RetryMode?
    /// `AWS_CA_BUNDLE` or the profile's `ca_bundle`: the PEM file TLS peers are verified against, when set.
    public let caBundle: String?

    /// Creates a configuration from its parts.
    public init(
        service: ServiceModel = .cognitoSync, region: String, endpoint: String, credentials: CredentialProvider, profileName: String, maxAttempts: Int?,
        retryMode: RetryMode? = nil, caBundle: String? = nil
    ) {
        self.service = service
        self.retryMode = retryMode
        self.caBundle = caBundle
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.profileName = profileName
        self.maxAttempts = maxAttempts
    }
}
