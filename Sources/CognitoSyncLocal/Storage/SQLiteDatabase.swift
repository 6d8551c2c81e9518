import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A failure reported by SQLite, with its result code and message.
public struct SQLiteError: Error, CustomStringConvertible {
    /// The SQLite result code.
    public let code: Int32
    /// SQLite's explanation of the failure.
    public let message: String

    public var description: String { "SQLite error \(code): \(message)" }
}

/// A value bound to a statement parameter or read from a result column.
enum SQLiteValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null
}

/// One connection to an SQLite database file, used from one thread at a time.
///
/// The endpoint serialises every access behind its state lock, so the connection is opened in
/// SQLite's multi-thread mode and carries no locking of its own.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating if needed) the database at `path`.
    init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = cogsync_sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: cogsync_sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            cogsync_sqlite3_close(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        cogsync_sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        close()
    }

    /// Finalises every cached statement and closes the connection.
    func close() {
        cache.values.forEach { $0.finalize() }
        cache.removeAll()
        if let handle {
            cogsync_sqlite3_close_v2(handle)
        }
        handle = nil
    }

    /// Runs one or more SQL statements that take no parameters and return no rows.
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = cogsync_sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            cogsync_sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// Runs a statement with the given parameters, discarding any rows.
    func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(parameters)
        while try statement.step() {}
    }

    /// Runs a query and calls `row` once per result row.
    func query(_ sql: String, _ parameters: [SQLiteValue] = [], row: (SQLiteStatement) throws -> Void) throws {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(parameters)
        while try statement.step() {
            try row(statement)
        }
    }

    /// Runs `body` inside an immediate transaction, committing when it returns and rolling back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var lastErrorMessage: String {
        handle.map { String(cString: cogsync_sqlite3_errmsg($0)) } ?? "database is closed"
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let statement = cache[sql] {
            return statement
        }
        var raw: OpaquePointer?
        let rc = cogsync_sqlite3_prepare_v2(handle, sql, -1, &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw SQLiteError(code: rc, message: lastErrorMessage)
        }
        let statement = SQLiteStatement(raw: raw, database: self)
        cache[sql] = statement
        return statement
    }
}
