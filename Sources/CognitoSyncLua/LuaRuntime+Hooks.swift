import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel

/// A call whose client has request hooks: what the hooks are told about it.
struct HookedCall {
    let operation: CognitoSyncModel.Operation
    let params: Value

    /// Members that carry a secret a hook must not see: the sync session token and a device's push token.
    static let secretMembers: Set<String> = ["SyncSessionToken", "Token"]

    /// The parameters as sent, with the secret members replaced.
    var redactedParams: Value {
        guard case let .map(entries) = params else { return params }
        return .map(entries.map { Self.secretMembers.contains($0.0) ? ($0.0, .string("<redacted>")) : $0 })
    }
}

/// Request lifecycle hooks, as the request events of the AWS SDK for JavaScript: `cs:on(event, fn)` for `send`,
/// `retry`, `success`, `error` and `complete`, each called with a table describing the attempt or the call.
extension LuaRuntime {
    static let hookEvents = ["send", "retry", "success", "error", "complete"]

    /// `core.on(handle, event, fn)`.
    func on(_ L: OpaquePointer) -> Int32 {
        guard let entry = client(L, 1) else { return raise(L, message: "bad argument #1 (client expected)") }
        let event = lua_type(L, 2) == LUA_TSTRING ? stringAt(L, 2) : nil
        guard let event, Self.hookEvents.contains(event) else {
            return raise(L, message: "bad argument #1 to 'on' (one of " + Self.hookEvents.joined(separator: ", ")
                + " expected, got " + (event.map { "\"\($0)\"" } ?? String(cString: lua_typename(L, lua_type(L, 2))))
                + ")")
        }
        guard lua_type(L, 3) == LUA_TFUNCTION else {
            return raise(L, message: "bad argument #2 to 'on' (function expected, got "
                + String(cString: lua_typename(L, lua_type(L, 3))) + ")")
        }
        lua_settop(L, 3)
        entry.hooks[event, default: []].append(luaL_ref(L, cogsync_registry_index()))
        return 0
    }

    func fireAttemptHooks(_ entry: ClientEntry, _ call: HookedCall, _ event: AttemptEvent) {
        switch event {
        case let .sent(attempt):
            fire(entry, "send", call, [("attempt", .int(Int64(attempt)))], error: nil)
        case let .retrying(attempt, error, delay):
            var fields: [(String, Value)] = [("attempt", .int(Int64(attempt))), ("delay", .double(delay))]
            if let status = error.statusCode { fields.append(("status", .int(Int64(status)))) }
            fire(entry, "retry", call, fields,
                 error: ErrorObject(service: error, operation: call.operation.name, retryCount: attempt - 1))
        }
    }

    func fireEndHooks(_ entry: ClientEntry, _ call: HookedCall, _ outcome: CallOutcome) {
        var fields: [(String, Value)] = [("attempts", .int(Int64(outcome.retryCount + 1))),
                                         ("latency", .double(outcome.latency))]
        var error: ErrorObject?
        switch outcome.result {
        case .success:
            fields.append(("status", .int(200)))
            fire(entry, "success", call, fields, error: nil)
        case let .failure(failure):
            if let status = failure.statusCode { fields.append(("status", .int(Int64(status)))) }
            error = ErrorObject(service: failure, operation: call.operation.name, retryCount: outcome.retryCount,
                                retryQuotaExhausted: outcome.quotaExhausted)
            fire(entry, "error", call, fields, error: error)
        }
        fire(entry, "complete", call, fields + [("ok", .bool(error == nil))], error: error)
    }

    /// Calls each hook of `event` with `{event, operation, params, ...fields, error}`. A hook that raises is
    /// reported once on stderr and the call carries on.
    private func fire(_ entry: ClientEntry, _ event: String, _ call: HookedCall, _ fields: [(String, Value)],
                      error: ErrorObject?) {
        guard let refs = entry.hooks[event], !refs.isEmpty else { return }
        let L = currentThread
        guard lua_checkstack(L, 5) != 0 else { return }
        let writer = LuaValueWriter(L: L)
        // Errors come back as text (an error object's __tostring applied) for the one-line report.
        lua_pushcclosure(L, cogsync_error_text, 0)
        let handler = lua_gettop(L)
        defer { lua_settop(L, handler - 1) }
        let described = Value.map([("event", .string(event)), ("operation", .string(call.operation.name)),
                                   ("params", call.redactedParams)] + fields)
        for ref in refs {
            lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
            writer.push(described)
            if let error {
                writer.pushString("error")
                error.push(L, runtime: self)
                lua_rawset(L, -3)
            }
            if cogsync_pcall(L, 1, 0, handler) != LUA_OK {
                if entry.failedHooks.insert(ref).inserted {
                    ConsoleOutput.standardError("cogsync-lua: a \"\(event)\" hook of client \(entry.number) failed: "
                        + "\(stringAt(L, -1)) (its later failures are not reported)\n")
                }
                cogsync_pop(L, 1)
            }
        }
    }

    /// Why every call now fails at once, when `--max-errors` was reached.
    var maxErrorsText: String? {
        guard let limit = defaults.maxErrors, failedCalls >= limit else { return nil }
        return "stopped: \(failedCalls) calls failed (--max-errors \(limit))"
    }

    /// `core.defaults()`: the options the command line set (they start `cognitosync.config`), and the names of
    /// every client option.
    func pushDefaults(_ L: OpaquePointer) -> Int32 {
        var entries: [(String, Value)] = []
        if let region = defaults.region { entries.append(("region", .string(region))) }
        if let endpoint = defaults.endpoint { entries.append(("endpoint", .string(endpoint))) }
        if let profile = defaults.profile { entries.append(("profile", .string(profile))) }
        if let retries = defaults.maxRetries { entries.append(("maxRetries", .int(Int64(retries)))) }
        if let mode = defaults.retryMode { entries.append(("retryMode", .string(mode.rawValue))) }
        if defaults.dryRun { entries.append(("dryRun", .bool(true))) }
        let writer = LuaValueWriter(L: L)
        writer.push(.map(entries))
        writer.push(.list(LuaClientOptions.known.map(Value.string)))
        return 2
    }
}
