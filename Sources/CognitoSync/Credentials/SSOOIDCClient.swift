#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// SSO OIDC's `CreateToken` with the `refresh_token` grant: a new access token for a client registration and a
/// refresh token. Unsigned, as in botocore.
struct SSOOIDCClient {
    /// `scheme://host[:port][/base]` of SSO OIDC.
    let endpoint: String
    let http: CredentialHTTPClient

    /// What `CreateToken` answers.
    struct Grant {
        let accessToken: String
        let expiresIn: TimeInterval
        let refreshToken: String?
    }

    func refresh(clientId: String, clientSecret: String, refreshToken: String) throws -> Grant {
        let body = JSONWriter.write(.map([
            ("clientId", .string(clientId)), ("clientSecret", .string(clientSecret)),
            ("grantType", .string("refresh_token")), ("refreshToken", .string(refreshToken)),
        ]))
        let response: CredentialHTTPClient.Response
        do {
            response = try http.send(
                method: "POST", url: endpoint + "/token", headers: [("Content-Type", "application/json")], body: body
            )
        } catch {
            throw SSOServiceError(status: nil, reason: "\(error) (\(endpoint))")
        }
        guard response.status == 200 else {
            throw SSOServiceError.from(status: response.status, body: response.body)
        }
        let object = try? JSONParser.parse(response.body)
        guard let accessToken = object?["accessToken"]?.stringValue, let expiresIn = object?["expiresIn"]?.doubleValue
        else {
            throw SSOServiceError(status: 200, reason: "an answer without accessToken and expiresIn")
        }
        return Grant(
            accessToken: accessToken, expiresIn: expiresIn,
            refreshToken: object?["refreshToken"]?.stringValue
        )
    }
}
