#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// A failed call to the IAM Identity Center portal or to SSO OIDC. The description names the status and the error
/// code only: never the token, the refresh token or the client secret that were sent.
struct SSOServiceError: Error, Equatable, CustomStringConvertible {
    /// The HTTP status; `nil` when no answer arrived.
    let status: Int?
    /// The error code of the answer (`UnauthorizedException`; empty when it names none), or why no answer arrived.
    let reason: String

    var description: String {
        guard let status else { return reason }
        return reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)"
    }

    /// The error an answer carries: a restJson `__type` (without its namespace) or the OAuth `error` member of the
    /// body; without either, the code the status stands for in the SSO models.
    static func from(status: Int, body: [UInt8]) -> SSOServiceError {
        let object = try? JSONParser.parse(body)
        if var type = object?["__type"]?.stringValue, !type.isEmpty {
            type = String(type.split(separator: "#").last ?? Substring(type))
            return SSOServiceError(status: status, reason: String(type.split(separator: ":").first ?? ""))
        }
        if let error = object?["error"]?.stringValue, !error.isEmpty {
            return SSOServiceError(status: status, reason: error)
        }
        let byStatus = [
            400: "InvalidRequestException", 401: "UnauthorizedException", 403: "ForbiddenException",
            404: "ResourceNotFoundException", 429: "TooManyRequestsException",
        ]
        return SSOServiceError(status: status, reason: byStatus[status] ?? "")
    }
}
