/// How an operation's request is laid out, as the model's `protocol` says.
public enum WireProtocol: Sendable, Equatable {
    /// `rest-json` (Cognito Sync): members in the URI, query string, headers and a JSON body.
    case restJSON
    /// AWS JSON (Cognito Identity): `POST` of the whole input as a JSON body, the operation named by the
    /// `X-Amz-Target` header (`AWSCognitoIdentityService.GetId`), `Content-Type: application/x-amz-json-<version>`.
    case awsJSON(version: String, target: String)
}
