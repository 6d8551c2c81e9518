import CognitoSyncModel
import SigV4

/// Options given explicitly, from Lua `cognitosync.new{...}` or command-line flags. Every one is optional; what is
/// not set comes from the environment, the shared config files or the defaults.
public struct ClientSettings {
    /// The service: where the regional endpoint is, which `AWS_ENDPOINT_URL_<SERVICE>` and `[services]` key apply,
    /// the signing name.
    public var service: ServiceModel = .cognitoSync
    /// The region, e.g. `eu-west-1`.
    public var region: String?
    /// The endpoint URL, e.g. `http://127.0.0.1:4566`; without a scheme, `https://` is assumed (`http://` when
    /// `sslEnabled` is false).
    public var endpoint: String?
    /// The shared config profile. Naming one explicitly also skips the credential environment variables.
    public var profile: String?
    /// Static credentials: the access key id, with `secretAccessKey`.
    public var accessKeyId: String?
    /// Static credentials: the secret access key, with `accessKeyId`.
    public var secretAccessKey: String?
    /// Static credentials: the session token of temporary credentials.
    public var sessionToken: String?
    /// A credential provider to use instead of the credential chain.
    public var credentialProvider: CredentialProvider?
    /// Use the FIPS endpoint of the region.
    public var useFIPS: Bool?
    /// Use the dual-stack (IPv4 and IPv6) endpoint of the region.
    public var useDualStack: Bool?
    /// Use `https` for the default endpoint and for an endpoint given without a scheme; true unless set false.
    public var sslEnabled: Bool?

    /// Settings with nothing set.
    public init() {}
}
