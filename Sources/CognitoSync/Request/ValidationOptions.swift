/// Which parameter checks run before a request is sent, mirroring the JavaScript SDK's `paramValidation`.
///
/// Required members, unknown members and types are always checked unless validation is off entirely;
/// `min`, `max`, `pattern` and `enum` can be chosen one by one.
public struct ValidationOptions: Equatable, Sendable {
    /// Whether any checking happens. When `false`, parameters are only normalised.
    var isEnabled: Bool
    /// Check minimum lengths, counts and values.
    public var min: Bool
    /// Check maximum lengths, counts and values.
    public var max: Bool
    /// Check strings against the model's patterns.
    public var pattern: Bool
    /// Check strings against the model's enumerations.
    public var enumeration: Bool

    /// Validation with the chosen constraint checks; like `paramValidation = {min = true, ...}`.
    public init(min: Bool = false, max: Bool = false, pattern: Bool = false, enum enumeration: Bool = false) {
        self.isEnabled = true
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumeration = enumeration
    }

    /// Every check (the default).
    public static let all = ValidationOptions(min: true, max: true, pattern: true, enum: true)

    /// No checks at all; like `paramValidation = false`.
    public static let none: ValidationOptions = {
        var options = ValidationOptions()
        options.isEnabled = false
        return options
    }()
}
