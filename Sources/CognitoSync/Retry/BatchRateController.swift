import Foundation

/// `retryMode = "batch"` (the default): one send-rate controller for every call of a client, built to keep a
/// long batch close to the rate the service allows without being throttled.
///
/// It differs from botocore's adaptive limiter where batch work needs it to:
/// - It estimates the allowed rate from what the service *admitted* (successes per second, and the attempt rate
///   times the share not throttled), not from the rate of all answers, and cuts to 98% of that estimate rather
///   than to 70% of the measured rate, so one throttle costs little throughput.
/// - It judges throttling over short windows of attempts sent at one rate, so the answers to requests sent
///   before a cut do not cut again.
/// - Growth is CUBIC relative to the estimate: back to it within about a third of a second, then probing
///   upward slowly at first.
/// - Throttling that a lower rate does not reduce (a service that throttles a share of requests whatever the
///   rate) is learnt as background and no longer cuts the rate, so the rate does not collapse.
/// - Rising latency is pushback too: when a window's mean latency passes twice the baseline plus 10 ms, the
///   rate is cut to 85% of what went out, again while the cut does not bind, down to half the rate the climb
///   started at; it is held there until latency falls back (or for 30 s, after which the latency is taken as
///   the service's normal), then grows back towards the rate allowed before.
final class BatchRateController: SendRateLimiter {
    struct Tuning {
        /// The cut after throttling, as a share of the estimated allowed rate.
        var beta = 0.98
        /// The cut when latency climbs.
        var latencyBeta = 0.85
        /// CUBIC's scale, relative to the estimated allowed rate (per second cubed).
        var growth = 0.4
        /// A window is judged after this long and `windowResponses` answers...
        var windowSeconds = 0.1
        var windowResponses = 20
        /// ...or at once when this many of its attempts, and this share, were throttled.
        var heavyThrottles = 5
        var heavyShare = 0.2
        /// A throttled share above the background by no more than this does not cut the rate.
        var tolerance = 0.02
        /// Latency is pushback above `latencyFactor` × baseline + `latencySlack` seconds.
        var latencyFactor = 2.0
        var latencySlack = 0.010
        /// After this long, a high latency is taken as the service's normal.
        var latencyHoldSeconds = 30.0
        /// The lowest rate, in requests per second.
        var minRate = 0.5
        /// Seconds of tokens the pacing bucket holds, so a late wake-up does not lose sends.
        var burstSeconds = 0.02
    }

    private let tuning: Tuning
    /// When the first request was sent: measurements start there, not when the client was made.
    private var startedAt: Double?

    /// The rate set at the last change; nil while sending is not limited.
    private var baseRate: Double?
    /// The estimated allowed rate, CUBIC's plateau.
    private(set) var allowedRate: Double?
    private var changedAt = 0.0
    private var bucket = SendTokenBucket(rate: 1, capacity: 1)

    // The current window.
    private(set) var window = 0
    private var windowStart = 0.0
    private var sent = 0
    private var answers = 0
    private var throttles = 0
    private var latencySum = 0.0
    private var latencyCount = 0

    /// Successes per slot of the last second, for the admitted rate.
    private var slots = [Int](repeating: 0, count: 20)
    private var slotIndex = 0
    private var slotStart = 0.0

    /// The throttled share no rate has reduced.
    private var background = 0.0
    /// The cut made at the end of the previous window, if any: the rate before the first of the cuts in a row,
    /// the share that caused this one, and how many cuts in a row left the share where it was.
    private var lastCut: (rateBefore: Double?, share: Double, strikes: Int)?
    private var latencyBaseline: Double?
    /// While latency is high: since when, the lowest rate it may cut to, and the allowed rate before it climbed.
    private var latencyHold: (since: Double, floor: Double, allowedBefore: Double?)?

    init(tuning: Tuning = Tuning()) {
        self.tuning = tuning
    }

    func sendRate(now: Double) -> Double? {
        guard let baseRate else { return nil }
        guard latencyHold == nil, let allowed = allowedRate, allowed > 0 else { return baseRate }
        let k = Foundation.cbrt(max(0, 1 - baseRate / allowed) / tuning.growth)
        var rate = allowed * (1 + tuning.growth * pow(now - changedAt - k, 3))
        // Never race ahead of what the service has been admitting while demand was low.
        rate = min(rate, max(allowed, 2 * admittedRate(now)))
        return max(tuning.minRate, rate)
    }

    func reserve(now: Double) -> Double {
        if startedAt == nil {
            startedAt = now
            windowStart = now
            slotStart = now
        }
        guard let rate = sendRate(now: now) else {
            sent += 1
            return 0
        }
        bucket.set(rate: rate, capacity: max(1, rate * tuning.burstSeconds), now: now)
        let wait = bucket.reserve(now: now)
        if wait == 0 { sent += 1 }
        return wait
    }

