import CognitoSyncModel
import SigV4

extension Operation {
    /// Serialises prepared parameters (the result of `prepare`) as botocore's rest-json serialiser does.
    ///
    /// URI labels are percent-encoded (`:` as `%3A`, `/` as `%2F`); query members use the model's names;
    /// header members become headers; every other member goes into a JSON object body, in model member
    /// order, with timestamps as whole epoch seconds (botocore drops fractions). When the input has body
    /// members but none is set the body is `{}`; when it has none at all the body is empty. A non-empty
    /// body comes with `Content-Type: application/json`. Unknown members are ignored.
    ///
    /// An AWS JSON operation (Cognito Identity) is serialised as botocore's json serialiser does: `X-Amz-Target`
    /// and `Content-Type: application/x-amz-json-<version>` headers and every member in the JSON body, which is
    /// `{}` when none is set.
    func serialize(_ params: Value) -> HTTPRequest {
        var parts = RequestParts()
        var bodyEntries: [(String, Value)] = []
        for member in input?.members ?? [] {
            guard let value = params[member.name], value != .null else {
                continue
            }
            if isBodyMember(member) {
                bodyEntries.append((member.name, Self.bodyValue(value, shape: member.shape)))
            } else {
                parts.add(value, at: member.location)
            }
        }
        return assemble(parts, body: bodyEntries.isEmpty ? nil : JSONWriter.write(.map(bodyEntries)))
    }

    /// Whether a member of the input travels in the JSON body: every member of an AWS JSON operation does.
    func isBodyMember(_ member: Member) -> Bool {
        if case .awsJSON = wire { return true }
        return member.location == .body
    }

    /// The request with its labels, query and headers, and `body` the JSON object of the body members set (nil when
    /// none is).
    func assemble(_ parts: RequestParts, body: [UInt8]?) -> HTTPRequest {
        if case .awsJSON(let version, let target) = wire {
            return HTTPRequest(
                method: method, path: uriTemplate,
                headers: [("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-" + version)],
                body: body ?? Array("{}".utf8)
            )
        }
        var request = HTTPRequest(method: method, path: uriTemplate)
        guard let input else {
            return request
        }
        request.path = Self.render(uriTemplate, labels: parts.labels)
        request.query = parts.query
        request.headers = parts.headers
        if let body {
            request.body = body
        } else if input.members.contains(where: { $0.location == .body }) {
            request.body = Array("{}".utf8)
        }
        if !request.body.isEmpty {
            request.headers.append(("Content-Type", "application/json"))
        }
        return request
    }

    /// Works on the UTF-8 bytes: the model's templates are ASCII, and scanning them as characters cost more than
    /// the rest of serialising. An operation has a few labels, so they are found by comparing names, not hashing them.
    private static func render(_ template: String, labels: [(name: String, text: String)]) -> String {
        var template = template
        return template.withUTF8 { bytes in
            var path: [UInt8] = []
            path.reserveCapacity(bytes.count + labels.reduce(0) { $0 + $1.text.utf8.count })
            var rest = 0
            while let open = bytes[rest...].firstIndex(of: UInt8(ascii: "{")),
                  let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
                path.append(contentsOf: bytes[rest..<open])
                let name = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]))
                if let label = labels.first(where: { $0.name.utf8Equals(name) }) {
                    path.append(contentsOf: label.text.utf8)
                }
                rest = close + 1
            }
            path.append(contentsOf: bytes[rest...])
            return String(decoding: path, as: UTF8.self)
        }
    }

    static func wireText(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .list, .map: return value.description
        }
    }

    // Line breaks would end the header early; validation rejects them, this covers validation being off.
    static func headerText(_ value: Value) -> String {
        String(String.UnicodeScalarView(wireText(value).unicodeScalars.map {
            $0 == "\r" || $0 == "\n" || $0 == "\0" ? " " : $0
        }))
    }

    static func bodyValue(_ value: Value, shape: Shape) -> Value {
        switch (shape.kind, value) {
        case (.structure(let members, _), .map):
            return .map(members.compactMap { member in
                guard let item = value[member.name], item != .null else {
                    return nil
                }
                return (member.name, bodyValue(item, shape: member.shape))
            })
        case (.list(let member, _, _), .list(let items)):
            return .list(items.map { bodyValue($0, shape: member) })
        case (.list, .map(let entries)) where entries.isEmpty:
            return .list([])
        case (.map(_, let valueShape, _, _), .map(let entries)):
            return .map(entries.map { ($0.0, bodyValue($0.1, shape: valueShape)) })
        case (.timestamp, .double(let seconds)) where Timestamp.isInRange(seconds):
            return .int(Timestamp.botocoreSeconds(seconds))
        case (.timestamp, .string(let text)):
            return Timestamp.parseISO8601(text).map { bodyValue($0, shape: shape) } ?? value
        default:
            return value
        }
    }
}

/// What a request carries outside its body: the URI labels (percent-encoded), the query and the headers, in model
/// member order.
struct RequestParts {
    var labels: [(name: String, text: String)] = []
    var query: [(String, String)] = []
    var headers: [(String, String)] = []

    /// Adds a prepared scalar member that travels outside the body.
    mutating func add(_ value: Value, at location: Location) {
        switch location {
        case .uri(let name):
            labels.append((name, PercentEncoding.encode(Operation.wireText(value))))
        case .querystring(let name):
            query.append((name, Operation.wireText(value)))
        case .header(let name):
            headers.append((name, Operation.headerText(value)))
        case .body:
            break
        }
    }
}
