#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The IMF-fixdate form of the HTTP `Date` header (`Sun, 06 Nov 1994 08:49:37 GMT`), read and written by hand:
/// the client reads it on every response and the endpoint writes it on every response, and DateFormatter costs
/// far more.
public enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Epoch seconds, or nil for anything but a valid IMF-fixdate. The form has exactly four year digits and two
    /// for every other field, so a parsed date is always within years 1 to 9999 and no sum can overflow.
    public static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[5] == "GMT", let day = digits(parts[1], count: 2),
              let year = digits(parts[3], count: 4), let month = months.firstIndex(of: String(parts[2]))
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let h = digits(clock[0], count: 2), let m = digits(clock[1], count: 2),
              let s = digits(clock[2], count: 2), year >= 1, (1...daysIn(month: month + 1, year: year)).contains(day),
              h < 24, m < 60, s <= 60
        else { return nil }
        return Double(daysFromCivil(year: year, month: month + 1, day: day) * 86_400 + h * 3600 + m * 60 + s)
    }

    /// The header value for `date` (fractions of a second dropped; a date outside years 1 to 9999, which the form
    /// cannot hold, is written as the nearest one inside).
    public static func format(_ date: Date) -> String {
        var seconds = CalendarRange.clampedSeconds(date)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String {
            value < 10 ? "0\(value)" : "\(value)"
        }
        let year = String(parts.tm_year + 1900)
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + String(repeating: "0", count: 4 - year.count) + year
            + " \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The value of exactly `count` ASCII digits (no sign, no spaces), else nil.
    private static func digits(_ text: Substring, count: Int) -> Int? {
        guard text.utf8.count == count else {
            return nil
        }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                return nil
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
