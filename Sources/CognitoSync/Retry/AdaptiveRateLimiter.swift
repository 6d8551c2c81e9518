#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// `retryMode = "adaptive"`: botocore's client-side rate limiter, step for step (`botocore/retries/adaptive.py`,
/// `throttling.py`, `bucket.py`). Off until the first throttle; then a token bucket whose rate follows a CUBIC
/// curve, cut to 70% of the measured rate at each throttle and capped at twice the measured rate.
final class AdaptiveRateLimiter: SendRateLimiter {
    static let scaleConstant = 0.4
    static let beta = 0.7
    static let minRate = 0.5
    static let smoothing = 0.8
    static let measurementSlot = 0.5

    private var enabled = false
    private var bucket = SendTokenBucket(rate: 1, capacity: 1)
    // CUBIC state.
    private var maxRate = 0.0
    private var zeroPoint = 0.0
    private var lastFailure: Double
    // The measured rate of answers: an exponentially smoothed count per half-second slot.
    private var measuredRate = 0.0
    private var slotCount = 0
    private var lastSlot: Double

    init(now: Double) {
        lastFailure = now
        lastSlot = now.rounded(.down)
    }

    var window: Int { 0 }

    var allowedRate: Double? { enabled ? maxRate : nil }

    func sendRate(now: Double) -> Double? { enabled ? bucket.fillRate : nil }

    func reserve(now: Double) -> Double {
        enabled ? bucket.reserve(now: now) : 0
    }

    func observe(_ sample: AttemptSample, now: Double) {
        let measured = measure(now)
        let newRate: Double
        if sample.outcome == .throttled {
            let rateToUse = enabled ? min(measured, bucket.fillRate) : measured
            maxRate = rateToUse
            zeroPoint = cbrt(maxRate * (1 - Self.beta) / Self.scaleConstant)
            lastFailure = now
            newRate = rateToUse * Self.beta
            enabled = true
        } else {
            newRate = Self.scaleConstant * pow(now - lastFailure - zeroPoint, 3) + maxRate
        }
        let rate = min(newRate, 2 * measured)
        bucket.set(rate: max(rate, Self.minRate), capacity: max(rate, 1), now: now)
    }

    private func measure(_ now: Double) -> Double {
        let slot = (now / Self.measurementSlot).rounded(.down) * Self.measurementSlot
        slotCount += 1
        if slot > lastSlot {
            let current = Double(slotCount) / (slot - lastSlot)
            measuredRate = current * Self.smoothing + measuredRate * (1 - Self.smoothing)
            slotCount = 0
            lastSlot = slot
        }
        return measuredRate
    }
}
