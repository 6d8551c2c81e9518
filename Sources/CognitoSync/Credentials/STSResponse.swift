#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel
import SigV4

/// Reads an STS (awsQuery protocol) XML response: the `Credentials` element of a success, or the `Error` element
/// of a failure.
struct STSResponse {
    /// Text of the leaf elements under `Credentials`, by element name.
    private(set) var credentialFields: [String: String] = [:]
    /// `Code` and `Message` of an `ErrorResponse`.
    private(set) var errorCode: String?
    private(set) var errorMessage: String?

    /// Parses a response body; `nil` when it is not well-formed XML.
    init?(_ body: [UInt8]) {
        guard let leaves = XMLLeafReader.leaves(body) else { return nil }
        var errorFields: [String: String] = [:]
        for leaf in leaves where leaf.path.count >= 2 {
            let value = leaf.text.trimmingWhitespacesAndNewlines()
            switch leaf.path[leaf.path.count - 2] {
            case "Credentials": credentialFields[leaf.path[leaf.path.count - 1]] = value
            case "Error": errorFields[leaf.path[leaf.path.count - 1]] = value
            default: break
            }
        }
        errorCode = errorFields["Code"]
        errorMessage = errorFields["Message"]
    }

    /// The credentials of a successful response, or `nil` when a field is missing or malformed.
    var credentials: Credentials? {
        guard let key = credentialFields["AccessKeyId"], let secret = credentialFields["SecretAccessKey"],
            let token = credentialFields["SessionToken"], let expirationText = credentialFields["Expiration"],
            let expiration = ProcessCredentialSource.parseTimestamp(expirationText)
        else {
            return nil
        }
        return Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}
