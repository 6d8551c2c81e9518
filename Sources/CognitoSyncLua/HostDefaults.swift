import CognitoSync

/// Settings that apply to every client a script creates unless its `new{...}` options say otherwise:
/// the command line's `--region`, `--endpoint-url`, `--profile`, `--max-retries`, `--retry-mode`, `--dry-run`, and the
/// endpoint and credentials of `--local`. All but the credentials start `cognitosync.config`; `--max-errors` applies to
/// the whole run.
public struct HostDefaults {
    public var region: String?
    public var endpoint: String?
    public var profile: String?
    public var maxRetries: Int?
    /// `--max-errors`: calls that may fail for good before every later call fails at once.
    public var maxErrors: Int?
    public var retryMode: RetryMode?
    public var dryRun = false
    public var accessKeyId: String?
    public var secretAccessKey: String?
    /// The environment clients are configured from; nil for the process's own, read each time a client is made
    /// (building it as a dictionary is a good part of starting a script that makes none).
    public var environment: [String: String]?

    public init(environment: [String: String]? = nil) {
        self.environment = environment
    }
}
