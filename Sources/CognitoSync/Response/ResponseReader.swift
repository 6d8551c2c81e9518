import CognitoSyncModel

/// Reads a parsed JSON response body by the output shape.
///
/// Unknown fields are ignored and `null` counts as absent. Structures come back with their members in
/// model order. Timestamps are accepted as numbers (integer, fractional or in exponent form), numeric
/// strings or ISO-8601 strings, and returned as epoch seconds. Integers must be exact: an integral
/// JSON float like `5.0` is accepted as 5, a fractional one is an error.
struct ResponseReader {
    struct Mismatch: Error {
        /// Where, from the innermost step outwards; the path is only rendered when a response is wrong.
        fileprivate var steps: [Step] = []
        let expected: String
        let got: Value
        /// The rendered path, e.g. `response.Records[1].SyncCount`; set by the outermost `read`.
        private(set) var path = ""

        init(expected: String, got: Value) {
            self.expected = expected
            self.got = got
        }

        var message: String {
            "\(path): expected \(expected), got \(Self.jsonType(got))"
        }

        fileprivate mutating func render(from root: String) {
            path = steps.reversed().reduce(root) { base, step in
                switch step {
                case .member(let name): return ValuePath.member(base, name)
                case .index(let index): return ValuePath.index(base, index)
                case .key(let key): return ValuePath.key(base, key)
                }
            }
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

    fileprivate enum Step {
        case member(String)
        case index(Int)
        case key(String)
    }

    func read(_ value: Value, shape: Shape, path: String) throws(Mismatch) -> Value {
        do {
            return try read(value, shape: shape)
        } catch var mismatch {
            mismatch.render(from: path)
            throw mismatch
        }
    }

    private func read(_ value: Value, shape: Shape) throws(Mismatch) -> Value {
        switch (shape.kind, value) {
        case (.structure(let members, _), .map(let entries)):
            var result: [(String, Value)] = []
            result.reserveCapacity(members.count)
            // A structure has a handful of members: comparing names beats hashing every key of every object.
            for member in members {
                guard let item = entries.last(where: { $0.0 == member.name })?.1, item != .null else {
                    continue
                }
                result.append((member.name, try step(.member(member.name)) { () throws(Mismatch) in
                    try read(item, shape: member.shape)
                }))
            }
            return .map(result)
        case (.list(let member, _, _), .list(let items)):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() where item != .null {
                result.append(try step(.index(index)) { () throws(Mismatch) in try read(item, shape: member) })
            }
            return .list(result)
        case (.map(_, let valueShape, _, _), .map(let entries)):
            var result: [(String, Value)] = []
            result.reserveCapacity(entries.count)
            for (key, item) in entries where item != .null {
                result.append((key, try step(.key(key)) { () throws(Mismatch) in try read(item, shape: valueShape) }))
            }
            return .map(result)
        case (.string, .string), (.boolean, .bool), (.integer, .int), (.long, .int), (.timestamp, .int),
             (.timestamp, .double):
            return value
        case (.integer, .double(let number)), (.long, .double(let number)):
            guard number.rounded() == number, abs(number) < 0x1p63 else {
                throw Mismatch(expected: "integer", got: value)
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
            throw Mismatch(expected: "timestamp", got: value)
        default:
            throw Mismatch(expected: Self.expectation(shape), got: value)
        }
    }

    /// Runs one nested read, adding its step to the path of a mismatch on the way out.
    private func step(_ step: Step, _ body: () throws(Mismatch) -> Value) throws(Mismatch) -> Value {
        do {
            return try body()
        } catch var mismatch {
            mismatch.steps.append(step)
            throw mismatch
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
