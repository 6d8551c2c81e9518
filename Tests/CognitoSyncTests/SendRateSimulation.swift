@testable import CognitoSync

/// A discrete-event simulation of one client against a service, on a simulated clock: `inFlight` requests at
/// most, each paced by a send-rate limiter, answered after the service's latency. Throttled requests are sent
/// again (first in line), as batch mode does. Deterministic: no wall clock, a seeded generator.
struct SendRateSimulation {
    /// The service: a token bucket of requests per second (nil: no limit) that may change over time, a share of
    /// requests throttled whatever the rate, and a latency that may change over time.
    struct Service {
        var rate: (Double) -> Double?
        var burst: Double
        var randomThrottle = 0.0
        var latency: (Double) -> Double = { _ in 0.001 }

        init(rate: Double?, burst: Double = 30, randomThrottle: Double = 0,
             latency: @escaping (Double) -> Double = { _ in 0.001 }) {
            self.init(rateAt: { _ in rate }, burst: burst, randomThrottle: randomThrottle, latency: latency)
        }

        init(rateAt: @escaping (Double) -> Double?, burst: Double = 30, randomThrottle: Double = 0,
             latency: @escaping (Double) -> Double = { _ in 0.001 }) {
            rate = rateAt
            self.burst = burst
            self.randomThrottle = randomThrottle
            self.latency = latency
        }
    }

    struct Result {
        var seconds: Double
        var attempts: Int
        var throttles: Int
        /// The limiter's send rate, sampled every 100 ms of simulated time.
        var rates: [(time: Double, rate: Double?)]
        /// Completed requests by the second they completed in.
        var completions: [Int]

        /// Mean completions per second from second `from` to second `to`.
        func throughput(_ from: Int, _ to: Int) -> Double {
            Double(completions[from..<min(to, completions.count)].reduce(0, +)) / Double(to - from)
        }
    }

    let limiter: SendRateLimiter
    var service: Service
    var inFlight = 32
    var seed: UInt64 = 42

    func run(requests: Int, start: Double = 1000) -> Result {
        var events = EventQueue()
        var tokens = service.burst
        var lastRefill = start
        var pending = requests
        var done = 0
        var busy = 0
        var attempts = 0
        var throttles = 0
        var wakeAt: Double?
        var random = seed
        var rates: [(Double, Double?)] = []
        var completions: [Int] = []
        var nextSample = start
        var now = start

        func draw() -> Double {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Double(random >> 11) / Double(1 << 53)
        }
        func admitted(at time: Double) -> Bool {
            if service.randomThrottle > 0 && draw() < service.randomThrottle { return false }
            guard let rate = service.rate(time - start) else { return true }
            tokens = min(service.burst, tokens + (time - lastRefill) * rate)
            lastRefill = time
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }

        while done < requests {
            while busy < inFlight && pending > 0 {
                let wait = limiter.reserve(now: now)
                if wait > 0 {
                    if wakeAt == nil {
                        wakeAt = now + wait
                        events.push(now + wait, .wake)
                    }
                    break
                }
                pending -= 1
                busy += 1
                attempts += 1
                let latency = service.latency(now - start)
                let ok = admitted(at: now + latency / 2)
                events.push(now + latency, .answer(window: limiter.window, sentAt: now, throttled: !ok))
            }
            guard let (time, event) = events.pop() else { break }
            now = time
            while nextSample <= now {
                rates.append((nextSample - start, limiter.sendRate(now: nextSample)))
                nextSample += 0.1
            }
            switch event {
            case .wake:
                wakeAt = nil
            case let .answer(window, sentAt, throttled):
                busy -= 1
                limiter.observe(AttemptSample(outcome: throttled ? .throttled : .success, window: window,
                                              latency: now - sentAt), now: now)
                if throttled {
                    throttles += 1
                    pending += 1
                } else {
                    done += 1
                    let second = Int(now - start)
                    if completions.count <= second { completions += Array(repeating: 0, count: second + 1 - completions.count) }
                    completions[second] += 1
                }
            }
        }
        return Result(seconds: now - start, attempts: attempts, throttles: throttles, rates: rates,
                      completions: completions)
    }

    private enum Event {
        case wake
        case answer(window: Int, sentAt: Double, throttled: Bool)
    }

    /// Events by time; ties keep insertion order. A linear scan: there are never more than `inFlight` + 1.
    private struct EventQueue {
        private var pending: [(Double, Event)] = []

        mutating func push(_ time: Double, _ event: Event) {
            pending.append((time, event))
        }

        mutating func pop() -> (Double, Event)? {
            guard let index = pending.indices.min(by: { pending[$0].0 < pending[$1].0 }) else { return nil }
            return pending.remove(at: index)
        }
    }
}
