import CognitoSyncModel

/// Behaviour settings of one client, from the Lua `new{...}` options and the command line.
public struct ClientOptions {
    public var retry = RetryPolicy()
    /// How retries and the send rate are managed; batch unless set.
    public var retryMode = RetryMode.batch
    public var validation: ValidationOptions = .all
    public var transport = TransportOptions()
    /// Requests of this client on the wire at once; more wait in a queue.
    public var maxInFlight = 32
    /// Adopt the server's clock when it differs from ours by more than five minutes.
    public var correctClockSkew = true
    /// Seconds added to the local clock when signing.
    public var systemClockOffset: Double = 0
    /// Mutating operations are validated and reported, not sent.
    public var dryRun = false

    public init() {}
}
