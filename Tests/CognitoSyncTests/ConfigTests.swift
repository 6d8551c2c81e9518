import Foundation
import XCTest

@testable import CognitoSync

/// Base class for configuration and credential tests: a private temporary HOME, helpers to write the shared
/// files and scripts, and an environment that points only there.
class ConfigTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cogsync-config-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent(".aws"), withIntermediateDirectories: true
        )
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    /// `HOME` and `PATH` only, plus `extra`; IMDS is disabled so no test waits on the network.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "HOME": directory.path, "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true",
        ]
        env.merge(extra) { _, new in new }
        return env
    }

    func writeConfig(_ text: String) throws {
        try write(text, to: ".aws/config")
    }

    func writeCredentials(_ text: String) throws {
        try write(text, to: ".aws/credentials")
    }

    @discardableResult
    func write(_ text: String, to relativePath: String, executable: Bool = false) throws -> String {
        let url = directory.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true
        )
        try text.write(to: url, atomically: true, encoding: .utf8)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return url.path
    }

    /// Path of a file in the temporary directory.
    func path(_ relativePath: String) -> String {
        directory.appendingPathComponent(relativePath).path
    }

    func resolve(_ settings: ClientSettings = ClientSettings(), _ env: [String: String] = [:]) throws
        -> ResolvedConfiguration
    {
        try ConfigurationResolver.resolve(settings, environment: environment(env), inbox: DrivenTransport.shared.inbox)
    }

    func settings(_ configure: (inout ClientSettings) -> Void) -> ClientSettings {
        var settings = ClientSettings()
        configure(&settings)
        return settings
    }

    /// The error a throwing expression raises, as a `ConfigurationError`.
    func configurationError<T>(
        _ expression: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
    ) -> ConfigurationError? {
        do {
            _ = try expression()
            XCTFail("expected a ConfigurationError", file: file, line: line)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            XCTFail("expected a ConfigurationError, got \(error)", file: file, line: line)
            return nil
        }
    }
}
