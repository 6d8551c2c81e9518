/// The Amazon Cognito Sync service model: operations, shapes and errors, generated from the official API model.
public enum ServiceModel {
    private static let operationsByName: [String: Operation] = {
        var table: [String: Operation] = [:]
        for operation in operations {
            table[operation.name] = operation
            table[operation.luaName] = operation
        }
        return table
    }()

    /// The operation with the given model name (`UpdateRecords`) or script name (`updateRecords`).
    public static func operation(named name: String) -> Operation? {
        operationsByName[name]
    }
}
