import CognitoSyncModel

/// Walks operation parameters against the input shape: checks them and returns them normalised.
///
/// Normalising means: structures keep only model members, in model order, without `null`s; an empty
/// map where the model says list becomes an empty list (Lua cannot tell `{}` apart); a float with an
/// integral value becomes an integer; timestamps become epoch seconds (`.int`, or `.double` with a
/// fraction), ISO-8601 strings included.
///
/// The first problem in model member order is reported. Unknown members of a structure are reported
/// before its known members are checked, because a misspelt name otherwise shows up as a missing one.
struct ParamValidator {
    let options: ValidationOptions

    private var checks: Bool {
        options.isEnabled
    }

    func prepare(_ value: Value, shape: Shape, path: String, location: Location = .body) throws -> Value {
        try prepare(value, shape: shape, at: { path }, location: location)
    }

    /// `path` renders the value's path, which only an error needs: most requests are valid, and building every
    /// member's path up front cost more than the checks.
    private func prepare(_ value: Value, shape: Shape, at path: () -> String, location: Location = .body) throws
        -> Value {
        switch shape.kind {
        case .structure(let members, let required):
            return try prepareStructure(value, members: members, required: required, path: path)
        case .list(let member, let min, let max):
            return try prepareList(value, member: member, min: min, max: max, path: path)
        case .map(let key, let valueShape, let min, let max):
            return try prepareMap(value, key: key, value: valueShape, min: min, max: max, path: path)
        case .string(let constraints):
            return try prepareString(value, constraints: constraints, path: path, location: location)
        case .integer(let min, let max):
            return try prepareInteger(value, min: min, max: max, bits32: true, path: path)
        case .long(let min, let max):
            return try prepareInteger(value, min: min, max: max, bits32: false, path: path)
        case .boolean:
            if case .bool = value {
                return value
            }
            if !checks {
                return value
            }
            throw typeError(path: path(), expected: "a boolean", got: value)
        case .timestamp:
            return try prepareTimestamp(value, path: path)
        }
    }

    // MARK: - Containers

    /// The entries of a table given for a structure or a map (an empty table counts as one); nil when it is
    /// something else and checks are off, so the value passes through unchanged.
    private func stringKeyedEntries(_ value: Value, path: () -> String) throws -> [(String, Value)]? {
        switch value {
        case .map(let pairs):
            return pairs
        case .list(let items) where items.isEmpty:
            return []
        default:
            if !checks {
                return nil
            }
            throw typeError(path: path(), expected: "a table with string keys", got: value)
        }
    }

    private func prepareStructure(
        _ value: Value, members: [Member], required: Set<String>, path: () -> String
    ) throws -> Value {
        guard let entries = try stringKeyedEntries(value, path: path) else {
            return value
        }
        // A structure has a handful of members: scanning them beats hashing every name of every call.
        if checks {
            let unknown = entries.filter { entry in
                entry.1 != .null && !members.contains { $0.name == entry.0 }
            }.map(\.0).sorted()
            if let name = unknown.first {
                let memberPath = ValuePath.member(path(), name)
                var message = "Unexpected parameter \(memberPath)"
                if let suggestion = NameSuggestion.closest(to: name, among: members.map(\.name)) {
                    message += "; did you mean \"\(suggestion)\"?"
                }
                throw ValidationError(code: "UnexpectedParameter", path: memberPath, message: message)
            }
        }
        var result: [(String, Value)] = []
        result.reserveCapacity(members.count)
        for member in members {
            guard let item = entries.last(where: { $0.0 == member.name })?.1, item != .null else {
                // Most absent members are optional: their path is only rendered for an error.
                var memberPath: String { ValuePath.member(path(), member.name) }
                if checks && required.contains(member.name) {
                    throw ValidationError(
                        code: "MissingRequiredParameter", path: memberPath,
                        message: "Missing required parameter \(memberPath)")
                }
                if case .uri = member.location {
                    // Without its label the URL names another resource, so this holds with validation off too.
                    throw ValidationError(
                        code: "UriParameterError", path: memberPath,
                        message: "Expected a non-empty URI parameter for \(memberPath)")
                }
                continue
            }
            result.append((member.name, try prepare(item, shape: member.shape,
                                                    at: { ValuePath.member(path(), member.name) },
                                                    location: member.location)))
        }
        return .map(result)
    }

