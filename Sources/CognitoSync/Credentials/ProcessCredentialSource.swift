import Foundation
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

    private func run() throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ConfigurationError.credentials("\(source) could not be started: \(error.localizedDescription)")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how =
                process.terminationReason == .exit
                ? "exited with status \(process.terminationStatus)"
                : "was killed by signal \(process.terminationStatus)"
            throw ConfigurationError.credentials("\(source) \(how)")
        }
        return output
    }

    /// Parses `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
    static func parse(_ output: Data, source: String) throws -> Credentials {
        guard let object = try? JSONSerialization.jsonObject(with: output), let json = object as? [String: Any]
        else {
            throw ConfigurationError.credentials("\(source) did not print a JSON object")
        }
        guard let version = json["Version"] as? Int, version == 1 else {
            throw ConfigurationError.credentials("\(source) printed JSON without \"Version\": 1")
        }
        guard let accessKeyId = json["AccessKeyId"] as? String, !accessKeyId.isEmpty else {
            throw ConfigurationError.credentials("\(source) printed JSON without AccessKeyId")
        }
        guard let secretAccessKey = json["SecretAccessKey"] as? String, !secretAccessKey.isEmpty else {
            throw ConfigurationError.credentials("\(source) printed JSON without SecretAccessKey")
        }
        let sessionToken = json["SessionToken"] as? String
        var expiration: Date?
        if let text = json["Expiration"] as? String {
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
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) {
            return date
        }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
