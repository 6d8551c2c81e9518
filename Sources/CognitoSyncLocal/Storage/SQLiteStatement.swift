import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// SQLite copies bound text immediately when given this destructor value.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement owned by an `SQLiteDatabase`, reused across executions.
final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let database: SQLiteDatabase

    init(raw: OpaquePointer, database: SQLiteDatabase) {
        self.raw = raw
        self.database = database
    }

    func finalize() {
        cogsync_sqlite3_finalize(raw)
        raw = nil
    }

    func reset() {
        cogsync_sqlite3_reset(raw)
        cogsync_sqlite3_clear_bindings(raw)
    }

    func bind(_ parameters: [SQLiteValue]) throws {
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let number):
                rc = cogsync_sqlite3_bind_int64(raw, index, number)
            case .real(let number):
                rc = cogsync_sqlite3_bind_double(raw, index, number)
            case .text(let text):
                rc = cogsync_sqlite3_bind_text(raw, index, text, -1, transient)
            case .null:
                rc = cogsync_sqlite3_bind_null(raw, index)
            }
            if rc != SQLITE_OK {
                throw SQLiteError(code: rc, message: database.lastErrorMessage)
            }
        }
    }

    /// Advances to the next row; false once the statement is done.
    func step() throws -> Bool {
        let rc = cogsync_sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw SQLiteError(code: rc, message: database.lastErrorMessage)
        }
    }

    func isNull(_ column: Int32) -> Bool {
        cogsync_sqlite3_column_type(raw, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        cogsync_sqlite3_column_int64(raw, column)
    }

    func double(_ column: Int32) -> Double {
        cogsync_sqlite3_column_double(raw, column)
    }

    func text(_ column: Int32) -> String {
        guard let bytes = cogsync_sqlite3_column_text(raw, column) else {
            return ""
        }
        let count = Int(cogsync_sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : double(column)
    }

    func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }
}
