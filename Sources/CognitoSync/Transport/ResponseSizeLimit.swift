/// The largest response body the client reads. A Cognito Sync dataset holds at most 1 MB, and no answer carries
/// more than one dataset's records; even with every byte escaped in JSON (`\u00XX`, six bytes) and each record's
/// metadata, a real answer stays well below 16 MiB. Anything larger is not the service, and is refused before it is
/// read whole (from its `Content-Length`, or as its bytes arrive when it has none).
public enum ResponseSizeLimit {
    public static let bytes = 16 << 20

    /// Whether a `Content-Length` value (ASCII digits) announces more than `bytes`.
    static func isExceeded(byContentLength value: some Collection<UInt8>) -> Bool {
        var length = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
            // Stops before the sum could overflow, however many digits follow.
            if length > bytes { return true }
        }
        return false
    }

    /// The failure an oversized response ends in; `announced` when its `Content-Length` gave it away.
    static func failure(announced: Bool) -> TransportFailure {
        let what = announced ? "the response announces a body of more than \(bytes >> 20) MiB"
            : "the response body passed \(bytes >> 20) MiB"
        return TransportFailure(kind: .tooLarge, message: what + ", far more than Cognito Sync ever sends; the transfer"
            + " was stopped (is the endpoint, or a proxy on the way, not the service?)")
    }
}
