#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The endpoint's clock: the system clock shifted by the configured offset, for rehearsing clock skew.
struct ServerClock {
    let offset: TimeInterval

    var date: Date {
        Date(timeIntervalSinceNow: offset)
    }

    /// Epoch seconds, rounded to the millisecond the wire format carries.
    var now: Double {
        (date.timeIntervalSince1970 * 1000).rounded() / 1000
    }
}
