import CognitoSyncModel
import SigV4

/// Reads an operation's input members from a request and checks them against the operation's input shape in the
/// service model, so that every constraint the endpoint enforces comes from the model.
///
/// Each member is read from where the model places it: a path label, a query parameter, a header or the JSON body.
/// Labels, query parameters and headers arrive as text and are read as numbers where the shape is numeric. A body
/// value of the wrong JSON type is a SerializationException. Required members, string lengths (in UTF-16 code
/// units, as the service counts them), patterns (over the whole value), enums, numeric ranges and list and map
/// sizes are checked over the whole shape tree, and every violation is reported in one InvalidParameterException,
/// in model member order, in the service's words.
struct ModelValidator {
    /// Lower bounds on numeric members where the model sets none, by member name (at any depth).
    let minimums: [String: Int64]
    private(set) var errors = ValidationErrors()

    init(minimums: [String: Int64] = [:]) {
        self.minimums = minimums
    }

    /// The request's input for `shape` (an operation's input structure): a map from member name to value, with
    /// strings as `.string`, integers and longs as `.int`, timestamps as `.double` epoch seconds, and absent
    /// members left out. Throws SerializationException or InvalidParameterException when the input breaks the
    /// model.
    static func input(
        for shape: Shape?, labels: [String: String], query: [String: String], headers: [(String, String)],
        body: [UInt8], minimums: [String: Int64] = [:]
    ) throws -> Value {
        guard let shape, case .structure(let members, let required) = shape.kind else {
            return .map([])
        }
        let document = try members.contains { $0.location == .body } ? Self.document(body) : .map([])
        var validator = ModelValidator(minimums: minimums)
        let input = try validator.structure(members: members, required: required, path: nil) { member in
            switch member.location {
            case .uri(let label):
                return labels[label].map(Value.string)
            case .querystring(let name):
                return query[name].map(Value.string)
            case .header(let name):
                return HTTPHeader.value(name, in: headers).map(Value.string)
            case .body:
                return document[member.name]
            }
        }
        try validator.errors.check()
        return input
    }

    /// Whether `value` is of `shape`'s type and meets all of its constraints.
    static func accepts(_ value: Value, as shape: Shape) -> Bool {
        var validator = ModelValidator()
        guard let checked = try? validator.check(value, shape, at: "", text: false, minimum: nil) else {
            return false
        }
        return checked != .null && validator.errors.isEmpty
    }

