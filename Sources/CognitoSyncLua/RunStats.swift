import CognitoSync
import CognitoSyncModel

/// What a run did, per operation: calls, errors, retries by cause, throttled attempts, calls the retry quota
/// refused and latencies; and per client the send rate its controller settled on. Read by
/// `cognitosync.stats()` and printed by `--stats` at exit.
final class RunStats {
    struct Counters {
        var calls = 0
        var errors = 0
        var retries = 0
        var throttleRetries = 0
        var transientRetries = 0
        var clockSkewRetries = 0
        var expiredCredentialRetries = 0
        var throttles = 0
        var quotaExhaustions = 0
        var dryRuns = 0
        var latencies: [Double] = []

        mutating func add(_ outcome: CallOutcome) {
            calls += 1
            if case .failure = outcome.result { errors += 1 }
            retries += outcome.retryCount
            throttleRetries += outcome.retries.throttling
            transientRetries += outcome.retries.transient
            clockSkewRetries += outcome.retries.clockSkew
            expiredCredentialRetries += outcome.retries.expiredCredentials
            throttles += outcome.throttledAttempts
            if outcome.quotaExhausted { quotaExhaustions += 1 }
            latencies.append(outcome.latency)
        }
    }

    /// The send rate of one client as last seen, by the order clients were made in.
    struct ClientRate {
        var retryMode: RetryMode
        var sendRate: Double?
        var allowedRate: Double?
    }

    private(set) var byOperation: [String: Counters] = [:]
    private(set) var clientRates: [Int: ClientRate] = [:]
    private let startedAt = MonotonicClock.now()

    func record(operation: String, outcome: CallOutcome) {
        // Mutated in place, with one lookup: copying the entry out would copy its latency list on every call.
        byOperation[operation, default: Counters()].add(outcome)
    }

    /// Notes the rate of client number `client` after one of its calls finished with throttles, or when its
    /// limiter is pacing.
    func recordRate(client: Int, _ rate: ClientRate) {
        clientRates[client] = rate
    }

    /// Throttled attempts so far, over every operation.
    var throttles: Int { byOperation.values.reduce(0) { $0 + $1.throttles } }

    func recordDryRun(operation: String) {
        byOperation[operation, default: Counters()].dryRuns += 1
    }

    var total: Counters {
        byOperation.values.reduce(into: Counters()) { sum, c in
            sum.calls += c.calls
            sum.errors += c.errors
            sum.retries += c.retries
            sum.throttleRetries += c.throttleRetries
            sum.transientRetries += c.transientRetries
            sum.clockSkewRetries += c.clockSkewRetries
            sum.expiredCredentialRetries += c.expiredCredentialRetries
            sum.throttles += c.throttles
            sum.quotaExhaustions += c.quotaExhaustions
            sum.dryRuns += c.dryRuns
            sum.latencies += c.latencies
        }
    }

    var wallTime: Double { MonotonicClock.now() - startedAt }

    /// The summary as a Lua-friendly value: totals at the top, one entry per operation under `operations`.
    func value() -> Value {
        var operations: [(String, Value)] = []
        for (name, counters) in byOperation.sorted(by: { $0.key < $1.key }) {
            operations.append((name, .map(Self.fields(counters))))
        }
        var clients: [Value] = []
        for (_, rate) in clientRates.sorted(by: { $0.key < $1.key }) {
            var fields: [(String, Value)] = [("retryMode", .string(rate.retryMode.rawValue))]
            if let send = rate.sendRate { fields.append(("sendRate", .double(send))) }
            if let allowed = rate.allowedRate { fields.append(("allowedRate", .double(allowed))) }
            clients.append(.map(fields))
        }
        return .map(Self.fields(total) + [("wallTime", .double(wallTime)), ("operations", .map(operations)),
                                          ("clients", .list(clients))])
    }

    /// The `--stats` text: one line per operation and a total.
    func summary() -> String {
        var lines: [String] = []
        let header = pad("operation", 30) + pad("calls", 8, right: true) + pad("errors", 8, right: true)
            + pad("retries", 9, right: true) + pad("throttles", 11, right: true) + pad("p50 ms", 9, right: true)
            + pad("p95 ms", 9, right: true) + pad("max ms", 9, right: true)
        lines.append(header)
        for (name, counters) in byOperation.sorted(by: { $0.key < $1.key }) {
            lines.append(row(name, counters))
        }
        let sum = total
        lines.append(row("total", sum))
        lines.append("retries: \(sum.throttleRetries) after throttling, \(sum.transientRetries) after other errors, "
                     + "\(sum.clockSkewRetries) after clock skew, \(sum.expiredCredentialRetries) after expired credentials; "
            + "retry quota exhausted \(sum.quotaExhaustions) times")
        for (number, rate) in clientRates.sorted(by: { $0.key < $1.key }) {
            var line = "client \(number) (\(rate.retryMode.rawValue)): send rate "
            line += rate.sendRate.map { "\(Self.perSecond($0))/s" } ?? "not limited"
            if let allowed = rate.allowedRate { line += ", estimated allowed rate \(Self.perSecond(allowed))/s" }
            lines.append(line)
        }
        lines.append("wall time \(milliseconds(wallTime)) ms")
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ name: String, _ c: Counters) -> String {
        let sorted = c.latencies.sorted()
        var text = pad(name, 30) + pad("\(c.calls)", 8, right: true) + pad("\(c.errors)", 8, right: true)
            + pad("\(c.retries)", 9, right: true) + pad("\(c.throttles)", 11, right: true)
            + pad(milliseconds(Self.percentile(sorted, 0.50)), 9, right: true)
            + pad(milliseconds(Self.percentile(sorted, 0.95)), 9, right: true)
            + pad(milliseconds(sorted.last ?? 0), 9, right: true)
        if c.dryRuns > 0 { text += "  (\(c.dryRuns) not sent: dry run)" }
        return text
    }

    private static func fields(_ c: Counters) -> [(String, Value)] {
        let sorted = c.latencies.sorted()
        return [
            ("calls", .int(Int64(c.calls))), ("errors", .int(Int64(c.errors))),
            ("retries", .int(Int64(c.retries))), ("throttleRetries", .int(Int64(c.throttleRetries))),
            ("transientRetries", .int(Int64(c.transientRetries))),
            ("clockSkewRetries", .int(Int64(c.clockSkewRetries))),
            ("expiredCredentialRetries", .int(Int64(c.expiredCredentialRetries))), ("throttles", .int(Int64(c.throttles))),
            ("quotaExhaustions", .int(Int64(c.quotaExhaustions))),
            ("dryRuns", .int(Int64(c.dryRuns))),
            ("p50", .double(percentile(sorted, 0.50))), ("p95", .double(percentile(sorted, 0.95))),
            ("max", .double(sorted.last ?? 0)),
        ]
    }

    /// Nearest-rank percentile of sorted seconds; 0 when there are none.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    static func perSecond(_ rate: Double) -> String {
        guard rate.isFinite, rate < 1e12 else { return "unlimited" }
        return rate >= 10 ? String(Int(rate.rounded())) : String(Double(Int(rate * 10)) / 10)
    }

    private func milliseconds(_ seconds: Double) -> String {
        String(Int((seconds * 1000).rounded()))
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
