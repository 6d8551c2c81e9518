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
        format(fields(date), dateSeparator: nil, timeSeparator: nil)
    }

    /// `20150830`, the date part of the credential scope.
    static func day(_ date: Date) -> String {
        String(basic(date).prefix(8))
    }

    /// `2015-08-30T12:36:00Z`.
    public static func iso8601(_ date: Date) -> String {
        format(fields(date), dateSeparator: UInt8(ascii: "-"), timeSeparator: UInt8(ascii: ":"))
    }

    /// Zero-padded fields written straight into the string's storage: String(format:) cost more than the rest of
    /// signing together, and building the text from arrays of fields cost as much as a SHA-256 block.
    private static func format(
        _ t: (year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32, second: Int32),
        dateSeparator: UInt8?, timeSeparator: UInt8?
    ) -> String {
        String(unsafeUninitializedCapacity: 20) { out in
            var position = 0
            // A field of `width` digits, then `separator` when there is one.
            func put(_ value: Int32, _ width: Int, _ separator: UInt8?) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    out[position + offset] = UInt8(48 + rest % 10)
                    rest /= 10
                }
                position += width
                if let separator {
                    out[position] = separator
                    position += 1
                }
            }
            put(t.year, 4, dateSeparator)
            put(t.month, 2, dateSeparator)
            put(t.day, 2, UInt8(ascii: "T"))
            put(t.hour, 2, timeSeparator)
            put(t.minute, 2, timeSeparator)
            put(t.second, 2, UInt8(ascii: "Z"))
            return position
        }
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
