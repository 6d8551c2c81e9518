/// A member of a structure shape.
public struct Member: Sendable {
    /// The member name as scripts and JSON bodies spell it, e.g. `IdentityPoolId`.
    public let name: String
    /// The member's shape.
    public let shape: Shape
    /// Where the member travels in an HTTP request.
    public let location: Location

    /// Creates a member.
    public init(name: String, shape: Shape, location: Location = .body) {
        self.name = name
        self.shape = shape
        self.location = location
    }
}
