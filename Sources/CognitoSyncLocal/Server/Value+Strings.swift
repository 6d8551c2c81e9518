import CognitoSyncModel

extension Value {
    /// The strings of a validated list of strings.
    var listStrings: [String]? {
        guard case .list(let items) = self else {
            return nil
        }
        return items.compactMap(\.stringValue)
    }
}
