import CognitoSync
import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The options that are numbers of milliseconds. Each is refused outside the range its use can hold (curl takes a
/// time limit as a C long of milliseconds; the signing clock must stay within the years the date forms can
/// write), with the option's path and the value given in the message, so a bad value never reaches a conversion
/// that would trap.
extension LuaClientOptions {
    /// The longest time limit, in milliseconds: the largest 32-bit long (about 24.8 days).
    static let maxTimeLimit = Double(Int32.max)

    static func number(_ value: Value, _ path: String) throws -> Double {
        switch value {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: throw typeError(path, "a number", value)
        }
    }

    /// `httpOptions.timeout` or `connectTimeout` as seconds; 0 means none, as in the AWS SDK for JavaScript.
    static func timeLimit(_ value: Value, _ path: String) throws -> Double? {
        let ms = try milliseconds(value, path, in: 0...maxTimeLimit,
                                  "a number of milliseconds from 0 (no limit) to \(Int32.max)")
        return ms > 0 ? ms / 1000 : nil
    }

    /// `retryDelayOptions.base` as seconds.
    static func backoffBase(_ value: Value, _ path: String) throws -> Double {
        try milliseconds(value, path, in: 0...Double.greatestFiniteMagnitude, "a finite number of milliseconds >= 0")
            / 1000
    }

    /// `systemClockOffset` as seconds: the local clock plus the offset must fall in years 1 to 9999.
    static func clockOffset(_ value: Value, _ path: String, now: Double = Date().timeIntervalSince1970) throws
        -> Double {
        let earliest = (Double(Timestamp.earliest) - now) * 1000
        let latest = (Double(Timestamp.end - 1) - now) * 1000
        return try milliseconds(value, path, in: earliest...latest,
                                "a number of milliseconds that keeps the clock within years 1 to 9999") / 1000
    }

    private static func milliseconds(_ value: Value, _ path: String, in range: ClosedRange<Double>,
                                     _ expected: String) throws -> Double {
        let ms = try number(value, path)
        guard range.contains(ms) else {
            let code = ms.isNaN ? "InvalidParameterType" : ms < range.lowerBound ? "MinRangeError" : "MaxRangeError"
            throw ValidationError(code: code, path: path, message: "\(path): must be \(expected), got \(describe(value))")
        }
        return ms
    }

    /// A number as Lua prints it (`-1`, `1e+30`, `inf`, `nan`); the reader has made integral floats integers.
    private static func describe(_ value: Value) -> String {
        switch value {
        case let .int(i): return String(i)
        case let .double(d): return d.isNaN ? "nan" : d.description
        default: return value.luaTypeName
        }
    }
}
