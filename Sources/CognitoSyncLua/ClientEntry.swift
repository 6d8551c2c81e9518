import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel

/// A client a script created, with the Lua functions its options refer to (anchored in the registry
/// until the client is collected).
final class ClientEntry {
    let client: ServiceClient
    var loggerRef: Int32?
    var backoffRef: Int32?
    /// The order the client was made in, from 1, as `--stats` names it.
    let number: Int
    /// A `map` wider than `maxInFlight` was reported once for this client.
    var warnedInFlight = false
    /// The functions `cs:on(event, fn)` added, by event, in the order added.
    var hooks: [String: [Int32]] = [:]
    /// Hooks whose failure has been reported (once each).
    var failedHooks: Set<Int32> = []

    init(client: ServiceClient, number: Int) {
        self.client = client
        self.number = number
    }

    func releaseReferences(_ L: OpaquePointer) {
        for ref in [loggerRef, backoffRef].compactMap({ $0 }) + hooks.values.joined() {
            luaL_unref(L, cogsync_registry_index(), ref)
        }
        loggerRef = nil
        backoffRef = nil
        hooks = [:]
    }
}

extension LuaRuntime {
    /// Says once per client, on stderr, that a running `map` asks for more concurrency than the client sends.
    func warnIfMapOutrunsInFlight(_ entry: ClientEntry) {
        let limit = entry.client.options.maxInFlight
        guard !entry.warnedInFlight, mapConcurrency > limit else { return }
        entry.warnedInFlight = true
        ConsoleOutput.standardError("cogsync-lua: map runs \(mapConcurrency) items at once, but client \(entry.number) "
            + "sends at most \(limit) requests at once (maxInFlight); the others wait their turn. Raise maxInFlight "
            + "in cognitosync.new{} to send more.\n")
    }

    func recordRate(_ entry: ClientEntry) {
        stats.recordRate(client: entry.number, RunStats.ClientRate(
            retryMode: entry.client.options.retryMode, sendRate: entry.client.sendRate,
            allowedRate: entry.client.allowedRate))
    }

    /// Gives the client's `logger` one line per call, in the style of the AWS SDK for JavaScript:
    /// `[cognitosync 200 0.012s 0 retries] updateRecords`; a service error adds its code
    /// (`[cognitosync 409 0.004s 1 retries] updateRecords ResourceConflictException`).
    func log(_ entry: ClientEntry, _ operation: CognitoSyncModel.Operation, _ outcome: CallOutcome) {
        guard let ref = entry.loggerRef else { return }
        let status: String
        switch outcome.result {
        case .success: status = "200"
        case let .failure(error): status = error.statusCode.map(String.init) ?? error.code
        }
        let milliseconds = Int((outcome.latency * 1000).rounded())
        // Three decimals, zero-padded: 1000 + the remainder always has four digits.
        let seconds = "\(milliseconds / 1000).\(String(1000 + milliseconds % 1000).dropFirst())"
        var line = "[cognitosync \(status) \(seconds)s \(outcome.retryCount) retries] \(operation.luaName)"
        if case let .failure(error) = outcome.result, error.statusCode != nil { line += " \(error.code)" }
        let L = currentThread
        lua_pushcclosure(L, cogsync_error_text, 0)
        let handler = lua_gettop(L)
        defer { lua_settop(L, handler - 1) }
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
        LuaValueWriter(L: L).pushString(line)
        if cogsync_pcall(L, 1, 0, handler) != LUA_OK {
            ConsoleOutput.standardError("cogsync-lua: logger failed: \(stringAt(L, -1))\n")
        }
    }

    /// Asks the client's `retryDelayOptions.customBackoff` for the delay before a retry, in milliseconds (nil stops
    /// retrying). A function that fails or answers something other than a number or nil fails the call, saying so.
    func customBackoff(_ ref: Int32, retryCount: Int, error: ServiceError, operation: String) throws(ServiceError)
        -> Double? {
        let L = currentThread
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        // An error object raised by the function is reported as its text.
        lua_pushcclosure(L, cogsync_error_text, 0)
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
        lua_pushinteger(L, lua_Integer(retryCount))
        ErrorObject(service: error, operation: operation, retryCount: retryCount).push(L, runtime: self)
        guard cogsync_pcall(L, 2, 1, top + 1) == LUA_OK else {
            throw RetryPolicy.refusedBackoff("failed: \(stringAt(L, -1))", retrying: error)
        }
        switch lua_type(L, -1) {
        case LUA_TNUMBER: return lua_tonumberx(L, -1, nil)
        case LUA_TNIL: return nil
        case LUA_TSTRING:
            let text = stringAt(L, -1)
            let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
            throw RetryPolicy.refusedBackoff("returned a string (\"\(shown)\")", retrying: error)
        default:
            let type = String(cString: lua_typename(L, lua_type(L, -1)))
            throw RetryPolicy.refusedBackoff("returned a \(type)", retrying: error)
        }
    }
}
