/// A named shape of the service model.
///
/// A class, so that shapes referenced from many places are shared rather than copied.
public final class Shape: Sendable {
    /// The shape's name in the model, e.g. `RecordPatch`.
    public let name: String
    /// The shape's type and constraints.
    public let kind: ShapeKind

    /// Creates a shape.
    public init(name: String, kind: ShapeKind) {
        self.name = name
        self.kind = kind
    }

    /// A structure without members: the input or output of an operation that has none.
    public static let emptyStructure = Shape(name: "Empty", kind: .structure(members: [], required: []))

    /// The members of a structure shape, empty for every other kind.
    public var members: [Member] {
        if case .structure(let members, _) = kind {
            return members
        }
        return []
    }

    /// The member of a structure shape with the given name.
    public func member(named name: String) -> Member? {
        members.first { $0.name == name }
    }

    /// The name of the shape's type as the model spells it (`string`, `long`, `structure`, ...).
    public var typeName: String {
        switch kind {
        case .string: return "string"
        case .integer: return "integer"
        case .long: return "long"
        case .boolean: return "boolean"
        case .timestamp: return "timestamp"
        case .list: return "list"
        case .map: return "map"
        case .structure: return "structure"
        }
    }
}
