/// Why the endpoint cannot use a data file; the description is the whole message, as `cogsync-local` and
/// `cogsync-lua --local-data` print it.
public enum DataFileError: Error, Equatable, CustomStringConvertible {
    /// Another process (or another endpoint in this one) holds the file's lock.
    case inUse(path: String, pid: Int32?)
    /// The lock file cannot be created or locked.
    case cannotLock(path: String, reason: String)
    /// SQLite cannot open or read the file.
    case cannotOpen(path: String, reason: String)
    /// The file is an SQLite database of another application.
    case notOurs(path: String, detail: String)
    /// The file was written by a newer cogsync-local.
    case newerSchema(path: String, version: Int64)

    public var description: String {
        switch self {
        case .inUse(let path, let pid):
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "the data file \(path) is in use by \(holder) (a cogsync-local or cogsync-lua --local-data); "
                + "only one process may use a data file at a time"
        case .cannotLock(let path, let reason):
            return "cannot lock \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            return "cannot open the data file \(path): \(reason)"
        case .notOurs(let path, let detail):
            return "\(path) is an SQLite database that cogsync-local did not create (\(detail)); "
                + "refusing to use it. Give --data a new file or one cogsync-local wrote"
        case .newerSchema(let path, let version):
            return "the data file \(path) has schema version \(version), written by a newer cogsync-local; "
                + "this one reads version \(SQLitePersistence.schemaVersion)"
        }
    }
}
