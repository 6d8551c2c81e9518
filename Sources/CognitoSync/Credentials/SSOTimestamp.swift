#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel
import SigV4

/// The dates of the SSO token cache. The AWS CLI and botocore write `2026-11-29T12:00:00Z`; older AWS CLI versions
/// wrote `2026-11-29T12:00:00UTC`, and fractional seconds and numeric offsets parse as botocore's dateutil parses them.
enum SSOTimestamp {
    static func parse(_ text: String) -> Date? {
        var value = text.trimmingWhitespaces()
        if value.hasSuffix("UTC") {
            value = String(value.dropLast(3)) + "Z"
        }
        return Timestamp.parseRFC3339(value)
    }

    /// Whole seconds in UTC with a `Z`, as botocore's `_sso_json_dumps` writes `expiresAt`.
    static func format(_ date: Date) -> String {
        AmzDate.iso8601(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }
}
