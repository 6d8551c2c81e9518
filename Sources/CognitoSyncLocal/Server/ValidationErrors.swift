/// Collects constraint violations of one request and reports them the way the service's validation layer does:
/// `2 validation errors detected: Value 'x' at 'identityPoolId' failed to satisfy constraint: ...; ...`.
struct ValidationErrors {
    private(set) var messages: [String] = []

    var isEmpty: Bool {
        messages.isEmpty
    }

    /// Throws InvalidParameterException naming every violation collected so far.
    func check() throws {
        guard !messages.isEmpty else {
            return
        }
        let noun = messages.count == 1 ? "error" : "errors"
        let text = "\(messages.count) validation \(noun) detected: " + messages.joined(separator: "; ")
        throw ServiceError.invalidParameter(text)
    }

    mutating func missing(at member: String) {
        messages.append("Value null at '\(member)' failed to satisfy constraint: Member must not be null")
    }

    /// Records that `shown` (the value as the service prints it) at `member` breaks `constraint`.
    mutating func fail(_ shown: String, at member: String, _ constraint: String) {
        let value = shown.count > 64 ? String(shown.prefix(64)) + "..." : shown
        messages.append("Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)")
    }
}
