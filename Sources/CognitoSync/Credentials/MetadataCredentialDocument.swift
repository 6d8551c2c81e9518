import CognitoSyncModel
import SigV4

/// The credential document that the container credentials endpoint and EC2 instance metadata both serve:
/// `{"AccessKeyId": ..., "SecretAccessKey": ..., "Token": ..., "Expiration": ...}`.
enum MetadataCredentialDocument {
    /// The credentials in `body`, or nil when it is not such a document.
    static func parse(_ body: [UInt8]) -> Credentials? {
        guard let json = try? JSONParser.parse(body), let key = json["AccessKeyId"]?.stringValue,
              let secret = json["SecretAccessKey"]?.stringValue
        else { return nil }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
            expiration: json["Expiration"]?.stringValue.flatMap(ProcessCredentialSource.parseTimestamp)
        )
    }
}
