/// Malformed JSON input: where it went wrong and why.
public struct JSONError: Error, CustomStringConvertible, Equatable {
    /// The byte offset of the offending input, from 0.
    public let offset: Int
    /// What is wrong there.
    public let reason: String

    /// Creates an error.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `invalid JSON at byte N: reason`.
    public var description: String {
        "invalid JSON at byte \(offset): \(reason)"
    }
}
