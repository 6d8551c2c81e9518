#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The shared config file (`~/.aws/config`) and credentials file (`~/.aws/credentials`), read together.
struct SharedConfigFiles {
    /// Where the config file is (or would be).
    let configPath: String
    /// Where the credentials file is (or would be).
    let credentialsPath: String
    /// Whether each file exists.
    let configFileExists: Bool
    let credentialsFileExists: Bool
    /// Profiles of the config file: `[default]` and `[profile NAME]`.
    let configProfiles: [String: [String: INIFile.Value]]
    /// Profiles of the credentials file: every section is a profile, named without a prefix.
    let credentialProfiles: [String: [String: INIFile.Value]]
    /// `[services NAME]` sections of the config file.
    let services: [String: [String: INIFile.Value]]
    /// `[sso-session NAME]` sections of the config file (IAM Identity Center sign-in settings profiles share).
    let ssoSessions: [String: [String: INIFile.Value]]

    /// Reads both files from `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, or `~/.aws/`. A missing file
    /// counts as empty; an unreadable or malformed one is a `ConfigError`.
    static func load(environment: [String: String]) throws -> SharedConfigFiles {
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let configPath = expandingHome(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
        let credentialsPath = expandingHome(
            environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home
        )
        let config = try read(configPath)
        let credentials = try read(credentialsPath)
        var configProfiles = [String: [String: INIFile.Value]]()
        var services = [String: [String: INIFile.Value]]()
        var ssoSessions = [String: [String: INIFile.Value]]()
        for name in config?.sectionNames ?? [] {
            let entries = config?.sections[name] ?? [:]
            if name == "default" {
                configProfiles["default", default: [:]].merge(entries) { _, new in new }
            } else if let profile = qualifiedName(name, prefix: "profile") {
                configProfiles[profile, default: [:]].merge(entries) { _, new in new }
            } else if let service = qualifiedName(name, prefix: "services") {
                services[service, default: [:]].merge(entries) { _, new in new }
            } else if let session = qualifiedName(name, prefix: "sso-session") {
                ssoSessions[session, default: [:]].merge(entries) { _, new in new }
            }
        }
        return SharedConfigFiles(
            configPath: configPath, credentialsPath: credentialsPath, configFileExists: config != nil,
            credentialsFileExists: credentials != nil, configProfiles: configProfiles,
            credentialProfiles: credentials?.sections ?? [:], services: services,
            ssoSessions: ssoSessions
        )
    }

    /// Whether either file defines the profile.
    func hasProfile(_ name: String) -> Bool {
        configProfiles[name] != nil || credentialProfiles[name] != nil
    }

    /// A text setting of a profile; the credentials file wins over the config file, as in botocore.
    func setting(_ key: String, profile: String) -> String? {
        (credentialProfiles[profile]?[key] ?? configProfiles[profile]?[key])?.text
    }

    /// `path` with a leading `~` replaced by `home`.
    static func expandingHome(_ path: String, home: String) -> String {
        if path == "~" {
            return home
        }
        if path.hasPrefix("~/") {
            return home + path.dropFirst()
        }
        return path
    }

    private static func read(_ path: String) throws -> INIFile? {
        guard FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError.config("cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError.config("\(path) is not UTF-8 text")
        }
        do {
            return try INIFile.parse(text)
        } catch let error as INIFile.ParseError {
            throw ConfigurationError.config("cannot parse \(path), line \(error.line): \(error.reason)")
        }
    }

    /// `NAME` from `prefix NAME` or `prefix "NAME"`; `nil` for any other section name.
    private static func qualifiedName(_ section: String, prefix: String) -> String? {
        let words = section.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2, words[0] == prefix else {
            return nil
        }
        var rest = section.drop { $0 != " " && $0 != "\t" }.drop { $0 == " " || $0 == "\t" }
        if rest.count >= 2, let first = rest.first, first == "\"" || first == "'", rest.last == first {
            rest = rest.dropFirst().dropLast()
        } else if words.count != 2 {
            return nil
        }
        return String(rest)
    }
}
