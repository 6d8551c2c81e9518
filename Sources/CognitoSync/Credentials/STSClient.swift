#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SigV4

/// The two STS operations credential sources use, sent as awsQuery form posts (API version 2011-06-15).
struct STSClient {
    /// `scheme://host[:port][/base]` of STS.
    let endpoint: String
    /// The signing region.
    let region: String
    let http: CredentialHTTPClient

    /// `AssumeRole`, signed with the source credentials.
    func assumeRole(
        roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?, source: Credentials
    ) throws -> Credentials {
        var parameters = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", sessionName),
        ]
        if let externalId {
            parameters.append(("ExternalId", externalId))
        }
        if let durationSeconds {
            parameters.append(("DurationSeconds", String(durationSeconds)))
        }
        return try call("AssumeRole", roleArn: roleArn, parameters: parameters, signingCredentials: source)
    }

    /// `AssumeRoleWithWebIdentity`, which is not signed: the token is the proof.
    func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String) throws -> Credentials {
        let parameters = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ]
        return try call("AssumeRoleWithWebIdentity", roleArn: roleArn, parameters: parameters, signingCredentials: nil)
    }

    private func call(
        _ action: String, roleArn: String, parameters: [(String, String)], signingCredentials: Credentials?
    ) throws -> Credentials {
        let body = Array(
            parameters.map { "\(SigV4.PercentEncoding.encode($0.0))=\(SigV4.PercentEncoding.encode($0.1))" }
                .joined(separator: "&").utf8
        )
        guard let url = URLComponents(string: endpoint), let host = url.host else {
            throw ConfigurationError.config("the STS endpoint '\(endpoint)' is not a URL")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let authority = url.port.map { "\(bracketed):\($0)" } ?? bracketed
        // Endpoints are kept without a trailing slash; the query protocol posts to the base path's root.
        let path = url.percentEncodedPath + "/"
        var headers = [
            ("Host", authority), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        if let signingCredentials {
            let signer = SigV4Signer(service: "sts", region: region)
            headers += signer.sign(
                method: "POST", path: path, query: [],
                headers: headers, body: body, credentials: signingCredentials, date: Date()
            )
        }
        let failure = "STS \(action) for \(roleArn) failed"
        let response: CredentialHTTPClient.Response
        do {
            response = try http.send(method: "POST", url: endpoint + "/", headers: headers, body: body)
        } catch {
            throw ConfigurationError.credentials("\(failure): \(error) (\(endpoint))")
        }
        guard let parsed = STSResponse(response.body) else {
            throw ConfigurationError.credentials("\(failure): HTTP \(response.status) with a body that is not XML")
        }
        guard response.status == 200 else {
            let code = parsed.errorCode ?? "HTTP \(response.status)"
            throw ConfigurationError.credentials("\(failure): \(code): \(parsed.errorMessage ?? "")")
        }
        guard let credentials = parsed.credentials else {
            throw ConfigurationError.credentials("\(failure): the response has no complete Credentials element")
        }
        return credentials
    }
}
