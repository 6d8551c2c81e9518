import Foundation

/// The dates of the SSO token cache. The AWS CLI and botocore write `2026-11-29T12:00:00Z`; older AWS CLI versions
/// wrote `2026-11-29T12:00:00UTC`, and fractional seconds and numeric offsets parse as botocore's dateutil parses them.
enum SSOTimestamp {
    static func parse(_ text: String) -> Date? {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasSuffix("UTC") {
            value = String(value.dropLast(3)) + "Z"
        }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: value) {
            return date
        }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: value)
    }

    /// Whole seconds in UTC with a `Z`, as botocore's `_sso_json_dumps` writes `expiresAt`.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: floor(date.timeIntervalSince1970)))
    }
}
