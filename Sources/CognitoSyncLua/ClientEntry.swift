import CCogSyncShims
import CLua
import CognitoSync
import CognitoSyncModel

/// A client a script created, with the Lua functions its options refer to (anchored in the registry
/// until the client is collected).
final class ClientEntry {
    let client: CognitoSyncClient
    var loggerRef: Int32?
    var backoffRef: Int32?

    init(client: CognitoSyncClient) {
        self.client = client
    }

    func releaseReferences(_ L: OpaquePointer) {
        for ref in [loggerRef, backoffRef].compactMap({ $0 }) {
            luaL_unref(L, cogsync_registry_index(), ref)
        }
        loggerRef = nil
        backoffRef = nil
    }
}

extension LuaRuntime {
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
        let seconds = String(format: "%.3f", outcome.latency)
        var line = "[cognitosync \(status) \(seconds)s \(outcome.retryCount) retries] \(operation.luaName)"
        if case let .failure(error) = outcome.result, error.statusCode != nil { line += " \(error.code)" }
        let L = currentThread
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
        LuaValueWriter(L: L).pushString(line)
        if cogsync_pcall(L, 1, 0, 0) != LUA_OK {
            ConsoleOutput.standardError("cogsync-lua: logger failed: \(stringAt(L, -1))\n")
            cogsync_pop(L, 1)
        }
    }

    /// Asks the client's `retryDelayOptions.customBackoff` for the delay before a retry, in milliseconds.
    func customBackoff(_ ref: Int32, retryCount: Int, error: ServiceError, operation: String) -> Double? {
        let L = currentThread
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
        lua_pushinteger(L, lua_Integer(retryCount))
        ErrorObject(service: error, operation: operation, retryCount: retryCount).push(L, runtime: self)
        guard cogsync_pcall(L, 2, 1, 0) == LUA_OK else {
            ConsoleOutput.standardError("cogsync-lua: customBackoff failed: \(stringAt(L, -1))\n")
            return nil
        }
        guard lua_type(L, -1) == LUA_TNUMBER else { return nil }
        return lua_tonumberx(L, -1, nil)
    }
}
