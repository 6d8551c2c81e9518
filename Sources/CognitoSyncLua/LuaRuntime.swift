import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// One Lua state with the `cognitosync` module loaded, the request engine its calls run on, and the
/// clients its scripts created.
///
/// Everything here runs on the thread that created it. Swift only uses Lua API calls that cannot raise
/// or yield; when a host function must raise or park its task it returns a status and the C trampoline
/// does it.
public final class LuaRuntime {
    public let L: OpaquePointer
    public var defaults: HostDefaults
    let engine = RequestEngine()
    /// The result tables' keys, made once (`LuaResultSink`).
    let memberNames = MemberNames()
    let stats = RunStats()
    var clients: [Int: ClientEntry] = [:]
    private var nextClientId = 1
    /// The concurrency of the `map` running now (0 when none), for the maxInFlight warning.
    var mapConcurrency = 0
    private var completions: [Int: Completion] = [:]
    private var completionOrder: [Int] = []
    private var nextRequestId = 1
    /// The calls in flight by request id, to cancel them.
    private var tickets: [Int: CallTicket] = [:]
    /// Calls of this run that ended in failure (cancelled ones aside), for `--max-errors`.
    private(set) var failedCalls = 0
    var errorMetaRef: Int32 = -1
    private var runnerRef: Int32 = -1
    private var handleMetaRef: Int32 = -1
    private var closed = false
    /// The Lua thread whose host function is running; callbacks into Lua (logger, backoff) run on it.
    var currentThread: OpaquePointer

    /// `ignoreEnvironment` (the `-E` flag) keeps `LUA_PATH`/`LUA_CPATH` from being read, as in `lua.c`.
    public init(defaults: HostDefaults, ignoreEnvironment: Bool = false) throws {
        guard let state = cogsync_newstate() else { throw LuaRuntimeError("cannot create a Lua state") }
        L = state
        currentThread = state
        self.defaults = defaults
        // The state's host functions find this runtime in its registry (never through a process-wide variable,
        // so several runtimes can live in one process). Not retained: the state never outlives the runtime.
        cogsync_set_host(L, luaDispatch, Unmanaged.passUnretained(self).toOpaque())
        if ignoreEnvironment {
            // Raw: nothing here may run a metamethod.
            LuaValueWriter(L: L).pushString("LUA_NOENV")
            lua_pushboolean(L, 1)
            lua_rawset(L, cogsync_registry_index())
        }
        guard cogsync_openlibs(L) == LUA_OK else { throw LuaRuntimeError("cannot open the Lua libraries") }
        try loadPrelude()
    }

    deinit {
        close()
    }

    /// Closes the Lua state (running pending `__gc` and `__close` handlers), as `lua.c` does at exit.
    public func close() {
        guard !closed else { return }
        closed = true
        cogsync_closestate(L)
    }