    func observe(_ sample: AttemptSample, now: Double) {
        advanceSlots(now)
        if sample.outcome == .success { slots[slotIndex] += 1 }
        guard sample.window == window else { return }
        answers += 1
        switch sample.outcome {
        case .throttled: throttles += 1
        case .success:
            latencySum += sample.latency
            latencyCount += 1
        case .failed: break
        }
        let age = now - windowStart
        let share = Double(throttles) / Double(answers)
        let heavy = throttles >= tuning.heavyThrottles && share - background >= tuning.heavyShare
        guard heavy || (age >= tuning.windowSeconds && answers >= tuning.windowResponses) || age >= 1 else { return }
        judge(share: share, age: age, now: now)
    }

    private func judge(share: Double, age: Double, now: Double) {
        let excess = share - background
        let previousCut = lastCut
        lastCut = nil
        if excess > significance(answers) {
            let ineffective = previousCut.map { share >= $0.share - 2 * Self.standardError($0.share, answers) } ?? false
            if let previousCut, ineffective, previousCut.strikes >= 1 {
                // Two cuts in a row did not lower the throttled share: this throttling does not depend on our
                // rate. Learn it as background and go back to the rate before the cuts.
                background = (share + previousCut.share) / 2
                setRate(previousCut.rateBefore, allowed: previousCut.rateBefore, now: now)
            } else {
                let attemptRate = Double(sent) / max(age, 1e-3)
                let current = sendRate(now: now).map { min($0, attemptRate) } ?? attemptRate
                let admitted = min(current * (1 - excess), admittedRate(now))
                if let previousCut, ineffective {
                    lastCut = (previousCut.rateBefore, share, previousCut.strikes + 1)
                } else {
                    lastCut = (sendRate(now: now), share, 0)
                }
                cut(to: admitted, factor: tuning.beta, now: now)
            }
        } else if background > 0 {
            background += (share - background) * 0.1
        }
        if lastCut == nil { judgeLatency(age: age, now: now) }
        startWindow(now)
    }

    /// How far above the background a window's throttled share must be to count, given its size.
    private func significance(_ answers: Int) -> Double {
        max(tuning.tolerance, 2 * Self.standardError(max(background, 0.01), answers))
    }

    private static func standardError(_ share: Double, _ count: Int) -> Double {
        (share * (1 - share) / Double(max(count, 1))).squareRoot()
    }

    private func judgeLatency(age: Double, now: Double) {
        guard latencyCount >= 5 else { return }
        let mean = latencySum / Double(latencyCount)
        guard let baseline = latencyBaseline else {
            latencyBaseline = mean
            return
        }
        if mean > tuning.latencyFactor * baseline + tuning.latencySlack {
            let achieved = Double(sent) / max(age, 1e-3)
            let current = sendRate(now: now) ?? achieved
            if let hold = latencyHold, now - hold.since > tuning.latencyHoldSeconds {
                // High for this long, it is how this service answers now, not a passing load.
                latencyBaseline = mean
                leaveLatencyHold(now)
            } else if latencyHold == nil || current > achieved {
                // Cut below what actually went out (a cut above it would change nothing), never below half the
                // rate the episode started at.
                let floor = latencyHold?.floor ?? 0.5 * min(current, achieved)
                if latencyHold == nil { latencyHold = (now, floor, allowedRate) }
                let allowedBefore = latencyHold!.allowedBefore
                cut(to: max(floor, min(current, achieved)), factor: tuning.latencyBeta, now: now)
                allowedRate = allowedBefore ?? allowedRate
            }
            return
        }
        if latencyHold != nil { leaveLatencyHold(now) }
        // The baseline follows a lower latency at once and a higher one slowly (requests may grow larger).
        latencyBaseline = mean < baseline ? mean : baseline + (mean - baseline) * 0.01
    }

    /// Latency is back: grow again from here towards the allowed rate estimated before it climbed.
    private func leaveLatencyHold(_ now: Double) {
        let before = latencyHold?.allowedBefore
        latencyHold = nil
        setRate(before == nil ? nil : baseRate, allowed: before, now: now)
    }

    private func cut(to estimate: Double, factor: Double, now: Double) {
        let allowed = max(tuning.minRate, estimate)
        setRate(max(tuning.minRate, factor * allowed), allowed: allowed, now: now)
    }

    private func setRate(_ rate: Double?, allowed: Double?, now: Double) {
        baseRate = rate
        allowedRate = rate == nil ? nil : allowed
        changedAt = now
    }

    private func startWindow(_ now: Double) {
        window &+= 1
        windowStart = now
        sent = 0
        answers = 0
        throttles = 0
        latencySum = 0
        latencyCount = 0
    }

    /// Successes per second over the last second (over at least a tenth of a second early in a run).
    private func admittedRate(_ now: Double) -> Double {
        advanceSlots(now)
        let span = min(1, max(0.1, now - (startedAt ?? now)))
        return Double(slots.reduce(0, +)) / span
    }

    private func advanceSlots(_ now: Double) {
        let slotLength = 1.0 / Double(slots.count)
        var steps = 0
        while now - slotStart >= slotLength && steps < slots.count {
            slotIndex = (slotIndex + 1) % slots.count
            slots[slotIndex] = 0
            slotStart += slotLength
            steps += 1
        }
        if now - slotStart >= slotLength { slotStart = now }
    }
}
