#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// Credentials from the ECS/EKS container endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// `169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token of
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN` as `Authorization`.
struct ContainerCredentialSource {
    let url: String
    let tokenFile: String?
    let token: String?
    let http: CredentialHTTPClient
    /// Attempts per fetch; connection failures and 5xx answers are tried again after `retryDelay`.
    var attempts = 3
    var retryDelay: TimeInterval = 1

    /// Hosts a plain-http full URI may name, besides loopback addresses.
    static let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]

    /// The source the environment configures, `nil` when neither URI variable is set.
    static func fromEnvironment(_ env: (String) -> String?, http: CredentialHTTPClient) throws
        -> ContainerCredentialSource?
    {
        let url: String
        if let relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            try validateFullURI(full)
            url = full
        } else {
            return nil
        }
        return ContainerCredentialSource(
            url: url, tokenFile: env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            token: env("AWS_CONTAINER_AUTHORIZATION_TOKEN"), http: http
        )
    }

    /// A full URI must use https, or http to a loopback address or a container-agent host.
    static func validateFullURI(_ full: String) throws {
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else {
            throw ConfigurationError.credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let loopback = bare == "::1" || bare.hasPrefix("127.")
        guard scheme == "https" || (scheme == "http" && (loopback || allowedHosts.contains(bare))) else {
            throw ConfigurationError.credentials(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback address or one of "
                    + allowedHosts.sorted().joined(separator: ", ") + "; '\(host)' is neither"
            )
        }
    }

    /// A provider that fetches on first use and again 15 minutes before each expiry.
    func provider() -> CredentialProvider {
        RefreshingCredentialProvider(source: "container credentials", refreshWindow: 15 * 60, fetch: fetch)
    }

    func fetch() throws -> Credentials {
        var headers = [(String, String)]()
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ConfigurationError.credentials("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile)")
            }
            headers.append(("Authorization", String(decoding: data, as: UTF8.self)))
        } else if let token {
            headers.append(("Authorization", token))
        }
        if let bad = headers.first?.1, bad.contains("\r") || bad.contains("\n") {
            throw ConfigurationError.credentials("the container authorization token contains a line break")
        }
        switch http.send(method: "GET", url: url, headers: headers, attempts: attempts, retryDelay: retryDelay) {
        case .failure(let problem):
            throw ConfigurationError.credentials("container credentials endpoint \(url) failed: \(problem)")
        case .success(let response) where response.status == 200:
            return try Self.parse(response.body)
        case .success(let response):
            throw ConfigurationError.credentials("container credentials endpoint answered HTTP \(response.status)")
        }
    }

    static func parse(_ body: [UInt8]) throws -> Credentials {
        guard let credentials = MetadataCredentialDocument.parse(body) else {
            throw ConfigurationError.credentials("container credentials endpoint did not return credentials")
        }
        return credentials
    }
}
