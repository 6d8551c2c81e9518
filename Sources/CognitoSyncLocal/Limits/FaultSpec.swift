#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// The faults the endpoint injects to exercise clients: per-request probabilities and a fixed response delay.
///
/// Written on the command line as `throttle=0.2,error=0.05,reset=0.02,lost=0.01,latency=20ms`.
public struct FaultSpec: Equatable, CustomStringConvertible {
    /// Probability of answering 429 TooManyRequestsException without running the request.
    public var throttle: Double = 0
    /// Probability of answering 500 InternalErrorException without running the request.
    public var error: Double = 0
    /// Probability of resetting the connection (RST) as soon as the request arrives.
    public var reset: Double = 0
    /// Probability of running the request, then closing the connection without answering.
    public var lost: Double = 0
    /// Delay before every response, in seconds.
    public var latency: TimeInterval = 0

    /// The longest latency accepted, an hour: longer than any client waits.
    public static let maximumLatency: TimeInterval = 3600

    /// No faults.
    public init() {}

    /// Parses a comma-separated `name=value` list; probabilities are in 0...1 and add up to at most 1, and the
    /// latency is milliseconds, optionally written with an `ms` or `s` suffix.
    public init(parsing text: String) throws {
        for item in text.split(separator: ",").map({ $0.trimmingWhitespaces() }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw FaultSpecError(message: "fault '\(item)' is not name=value")
            }
            let (name, value) = (parts[0], parts[1])
            if name == "latency" {
                latency = try Self.parseLatency(value)
                continue
            }
            guard let probability = Double(value), (0...1).contains(probability) else {
                throw FaultSpecError(message: "fault \(name): '\(value)' is not a probability between 0 and 1")
            }
            switch name {
            case "throttle": throttle = probability
            case "error": error = probability
            case "reset": reset = probability
            case "lost": lost = probability
            default:
                throw FaultSpecError(
                    message: "unknown fault '\(name)' (expected throttle, error, reset, lost, latency)")
            }
        }
        if throttle + error + reset + lost > 1 + 1e-9 {
            throw FaultSpecError(message: "fault probabilities add up to more than 1")
        }
    }

    /// Whether any fault is configured.
    public var isEmpty: Bool {
        self == FaultSpec()
    }

    public var description: String {
        let milliseconds = (latency * 1000).rounded()
        return "throttle=\(throttle),error=\(error),reset=\(reset),lost=\(lost),latency=\(Int(milliseconds))ms"
    }

    private static func parseLatency(_ value: String) throws -> TimeInterval {
        let lowered = value.lowercased()
        let (number, scale): (Substring, Double) =
            lowered.hasSuffix("ms")
            ? (lowered.dropLast(2), 0.001)
            : lowered.hasSuffix("s") ? (lowered.dropLast(), 1) : (lowered[...], 0.001)
        guard let amount = Double(number), amount >= 0, amount.isFinite else {
            throw FaultSpecError(message: "fault latency: '\(value)' is not a duration such as 20ms")
        }
        guard amount * scale <= maximumLatency else {
            throw FaultSpecError(message: "fault latency: '\(value)' is longer than an hour")
        }
        return amount * scale
    }
}

/// A malformed fault specification.
public struct FaultSpecError: Error, CustomStringConvertible {
    /// What is wrong with the specification.
    public let message: String

    public var description: String { message }
}
