#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// One request-rate limit: a number of requests per second per access key, for every request or for one operation.
///
/// Written on the command line as `RATE` (every request) or `OP=RATE` (one operation of either service, named as in
/// its model), for example `20`, `UpdateRecords=0.5` or `GetId=5`.
public struct RateLimitSpec: Equatable, CustomStringConvertible {
    /// The operation limited, or nil when the limit counts every request.
    let operation: EndpointOperation?
    /// The sustained rate, in requests per second.
    public let requestsPerSecond: Double

    /// The requests a key may send at once after a pause: 100 ms of traffic at the rate, and at least one.
    public var burst: Double {
        max(1, requestsPerSecond / 10)
    }

    /// The operation's name as in the model, or nil for a limit on every request.
    public var operationName: String? {
        operation?.name
    }

    /// Parses `RATE` or `OP=RATE`; the rate is a finite number above 0 and may be fractional.
    public init(parsing text: String) throws {
        var rateText = Substring(text)
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            guard let named = EndpointOperation(name: name) else {
                throw RateLimitSpecError(
                    message: "unknown operation '\(name)' (expected one of "
                        + EndpointOperation.allNames.joined(separator: ", ") + ")"
                )
            }
            operation = named
            rateText = text[text.index(after: equals)...]
        } else {
            operation = nil
        }
        guard let rate = Double(rateText), rate.isFinite, rate > 0 else {
            throw RateLimitSpecError(message: "'\(rateText)' is not a rate in requests per second (a number above 0)")
        }
        requestsPerSecond = rate
    }

    public var description: String {
        (operationName.map { $0 + "=" } ?? "") + Self.shortest(requestsPerSecond) + "/s"
    }

    /// The rate as C's `%g` writes it: `5`, `0.5`, `2.5e+06`.
    private static func shortest(_ rate: Double) -> String {
        var text = [CChar](repeating: 0, count: 32)
        _ = withVaList([rate]) { vsnprintf(&text, text.count, "%g", $0) }
        return String(cString: text)
    }
}

/// A malformed rate limit.
public struct RateLimitSpecError: Error, CustomStringConvertible {
    /// What is wrong with the limit.
    public let message: String

    public var description: String { message }
}
