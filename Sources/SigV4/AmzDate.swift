#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The timestamp formats SigV4 uses, computed with the C library in UTC (no locale, no formatter state).
public enum AmzDate {
    /// `20150830T123600Z`.
    static func basic(_ date: Date) -> String {
        let t = fields(date)
        return digits([(t.year, 4), (t.month, 2), (t.day, 2)], "T", [(t.hour, 2), (t.minute, 2), (t.second, 2)], "Z")
    }

    /// `20150830`, the date part of the credential scope.
    static func day(_ date: Date) -> String {
        String(basic(date).prefix(8))
    }

    /// `2015-08-30T12:36:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let t = fields(date)
        return digits([(t.year, 4), (t.month, 2), (t.day, 2)], "T", [(t.hour, 2), (t.minute, 2), (t.second, 2)], "Z",
                      dateSeparator: "-", timeSeparator: ":")
    }

    /// Zero-padded fields written directly; String(format:) costs more than the rest of signing together.
    private static func digits(_ date: [(Int32, Int)], _ middle: Character, _ time: [(Int32, Int)], _ end: Character,
                               dateSeparator: Character? = nil, timeSeparator: Character? = nil) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        func append(_ fields: [(Int32, Int)], _ separator: Character?) {
            for (index, (value, width)) in fields.enumerated() {
                if index > 0, let separator { bytes.append(separator.asciiValue!) }
                var divisor: Int32 = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    bytes.append(UInt8(48 + (value / divisor) % 10))
                    divisor /= 10
                }
            }
        }
        append(date, dateSeparator)
        bytes.append(middle.asciiValue!)
        append(time, timeSeparator)
        bytes.append(end.asciiValue!)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `20150830T123600Z`; `nil` for anything else.
    static func parseBasic(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    return nil
                }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else {
            return nil
        }
        var t = tm()
        t.tm_year = year - 1900
        t.tm_mon = month - 1
        t.tm_mday = day
        t.tm_hour = hour
        t.tm_min = minute
        t.tm_sec = second
        let seconds = timegm(&t)
        // timegm normalises out-of-range fields (31 February); a real timestamp survives the round trip.
        guard basic(Date(timeIntervalSince1970: TimeInterval(seconds))) == text else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The UTC fields of `date`; a date outside years 1 to 9999 (which the four-digit forms cannot hold) gives the
    /// fields of the nearest one inside.
    private static func fields(_ date: Date) -> (
        year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32, second: Int32
    ) {
        var seconds = CalendarRange.clampedSeconds(date)
        var t = tm()
        gmtime_r(&seconds, &t)
        return (t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    }
}
