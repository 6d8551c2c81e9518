import CognitoSyncModel

/// Lays out a request from parameters handed over one at a time, in model member order, exactly as `prepare` and
/// `serialize` lay it out from a whole `Value`: for a caller that walks its own containers (the Lua bridge reads a
/// script's table straight into the request, with no tree in between). The caller opens and closes the body's
/// objects and arrays; every scalar goes through `ParamValidator`, so the checks and their normalising are the full
/// path's own. A scalar or a count the full path would refuse makes the writer answer false: the caller then takes
/// the full path, which reports the problem with its path.
public struct RequestWriter {
    private let operation: Operation
    private let validator: ParamValidator
    private var parts = RequestParts()
    private var body = JSONWriter()
    /// Whether a member has opened the body's object.
    private var bodyOpen = false

    /// nil when validation is off: then only the full path knows what it passes through unchanged.
    public init?(operation: Operation, validation: ValidationOptions) {
        guard validation.isEnabled else { return nil }
        self.operation = operation
        validator = ParamValidator(options: validation)
    }

    /// Whether `member`, a member of the input, travels in the JSON body.
    public func isBodyMember(_ member: Member) -> Bool {
        operation.isBodyMember(member)
    }

    /// Starts a member of the input that travels in the body; its value follows.
    public mutating func beginBodyMember(_ member: Member) {
        if !bodyOpen {
            body.beginObject()
            bodyOpen = true
        }
        body.key(member.name)
    }

    /// Sets a member of the input that travels outside the body (a URI label, query parameter or header); false when
    /// the full path would refuse `value`.
    public mutating func setOutsideBody(_ value: Value, member: Member) -> Bool {
        guard let prepared = try? validator.prepare(value, shape: member.shape, path: "", location: member.location)
        else { return false }
        parts.add(prepared, at: member.location)
        return true
    }

    /// Writes a scalar of the body; false when the full path would refuse it.
    public mutating func scalar(_ value: Value, shape: Shape) -> Bool {
        guard let prepared = try? validator.prepare(value, shape: shape, path: "") else { return false }
        body.value(Operation.bodyValue(prepared, shape: shape))
        return true
    }

    /// Writes a string scalar of the body from its bytes, with no `Value` made; false when they are not all ASCII
    /// (the full path checks UTF-8) or the full path would not pass them unchanged.
    public mutating func string(_ bytes: UnsafeRawBufferPointer, shape: Shape) -> Bool {
        guard case .string(let constraints) = shape.kind, bytes.allSatisfy({ $0 < 0x80 }),
              validator.passes(ascii: bytes, constraints: constraints) else { return false }
        body.string(utf8: bytes)
        return true
    }

    /// Writes an integer scalar of the body, with no `Value` made; false unless `shape` is an integer or long shape
    /// the full path would pass `value` for unchanged.
    public mutating func integer(_ value: Int64, shape: Shape) -> Bool {
        guard validator.passes(integer: value, shape: shape) else { return false }
        body.integer(value)
        return true
    }

    public mutating func beginObject() {
        body.beginObject()
    }

    /// Starts a member of the object being written; its value follows.
    public mutating func key(_ name: String) {
        body.key(name)
    }

    public mutating func endObject() {
        body.endObject()
    }

    /// Starts an array of `count` elements of a list shape; false when the full path would refuse the count.
    public mutating func beginArray(count: Int, of shape: Shape) -> Bool {
        guard case .list(_, let min, let max) = shape.kind,
              (try? validator.checkCount(count, min: min, max: max, path: { "" }, noun: "")) != nil else { return false }
        body.beginArray()
        return true
    }

    /// Starts an element of the array being written; the element follows.
    public mutating func element() {
        body.element()
    }

    public mutating func endArray() {
        body.endArray()
    }

    /// The request, once every member has been written.
    public mutating func request() -> HTTPRequest {
        guard bodyOpen else { return operation.assemble(parts, body: nil) }
        body.endObject()
        return operation.assemble(parts, body: body.bytes)
    }
}
