import XCTest

@testable import CognitoSync

/// The send-rate limiters against simulated services (a simulated clock: nothing here depends on how fast the
/// machine is or on timing windows).
final class BatchRateControllerTests: XCTestCase {
    private func simulate(_ limiter: SendRateLimiter, _ service: SendRateSimulation.Service,
                          requests: Int = 3000) -> SendRateSimulation.Result {
        SendRateSimulation(limiter: limiter, service: service).run(requests: requests)
    }

    func testATokenBucketServiceIsUsedAtNinetyPercentWithFewThrottles() {
        // The throttle bench's service: 300 requests/s with a burst of 30, 32 in flight, loopback latency.
        let result = simulate(BatchRateController(), .init(rate: 300))
        let used = 3000 / (300 * result.seconds)
        XCTAssertGreaterThanOrEqual(used, 0.9, "share of the allowed rate used")
        XCTAssertLessThanOrEqual(Double(result.throttles) / Double(result.attempts), 0.05, "share throttled")
        XCTAssertGreaterThan(result.throttles, 0, "the service did push back")
    }

    func testItIsBetterThanBotocoresAdaptiveLimiterOnTheSameService() {
        let batch = simulate(BatchRateController(), .init(rate: 300))
        let adaptive = simulate(AdaptiveRateLimiter(now: 1000), .init(rate: 300))
        XCTAssertLessThan(batch.seconds * 1.3, adaptive.seconds)
    }

    func testAHigherLatencyServiceIsStillUsedAtNinetyPercent() {
        let result = simulate(BatchRateController(), .init(rate: 300, latency: { _ in 0.05 }))
        XCTAssertGreaterThanOrEqual(3000 / (300 * result.seconds), 0.9)
        XCTAssertLessThanOrEqual(Double(result.throttles) / Double(result.attempts), 0.05)
    }

    func testThrottlingThatDoesNotDependOnTheRateDoesNotCollapseIt() {
        // 30% of requests throttled whatever the rate, as `--fault throttle=0.3` does, 20 ms latency.
        let service = SendRateSimulation.Service(rate: nil, randomThrottle: 0.3, latency: { _ in 0.02 })
        let unpaced = simulate(UnlimitedLimiter(), service)
        let batch = simulate(BatchRateController(), service)
        // Learning that lower rates do not help costs a few probes at a lower rate; it must not collapse.
        XCTAssertLessThan(batch.seconds, 3 * unpaced.seconds,
                          "batch \(batch.seconds) s against \(unpaced.seconds) s without a limiter")
    }

    func testItBacksOffWhenLatencyClimbsAndComesBackWhenItFalls() {
        // A service under load: 20 ms answers, 200 ms between seconds 4 and 8, allowing 300 requests/s.
        let service = SendRateSimulation.Service(rate: 300, latency: { t in (4..<8).contains(t) ? 0.2 : 0.02 })
        let limiter = BatchRateController()
        let result = simulate(limiter, service, requests: 3600)
        let rates = { (from: Double, to: Double) -> [Double] in
            result.rates.filter { $0.time >= from && $0.time < to }.map { $0.rate ?? .infinity }
        }
        let before = rates(2, 4).max()!
        let during = rates(5.5, 8).max()!
        let after = rates(11, 12).max()!
        XCTAssertLessThan(during, 0.9 * min(before, 32 / 0.2), "backed off while latency was high")
        XCTAssertGreaterThan(after, 1.5 * during, "came back up once latency fell")
        XCTAssertGreaterThan(result.throughput(10, 12), 0.85 * 300)
    }

    func testItFindsAHigherRateWhenThePushbackStops() {
        // 150 requests/s for four seconds, then 600.
        let service = SendRateSimulation.Service(rateAt: { t in t < 4 ? 150 : 600 }, burst: 15)
        let result = simulate(BatchRateController(), service, requests: 5000)
        XCTAssertLessThan(result.throughput(1, 4), 160)
        XCTAssertGreaterThan(result.throughput(7, 9), 0.85 * 600)
    }

