import CognitoSync

/// Settings that apply to every client a script creates unless its `new{...}` options say otherwise:
/// the command line's `--region`, `--endpoint-url`, `--profile`, `--max-retries`, `--retry-mode`, `--dry-run`, and the
/// endpoint and credentials of `--local`.
public struct HostDefaults {
    public var region: String?
    public var endpoint: String?
    public var profile: String?
    public var maxRetries: Int?
    public var retryMode: RetryMode?
    public var dryRun = false
    public var accessKeyId: String?
    public var secretAccessKey: String?
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }
}
