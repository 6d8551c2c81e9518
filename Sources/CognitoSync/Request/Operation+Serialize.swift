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
        if case .awsJSON(let version, let target) = wire {
            return serializeAWSJSON(params, version: version, target: target)
        }
        var request = HTTPRequest(method: method, path: uriTemplate)
        guard let input else {
            return request
        }
        var labels: [String: String] = [:]
        var bodyEntries: [(String, Value)] = []
        for member in input.members {
            guard let value = params[member.name], value != .null else {
                continue
            }
            switch member.location {
            case .uri(let name):
                labels[name] = PercentEncoding.encode(Self.wireText(value))
            case .querystring(let name):
                request.query.append((name, Self.wireText(value)))
            case .header(let name):
                request.headers.append((name, Self.headerText(value)))
            case .body:
                bodyEntries.append((member.name, Self.bodyValue(value, shape: member.shape)))
            }
        }
        request.path = Self.render(uriTemplate, labels: labels)
        if !bodyEntries.isEmpty {
            request.body = JSONWriter.write(.map(bodyEntries))
        } else if input.members.contains(where: { $0.location == .body }) {
            request.body = Array("{}".utf8)
        }
        if !request.body.isEmpty {
            request.headers.append(("Content-Type", "application/json"))
        }
        return request
    }

    private func serializeAWSJSON(_ params: Value, version: String, target: String) -> HTTPRequest {
        let entries = (input?.members ?? []).compactMap { member -> (String, Value)? in
            guard let value = params[member.name], value != .null else { return nil }
            return (member.name, Self.bodyValue(value, shape: member.shape))
        }
        return HTTPRequest(
            method: method, path: uriTemplate,
            headers: [("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-" + version)],
            body: entries.isEmpty ? Array("{}".utf8) : JSONWriter.write(.map(entries))
        )
    }

    /// Works on the UTF-8 bytes: the model's templates are ASCII, and scanning them as characters cost more than
    /// the rest of serialising.
    private static func render(_ template: String, labels: [String: String]) -> String {
        let bytes = template.utf8
        var path: [UInt8] = []
        path.reserveCapacity(bytes.count + labels.values.reduce(0) { $0 + $1.utf8.count })
        var rest = bytes.startIndex
        while let open = bytes[rest...].firstIndex(of: UInt8(ascii: "{")),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
            path.append(contentsOf: bytes[rest..<open])
            let name = String(decoding: bytes[bytes.index(after: open)..<close], as: UTF8.self)
            path.append(contentsOf: (labels[name] ?? "").utf8)
            rest = bytes.index(after: close)
        }
        path.append(contentsOf: bytes[rest...])
        return String(decoding: path, as: UTF8.self)
    }

    private static func wireText(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .list, .map: return value.description
        }
    }

    // Line breaks would end the header early; validation rejects them, this covers validation being off.
    private static func headerText(_ value: Value) -> String {
        String(String.UnicodeScalarView(wireText(value).unicodeScalars.map {
            $0 == "\r" || $0 == "\n" || $0 == "\0" ? " " : $0
        }))
    }

    private static func bodyValue(_ value: Value, shape: Shape) -> Value {
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
