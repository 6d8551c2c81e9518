import Foundation

/// Keeps the endpoint's state in an SQLite file.
///
/// The in-memory state is authoritative while the endpoint runs; every acknowledged write is first committed
/// here. The file uses write-ahead logging with `synchronous=FULL`, so a commit is on disk before the response
/// goes out and survives a killed process as well as a crashed machine.
final class SQLitePersistence {
    private let database: SQLiteDatabase

    init(path: String) throws {
        database = try SQLiteDatabase(path: path)
        try database.execute(
            """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS pools (id TEXT PRIMARY KEY, settings TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS identities (
                pool TEXT NOT NULL, id TEXT NOT NULL, last_modified REAL,
                PRIMARY KEY (pool, id));
            CREATE TABLE IF NOT EXISTS datasets (
                pool TEXT NOT NULL, identity TEXT NOT NULL, name TEXT NOT NULL,
                present INTEGER NOT NULL, creation REAL NOT NULL, last_modified REAL NOT NULL,
                last_modified_by TEXT NOT NULL, sync_count INTEGER NOT NULL, deleted_at INTEGER,
                PRIMARY KEY (pool, identity, name));
            CREATE TABLE IF NOT EXISTS records (
                pool TEXT NOT NULL, identity TEXT NOT NULL, dataset TEXT NOT NULL, key TEXT NOT NULL,
                value TEXT, sync_count INTEGER NOT NULL, last_modified REAL NOT NULL,
                last_modified_by TEXT NOT NULL, device_last_modified REAL,
                PRIMARY KEY (pool, identity, dataset, key)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS devices (
                pool TEXT NOT NULL, id TEXT NOT NULL, identity TEXT NOT NULL, platform TEXT NOT NULL,
                token TEXT NOT NULL, PRIMARY KEY (pool, id));
            CREATE TABLE IF NOT EXISTS subscriptions (
                pool TEXT NOT NULL, identity TEXT NOT NULL, dataset TEXT NOT NULL, device TEXT NOT NULL,
                PRIMARY KEY (pool, identity, dataset, device));
            """
        )
    }

    func close() {
        database.close()
    }

    func transaction(_ body: () throws -> Void) throws {
        try database.transaction(body)
    }

    /// The key that signs sync session tokens, created on first use so tokens outlive a restart.
    func tokenKey() throws -> [UInt8] {
        var stored: String?
        try database.query("SELECT value FROM meta WHERE key = 'token-key'") { stored = $0.text(0) }
        if let stored, let key = Base64URL.decode(stored), key.count == 32 {
            return key
        }
        let key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        try database.run(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('token-key', ?)", [.text(Base64URL.encode(key))])
        return key
    }

    func savePool(_ id: String, _ settings: PoolSettings) throws {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try database.run("INSERT OR REPLACE INTO pools (id, settings) VALUES (?, ?)", [.text(id), .text(json)])
    }

    func saveIdentity(pool: String, id: String, lastModifiedDate: Double?) throws {
        try database.run(
            "INSERT OR REPLACE INTO identities (pool, id, last_modified) VALUES (?, ?, ?)",
            [.text(pool), .text(id), lastModifiedDate.map(SQLiteValue.real) ?? .null]
        )
    }

    func saveDataset(pool: String, identity: String, name: String, _ meta: DatasetMeta) throws {
        try database.run(
            """
            INSERT OR REPLACE INTO datasets
            (pool, identity, name, present, creation, last_modified, last_modified_by, sync_count, deleted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(pool), .text(identity), .text(name), .integer(meta.exists ? 1 : 0), .real(meta.creationDate),
                .real(meta.lastModifiedDate), .text(meta.lastModifiedBy), .integer(meta.syncCount),
                meta.deletedAtSyncCount.map(SQLiteValue.integer) ?? .null,
            ]
        )
    }

    func saveRecord(pool: String, identity: String, dataset: String, _ record: StoredRecord) throws {
        try database.run(
            """
            INSERT OR REPLACE INTO records
            (pool, identity, dataset, key, value, sync_count, last_modified, last_modified_by, device_last_modified)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(pool), .text(identity), .text(dataset), .text(record.key),
                record.value.map(SQLiteValue.text) ?? .null, .integer(record.syncCount),
                .real(record.lastModifiedDate), .text(record.lastModifiedBy),
                record.deviceLastModifiedDate.map(SQLiteValue.real) ?? .null,
            ]
        )
    }

