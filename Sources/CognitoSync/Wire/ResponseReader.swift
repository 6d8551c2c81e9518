/// Reads a parsed JSON response body by the output shape.
///
/// Unknown fields are ignored and `null` counts as absent. Structures come back with their members in
/// model order. Timestamps are accepted as numbers (integer, fractional or in exponent form), numeric
/// strings or ISO-8601 strings, and returned as epoch seconds. Integers must be exact: an integral
/// JSON float like `5.0` is accepted as 5, a fractional one is an error.
struct ResponseReader {
    struct Mismatch: Error {
        let path: String
        let expected: String
        let got: Value

        var message: String {
            "\(path): expected \(expected), got \(Self.jsonType(got))"
        }

        private static func jsonType(_ value: Value) -> String {
            switch value {
            case .null: return "null"
            case .bool: return "boolean"
            case .int: return "integer"
            case .double(let number): return "number \(number)"
            case .string: return "string"
            case .list: return "array"
            case .map: return "object"
            }
        }
    }

    func read(_ value: Value, shape: Shape, path: String) throws(Mismatch) -> Value {
        switch (shape.kind, value) {
        case (.structure(let members, _), .map(let entries)):
            var byName: [String: Value] = [:]
            for (key, item) in entries {
                byName[key] = item
            }
            var result: [(String, Value)] = []
            for member in members {
                guard let item = byName[member.name], item != .null else {
                    continue
                }
                let memberPath = ValuePath.member(path, member.name)
                result.append((member.name, try read(item, shape: member.shape, path: memberPath)))
            }
            return .map(result)
        case (.list(let member, _, _), .list(let items)):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() where item != .null {
                result.append(try read(item, shape: member, path: ValuePath.index(path, index)))
            }
            return .list(result)
        case (.map(_, let valueShape, _, _), .map(let entries)):
            var result: [(String, Value)] = []
            result.reserveCapacity(entries.count)
            for (key, item) in entries where item != .null {
                result.append((key, try read(item, shape: valueShape, path: ValuePath.key(path, key))))
            }
            return .map(result)
        case (.string, .string), (.boolean, .bool), (.integer, .int), (.long, .int), (.timestamp, .int),
             (.timestamp, .double):
            return value
        case (.integer, .double(let number)), (.long, .double(let number)):
            guard number.rounded() == number, abs(number) < 0x1p63 else {
                throw Mismatch(path: path, expected: "integer", got: value)
            }
            return .int(Int64(number))
        case (.timestamp, .string(let text)):
            if let seconds = Timestamp.parseISO8601(text) {
                return seconds
            }
            if let whole = Int64(text) {
                return .int(whole)
            }
            if let seconds = Double(text), seconds.isFinite {
                return .double(seconds)
            }
            throw Mismatch(path: path, expected: "timestamp", got: value)
        default:
            throw Mismatch(path: path, expected: Self.expectation(shape), got: value)
        }
    }

    private static func expectation(_ shape: Shape) -> String {
        switch shape.kind {
        case .string: return "string"
        case .integer, .long: return "integer"
        case .boolean: return "boolean"
        case .timestamp: return "timestamp"
        case .list: return "array"
        case .map, .structure: return "object"
        }
    }
}
