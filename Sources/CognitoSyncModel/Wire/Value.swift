/// A dynamically typed value: operation parameters and results on their way between Lua and the wire.
///
/// `map` keeps its entries in insertion order. Equality compares maps as JSON objects and Lua tables
/// compare: the same keys with equal values, in any order. `int` and `double` never compare equal to
/// each other, so exactness is visible in tests.
public enum Value: Sendable {
    /// JSON `null`; Lua `nil`.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer, exact to 64 bits.
    case int(Int64)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// An ordered list.
    case list([Value])
    /// String-keyed entries in insertion order.
    case map([(String, Value)])

    /// The value stored under `key` in a map (the last entry, if the key repeats), else `nil`.
    public subscript(key: String) -> Value? {
        guard case .map(let entries) = self else {
            return nil
        }
        return entries.last { $0.0 == key }?.1
    }

    /// The element at zero-based `index` of a list, else `nil`.
    public subscript(index: Int) -> Value? {
        guard case .list(let items) = self, items.indices.contains(index) else {
            return nil
        }
        return items[index]
    }

    /// The string, if this is a `string`.
    public var stringValue: String? {
        if case .string(let text) = self {
            return text
        }
        return nil
    }

    /// The integer, if this is an `int`.
    public var intValue: Int64? {
        if case .int(let number) = self {
            return number
        }
        return nil
    }

    /// The number as a `Double`, if this is an `int` or a `double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}

extension Value: Equatable {
    /// Structural equality; maps compare as unordered key sets.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.int(let a), .int(let b)):
            return a == b
        case (.double(let a), .double(let b)):
            return a == b
        case (.string(let a), .string(let b)):
            return a == b
        case (.list(let a), .list(let b)):
            return a == b
        case (.map(let a), .map(let b)):
            return mapsEqual(a, b)
        default:
            return false
        }
    }

    private static func mapsEqual(_ lhs: [(String, Value)], _ rhs: [(String, Value)]) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        if zip(lhs, rhs).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }) {
            return true
        }
        let left = Dictionary(lhs, uniquingKeysWith: { _, last in last })
        let right = Dictionary(rhs, uniquingKeysWith: { _, last in last })
        return left == right
    }
}

extension Value: CustomStringConvertible {
    /// The value as compact JSON text.
    public var description: String {
        String(decoding: JSONWriter.write(self), as: UTF8.self)
    }
}