    func deleteRecords(pool: String, identity: String, dataset: String) throws {
        try database.run(
            "DELETE FROM records WHERE pool = ? AND identity = ? AND dataset = ?",
            [.text(pool), .text(identity), .text(dataset)]
        )
    }

    func saveDevice(pool: String, _ device: DeviceRegistration) throws {
        try database.run(
            "INSERT OR REPLACE INTO devices (pool, id, identity, platform, token) VALUES (?, ?, ?, ?, ?)",
            [
                .text(pool), .text(device.deviceId), .text(device.identityId), .text(device.platform),
                .text(device.token),
            ]
        )
    }

    func saveSubscription(pool: String, _ subscription: Subscription, subscribed: Bool) throws {
        let parameters: [SQLiteValue] = [
            .text(pool), .text(subscription.identityId), .text(subscription.datasetName), .text(subscription.deviceId),
        ]
        if subscribed {
            try database.run(
                "INSERT OR REPLACE INTO subscriptions (pool, identity, dataset, device) VALUES (?, ?, ?, ?)", parameters
            )
        } else {
            try database.run(
                "DELETE FROM subscriptions WHERE pool = ? AND identity = ? AND dataset = ? AND device = ?", parameters
            )
        }
    }

    /// Reads the whole state back into memory.
    func load() throws -> [String: PoolState] {
        var pools: [String: PoolState] = [:]
        let decoder = JSONDecoder()
        try database.query("SELECT id, settings FROM pools") { row in
            let id = row.text(0)
            let settings = try decoder.decode(PoolSettings.self, from: Data(row.text(1).utf8))
            pools[id] = PoolState(id: id, settings: settings)
        }
        func pool(_ id: String) -> PoolState {
            if let existing = pools[id] {
                return existing
            }
            let created = PoolState(id: id)
            pools[id] = created
            return created
        }
        try database.query("SELECT pool, id, last_modified FROM identities") { row in
            let owner = pool(row.text(0))
            let id = row.text(1)
            owner.identities[id] = IdentityState(id: id, lastModifiedDate: row.optionalDouble(2))
        }
        func identity(_ poolId: String, _ id: String) -> IdentityState {
            let owner = pool(poolId)
            if let existing = owner.identities[id] {
                return existing
            }
            let created = IdentityState(id: id, lastModifiedDate: nil)
            owner.identities[id] = created
            return created
        }
        try database.query(
            """
            SELECT pool, identity, name, present, creation, last_modified, last_modified_by, sync_count, deleted_at
            FROM datasets
            """
        ) { row in
            let meta = DatasetMeta(
                exists: row.int64(3) != 0, creationDate: row.double(4), lastModifiedDate: row.double(5),
                lastModifiedBy: row.text(6), syncCount: row.int64(7), deletedAtSyncCount: row.optionalInt64(8)
            )
            let name = row.text(2)
            identity(row.text(0), row.text(1)).datasets[name] = DatasetState(name: name, meta: meta)
        }
        try database.query(
            """
            SELECT pool, identity, dataset, key, value, sync_count, last_modified, last_modified_by,
                   device_last_modified
            FROM records
            """
        ) { row in
            guard let dataset = pools[row.text(0)]?.identities[row.text(1)]?.datasets[row.text(2)] else {
                return
            }
            dataset.put(
                StoredRecord(
                    key: row.text(3), value: row.optionalText(4), syncCount: row.int64(5),
                    lastModifiedDate: row.double(6), lastModifiedBy: row.text(7),
                    deviceLastModifiedDate: row.optionalDouble(8)
                )
            )
        }
        try database.query("SELECT pool, id, identity, platform, token FROM devices") { row in
            let device = DeviceRegistration(
                deviceId: row.text(1), identityId: row.text(2), platform: row.text(3), token: row.text(4)
            )
            pool(row.text(0)).devices[device.deviceId] = device
        }
        try database.query("SELECT pool, identity, dataset, device FROM subscriptions") { row in
            pool(row.text(0)).subscriptions.insert(
                Subscription(identityId: row.text(1), datasetName: row.text(2), deviceId: row.text(3))
            )
        }
        return pools
    }
}
