#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// Credentials of the EC2 instance's IAM role from the instance metadata service, IMDSv2 first: a session token
/// from `PUT /latest/api/token`, then the role name and its credentials. Falls back to IMDSv1 when the token
/// request is refused with 403, 404 or 405, as botocore does.
struct InstanceMetadataCredentialSource {
    let endpoint: String
    let http: CredentialHTTPClient
    /// Attempts per request, from `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (default 1).
    let attempts: Int

    /// What a fetch found.
    enum Outcome {
        case credentials(Credentials)
        /// No answer, or no role: the chain moves on with this reason.
        case unavailable(String)
    }

    /// The endpoint from `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `ec2_metadata_service_endpoint`, else the IPv4 or
    /// (with endpoint mode `IPv6`) IPv6 address; the timeout from `AWS_METADATA_SERVICE_TIMEOUT` (default 1 s).
    static func configured(_ context: ConfigurationContext, caBundle: String?) -> InstanceMetadataCredentialSource {
        let mode =
            context.env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            ?? context.profileSetting("ec2_metadata_service_endpoint_mode")
        let fallback = mode?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
        var endpoint =
            context.env("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? context.profileSetting("ec2_metadata_service_endpoint") ?? fallback
        while endpoint.hasSuffix("/") {
            endpoint.removeLast()
        }
        let timeout =
            (context.env("AWS_METADATA_SERVICE_TIMEOUT") ?? context.profileSetting("metadata_service_timeout"))
            .flatMap(Double.init) ?? 1
        let attempts =
            (context.env("AWS_METADATA_SERVICE_NUM_ATTEMPTS")
            ?? context.profileSetting("metadata_service_num_attempts")).flatMap(Int.init) ?? 1
        return InstanceMetadataCredentialSource(
            endpoint: endpoint, http: CredentialHTTPClient(
                inbox: context.inbox, timeout: timeout, connectTimeout: timeout, caBundle: caBundle),
            attempts: max(1, attempts)
        )
    }

    /// A provider seeded with credentials already fetched; it fetches again 15 minutes before each expiry.
    func provider(initial: Credentials) -> CredentialProvider {
        RefreshingCredentialProvider(
            source: "EC2 instance metadata", refreshWindow: 15 * 60, initial: initial,
            fetch: {
                switch try fetch() {
                case .credentials(let credentials): return credentials
                case .unavailable(let reason): throw ConfigurationError.credentials("EC2 instance metadata: \(reason)")
                }
            }
        )
    }

    func fetch() throws -> Outcome {
        var headers = [(String, String)]()
        switch request("PUT", "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]) {
        case .failure(let error):
            return .unavailable("no answer from \(endpoint) (\(error.description))")
        case .success(let response) where response.status == 200:
            headers.append(("X-aws-ec2-metadata-token", response.text))
        case .success(let response) where [403, 404, 405].contains(response.status):
            break
        case .success(let response):
            return .unavailable("token request answered HTTP \(response.status)")
        }
        let roles = request("GET", "/latest/meta-data/iam/security-credentials/", headers: headers)
        guard case .success(let roleResponse) = roles else {
            return .unavailable("no answer from \(endpoint)")
        }
        guard roleResponse.status == 200,
            let role = roleResponse.text.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty
        else {
            return .unavailable("the instance has no IAM role (HTTP \(roleResponse.status))")
        }
        let path = "/latest/meta-data/iam/security-credentials/" + SigV4.PercentEncoding.encode(role)
        guard case .success(let response) = request("GET", path, headers: headers), response.status == 200 else {
            return .unavailable("no credentials for role \(role)")
        }
        guard let credentials = MetadataCredentialDocument.parse(response.body) else {
            throw ConfigurationError.credentials("EC2 instance metadata returned malformed credentials for \(role)")
        }
        return .credentials(credentials)
    }

    /// A request to the metadata service, tried `attempts` times while it gets no answer or a 5xx.
    private func request(_ method: String, _ path: String, headers: [(String, String)]) -> Result<
        CredentialHTTPClient.Response, CredentialHTTPClient.TransportError
    > {
        http.send(method: method, url: endpoint + path, headers: headers, attempts: attempts)
    }
}
