/// Everything resolution reads: the explicit settings, the environment and the shared files, with the profile
/// already chosen.
struct ConfigurationContext {
    let settings: ClientSettings
    let environment: [String: String]
    let files: SharedConfigFiles
    /// The profile in use.
    let profileName: String
    /// Whether the profile was named in the settings (which, as in botocore, skips credential environment
    /// variables).
    let profileIsExplicit: Bool
    /// Where credential sources send their requests: the inbox of the engine's transport.
    let inbox: TransportInbox

    /// An environment variable; empty counts as unset.
    func env(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A text setting of the profile in use; empty counts as unset.
    func profileSetting(_ key: String) -> String? {
        files.setting(key, profile: profileName).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A boolean from the settings, then an environment variable, then a profile key; `true` (any case) is true and
    /// every other text false, as in botocore.
    func flag(_ explicit: Bool?, env name: String, profileKey: String) -> Bool {
        if let explicit {
            return explicit
        }
        if let text = env(name) ?? profileSetting(profileKey) {
            return text.lowercased() == "true"
        }
        return false
    }
}
