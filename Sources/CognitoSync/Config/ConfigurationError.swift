/// A problem with the client's configuration or credentials, found before anything is sent.
///
/// Messages name settings, files and profiles but never contain a secret key, a session token or the output of a
/// `credential_process`.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// `ConfigError` (region, endpoint, profile, files) or `CredentialsError` (no or unusable credentials).
    public let code: String
    /// What is wrong and how to fix it.
    public let message: String

    /// Creates an error with a code and a message.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    static func config(_ message: String) -> ConfigurationError {
        ConfigurationError(code: "ConfigError", message: message)
    }

    static func credentials(_ message: String) -> ConfigurationError {
        ConfigurationError(code: "CredentialsError", message: message)
    }
}
