/// One operation of the service model. A class, though nothing in it changes: a call hands its operation through
/// every stage, and copying a structure of strings, shapes and a list retained and released each of them.
public final class Operation: Sendable {
    /// The model's name, e.g. `UpdateRecords`.
    public let name: String
    /// The method name scripts call, as in the AWS SDK for JavaScript, e.g. `updateRecords`.
    public let luaName: String
    /// The HTTP method.
    public let method: String
    /// The request URI template, e.g. `/identitypools/{IdentityPoolId}/events`.
    public let uriTemplate: String
    /// How the request is laid out on the wire.
    public let wire: WireProtocol
    /// Whether requests are signed; false for the operations the model marks as needing no auth (Cognito
    /// Identity's `GetId`), which botocore sends unsigned.
    public let signed: Bool
    /// The input structure, if the operation takes one.
    public let input: Shape?
    /// The output structure, if the operation returns one.
    public let output: Shape?
    /// The names of the error shapes the operation may return.
    public let errors: [String]

    /// Creates an operation.
    public init(
        name: String, luaName: String, method: String, uriTemplate: String, wire: WireProtocol = .restJSON,
        signed: Bool = true, input: Shape?, output: Shape?, errors: [String]
    ) {
        self.name = name
        self.luaName = luaName
        self.method = method
        self.uriTemplate = uriTemplate
        self.wire = wire
        self.signed = signed
        self.input = input
        self.output = output
        self.errors = errors
    }
}
