#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

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
///   rate) is learnt as background and no longer cuts the rate, so the rate does not collapse: each cut is
///   judged on the 50 answers after it, and a share that stayed where it was through two cuts (the second
///   deeper, in case the first was too small) is taken as background.
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
        /// The second cut when the first left the throttled share where it was.
        var deeperCut = 0.8
        /// Answers after a cut on which to judge whether it lowered the throttled share.
        var probeAnswers = 50
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
    /// Cuts being judged: the rate before the first of them, the throttled share (and its sample size) that
    /// caused it, and the answers to attempts sent since.
    private struct Probe {
        var rateBefore: Double?
        var share: Double
        var shareAnswers: Int
        var answers = 0
        var throttles = 0
        /// Probes in a row whose cut left the share where it was.
        var strikes = 0
    }

    private var probe: Probe?
    private var latencyBaseline: Double?
    /// While latency is high: since when, the lowest rate it may cut to, and the allowed rate before it climbed.
    private var latencyHold: (since: Double, floor: Double, allowedBefore: Double?)?

    init(tuning: Tuning = Tuning()) {
        self.tuning = tuning
    }

    func sendRate(now: Double) -> Double? {
        guard let baseRate else { return nil }
        guard latencyHold == nil, let allowed = allowedRate, allowed > 0 else { return baseRate }
        let k = cbrt(max(0, 1 - baseRate / allowed) / tuning.growth)
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
        let excess = share - background
        let heavy = throttles >= tuning.heavyThrottles && excess >= tuning.heavyShare
            && excess > significance(answers) + (background > tuning.tolerance ? Self.standardError(background, answers) : 0)
        // With a background of throttles, a window needs more answers to tell a change from noise.
        let enough = background > tuning.tolerance ? 5 * tuning.windowResponses : tuning.windowResponses
        guard heavy || (age >= tuning.windowSeconds && answers >= enough) || age >= 1 else { return }
        judge(share: share, age: age, now: now)
    }

    private func judge(share: Double, age: Double, now: Double) {
        var cutNow = false
        if var probe {
            probe.answers += answers
            probe.throttles += throttles
            self.probe = probe
            if probe.answers >= tuning.probeAnswers { cutNow = settle(probe, now: now) }
        }
        let excess = share - background
        // While a cut is being judged, only a share clearly worse than the one that caused it cuts again.
        let worse = probe.map { share > $0.share + Self.noise($0.share, $0.shareAnswers, tuning) } ?? true
        if !cutNow && excess > significance(answers) && worse {
            let attemptRate = Double(sent) / max(age, 1e-3)
            let current = sendRate(now: now).map { min($0, attemptRate) } ?? attemptRate
            // The attempt rate times the share not throttled says where the limit is, once the window is large
            // enough to trust its share; what was admitted over the last second bounds it either way.
            let measured = min(current, admittedRate(now))
            let admitted = answers >= tuning.windowResponses ? min(current * (1 - excess), measured) : measured
            // Each cut is judged on the answers that follow it; the rate to go back to is the one before the first.
            probe = Probe(rateBefore: probe == nil ? sendRate(now: now) : probe!.rateBefore, share: share,
                          shareAnswers: answers, strikes: probe?.strikes ?? 0)
            cut(to: admitted, factor: tuning.beta, now: now)
            cutNow = true
        } else if background > 0 {
            background += (share - background) * 0.2
        }
        if !cutNow { judgeLatency(age: age, now: now) }
        startWindow(now)
    }

    /// Judges the cuts made since `probe` began, over the answers to everything sent after them: a lower rate
    /// that left the throttled share about where it was means this throttling does not depend on our rate. It
    /// is then learnt as background, and the rate goes back to what it was before the cuts.
    /// Returns true when it cut the rate again.
    private func settle(_ probe: Probe, now: Double) -> Bool {
        self.probe = nil
        let after = Double(probe.throttles) / Double(probe.answers)
        let unchanged = after > tuning.tolerance
            && after >= probe.share - Self.noise(probe.share, probe.shareAnswers, tuning)
        let known = background > tuning.tolerance
        if known && abs(after - background) <= Self.noise(background, probe.answers, tuning) {
            // Back at the background it already knew: the share that caused the cut was chance.
            setRate(probe.rateBefore, allowed: probe.rateBefore, now: now)
            return false
        }
        guard unchanged else { return false }
        if !known && probe.strikes == 0 {
            // The cut may simply have been too small: cut deeper once before concluding.
            let current = sendRate(now: now) ?? admittedRate(now)
            cut(to: min(current, admittedRate(now)), factor: tuning.deeperCut, now: now)
            self.probe = Probe(rateBefore: probe.rateBefore, share: after, shareAnswers: probe.answers, strikes: 1)
            return true
        }
        let total = Double(probe.answers + probe.shareAnswers)
        background = (after * Double(probe.answers) + probe.share * Double(probe.shareAnswers)) / total
        setRate(probe.rateBefore, allowed: probe.rateBefore, now: now)
        return false
    }

    /// How far above the background a window's throttled share must be to count, given its size.
    private func significance(_ answers: Int) -> Double {
        // Over a background, noise is larger and a cut it causes costs more: ask for three standard errors.
        let z = background > tuning.tolerance ? 3.0 : 2.0
        return max(tuning.tolerance, z * Self.standardError(max(background, 0.01), answers))
    }

    /// How far a share measured over `count` answers may be off by chance.
    private static func noise(_ share: Double, _ count: Int, _ tuning: Tuning) -> Double {
        2 * standardError(share, count) + tuning.tolerance
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