    /// Loads one of the module's Lua files, precompiled at build time (`LuaChunks`), and pushes it onto `L` as a
    /// function (or, when it does not load, the message).
    private func loadEmbedded(_ L: OpaquePointer, _ chunk: LuaChunk) -> Int32 {
        chunk.bytes.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, chunk.name, "b") }
        }
    }

    /// Runs the scheduler (`lua/tasks.lua`); the module itself is loaded on its first require (`loadModule`).
    private func loadPrelude() throws {
        guard loadEmbedded(L, LuaChunks.tasks) == LUA_OK else {
            throw LuaRuntimeError("prelude: \(stringAt(L, -1))")
        }
        let writer = LuaValueWriter(L: L)
        lua_createtable(L, 0, Int32(HostFunction.allCases.count + 1))
        for function in HostFunction.allCases {
            writer.pushString(function.luaName)
            cogsync_push_host_function(L, function.rawValue)
            lua_rawset(L, -3)
        }
        writer.setField("version", .string(CogsyncVersion.string))
        lua_pushlightuserdata(L, cogsync_wait_token())
        lua_pushcclosure(L, cogsync_open_tasks, 0)
        guard cogsync_pcall(L, 3, 1, 0) == LUA_OK else { throw LuaRuntimeError("prelude: \(stringAt(L, -1))") }
        runnerRef = luaL_ref(L, cogsync_registry_index())

        lua_createtable(L, 0, 2)
        writer.pushString("__gc")
        cogsync_push_host_function(L, HostFunction.releaseClient.rawValue)
        lua_rawset(L, -3)
        writer.setField("__name", .string("cognitosync.handle"))
        handleMetaRef = luaL_ref(L, cogsync_registry_index())
    }

    /// Runs the function below `nargs` arguments at the top of the stack as the entry task, together with
    /// every task it spawns. On success the function and arguments are replaced by its results, whose count
    /// is returned; on failure they are removed and the error report (message and traceback) is returned.
    public func runAsTask(nargs: Int32) -> Result<Int32, TaskFailure> {
        let base = lua_gettop(L) - nargs
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(runnerRef))
        cogsync_insert(L, base)
        lua_pushcclosure(L, cogsync_msghandler, 0)
        cogsync_insert(L, base)
        let status = cogsync_pcall(L, nargs + 1, LUA_MULTRET, base)
        // The stack is now the handler, then the runner's answers: true and the results, or false and a report.
        guard status == LUA_OK, lua_toboolean(L, base + 1) != 0 else {
            let report = stringAt(L, -1)
            lua_settop(L, base - 1)
            return .failure(TaskFailure(report: report))
        }
        let count = lua_gettop(L) - base - 1
        lua_rotate(L, base, -2)
        lua_settop(L, -3)
        return .success(count)
    }

    /// The `--stats` summary of every call made so far.
    public var statsSummary: String { stats.summary() }

    /// Sends a trace of every request and response to `sink` (`--debug`); secrets are redacted.
    public func enableWireTrace(_ sink: @escaping (String) -> Void) {
        engine.trace = sink
    }

    // MARK: dispatch

    func dispatch(_ L: OpaquePointer, _ id: Int32) -> Int32 {
        let previous = currentThread
        currentThread = L
        defer { currentThread = previous }
        guard let function = HostFunction(rawValue: id) else { return raise(L, message: "unknown host function \(id)") }
        switch function {
        case .call: return call(L)
        case .poll: return poll(L)
        case .await: return awaitRequest(L)
        case .sleep: return sleep(L)
        case .newClient: return newClient(L)
        case .releaseClient: return releaseClient(L)
        case .clientInfo: return clientInfo(L)
        case .describe: return describe(L)
        case .setErrorMeta:
            lua_settop(L, 1)
            errorMetaRef = luaL_ref(L, cogsync_registry_index())
            return 0
        case .stats:
            LuaValueWriter(L: L).push(stats.value())
            return 1
        case .now:
            lua_pushnumber(L, MonotonicClock.now())
            return 1
        case .pressure:
            lua_pushinteger(L, lua_Integer(stats.throttles))
            if let rate = clients.values.compactMap({ $0.client.sendRate }).min() {
                lua_pushnumber(L, rate)
            } else {
                lua_pushnil(L)
            }
            if let text = maxErrorsText {
                LuaValueWriter(L: L).pushString(text)
            } else {
                lua_pushnil(L)
            }
            return 3
        case .mapConcurrency:
            let previous = mapConcurrency
            mapConcurrency = Int(lua_tointegerx(L, 1, nil))
            lua_pushinteger(L, lua_Integer(previous))
            return 1
        case .isatty:
            lua_pushboolean(L, isatty(Int32(lua_tointegerx(L, 1, nil))))
            return 1
        case .cancel:
            // A timer's id has no ticket: its completion is simply not delivered to anyone.
            if let ticket = tickets.removeValue(forKey: Int(lua_tointegerx(L, 1, nil))) { engine.cancel(ticket) }
            return 0
        case .on: return on(L)
        case .defaults: return pushDefaults(L)
        case .service: return pushService(L)
        case .loadModule:
            guard loadEmbedded(L, LuaChunks.cognitosync) == LUA_OK else {
                return raise(L, message: "cognitosync: \(stringAt(L, -1))")
            }
            return 1
        }
    }

    private func call(_ L: OpaquePointer) -> Int32 {
        guard let client = client(L, 1) else { return raise(L, message: "bad argument #1 (client expected)") }
        guard let name = optionalString(L, 2) else {
            return raise(L, message: "bad argument #1 to 'makeRequest' (operation name expected)")
        }
        let service = client.client.configuration.service
        guard let operation = service.operation(named: name) else {
            let known = service.operations.map(\.luaName)
            let hint = NameSuggestion.closest(to: name, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            return raise(L, ErrorObject(code: "UnknownOperation", message: "no operation named \"\(name)\"\(hint)"))
        }
        if engine.isStepping {
            return raise(L, ErrorObject(code: "ReentrantCall", message: "\(operation.luaName) cannot be called from a "
                + "logger, customBackoff or request hook: they run between requests, inside the client; start a task "
                + "with cognitosync.spawn to make calls from them", operation: operation.name))
        }
        if let text = maxErrorsText {
            return raise(L, ErrorObject(code: "TooManyErrors", message: text + "; no more calls are sent",
                                        operation: operation.name))
        }
        let signed = lua_toboolean(L, 4) == 0 && operation.signed
        // The client's bound params, when the module leaves filling them in to the host (see `LuaRequestReader`).
        let bound: Int32? = lua_type(L, 5) == LUA_TTABLE ? 5 : nil
        let request: HTTPRequest
        // Request hooks are handed the params as a value; without hooks, valid params go straight into the request.
        var params = Value.null
        do {
            let reader = LuaRequestReader(L: L)
            if client.hooks.isEmpty, let direct = reader.request(
                3, bound: bound, operation: operation, validation: client.client.options.validation) {
                request = direct
            } else {
                if let bound { try reader.mergeBound(3, bound: bound, operation: operation) }
                params = try LuaValueReader(L: L).read(3, path: "params")
                if case .null = params { params = .map([]) }
                request = try client.client.prepare(operation, params: params)
            }
        } catch let error as ValidationError {
            lua_settop(L, 3)
            return raise(L, ErrorObject(validation: error, operation: operation.name))
        } catch {
            lua_settop(L, 3)
            return raise(L, ErrorObject(code: "InvalidParameter", message: "\(error)", operation: operation.name))
        }
        if client.client.options.dryRun && operation.isMutating {
            stats.recordDryRun(operation: operation.name)
            ConsoleOutput.standardError("[dry-run] \(operation.luaName) \(request.method) \(request.path) (not sent)\n")
            pushDryRunResult(L, operation, request)
            return 1
        }
        let requestId = nextRequestId
        nextRequestId += 1
        warnIfMapOutrunsInFlight(client)
        let hooked = client.hooks.isEmpty ? nil : HookedCall(operation: operation, params: params)
        let output = LuaResultSink(runtime: self)
        tickets[requestId] = engine.submit(
            client: client.client, operation: operation, request: request, signed: signed,
            attempts: hooked.map { call in { [unowned self] event in self.fireAttemptHooks(client, call, event) } },
            output: output
        ) { [unowned self] outcome in
            // One use of the unowned reference: each use is a pair of atomic operations.
            self.finished(requestId, client, operation, hooked, output, outcome)
        }
        return wait(L, requestId)
    }

    /// Records a call that has ended and hands its outcome to the task waiting on `requestId`.
    private func finished(_ requestId: Int, _ client: ClientEntry, _ operation: CognitoSyncModel.Operation,
                          _ hooked: HookedCall?, _ output: LuaResultSink, _ outcome: CallOutcome) {
        tickets[requestId] = nil
        stats.record(operation: operation.name, outcome: outcome)
        if case let .failure(error) = outcome.result, error.code != "Cancelled" { failedCalls += 1 }
        if outcome.throttledAttempts > 0 || client.client.options.retryMode != .standard { recordRate(client) }
        log(client, operation, outcome)
        if let hooked { fireEndHooks(client, hooked, outcome) }
        complete(requestId, .call(operation, outcome, output))
    }

    private func sleep(_ L: OpaquePointer) -> Int32 {
        let seconds = lua_tonumberx(L, 1, nil)
        let requestId = nextRequestId
        nextRequestId += 1
        engine.schedule(after: seconds) { [unowned self] in self.complete(requestId, .timer) }
        return wait(L, requestId)
    }

    /// Parks the running task on `requestId`, or, where the caller cannot yield, finishes that request
    /// here and returns its result directly.
    private func wait(_ L: OpaquePointer, _ requestId: Int) -> Int32 {
        if lua_isyieldable(L) != 0 {
            lua_pushinteger(L, lua_Integer(requestId))
            return COGSYNC_WAIT
        }
        guard let completion = block(on: requestId) else { return raiseInterrupted(L) }
        if let error = completion.errorObject { return raise(L, error) }
        pushResult(L, completion)
        return 1
    }

    /// Runs the engine until `requestId` completes; nil when Ctrl-C came first.
    private func block(on requestId: Int) -> Completion? {
        while completions[requestId] == nil {
            if cogsync_take_interrupt() != 0 { return nil }
            engine.step(maxWait: 1)
        }
        completionOrder.removeAll { $0 == requestId }
        return completions.removeValue(forKey: requestId)!
    }

    private func awaitRequest(_ L: OpaquePointer) -> Int32 {
        guard let completion = block(on: Int(lua_tointegerx(L, 1, nil))) else { return raiseInterrupted(L) }
        return pushOutcome(L, completion)
    }

    private func complete(_ requestId: Int, _ completion: Completion) {
        completions[requestId] = completion
        completionOrder.append(requestId)
    }

    private func poll(_ L: OpaquePointer) -> Int32 {
        let timeout = lua_tonumberx(L, 1, nil)
        if completionOrder.isEmpty {
            guard engine.hasWork else {
                return raise(L, message: "cognitosync: tasks wait on requests that are not in flight")
            }
            let deadline = MonotonicClock.now() + timeout
            repeat {
                // Ctrl-C: nil tells the scheduler to stop the run.
                if cogsync_take_interrupt() != 0 {
                    lua_pushnil(L)
                    return 1
                }
                engine.step(maxWait: max(0, deadline - MonotonicClock.now()))
            } while completionOrder.isEmpty && engine.hasWork && MonotonicClock.now() < deadline
        }
        lua_createtable(L, Int32(completionOrder.count * 3), 0)
        var slot: lua_Integer = 1
        for requestId in completionOrder {
            guard let completion = completions.removeValue(forKey: requestId) else { continue }
            lua_pushinteger(L, lua_Integer(requestId))
            lua_rawseti(L, -2, slot)
            _ = pushOutcome(L, completion)
            lua_rawseti(L, -3, slot + 2)
            lua_rawseti(L, -2, slot + 1)
            slot += 3
        }
        completionOrder.removeAll(keepingCapacity: true)
        return 1
    }

    /// Pushes `ok, value` for a completion (the error object when it failed).
    private func pushOutcome(_ L: OpaquePointer, _ completion: Completion) -> Int32 {
        if let error = completion.errorObject {
            lua_pushboolean(L, 0)
            error.push(L, runtime: self)
        } else {
            lua_pushboolean(L, 1)
            pushResult(L, completion)
        }
        return 2
    }

    /// Pushes a call's result (nil for a timer).
    private func pushResult(_ L: OpaquePointer, _ completion: Completion) {
        if case let .call(_, outcome, output) = completion, case .success = outcome.result {
            output.push(L)
        } else {
            lua_pushnil(L)
        }
    }

    private func pushDryRunResult(_ L: OpaquePointer, _ operation: CognitoSyncModel.Operation, _ request: HTTPRequest) {
        LuaValueWriter(L: L).push(.map([
            ("DryRun", .bool(true)),
            ("Operation", .string(operation.name)),
            ("Method", .string(request.method)),
            ("Path", .string(request.path)),
            ("Query", .string(request.encodedQuery)),
            ("Body", .string(String(decoding: request.body, as: UTF8.self))),
        ]))
    }

    // MARK: clients

    private func newClient(_ L: OpaquePointer) -> Int32 {
        let client: ClientEntry
        do {
            guard let service = optionalString(L, 3).flatMap(ServiceModel.named(module:)) else {
                return raise(L, message: "bad argument #3 to 'newClient' (service module name expected)")
            }
            client = try LuaClientOptions.makeClient(L, index: 1, configIndex: 2, service: service, runtime: self,
                                                     number: nextClientId)
        } catch let error as ValidationError {
            return raise(L, ErrorObject(validation: error, operation: nil))
        } catch let error as ConfigurationError {
            return raise(L, ErrorObject(code: error.code, message: error.message))
        } catch {
            return raise(L, ErrorObject(code: "ConfigError", message: "\(error)"))
        }
        let id = nextClientId
        nextClientId += 1
        clients[id] = client
        let box = cogsync_newuserdata(L, MemoryLayout<Int>.size)!
        box.storeBytes(of: id, as: Int.self)
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(handleMetaRef))
        lua_setmetatable(L, -2)
        lua_pushboolean(L, client.client.options.dryRun ? 1 : 0)
        return 2
    }

    private func releaseClient(_ L: OpaquePointer) -> Int32 {
        if let id = handleId(L, 1), let entry = clients.removeValue(forKey: id) {
            entry.releaseReferences(L)
        }
        return 0
    }

    private func clientInfo(_ L: OpaquePointer) -> Int32 {
        guard let client = client(L, 1) else { return raise(L, message: "bad argument #1 (client expected)") }
        let config = client.client.configuration
        LuaValueWriter(L: L).pushString("\(config.region), \(config.endpoint), retryMode \(client.client.options.retryMode.rawValue)")
        return 1
    }

    /// `core.describe(operation, module)`: one operation of the module's service, or all of them.
    private func describe(_ L: OpaquePointer) -> Int32 {
        guard let service = optionalString(L, 2).flatMap(ServiceModel.named(module:)) else {
            return raise(L, message: "bad argument #2 to 'describe' (service module name expected)")
        }
        guard let name = optionalString(L, 1) else {
            LuaValueWriter(L: L).pushString(service.describeAll())
            return 1
        }
        guard let operation = service.operation(named: name) else {
            return raise(L, ErrorObject(code: "UnknownOperation", message: "no operation named \"\(name)\""))
        }
        LuaValueWriter(L: L).pushString(operation.describe(in: service))
        return 1
    }

    /// `core.service(module)`: the service's method names, the input members of each operation (by method and
    /// model name) and its paged operations with the member holding their items. Asked for when the script
    /// first requires the module, so a script that never does builds none of it.
    private func pushService(_ L: OpaquePointer) -> Int32 {
        guard let service = optionalString(L, 1).flatMap(ServiceModel.named(module:)) else {
            return raise(L, message: "bad argument #1 to 'service' (service module name expected)")
        }
        let writer = LuaValueWriter(L: L)
        writer.push(.list(service.operations.map { .string($0.luaName) }))
        writer.push(.map(service.operations.flatMap { operation -> [(String, Value)] in
            let members = Value.map((operation.input?.members ?? []).map { ($0.name, .bool(true)) })
            return [(operation.luaName, members), (operation.name, members)]
        }))
        writer.push(.map(service.pagedItems.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        return 3
    }

    private func handleId(_ L: OpaquePointer, _ index: Int32) -> Int? {
        guard lua_type(L, index) == LUA_TUSERDATA, let raw = lua_touserdata(L, index) else { return nil }
        return raw.load(as: Int.self)
    }

    func client(_ L: OpaquePointer, _ index: Int32) -> ClientEntry? {
        handleId(L, index).flatMap { clients[$0] }
    }

    // MARK: errors

    func raise(_ L: OpaquePointer, _ error: ErrorObject) -> Int32 {
        error.push(L, runtime: self)
        return COGSYNC_RAISE
    }

    /// The error the stock interpreter raises on Ctrl-C, here for a request finished in place.
    private func raiseInterrupted(_ L: OpaquePointer) -> Int32 {
        LuaValueWriter(L: L).pushString("interrupted!")
        return COGSYNC_RAISE
    }

    func raise(_ L: OpaquePointer, message: String) -> Int32 {
        luaL_where(L, 1)
        LuaValueWriter(L: L).pushString(message)
        lua_concat(L, 2)
        return COGSYNC_RAISE
    }

    private func optionalString(_ L: OpaquePointer, _ index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        return stringAt(L, index)
    }
}

/// What a finished request id carries back to Lua.
enum Completion {
    /// A call's outcome; a success's table is held by its sink.
    case call(CognitoSyncModel.Operation, CallOutcome, LuaResultSink)
    case timer

    /// The error object of a failed call; nil for a result or a timer.
    var errorObject: ErrorObject? {
        guard case let .call(operation, outcome, _) = self, case let .failure(error) = outcome.result else { return nil }
        return ErrorObject(service: error, operation: operation.name, retryCount: outcome.retryCount,
                           retryQuotaExhausted: outcome.quotaExhausted)
    }
}

/// How a chunk run as a task failed: its error message and traceback, and the tasks that failed unheard.
public struct TaskFailure: Error {
    public let report: String
}

/// A failure to set up the Lua state itself.
public struct LuaRuntimeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Reads the string at `index` (numbers are converted on a copy, so the stack slot is left as it was).
public func stringAt(_ L: OpaquePointer, _ index: Int32) -> String {
    var length = 0
    guard lua_type(L, index) == LUA_TSTRING, let bytes = lua_tolstring(L, index, &length) else {
        return String(cString: lua_typename(L, lua_type(L, index)))
    }
    return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
}

/// The trampoline's way into Swift: `host` is the runtime the state's registry holds (see `cogsync_set_host`).
/// The runtime is borrowed without a retain, so this also works while `close()` runs finalizers from `deinit`.
private let luaDispatch: cogsync_dispatch_fn = { host, state, id in
    guard let host, let state else { return COGSYNC_RAISE }
    return Unmanaged<LuaRuntime>.fromOpaque(host)._withUnsafeGuaranteedRef { $0.dispatch(state, id) }
}
