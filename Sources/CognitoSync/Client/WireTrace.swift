/// Text of the `--debug` wire trace. The signature and the session token are replaced before anything is
/// written; the access key id stays, as in the AWS CLI's debug output, since it identifies without granting.
public enum WireTrace {
    static let redacted = "<redacted>"

    public static func request(_ request: WireRequest, attempt: Int) -> String {
        var lines = ["> \(request.method) \(request.url)\(attempt > 0 ? " (retry \(attempt))" : "")"]
        for (name, value) in request.headers {
            lines.append("> \(name): \(redact(name, value))")
        }
        if !request.body.isEmpty { lines.append("> " + String(decoding: request.body, as: UTF8.self)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func outcome(_ outcome: WireOutcome) -> String {
        switch outcome {
        case let .response(status, headers, body):
            var lines = ["< HTTP \(status)"]
            for (name, value) in headers { lines.append("< \(name): \(value)") }
            if !body.isEmpty { lines.append("< " + String(decoding: body, as: UTF8.self)) }
            return lines.joined(separator: "\n") + "\n"
        case let .failure(failure):
            return "< no response: \(failure.message)\n"
        }
    }

    /// Keeps the parts of a header that help debugging and drops the secret ones.
    static func redact(_ name: String, _ value: String) -> String {
        switch name.lowercased() {
        case "x-amz-security-token":
            return redacted
        case "authorization":
            guard let range = value.firstRange(of: "Signature=") else { return redacted }
            return value[..<range.upperBound] + redacted
        default:
            return value
        }
    }
}
