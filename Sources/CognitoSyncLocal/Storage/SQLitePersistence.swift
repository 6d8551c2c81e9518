#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps the endpoint's state in an SQLite file.
///
/// The in-memory state is authoritative while the endpoint runs; every acknowledged write is first committed
/// here. The file uses write-ahead logging with `synchronous=FULL`, so a commit is on disk before the response
/// goes out and survives a killed process as well as a crashed machine.
///
/// The file is locked for the life of the endpoint, and marked as cogsync-local's (`PRAGMA application_id` and a
/// schema version in `user_version`): an SQLite file of another application is refused rather than added to.
final class SQLitePersistence {
    /// "CSyL", cogsync-local's mark in the SQLite header.
    static let applicationId: Int64 = 0x4353_794C
    /// The version of the tables below. Version 2 added what Cognito Identity keeps: the identities' creation and
    /// login dates, whether they are disabled, and the logins table; a version 1 file is migrated when opened.
    static let schemaVersion: Int64 = 2
    /// The tables of schema version 1; a file holding only these is one cogsync-local wrote before it set its mark.
    private static let tables: Set<String> = [
        "meta", "pools", "identities", "datasets", "records", "devices", "subscriptions",
    ]

    private let lock: DataFileLock
    private let database: SQLiteDatabase
    private let failures: WriteFailureLog

    init(path: String) throws {
        lock = try DataFileLock(dataFile: path)
        failures = WriteFailureLog(path: path)
        do {
            database = try SQLiteDatabase(path: path)
            try Self.checkOwnership(of: database, path: path)
            try Self.createSchema(in: database)
            try Self.migrateFromVersion1(database)
        } catch let error as SQLiteError {
            lock.release()
            throw DataFileError.cannotOpen(path: path, reason: error.message)
        } catch {
            lock.release()
            throw error
        }
    }