    private func prepareList(_ value: Value, member: Shape, min: Int?, max: Int?, path: () -> String) throws
        -> Value {
        let items: [Value]
        switch value {
        case .list(let elements):
            items = elements
        case .map(let entries) where entries.isEmpty:
            items = []
        default:
            if !checks {
                return value
            }
            throw typeError(path: path(), expected: "a list (a sequence table)", got: value)
        }
        try checkCount(items.count, min: min, max: max, path: path, noun: "list length")
        var result: [Value] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if item == .null {
                if checks {
                    throw typeError(path: ValuePath.index(path(), index), expected: Self.expectation(member), got: item)
                }
                continue
            }
            result.append(try prepare(item, shape: member, at: { ValuePath.index(path(), index) }))
        }
        return .list(result)
    }

    private func prepareMap(
        _ value: Value, key: Shape, value valueShape: Shape, min: Int?, max: Int?, path: () -> String
    ) throws -> Value {
        guard let entries = try stringKeyedEntries(value, path: path) else {
            return value
        }
        try checkCount(entries.count, min: min, max: max, path: path, noun: "map entry count")
        var result: [(String, Value)] = []
        result.reserveCapacity(entries.count)
        for (name, item) in entries {
            _ = try prepare(.string(name), shape: key, at: { ValuePath.key(path(), name) + " (key)" })
            if item == .null {
                if checks {
                    throw typeError(path: ValuePath.key(path(), name), expected: Self.expectation(valueShape),
                                    got: item)
                }
                continue
            }
            result.append((name, try prepare(item, shape: valueShape, at: { ValuePath.key(path(), name) })))
        }
        return .map(result)
    }

    func checkCount(_ count: Int, min: Int?, max: Int?, path pathOf: () -> String, noun: String) throws {
        var path: String { pathOf() }
        guard checks else {
            return
        }
        if options.min, let min, count < min {
            throw ValidationError(
                code: "MinLengthError", path: path, message: "Expected \(noun) >= \(min), got \(count) for \(path)")
        }
        if options.max, let max, count > max {
            throw ValidationError(
                code: "MaxLengthError", path: path, message: "Expected \(noun) <= \(max), got \(count) for \(path)")
        }
    }

    // MARK: - Scalars

    private func prepareString(
        _ value: Value, constraints: StringConstraints, path pathOf: () -> String, location: Location
    ) throws -> Value {
        var path: String { pathOf() }
        guard case .string(let text) = value else {
            if !checks {
                return value
            }
            throw typeError(path: path, expected: "a string", got: value)
        }
        guard checks else {
            return value
        }
        let length = Self.scalarCount(text)
        switch failedCheck(constraints, length: length, isAllowed: { $0.contains(text) },
                           matches: { PatternMatcher.shared.matches(text, pattern: $0) }) {
        case .enumeration(let allowed):
            throw ValidationError(
                code: "EnumError", path: path,
                message: "Value \(Self.quote(text)) is not one of \(allowed.joined(separator: "|")) for \(path)")
        case .minLength(let min):
            throw ValidationError(
                code: "MinLengthError", path: path,
                message: "Expected string length >= \(min), got \(length) for \(path)")
        case .maxLength(let max):
            throw ValidationError(
                code: "MaxLengthError", path: path,
                message: "Expected string length <= \(max), got \(length) for \(path)")
        case .pattern(let pattern):
            throw ValidationError(
                code: "PatternMatchError", path: path,
                message: "Value \(Self.quote(text)) does not match the pattern \(pattern) for \(path)")
        case nil:
            break
        }
        switch location {
        case .uri where text.isEmpty:
            throw ValidationError(
                code: "UriParameterError", path: path, message: "Expected a non-empty URI parameter for \(path)")
        case .header where text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }):
            throw ValidationError(
                code: "InvalidHeaderValue", path: path,
                message: "Header value for \(path) must not contain CR, LF or NUL characters")
        default:
            return value
        }
    }

    /// A string constraint a value breaks.
    private enum StringCheck {
        case enumeration([String]), minLength(Int), maxLength(Int), pattern(String)
    }

    /// The first of `constraints` (in the order botocore checks them) that a string of `length` scalars breaks;
    /// `isAllowed` and `matches` test its text against the enumeration and a pattern.
    private func failedCheck(
        _ constraints: StringConstraints, length: Int, isAllowed: ([String]) -> Bool, matches: (String) -> Bool
    ) -> StringCheck? {
        if options.enumeration, let allowed = constraints.enumValues, !isAllowed(allowed) {
            return .enumeration(allowed)
        }
        if options.min, let min = constraints.min, length < min {
            return .minLength(min)
        }
        if options.max, let max = constraints.max, length > max {
            return .maxLength(max)
        }
        if options.pattern, let pattern = constraints.pattern, !matches(pattern) {
            return .pattern(pattern)
        }
        return nil
    }

    /// Whether `prepare` passes the text `bytes`, a string of the body, unchanged: its checks, made on the bytes
    /// without a `String`. The bytes must all be ASCII: their count is taken as the length in scalars.
    func passes(ascii bytes: UnsafeRawBufferPointer, constraints: StringConstraints) -> Bool {
        checks && failedCheck(constraints, length: bytes.count, isAllowed: { $0.contains { $0.utf8Equals(bytes) } },
                              matches: { PatternMatcher.shared.matches(ascii: bytes, pattern: $0) }) == nil
    }

    /// The number of Unicode scalars, as botocore counts a string's length: the bytes that start a UTF-8 sequence.
    /// Counting them on the bytes is several times cheaper than walking the scalar view.
    private static func scalarCount(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        } ?? text.unicodeScalars.count
    }

    private func prepareInteger(_ value: Value, min: Int64?, max: Int64?, bits32: Bool, path pathOf: () -> String)
        throws -> Value {
        var path: String { pathOf() }
        let number: Int64
        switch value {
        case .int(let exact):
            number = exact
        case .double(let float) where float.rounded() == float && abs(float) < 0x1p63:
            number = Int64(float)
        default:
            if !checks {
                return value
            }
            throw typeError(path: path, expected: "an integer", got: value)
        }
        guard checks else {
            return .int(number)
        }
        switch failedRange(number, min: min, max: max, bits32: bits32) {
        case .below32:
            throw ValidationError(
                code: "MinRangeError", path: path,
                message: "Expected a 32-bit integer >= \(Int32.min), got \(number) for \(path)")
        case .above32:
            throw ValidationError(
                code: "MaxRangeError", path: path,
                message: "Expected a 32-bit integer <= \(Int32.max), got \(number) for \(path)")
        case .below(let min):
            throw ValidationError(
                code: "MinRangeError", path: path, message: "Expected value >= \(min), got \(number) for \(path)")
        case .above(let max):
            throw ValidationError(
                code: "MaxRangeError", path: path, message: "Expected value <= \(max), got \(number) for \(path)")
        case nil:
            return .int(number)
        }
    }

    /// A range an integer falls outside.
    private enum RangeCheck {
        case below32, above32, below(Int64), above(Int64)
    }

    /// The first range check `number` fails, in the order botocore makes them.
    private func failedRange(_ number: Int64, min: Int64?, max: Int64?, bits32: Bool) -> RangeCheck? {
        if bits32 && number < Int64(Int32.min) { return .below32 }
        if bits32 && number > Int64(Int32.max) { return .above32 }
        if options.min, let min, number < min { return .below(min) }
        if options.max, let max, number > max { return .above(max) }
        return nil
    }

    /// Whether `prepare` passes the integer `number` for an integer or long `shape` unchanged.
    func passes(integer number: Int64, shape: Shape) -> Bool {
        switch shape.kind {
        case .integer(let min, let max): return checks && failedRange(number, min: min, max: max, bits32: true) == nil
        case .long(let min, let max): return checks && failedRange(number, min: min, max: max, bits32: false) == nil
        default: return false
        }
    }

    private func prepareTimestamp(_ value: Value, path pathOf: () -> String) throws -> Value {
        var path: String { pathOf() }
        let expected = "a timestamp (epoch seconds or an ISO-8601 string)"
        let normalised: Value
        switch value {
        case .int, .double:
            normalised = value
        case .string(let text):
            guard let parsed = Timestamp.parseISO8601(text) else {
                if !checks {
                    return value
                }
                throw ValidationError(
                    code: "InvalidParameterType", path: path,
                    message: "Expected \(path) to be \(expected), got string \(Self.quote(text))")
            }
            normalised = parsed
        default:
            if !checks {
                return value
            }
            throw typeError(path: path, expected: expected, got: value)
        }
        if checks, let seconds = normalised.doubleValue, !Timestamp.isInRange(seconds) {
            throw ValidationError(
                code: "InvalidParameterType", path: path,
                message: "Expected \(path) to be \(expected) in years 1 to 9999, got \(Self.describe(value))")
        }
        return normalised
    }

    // MARK: - Messages

    private func typeError(path: String, expected: String, got value: Value) -> ValidationError {
        ValidationError(
            code: "InvalidParameterType", path: path,
            message: "Expected \(path) to be \(expected), got \(Self.describe(value))")
    }

    /// How a value reads to a Lua programmer: its Lua type, and the value itself for numbers and booleans.
    static func describe(_ value: Value) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let flag): return "boolean (\(flag))"
        case .int(let number): return "integer (\(number))"
        case .double(let number): return "float (\(number))"
        case .string: return "string"
        case .list: return "a sequence table"
        case .map(let entries): return entries.isEmpty ? "an empty table" : "a table with string keys"
        }
    }

    private static func expectation(_ shape: Shape) -> String {
        switch shape.kind {
        case .string: return "a string"
        case .integer, .long: return "an integer"
        case .boolean: return "a boolean"
        case .timestamp: return "a timestamp (epoch seconds or an ISO-8601 string)"
        case .list: return "a list (a sequence table)"
        case .map, .structure: return "a table with string keys"
        }
    }

    private static func quote(_ text: String) -> String {
        let limit = 64
        guard text.unicodeScalars.count > limit else {
            return "\"" + text + "\""
        }
        var shown = String.UnicodeScalarView()
        shown.append(contentsOf: text.unicodeScalars.prefix(limit))
        return "\"" + String(shown) + "...\""
    }
}
