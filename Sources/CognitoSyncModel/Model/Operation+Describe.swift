extension Operation {
    /// A human-readable summary for `--describe`: method and path, every input member with its type,
    /// location, required flag and constraints (nested structures indented), the output members and the
    /// modelled errors with the status `service` gives each.
    public func describe(in service: ServiceModel) -> String {
        var request = "\(method) \(uriTemplate)"
        if case .awsJSON(_, let target) = wire {
            request += " (X-Amz-Target: \(target))"
        }
        if !signed {
            request += ", unsigned"
        }
        var lines = ["\(luaName) (\(name))", request, ""]
        if let input, !input.members.isEmpty {
            lines.append("Parameters (\(input.name)):")
            Self.describeMembers(of: input, isInput: true, depth: 1, into: &lines)
        } else {
            lines.append("Parameters: none")
        }
        lines.append("")
        if let output, !output.members.isEmpty {
            lines.append("Result (\(output.name)):")
            Self.describeMembers(of: output, isInput: false, depth: 1, into: &lines)
        } else {
            lines.append("Result: empty")
        }
        if !errors.isEmpty {
            lines.append("")
            let described = errors.map { error in
                service.errors[error].map { "\(error) (\($0))" } ?? error
            }
            lines.append("Errors: " + described.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describeMembers(of shape: Shape, isInput: Bool, depth: Int, into lines: inout [String]) {
        guard case .structure(let members, let required) = shape.kind else {
            return
        }
        let indent = String(repeating: "  ", count: depth)
        for member in members {
            var head = "\(member.name): \(typeName(member.shape, isInput: isInput))"
            if isInput && required.contains(member.name) {
                head += ", required"
            }
            var notes: [String] = []
            switch member.location {
            case .body: break
            case .uri(let label): notes.append("in path {\(label)}")
            case .querystring(let name): notes.append("in query \(name)")
            case .header(let name): notes.append("in header \(name)")
            }
            notes += constraints(member.shape, isInput: isInput)
            lines.append(indent + ([head] + notes).joined(separator: "; "))
            if let nested = nestedStructure(member.shape) {
                describeMembers(of: nested, isInput: isInput, depth: depth + 1, into: &lines)
            }
        }
    }

    private static func nestedStructure(_ shape: Shape) -> Shape? {
        switch shape.kind {
        case .structure: return shape
        case .list(let member, _, _): return nestedStructure(member)
        case .map(_, let value, _, _): return nestedStructure(value)
        default: return nil
        }
    }

    private static func typeName(_ shape: Shape, isInput: Bool) -> String {
        switch shape.kind {
        case .string: return "string"
        case .integer: return "integer (32-bit)"
        case .long: return "integer (64-bit)"
        case .boolean: return "boolean"
        case .timestamp: return isInput ? "timestamp (epoch seconds or ISO-8601 string)" : "timestamp (epoch seconds)"
        case .list(let member, _, _): return "list of \(typeName(member, isInput: isInput))"
        case .map(let key, let value, _, _):
            return "map of \(typeName(key, isInput: isInput)) to \(typeName(value, isInput: isInput))"
        case .structure: return shape.name
        }
    }

    private static func constraints(_ shape: Shape, isInput: Bool) -> [String] {
        switch shape.kind {
        case .string(let constraints):
            var notes: [String] = []
            if let range = bounds(constraints.min.map(Int64.init), constraints.max.map(Int64.init)) {
                notes.append("length \(range)")
            }
            if let pattern = constraints.pattern {
                notes.append("pattern \(pattern)")
            }
            if let values = constraints.enumValues {
                notes.append("one of " + values.joined(separator: ", "))
            }
            return notes
        case .integer(let min, let max), .long(let min, let max):
            return bounds(min, max).map { ["range \($0)"] } ?? []
        case .list(let member, let min, let max):
            let count = bounds(min.map(Int64.init), max.map(Int64.init)).map { ["\($0) entries"] } ?? []
            return count + constraints(member, isInput: isInput).map { "each \($0)" }
        case .map(let key, let value, let min, let max):
            let count = bounds(min.map(Int64.init), max.map(Int64.init)).map { ["\($0) entries"] } ?? []
            return count + constraints(key, isInput: isInput).map { "keys \($0)" }
                + constraints(value, isInput: isInput).map { "values \($0)" }
        case .boolean, .timestamp, .structure:
            return []
        }
    }

    private static func bounds(_ min: Int64?, _ max: Int64?) -> String? {
        switch (min, max) {
        case (nil, nil): return nil
        case (let min?, nil): return ">= \(min)"
        case (nil, let max?): return "<= \(max)"
        case (let min?, let max?): return "\(min)..\(max)"
        }
    }
}
