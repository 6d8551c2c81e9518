import CognitoSync
import CognitoSyncModel

extension Value {
    /// The Lua type a value came from, for error messages.
    var luaTypeName: String {
        switch self {
        case .null: return "nil"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .list, .map: return "table"
        }
    }
}
