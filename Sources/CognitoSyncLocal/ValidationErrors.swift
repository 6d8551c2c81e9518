import Foundation

/// Collects constraint violations of one request and reports them the way the service's validation layer does:
/// `2 validation errors detected: Value 'x' at 'identityPoolId' failed to satisfy constraint: ...; ...`.
struct ValidationErrors {
    static let identityIdPattern = "[\\w-]+:[0-9a-f-]+"
    static let datasetNamePattern = "[a-zA-Z0-9_.:-]+"
    static let roleArnPattern = "arn:aws:iam::\\d+:role/.*"
    static let applicationArnPattern = "arn:aws:sns:[-0-9a-z]+:\\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+"

    private(set) var messages: [String] = []

    /// Throws InvalidParameterException naming every violation collected so far.
    func check() throws {
        guard !messages.isEmpty else {
            return
        }
        let noun = messages.count == 1 ? "error" : "errors"
        let text = "\(messages.count) validation \(noun) detected: " + messages.joined(separator: "; ")
        throw ServiceError.invalidParameter(text)
    }

    mutating func required(_ present: Bool, at member: String) {
        if !present {
            messages.append("Value null at '\(member)' failed to satisfy constraint: Member must not be null")
        }
    }

    /// Checks a length in UTF-16 code units, the unit the service's length constraints count.
    mutating func length(_ value: String, at member: String, min: Int? = nil, max: Int? = nil) {
        let count = value.utf16.count
        if let min, count < min {
            fail(value, member, "Member must have length greater than or equal to \(min)")
        } else if let max, count > max {
            fail(value, member, "Member must have length less than or equal to \(max)")
        }
    }

    mutating func count(_ count: Int, of value: String, at member: String, max: Int) {
        if count > max {
            fail(value, member, "Member must have length less than or equal to \(max)")
        }
    }

    mutating func minimum(_ value: Int64, of text: String, at member: String, _ minimum: Int64) {
        if value < minimum {
            fail(text, member, "Member must have value greater than or equal to \(minimum)")
        }
    }

    mutating func invalidNumber(_ text: String, at member: String) {
        fail(text, member, "Member must be a number")
    }

    mutating func oneOf(_ value: String, at member: String, allowed: [String]) {
        if !allowed.contains(value) {
            fail(value, member, "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
    }

    mutating func identityId(_ value: String, at member: String) {
        length(value, at: member, min: 1, max: 55)
        if !value.isEmpty && !Self.isIdentityId(value) {
            patternFailure(value, member, Self.identityIdPattern)
        }
    }

    mutating func datasetName(_ value: String, at member: String) {
        length(value, at: member, min: 1, max: 128)
        if !value.isEmpty && !Self.isDatasetName(value) {
            patternFailure(value, member, Self.datasetNamePattern)
        }
    }

    mutating func pattern(_ value: String, at member: String, _ pattern: String) {
        if !Self.fullMatch(value, pattern) {
            patternFailure(value, member, pattern)
        }
    }

    private mutating func patternFailure(_ value: String, _ member: String, _ pattern: String) {
        fail(value, member, "Member must satisfy regular expression pattern: \(pattern)")
    }

    private mutating func fail(_ value: String, _ member: String, _ constraint: String) {
        let shown = value.count > 64 ? String(value.prefix(64)) + "..." : value
        messages.append("Value '\(shown)' at '\(member)' failed to satisfy constraint: \(constraint)")
    }

    /// `[\w-]+:[0-9a-f-]+` over the whole value, with `\w` as ASCII letters, digits and `_`.
    static func isIdentityId(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 else {
            return false
        }
        let head = bytes[..<colon].allSatisfy { isWord($0) || $0 == UInt8(ascii: "-") }
        let tail = bytes[(colon + 1)...].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
        return head && tail
    }

    /// `[a-zA-Z0-9_.:-]+` over the whole value.
    static func isDatasetName(_ value: String) -> Bool {
        !value.isEmpty
            && value.utf8.allSatisfy { byte in
                isWord(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
            }
    }

    private static func isWord(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private static func fullMatch(_ value: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
            return false
        }
        let range = NSRange(value.startIndex..., in: value)
        return regex.firstMatch(in: value, options: [], range: range) != nil
    }
}
