import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// The service's semantics over the in-memory state.
///
/// One lock guards the whole state, so writes to a dataset are serialised and its sync count only grows.
/// Each write is staged, committed to the SQLite file (when there is one), and only then applied in memory
/// and acknowledged. Responses are encoded outside the lock.
final class SyncService {
    static let maxDatasetsPerIdentity = 20
    static let maxRecordsPerDataset: Int64 = 1024
    static let maxDatasetBytes: Int64 = 1024 * 1024
    static let listRecordsPageSize = 1024
    static let listDatasetsPageSize = 64
    static let listPoolsPageSize = 60
    static let bulkPublishInterval: Double = 24 * 60 * 60
    /// Lower bounds the service applies where the model sets none: a page holds at least one item, and sync
    /// counts start at 0.
    static let inputMinimums: [String: Int64] = ["MaxResults": 1, "LastSyncCount": 0]

    let clock: ServerClock
    let persistence: SQLitePersistence?
    let tokens: SessionTokenIssuer
    let openIdTokens: OpenIdTokenIssuer
    let bulkPublishDuration: TimeInterval
    private let lock = NIOLock()
    var pools: [String: PoolState]

    init(
        clock: ServerClock, persistence: SQLitePersistence?, sessionLifetime: TimeInterval,
        bulkPublishDuration: TimeInterval
    ) throws {
        self.clock = clock
        self.persistence = persistence
        self.bulkPublishDuration = bulkPublishDuration
        pools = try persistence?.load() ?? [:]
        let key = try persistence?.tokenKey() ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
        tokens = SessionTokenIssuer(key: key, lifetime: sessionLifetime)
        openIdTokens = OpenIdTokenIssuer(key: key)
    }

    /// Runs one validated request and returns its JSON response body (empty for operations without output).
    func execute(_ request: ServiceRequest) throws -> [UInt8] {
        switch request.route.operation {
        case .listRecords: return try listRecords(request)
        case .updateRecords: return try updateRecords(request)
        case .describeDataset: return try describeDataset(request)
        case .listDatasets: return try listDatasets(request)
        case .deleteDataset: return try deleteDataset(request)
        case .describeIdentityPoolUsage: return try describeIdentityPoolUsage(request)
        case .describeIdentityUsage: return try describeIdentityUsage(request)
        case .listIdentityPoolUsage: return try listIdentityPoolUsage(request)
        case .getIdentityPoolConfiguration: return try getIdentityPoolConfiguration(request)
        case .setIdentityPoolConfiguration: return try setIdentityPoolConfiguration(request)
        case .getCognitoEvents: return try getCognitoEvents(request)
        case .setCognitoEvents: return try setCognitoEvents(request)
        case .bulkPublish: return try bulkPublish(request)
        case .getBulkPublishDetails: return try getBulkPublishDetails(request)
        case .registerDevice: return try registerDevice(request)
        case .subscribeToDataset: return try subscribeToDataset(request)
        case .unsubscribeFromDataset: return try unsubscribeFromDataset(request)
        }
    }

    /// Writes counters that reads change (SyncSessionsCount) to the file; called at shutdown.
    func flush() {
        locked {
            guard let persistence else {
                return
            }
            try? persistence.transaction {
                for pool in pools.values {
                    try persistence.savePool(pool.id, pool.settings)
                }
            }
        }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Commits `writes` to the file before the caller applies them in memory; a failed commit becomes a 500
    /// and leaves the state untouched.
    func persist(_ writes: (SQLitePersistence) throws -> Void) throws {
        guard let persistence else {
            return
        }
        do {
            try persistence.transaction { try writes(persistence) }
        } catch {
            throw ServiceError.internalError()
        }
    }

    func existingPool(_ id: String) throws -> PoolState {
        guard let pool = pools[id] else {
            throw ServiceError.notFound("IdentityPool '\(id)' not found")
        }
        return pool
    }

    static func encode<T: JSONWritable>(_ value: T) -> [UInt8] {
        value.jsonBytes
    }

    /// Collects the items of one page after the position in `nextToken`, in the order of `items`.
    static func page<T>(
        _ items: [T], after nextToken: String?, scope: [String], size: Int,
        position: (T) -> [String], isAfter: (T, [String]) -> Bool
    ) throws -> ([T], String?) {
        var remaining = items[...]
        if let nextToken {
            let start = try PageToken.decode(nextToken, scope: scope)
            remaining = remaining.drop { !isAfter($0, start) }
        }
        let pageItems = Array(remaining.prefix(size))
        let next =
            remaining.count > size
            ? pageItems.last.map { PageToken.encode(scope: scope, position: position($0)) }
            : nil
        return (pageItems, next)
    }
}
