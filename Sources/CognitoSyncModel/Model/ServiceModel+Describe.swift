extension ServiceModel {
    /// A list of every operation by its script name, with method and path, for `--describe` without an operation.
    public func describeAll() -> String {
        let width = operations.map(\.luaName.count).max() ?? 0
        var lines = ["\(serviceFullName) (API \(apiVersion)), \(operations.count) operations:"]
        for operation in operations.sorted(by: { $0.luaName < $1.luaName }) {
            let name = operation.luaName + String(repeating: " ", count: width - operation.luaName.count)
            let method = operation.method + String(repeating: " ", count: max(0, 6 - operation.method.count))
            var line = "  \(name)  \(method) \(operation.uriTemplate)"
            if case .awsJSON(_, let target) = operation.wire {
                line += " \(target)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
