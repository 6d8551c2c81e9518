#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// An IAM Identity Center access token as the AWS CLI caches it, with the client registration that refreshes it.
///
/// `description` names the expiry only: the access token, the refresh token and the client secret are secrets.
struct SSOToken: Equatable, CustomStringConvertible {
    let accessToken: String
    let expiresAt: Date
    var refreshToken: String?
    var clientId: String?
    var clientSecret: String?
    /// Kept as written: a refreshed token carries it over unchanged, as botocore does.
    var registrationExpiresAt: String?
    var region: String?
    var startUrl: String?

    /// Why a cache file's text is not a usable token.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    var description: String { "SSOToken(expiresAt: \(SSOTimestamp.format(expiresAt)))" }

    /// A token from a cache file; `accessToken` and `expiresAt` are required (botocore's `SSOTokenLoader`), the
    /// other keys are kept when they are strings.
    static func parse(_ data: [UInt8]) throws -> SSOToken {
        guard let object = try? JSONParser.parse(data), case .map = object else {
            throw ParseError(description: "is not a JSON object")
        }
        guard let accessToken = object["accessToken"]?.stringValue, let expiresText = object["expiresAt"]?.stringValue
        else {
            throw ParseError(description: "has no accessToken or expiresAt")
        }
        guard let expiresAt = SSOTimestamp.parse(expiresText) else {
            throw ParseError(description: "has an expiresAt that is not a date")
        }
        return SSOToken(
            accessToken: accessToken, expiresAt: expiresAt, refreshToken: object["refreshToken"]?.stringValue,
            clientId: object["clientId"]?.stringValue, clientSecret: object["clientSecret"]?.stringValue,
            registrationExpiresAt: object["registrationExpiresAt"]?.stringValue, region: object["region"]?.stringValue,
            startUrl: object["startUrl"]?.stringValue
        )
    }

    /// The cache file's text as botocore's `SSOTokenProvider` writes a refreshed token: its keys in its order,
    /// Python's `json.dumps` spacing and ASCII escapes, and absent keys left out.
    func cacheFileContents() -> [UInt8] {
        let fields: [(String, String?)] = [
            ("startUrl", startUrl), ("region", region), ("accessToken", accessToken),
            ("expiresAt", SSOTimestamp.format(expiresAt)), ("clientId", clientId), ("clientSecret", clientSecret),
            ("registrationExpiresAt", registrationExpiresAt), ("refreshToken", refreshToken),
        ]
        let members = fields.compactMap { key, value in
            value.map { Self.pythonJSONString(key) + ": " + Self.pythonJSONString($0) }
        }
        return Array(("{" + members.joined(separator: ", ") + "}").utf8)
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`): non-ASCII as `\uXXXX` UTF-16 units.
    private static func pythonJSONString(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += "\\u" + String(repeating: "0", count: 4 - String(unit, radix: 16).count)
                + String(unit, radix: 16)
            }
        }
        return out + "\""
    }
}
