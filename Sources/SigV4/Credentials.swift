#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// AWS credentials used to sign requests.
///
/// `description`, `debugDescription` and the reflection mirror never show the secret access key or the session
/// token, so the value can be logged or dumped safely.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id; it is not a secret (it travels in every `Authorization` header).
    public let accessKeyId: String
    /// The secret access key.
    public let secretAccessKey: String
    /// The session token of temporary credentials.
    public let sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term credentials.
    public let expiration: Date?

    /// Creates credentials from their parts.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// A one-line summary that names the access key id and hides the secret and the token.
    public var description: String {
        var parts = ["accessKeyId: \(accessKeyId)", "secretAccessKey: <redacted>"]
        if sessionToken != nil {
            parts.append("sessionToken: <redacted>")
        }
        if let expiration {
            parts.append("expiration: \(AmzDate.iso8601(expiration))")
        }
        return "Credentials(\(parts.joined(separator: ", ")))"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// A mirror that hides the secret and the token from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
                "expiration": expiration.map(AmzDate.iso8601) ?? "nil",
            ],
            displayStyle: .struct
        )
    }
}
