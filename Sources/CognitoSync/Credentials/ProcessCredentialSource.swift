#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CognitoSyncModel
import SigV4

/// Runs a profile's `credential_process` command with `/bin/sh -c` and reads the credentials it prints.
///
/// The command's standard output is parsed and never repeated in an error; its standard error goes to this
/// process's standard error, so prompts and diagnostics stay visible without entering error messages or logs.
struct ProcessCredentialSource {
    let command: String
    let profileName: String
    let environment: [String: String]

    /// How close to expiry credentials are fetched again.
    static let refreshWindow: TimeInterval = 5 * 60

    /// A provider that runs the command on its first use and again near each expiry.
    func provider(now: @escaping () -> Date = Date.init) -> CredentialProvider {
        RefreshingCredentialProvider(source: source, refreshWindow: Self.refreshWindow, now: now, fetch: fetch)
    }

    var source: String { "credential_process of profile '\(profileName)'" }

    func fetch() throws -> Credentials {
        let output = try run()
        return try Self.parse(output, source: source)
    }

    /// Runs the command with standard input from `/dev/null`, standard error shared with this process and signals
    /// at their defaults (this process ignores SIGPIPE), and returns what it printed on standard output.
    private func run() throws -> [UInt8] {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw ConfigurationError.credentials("\(source) could not be started: \(String(cString: strerror(errno)))")
        }
        // Neither end stays open in the command: its standard output is a copy made by the spawn.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (text: String) in strdup(text) }
        let variables: [UnsafeMutablePointer<CChar>?] = environment.map { (key, value) in strdup("\(key)=\(value)") }
        defer { (arguments + variables).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments + [nil], variables + [nil])
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            throw ConfigurationError.credentials("\(source) could not be started: \(String(cString: strerror(status)))")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count > 0 {
                output += buffer[..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(ends[0])
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        // The low seven bits are the signal that ended the command, zero when it exited; the exit status is above.
        let killedBy = waitStatus & 0x7F
        let exitStatus = (waitStatus >> 8) & 0xFF
        guard killedBy == 0, exitStatus == 0 else {
            let how = killedBy == 0 ? "exited with status \(exitStatus)" : "was killed by signal \(killedBy)"
            throw ConfigurationError.credentials("\(source) \(how)")
        }
        return output
    }

    /// Parses `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
    static func parse(_ output: [UInt8], source: String) throws -> Credentials {
        guard let json = try? JSONParser.parse(output), case .map = json else {
            throw ConfigurationError.credentials("\(source) did not print a JSON object")
        }
        guard let version = json["Version"]?.doubleValue, version == 1 else {
            throw ConfigurationError.credentials("\(source) printed JSON without \"Version\": 1")
        }
        guard let accessKeyId = json["AccessKeyId"]?.stringValue, !accessKeyId.isEmpty else {
            throw ConfigurationError.credentials("\(source) printed JSON without AccessKeyId")
        }
        guard let secretAccessKey = json["SecretAccessKey"]?.stringValue, !secretAccessKey.isEmpty else {
            throw ConfigurationError.credentials("\(source) printed JSON without SecretAccessKey")
        }
        let sessionToken = json["SessionToken"]?.stringValue
        var expiration: Date?
        if let text = json["Expiration"]?.stringValue {
            guard let date = parseTimestamp(text) else {
                throw ConfigurationError.credentials("\(source) printed an Expiration that is not an RFC 3339 time")
            }
            expiration = date
        }
        return Credentials(
            accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
            sessionToken: sessionToken.flatMap { $0.isEmpty ? nil : $0 }, expiration: expiration
        )
    }

    /// An RFC 3339 / ISO 8601 time, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        Timestamp.parseRFC3339(text)
    }
}
