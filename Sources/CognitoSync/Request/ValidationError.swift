/// A parameter that fails validation, found before anything is sent.
///
/// Codes are those of the AWS SDK for JavaScript's parameter validator: `MissingRequiredParameter`,
/// `UnexpectedParameter`, `InvalidParameterType`, `MinLengthError`, `MaxLengthError` (string lengths and
/// list/map entry counts), `MinRangeError`, `MaxRangeError` (numbers), `PatternMatchError`, `EnumError`,
/// `UriParameterError` (an empty URI label) and `InvalidHeaderValue` (a header member with a line break).
public struct ValidationError: Error, CustomStringConvertible, Equatable {
    /// The error code, e.g. `MissingRequiredParameter`.
    public let code: String
    /// Where the bad value is, e.g. `params.RecordPatches[2].Op` (list indices count from 1).
    public let path: String
    /// A one-line explanation naming the path.
    public let message: String

    /// Creates an error.
    public init(code: String, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// One line: `Code: message`.
    public var description: String {
        "\(code): \(message)"
    }
}
