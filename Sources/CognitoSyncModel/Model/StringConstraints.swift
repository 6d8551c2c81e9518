/// The constraints the model places on a string shape.
///
/// A class: reading a string shape's constraints, as every string parameter does, then takes one reference instead
/// of copying the optional pattern and values.
public final class StringConstraints: Equatable, Sendable {
    /// The minimum length in Unicode scalars.
    public let min: Int?
    /// The maximum length in Unicode scalars.
    public let max: Int?
    /// A regular expression the whole string must match.
    public let pattern: String?
    /// The allowed values, when the shape is an enumeration.
    public let enumValues: [String]?

    /// Creates constraints; every one is optional.
    public init(min: Int? = nil, max: Int? = nil, pattern: String? = nil, enumValues: [String]? = nil) {
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumValues = enumValues
    }

    public static func == (left: StringConstraints, right: StringConstraints) -> Bool {
        left.min == right.min && left.max == right.max && left.pattern == right.pattern
            && left.enumValues == right.enumValues
    }

    /// Whether no constraint is set.
    public var isEmpty: Bool {
        min == nil && max == nil && pattern == nil && enumValues == nil
    }
}