    func testAnUnthrottledClientIsNeverPaced() {
        let limiter = BatchRateController()
        let result = simulate(limiter, .init(rate: nil))
        XCTAssertEqual(result.throttles, 0)
        XCTAssertTrue(result.rates.allSatisfy { $0.rate == nil })
        XCTAssertNil(limiter.allowedRate)
    }

    func testAdaptiveFollowsBotocoresLimiterStepForStep() throws {
        // The rates botocore 1.43's ClientRateLimiter sets for this sequence of answers, on a fake clock starting
        // at 0 (on_receiving_response with a throttling detector scripted to match).
        let script: [(time: Double, throttled: Bool, rate: Double?)] = [
            (0.1, false, nil), (0.2, false, nil), (0.3, false, nil), (0.6, false, nil), (0.7, true, 4.48),
            (1.2, false, 5.731249), (1.6, false, 4.992), (2.1, true, 1.46944), (2.6, false, 1.982449),
            (4.0, false, 1.874603),
        ]
        let limiter = AdaptiveRateLimiter(now: 0)
        XCTAssertEqual(limiter.reserve(now: 0), 0, "off until the first throttle")
        for step in script {
            limiter.observe(.init(outcome: step.throttled ? .throttled : .success, window: 0, latency: 0.01),
                            now: step.time)
            if let expected = step.rate {
                XCTAssertEqual(try XCTUnwrap(limiter.sendRate(now: step.time)), expected, accuracy: 1e-5, "\(step.time)")
            } else {
                XCTAssertNil(limiter.sendRate(now: step.time), "\(step.time)")
            }
        }
        // Requests now take tokens at that rate: the bucket holds at most one second of them (here one and a
        // bit), so a second request at the same instant waits.
        XCTAssertEqual(limiter.reserve(now: 4.0), 0)
        XCTAssertGreaterThan(limiter.reserve(now: 4.0), 0)
    }
}

/// No limit at all, for comparison.
final class UnlimitedLimiter: SendRateLimiter {
    var window: Int { 0 }
    var allowedRate: Double? { nil }
    func reserve(now: Double) -> Double { 0 }
    func observe(_ sample: AttemptSample, now: Double) {}
    func sendRate(now: Double) -> Double? { nil }
}


final class BatchRateBackgroundTests: XCTestCase {
    func testALongRunWithRateIndependentThrottlesKeepsItsRate() {
        // The fault mix's throttles over a long run, where noise in small windows once ratcheted the rate down.
        for seed: UInt64 in [1, 7, 42] {
            let service = SendRateSimulation.Service(rate: nil, randomThrottle: 0.3, latency: { _ in 0.005 })
            var unpaced = SendRateSimulation(limiter: UnlimitedLimiter(), service: service)
            unpaced.seed = seed
            var batch = SendRateSimulation(limiter: BatchRateController(), service: service)
            batch.seed = seed
            let plain = unpaced.run(requests: 30_000)
            let paced = batch.run(requests: 30_000)
            XCTAssertLessThan(paced.seconds, 3 * plain.seconds, "seed \(seed): \(paced.seconds) s against \(plain.seconds) s")
            XCTAssertGreaterThan(paced.rates.suffix(10).compactMap { $0.rate }.min() ?? .infinity, 100,
                                 "seed \(seed): the rate at the end of the run")
        }
    }

    func testRateIndependentThrottlesOnTopOfARateLimit() {
        // 10% throttled at random, and a limit of 300/s: the limit is still found and used.
        let service = SendRateSimulation.Service(rate: 300, randomThrottle: 0.1, latency: { _ in 0.002 })
        let result = SendRateSimulation(limiter: BatchRateController(), service: service).run(requests: 3000)
        XCTAssertGreaterThan(3000 / (300 * result.seconds), 0.8)
    }
}
