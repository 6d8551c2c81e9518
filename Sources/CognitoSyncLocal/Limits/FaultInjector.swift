#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CognitoSyncModel
import NIOConcurrencyHelpers

/// Decides, request by request, which fault (if any) to inject. The draws come from one seeded sequence in
/// the order requests arrive.
final class FaultInjector {
    enum Decision {
        case none
        case throttle
        case error
        case reset
        case lost
    }

    let spec: FaultSpec
    private var generator: SplitMix64
    private let lock = NIOLock()

    init(spec: FaultSpec, seed: UInt64?) {
        self.spec = spec
        generator = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
    }

    func decide() -> Decision {
        guard spec.throttle + spec.error + spec.reset + spec.lost > 0 else {
            return .none
        }
        lock.lock()
        let draw = Double.random(in: 0..<1, using: &generator)
        lock.unlock()
        var threshold = spec.reset
        if draw < threshold { return .reset }
        threshold += spec.throttle
        if draw < threshold { return .throttle }
        threshold += spec.error
        if draw < threshold { return .error }
        threshold += spec.lost
        if draw < threshold { return .lost }
        return .none
    }
}