    private static func checkOwnership(of database: SQLiteDatabase, path: String) throws {
        var applicationId: Int64 = 0
        var version: Int64 = 0
        var tables: [String] = []
        try database.query("PRAGMA application_id") { applicationId = $0.int64(0) }
        try database.query("PRAGMA user_version") { version = $0.int64(0) }
        try database.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
            tables.append($0.text(0))
        }
        switch applicationId {
        case Self.applicationId:
            if version > schemaVersion {
                throw DataFileError.newerSchema(path: path, version: version)
            }
        case 0:
            let foreign = tables.filter { !Self.tables.contains($0) }.sorted()
            if !foreign.isEmpty {
                throw DataFileError.notOurs(path: path, detail: "it has the tables " + foreign.joined(separator: ", "))
            }
        default:
            throw DataFileError.notOurs(
                path: path, detail: "its application_id is 0x" + String(UInt32(truncatingIfNeeded: applicationId),
                                                                         radix: 16))
        }
    }

    private static func createSchema(in database: SQLiteDatabase) throws {
        try database.execute(
            """
            PRAGMA application_id=\(applicationId);
            PRAGMA user_version=\(schemaVersion);
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS pools (id TEXT PRIMARY KEY, settings TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS identities (
                pool TEXT NOT NULL, id TEXT NOT NULL, last_modified REAL,
                created REAL, logins_modified REAL, disabled INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (pool, id));
            CREATE TABLE IF NOT EXISTS logins (
                pool TEXT NOT NULL, provider TEXT NOT NULL, value TEXT NOT NULL, identity TEXT NOT NULL,
                PRIMARY KEY (pool, provider, value));
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

    /// Adds to a version 1 file's identities the columns version 2 keeps, if they are missing (its logins table is
    /// created with the others), so a migration cut short is completed on the next start. An identity Cognito Sync
    /// created is taken to have been created at its last write, the closest date version 1 kept.
    private static func migrateFromVersion1(_ database: SQLiteDatabase) throws {
        var columns: Set<String> = []
        try database.query("PRAGMA table_info(identities)") { columns.insert($0.text(1)) }
        try database.transaction {
            if !columns.contains("created") {
                try database.execute(
                    """
                    ALTER TABLE identities ADD COLUMN created REAL;
                    ALTER TABLE identities ADD COLUMN logins_modified REAL;
                    ALTER TABLE identities ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
                    UPDATE identities SET created = last_modified;
                    """
                )
            }
        }
    }

    func close() {
        database.close()
        lock.release()
    }

    /// Runs `body` in one transaction. A failure is reported on standard error (once per kind) before it is thrown,
    /// since the client only sees a 500.
    func transaction(_ body: () throws -> Void) throws {
        do {
            try database.transaction(body)
        } catch {
            failures.report(error)
            throw error
        }
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

    /// Records a Cognito Sync write to an identity; one it creates is created at that moment.
    func saveIdentity(pool: String, id: String, lastModifiedDate: Double?) throws {
        let date = lastModifiedDate.map(SQLiteValue.real) ?? .null
        try database.run(
            """
            INSERT INTO identities (pool, id, last_modified, created) VALUES (?, ?, ?, ?)
            ON CONFLICT (pool, id) DO UPDATE SET last_modified = excluded.last_modified
            """,
            [.text(pool), .text(id), date, date]
        )
    }

    /// Writes everything kept of an identity but its datasets and logins.
    func saveIdentity(pool: String, _ identity: IdentityState) throws {
        try database.run(
            """
            INSERT OR REPLACE INTO identities (pool, id, last_modified, created, logins_modified, disabled)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(pool), .text(identity.id), identity.lastModifiedDate.map(SQLiteValue.real) ?? .null,
                identity.creationDate.map(SQLiteValue.real) ?? .null,
                identity.identityModifiedDate.map(SQLiteValue.real) ?? .null, .integer(identity.disabled ? 1 : 0),
            ]
        )
    }

    func saveLogin(pool: String, _ login: LoginLink, identity: String) throws {
        try database.run(
            "INSERT OR REPLACE INTO logins (pool, provider, value, identity) VALUES (?, ?, ?, ?)",
            [.text(pool), .text(login.provider), .text(login.value), .text(identity)]
        )
    }

    func deleteLogin(pool: String, _ login: LoginLink) throws {
        try database.run(
            "DELETE FROM logins WHERE pool = ? AND provider = ? AND value = ?",
            [.text(pool), .text(login.provider), .text(login.value)]
        )
    }

    /// Deletes an identity with its datasets, records, logins, devices and subscriptions.
    func deleteIdentity(pool: String, id: String) throws {
        for table in ["datasets", "records", "subscriptions", "logins", "devices"] {
            try database.run("DELETE FROM \(table) WHERE pool = ? AND identity = ?", [.text(pool), .text(id)])
        }
        try database.run("DELETE FROM identities WHERE pool = ? AND id = ?", [.text(pool), .text(id)])
    }

    /// Deletes a pool and everything in it.
    func deletePool(_ id: String) throws {
        for table in ["identities", "datasets", "records", "devices", "subscriptions", "logins"] {
            try database.run("DELETE FROM \(table) WHERE pool = ?", [.text(id)])
        }
        try database.run("DELETE FROM pools WHERE id = ?", [.text(id)])
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
        let identityColumns = "pool, id, last_modified, created, logins_modified, disabled"
        try database.query("SELECT \(identityColumns) FROM identities") { row in
            let owner = pool(row.text(0))
            let id = row.text(1)
            let identity = IdentityState(id: id, lastModifiedDate: row.optionalDouble(2))
            identity.creationDate = row.optionalDouble(3)
            identity.identityModifiedDate = row.optionalDouble(4)
            identity.disabled = row.int64(5) != 0
            owner.identities[id] = identity
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
        try database.query("SELECT pool, provider, value, identity FROM logins") { row in
            let login = LoginLink(provider: row.text(1), value: row.text(2))
            let owner = identity(row.text(0), row.text(3))
            owner.logins.insert(login)
            pool(row.text(0)).loginOwners[login] = owner.id
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
