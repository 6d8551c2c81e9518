#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel

/// Timestamp conversions: ISO-8601 text to epoch seconds, and epoch seconds as botocore sends them.
public enum Timestamp {
    /// The earliest accepted timestamp, 0001-01-01T00:00:00Z, the range of the SDKs' date types.
    public static let earliest: Int64 = -62_135_596_800
    /// One past the latest accepted second, 10000-01-01T00:00:00Z.
    public static let end: Int64 = 253_402_300_800

    /// Parses an ISO-8601 date-time into epoch seconds: `.int` when it has no fractional seconds, else `.double`.
    ///
    /// Accepts `YYYY-MM-DD`, and `YYYY-MM-DDTHH:MM:SS` with optional fractional seconds and an optional
    /// zone (`Z`, `±HH:MM`, `±HHMM`, `±HH`); `T` may also be `t` or a space. Without a zone the time is UTC,
    /// as botocore reads it. Returns `nil` for anything else, including impossible dates.
    static func parseISO8601(_ text: String) -> Value? {
        parse(text, requiringTimeAndZone: false)
    }

    /// An RFC 3339 date-time as credential sources write their expirations: as `parseISO8601` reads it, but the
    /// time and the zone must be there.
    static func parseRFC3339(_ text: String) -> Date? {
        parse(text, requiringTimeAndZone: true)?.doubleValue.map { Date(timeIntervalSince1970: $0) }
    }

    private static func parse(_ text: String, requiringTimeAndZone: Bool) -> Value? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.take("-"),
              let month = scanner.number(digits: 2), scanner.take("-"),
              let day = scanner.number(digits: 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        if scanner.atEnd {
            return requiringTimeAndZone ? nil : .int(seconds)
        }
        guard scanner.take("T") || scanner.take("t") || scanner.take(" "),
              let hour = scanner.number(digits: 2), scanner.take(":"),
              let minute = scanner.number(digits: 2), scanner.take(":"),
              let second = scanner.number(digits: 2),
              hour < 24, minute < 60, second < 60 else {
            return nil
        }
        seconds += hour * 3_600 + minute * 60 + second
        var fraction = 0.0
        if scanner.take(".") || scanner.take(",") {
            guard let digits = scanner.digitRun(), let value = Double("0." + digits) else {
                return nil
            }
            fraction = value
        }
        let isUTC = scanner.take("Z") || scanner.take("z")
        let sign: Int64? = isUTC ? nil : scanner.take("+") ? 1 : scanner.take("-") ? -1 : nil
        if requiringTimeAndZone && !isUTC && sign == nil {
            return nil
        }
        if let sign {
            guard let offsetHours = scanner.number(digits: 2), offsetHours < 24 else {
                return nil
            }
            var offsetMinutes: Int64 = 0
            if !scanner.atEnd {
                _ = scanner.take(":")
                guard let minutes = scanner.number(digits: 2), minutes < 60 else {
                    return nil
                }
                offsetMinutes = minutes
            }
            seconds -= sign * (offsetHours * 3_600 + offsetMinutes * 60)
        }
        guard scanner.atEnd else {
            return nil
        }
        return fraction == 0 ? .int(seconds) : .double(Double(seconds) + fraction)
    }

    /// Whole epoch seconds as botocore serialises a timestamp: it turns the number into a datetime
    /// (rounding to microseconds, half to even) and drops the sub-second part.
    static func botocoreSeconds(_ seconds: Double) -> Int64 {
        var whole = seconds.rounded(.towardZero)
        let micros = ((seconds - whole) * 1_000_000).rounded(.toNearestOrEven)
        if micros >= 1_000_000 {
            whole += 1
        } else if micros < 0 {
            whole -= 1
        }
        return Int64(whole)
    }

    /// Whether epoch seconds fall in years 1 to 9999.
    static func isInRange(_ seconds: Double) -> Bool {
        seconds.isFinite && seconds >= Double(earliest) && seconds < Double(end)
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar.
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool {
        index == bytes.count
    }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
            return false
        }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int64? {
        guard bytes.count - index >= digits else {
            return nil
        }
        var value: Int64 = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                return nil
            }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    mutating func digitRun() -> String? {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }
}
