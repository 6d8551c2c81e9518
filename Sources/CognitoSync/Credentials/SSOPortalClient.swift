#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel
import SigV4

/// The IAM Identity Center portal's `GetRoleCredentials`: unsigned, authorised by the SSO access token.
struct SSOPortalClient {
    /// `scheme://host[:port][/base]` of the portal.
    let endpoint: String
    let http: CredentialHTTPClient

    /// The role's temporary credentials; a refusal or an unusable answer is an `SSOServiceError`.
    func roleCredentials(accountId: String, roleName: String, accessToken: String) throws -> Credentials {
        let query = "account_id=\(PercentEncoding.encode(accountId))&role_name=\(PercentEncoding.encode(roleName))"
        let response: CredentialHTTPClient.Response
        do {
            response = try http.send(
                method: "GET", url: endpoint + "/federation/credentials?" + query,
                headers: [("x-amz-sso_bearer_token", accessToken)]
            )
        } catch {
            throw SSOServiceError(status: nil, reason: "\(error) (\(endpoint))")
        }
        guard response.status == 200 else {
            throw SSOServiceError.from(status: response.status, body: response.body)
        }
        let object = try? JSONParser.parse(response.body)
        guard let role = object?["roleCredentials"],
            let key = role["accessKeyId"]?.stringValue, let secret = role["secretAccessKey"]?.stringValue,
            let token = role["sessionToken"]?.stringValue, let milliseconds = role["expiration"]?.doubleValue
        else {
            throw SSOServiceError(status: 200, reason: "an answer without complete roleCredentials")
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: token,
            expiration: Date(timeIntervalSince1970: milliseconds / 1000)
        )
    }
}
