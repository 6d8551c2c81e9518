/// A token bucket shared by one client's calls, so an endpoint that is down does not multiply traffic:
/// each retry spends tokens, each success refunds some, and retries stop while the bucket is empty.
public struct RetryQuota {
    public static let capacity = 500
    static let retryCost = 5
    static let timeoutRetryCost = 10
    static let successRefund = 1

    public private(set) var available = RetryQuota.capacity

    public init() {}

    /// Takes the cost of one retry; returns what was taken, or nil when the bucket cannot pay.
    mutating func acquire(timedOut: Bool) -> Int? {
        let cost = timedOut ? Self.timeoutRetryCost : Self.retryCost
        guard available >= cost else { return nil }
        available -= cost
        return cost
    }

    /// A success puts back what its last retry took, or one token when it needed no retry.
    mutating func release(lastRetryCost: Int?) {
        available = min(Self.capacity, available + (lastRetryCost ?? Self.successRefund))
    }
}
