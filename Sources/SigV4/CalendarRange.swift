#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The dates the HTTP and SigV4 date forms can hold: four-digit years, 0001-01-01T00:00:00Z to
/// 9999-12-31T23:59:59Z. Converting a `Date` outside them (or NaN) to `time_t` would trap.
public enum CalendarRange {
    /// 0001-01-01T00:00:00Z in epoch seconds.
    public static let earliest: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z in epoch seconds.
    public static let latest: Int64 = 253_402_300_799

    /// Whether `seconds` since the epoch fall within the range (fractions of the last second included).
    public static func contains(_ seconds: Double) -> Bool {
        seconds >= Double(earliest) && seconds < Double(latest + 1)
    }

    /// The whole seconds of `date`, rounded down and moved into the range; NaN reads as the earliest second.
    static func clampedSeconds(_ date: Date) -> time_t {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= Double(earliest) else {
            return time_t(earliest)
        }
        return seconds > Double(latest) ? time_t(latest) : time_t(seconds)
    }
}