    /// Checks `value` against `shape` at `path`, recording violations; returns the value typed as the model says,
    /// or `.null` when it could not be read as a number (which is recorded too). `text` says the value came from
    /// the URI, query string or a header, where every value is a string.
    private mutating func check(
        _ value: Value, _ shape: Shape, at path: String, text: Bool, minimum: Int64?
    ) throws -> Value {
        switch shape.kind {
        case .structure(let members, let required):
            guard case .map = value else {
                throw Self.typeError(at: path)
            }
            return try structure(members: members, required: required, path: path) { value[$0.name] }
        case .list(let member, let min, let max):
            guard case .list(let items) = value else {
                throw Self.typeError(at: path)
            }
            checkCount(items.count, of: value, at: path, min: min, max: max)
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                let itemPath = "\(path).\(index + 1).member"
                guard item != .null else {
                    throw Self.typeError(at: itemPath)
                }
                result.append(try check(item, member, at: itemPath, text: false, minimum: nil))
            }
            return .list(result)
        case .map(let key, let valueShape, let min, let max):
            return try checkMap(value, key: key, value: valueShape, min: min, max: max, at: path)
        case .string, .integer, .long, .boolean, .timestamp:
            let typed = try Self.scalar(value, shape, at: path, text: text)
            guard typed != .null else {
                errors.fail(Self.render(value), at: path, "Member must be a number")
                return .null
            }
            if case .timestamp = shape.kind, let seconds = typed.doubleValue, !Self.isStorable(seconds) {
                errors.fail(Self.render(typed), at: path, Self.timestampRange)
                return .null
            }
            for failure in Self.failures(of: typed, shape, minimum: minimum) {
                errors.fail(Self.render(typed), at: path, failure)
            }
            return typed
        }
    }

    private mutating func structure(
        members: [Member], required: Set<String>, path: String?, lookup: (Member) -> Value?
    ) throws -> Value {
        var result: [(String, Value)] = []
        result.reserveCapacity(members.count)
        for member in members {
            let memberPath = Self.memberPath(path, member.name)
            guard let item = lookup(member), item != .null else {
                if required.contains(member.name) {
                    errors.missing(at: memberPath)
                }
                continue
            }
            let text = member.location != .body
            let checked = try check(item, member.shape, at: memberPath, text: text, minimum: minimums[member.name])
            if checked != .null {
                result.append((member.name, checked))
            }
        }
        return .map(result)
    }

    /// Checks a map's size, keys and values. Key and scalar value violations are reported once for the whole map,
    /// each kind as one constraint listing what the entries broke; structured values are checked member by member.
    private mutating func checkMap(
        _ value: Value, key: Shape, value valueShape: Shape, min: Int?, max: Int?, at path: String
    ) throws -> Value {
        guard case .map(let entries) = value else {
            throw Self.typeError(at: path)
        }
        checkCount(entries.count, of: value, at: path, min: min, max: max)
        var keyFailures: [String] = []
        var valueFailures: [String] = []
        var result: [(String, Value)] = []
        result.reserveCapacity(entries.count)
        for (name, item) in entries {
            let entryPath = "\(path).\(name)"
            keyFailures += Self.failures(of: .string(name), key, minimum: nil)
            guard item != .null else {
                throw Self.typeError(at: entryPath)
            }
            switch valueShape.kind {
            case .structure, .list, .map:
                result.append((name, try check(item, valueShape, at: entryPath, text: false, minimum: nil)))
            case .string, .integer, .long, .boolean, .timestamp:
                let typed = try Self.scalar(item, valueShape, at: entryPath, text: false)
                valueFailures += Self.failures(of: typed, valueShape, minimum: nil)
                result.append((name, typed))
            }
        }
        for (part, failures) in [("Map keys", keyFailures), ("Map value", valueFailures)] where !failures.isEmpty {
            var distinct: [String] = []
            for failure in failures where !distinct.contains(failure) {
                distinct.append(failure)
            }
            let constraint = "\(part) must satisfy constraint: [\(distinct.joined(separator: ", "))]"
            errors.fail(Self.render(value), at: path, constraint)
        }
        return .map(result)
    }

    private mutating func checkCount(_ count: Int, of value: Value, at path: String, min: Int?, max: Int?) {
        if let min, count < min {
            errors.fail(Self.render(value), at: path, "Member must have length greater than or equal to \(min)")
        }
        if let max, count > max {
            errors.fail(Self.render(value), at: path, "Member must have length less than or equal to \(max)")
        }
    }

    /// `value` as the scalar type `shape` names: `.string`, `.int`, `.bool` or `.double` seconds for a timestamp.
    /// Text that is not a number where one is expected gives `.null`; any other mismatch is a SerializationException.
    private static func scalar(_ value: Value, _ shape: Shape, at path: String, text: Bool) throws -> Value {
        switch (shape.kind, value) {
        case (.string, .string):
            return value
        case (.integer, .string(let digits)) where text:
            return Int32(digits).map { .int(Int64($0)) } ?? .null
        case (.long, .string(let digits)) where text:
            return Int64(digits).map(Value.int) ?? .null
        case (.integer, .int(let number)) where Int32(exactly: number) != nil:
            return value
        case (.integer, .double(let number)) where Int32(exactly: number) != nil:
            return .int(Int64(number))
        case (.long, .int):
            return value
        // The parser keeps every integer within Int64 exact, so a double of -2^63 is a value below the range rounded
        // up to its edge, refused like one above it.
        case (.long, .double(let number)) where Int64(exactly: number) != nil && number != -0x1p63:
            return .int(Int64(number))
        case (.boolean, .bool):
            return value
        case (.boolean, .string(let flag)) where text && Bool(flag) != nil:
            return .bool(flag == "true")
        case (.timestamp, .int(let seconds)):
            return .double(Double(seconds))
        case (.timestamp, .double):
            return value
        default:
            throw typeError(at: path)
        }
    }

    static let timestampRange =
        "Member must be a timestamp from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (epoch seconds "
        + "\(CalendarRange.earliest) to \(CalendarRange.latest).999)"

    /// Whether epoch `seconds`, kept to the millisecond as the endpoint stores them, is a date the SDKs can read back
    /// (botocore's datetime holds years 1 to 9999).
    private static func isStorable(_ seconds: Double) -> Bool {
        seconds.isFinite && CalendarRange.contains((seconds * 1000).rounded() / 1000)
    }

    /// The constraints of `shape` that the typed scalar `value` breaks, in the service's words.
    private static func failures(of value: Value, _ shape: Shape, minimum: Int64?) -> [String] {
        var failures: [String] = []
        switch (shape.kind, value) {
        case (.string(let constraints), .string(let text)):
            let length = text.utf16.count
            if let min = constraints.min, length < min {
                failures.append("Member must have length greater than or equal to \(min)")
            }
            if let max = constraints.max, length > max {
                failures.append("Member must have length less than or equal to \(max)")
            }
            if let pattern = constraints.pattern, !PatternMatcher.shared.matches(text, pattern: pattern) {
                failures.append("Member must satisfy regular expression pattern: \(pattern)")
            }
            if let allowed = constraints.enumValues, !allowed.contains(text) {
                failures.append("Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
            }
        case (.integer(let min, let max), .int(let number)), (.long(let min, let max), .int(let number)):
            if let floor = min ?? minimum, number < floor {
                failures.append("Member must have value greater than or equal to \(floor)")
            }
            if let max, number > max {
                failures.append("Member must have value less than or equal to \(max)")
            }
        default:
            break
        }
        return failures
    }

    private static func typeError(at path: String) -> ServiceError {
        .serialization("Unexpected value type at '\(path)'")
    }

    private static func document(_ body: [UInt8]) throws -> Value {
        guard !body.isEmpty else {
            return .map([])
        }
        // Checked on the text, before parsing, so the answer does not depend on what the parser makes of them.
        if let surrogate = LoneSurrogate.first(in: body) {
            throw ServiceError.invalidParameter(
                "The request body has the lone UTF-16 surrogate \(surrogate.escape) at "
                    + "byte \(surrogate.offset); strings must be valid Unicode")
        }
        let parsed: Value
        do {
            parsed = try JSONParser.parse(body)
        } catch {
            throw ServiceError.serialization("The request body is not valid JSON")
        }
        guard case .map = parsed else {
            throw ServiceError.serialization("The request body is not a JSON object")
        }
        return parsed
    }

    /// The path the service names a member by: the member name with a lower-case first letter, after its parent's.
    static func memberPath(_ parent: String?, _ name: String) -> String {
        let own = name.prefix(1).lowercased() + name.dropFirst()
        return parent.map { "\($0).\(own)" } ?? own
    }

    /// A value as the service prints it in a message, the way Java prints it: `[a, b]`, `{key=value}`.
    private static func render(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .string(let text): return text
        case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\($0.0)=\(render($0.1))" }.joined(separator: ", ") + "}"
        }
    }
}
