import CCurlShims
import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel
import CognitoSyncLocal
import CognitoSyncLua
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Runs one `cogsync-lua` invocation the way `lua.c` runs its own: `LUA_INIT`, the `-e`/`-l` actions in
/// order, the script with its `arg` table, then the REPL for `-i`. Each chunk runs as an entry task, so
/// API calls inside it park the chunk while their requests are in flight.
final class Interpreter {
    private let arguments: [String]
    private let commandLine: LuaCommandLine
    private var runtime: LuaRuntime!
    private var localEndpoint: LocalEndpoint?

    init(arguments: [String], commandLine: LuaCommandLine) {
        self.arguments = arguments
        self.commandLine = commandLine
    }

    static func main(_ arguments: [String]) -> Int32 {
        let commandLine: LuaCommandLine
        do {
            commandLine = try LuaCommandLine.parse(arguments) { name in
                ServiceModel.all.contains { $0.operation(named: name) != nil }
            }
        } catch let error as LuaCommandLine.UsageError {
            writeError("cogsync-lua: \(error.message)\n\(LuaCommandLine.usage)\n")
            return 1
        } catch {
            return 1
        }
        if commandLine.help {
            print(LuaCommandLine.usage)
            return 0
        }
        if commandLine.printVersion {
            print(versionLine())
            return 0
        }
        if let describe = commandLine.describe {
            return describeOperations(describe)
        }
        let interpreter = Interpreter(arguments: arguments, commandLine: commandLine)
        return interpreter.run()
    }

    static func versionLine() -> String {
        let curl = String(cString: cogsync_curl_version())
        return "cogsync-lua \(CogsyncVersion.string) (\(String(cString: cogsync_lua_release())), libcurl \(curl))"
    }

    private static func describeOperations(_ name: String?) -> Int32 {
        guard let name else {
            print(ServiceModel.all.map { $0.describeAll() }.joined(separator: "\n"))
            return 0
        }
        for service in ServiceModel.all {
            if let operation = service.operation(named: name) {
                print(operation.describe(in: service))
                return 0
            }
        }
        writeError("cogsync-lua: no operation named \"\(name)\"\n")
        return 1
    }

    private func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        var defaults = HostDefaults()
        defaults.region = commandLine.region
        defaults.endpoint = commandLine.endpointURL
        defaults.profile = commandLine.profile
        defaults.maxRetries = commandLine.maxRetries
        defaults.maxErrors = commandLine.maxErrors
        defaults.retryMode = commandLine.retryMode
        defaults.dryRun = commandLine.dryRun
        if commandLine.local {
            guard startLocalEndpoint(&defaults) else { return 1 }
        }
        defer { localEndpoint?.shutdown() }
        do {
            runtime = try LuaRuntime(defaults: defaults, ignoreEnvironment: commandLine.ignoreEnvironment)
        } catch {
            Self.writeError("cogsync-lua: \(error)\n")
            return 1
        }
        if commandLine.debug { runtime.enableWireTrace { Self.writeError($0) } }
        defer {
            runtime.close()
            if commandLine.stats { Self.writeError(runtime.statsSummary) }
        }
        if commandLine.showVersion {
            print(Self.versionLine())
            fflush(stdout)
        }
        guard createArgTable() else { return 1 }
        if !commandLine.ignoreEnvironment, !runInit() { return 1 }
        for action in commandLine.actions {
            guard runAction(action) else { return 1 }
        }
        if let index = commandLine.scriptIndex {
            guard runScript(at: index) else { return 1 }
        }
        if commandLine.interactive {
            return Repl(runtime: runtime).run() ? 0 : 1
        }
        if commandLine.scriptIndex == nil && !commandLine.executesString && !commandLine.showVersion {
            if isatty(STDIN_FILENO) != 0 {
                print(Self.versionLine())
                fflush(stdout)
                return Repl(runtime: runtime).run() ? 0 : 1
            }
            // Standard input as a chunk with no arguments. lua.c's dofile(NULL) reports a failure here but
            // still exits with success.
            if loadFile(nil) { _ = execute(nargs: 0) }
        }
        return 0
    }

    private func startLocalEndpoint(_ defaults: inout HostDefaults) -> Bool {
        var options = LocalEndpointOptions()
        let key = "AKLOCAL" + Self.randomToken(13).uppercased()
        let secret = Self.randomToken(40)
        options.credentials = [(accessKeyId: key, secret: secret)]
        options.dataFile = commandLine.localData
        do {
            let endpoint = try LocalEndpoint(options: options)
            defaults.endpoint = try endpoint.start()
            localEndpoint = endpoint
        } catch {
            Self.writeError("cogsync-lua: cannot start the local endpoint: \(error)\n")
            return false
        }
        defaults.accessKeyId = key
        defaults.secretAccessKey = secret
        defaults.profile = nil
        if defaults.region == nil { defaults.region = "us-east-1" }
        return true
    }

    private static func randomToken(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }

    /// `arg[0]` is the script, `arg[1...]` its arguments, and the interpreter and its options sit at
    /// negative indices, as in `lua.c`; with no script the interpreter itself is `arg[0]`.
    private func createArgTable() -> Bool {
        let L = runtime.L
        let scriptIndex = commandLine.scriptIndex ?? 0
        lua_createtable(L, Int32(max(0, arguments.count - scriptIndex - 1)), Int32(scriptIndex + 1))
        for (i, argument) in arguments.enumerated() {
            pushString(argument)
            lua_rawseti(L, -2, lua_Integer(i - scriptIndex))
        }
        return setGlobal("arg")
    }

    /// Pops the value at the top into the global `name` (a metamethod on `_G` may run, and fail).
    private func setGlobal(_ name: String) -> Bool {
        guard cogsync_set_global(runtime.L, name) == LUA_OK else { return reportTop() }
        return true
    }

    private func runInit() -> Bool {
        let name = getenv("LUA_INIT_5_4") != nil ? "LUA_INIT_5_4" : "LUA_INIT"
        guard let value = getenv(name) else { return true }
        let code = String(cString: value)
        if code.hasPrefix("@") {
            return loadFile(String(code.dropFirst())) && execute(nargs: 0) != nil
        }
        return loadString(code, chunkName: "=\(name)") && execute(nargs: 0) != nil
    }

    private func runAction(_ action: LuaCommandLine.Action) -> Bool {
        switch action {
        case let .execute(code):
            return loadString(code, chunkName: "=(command line)") && execute(nargs: 0) != nil
        case let .require(module, global):
            // As lua.c does: `require` itself is the chunk run, so its errors read the same, and the global
            // named exactly `global` (dots included) gets its first result.
            let L = runtime.L
            guard cogsync_get_global(L, "require") == LUA_OK else { return reportTop() }
            pushString(module)
            guard let count = execute(nargs: 1) else { return false }
            if count == 0 {
                lua_pushnil(L)
            } else {
                lua_settop(L, lua_gettop(L) - (count - 1))
            }
            return setGlobal(global)
        case .warningsOn:
            lua_warning(runtime.L, "@on", 0)
            return true
        }
    }

    private func runScript(at index: Int) -> Bool {
        let path = arguments[index]
        // `-` is standard input, unless `--` came first: then it names a file.
        let fromStandardInput = path == "-" && arguments[index - 1] != "--"
        if !fromStandardInput {
            guard searchScriptFolder(of: path) else { return false }
        }
        guard loadFile(fromStandardInput ? nil : path) else { return false }
        let L = runtime.L
        let base = lua_gettop(L)
        // The arguments are read from `arg` now, so `-e` may have changed them.
        guard cogsync_script_arguments(L) == LUA_OK else {
            _ = reportTop()
            lua_settop(L, base - 1)
            return false
        }
        return execute(nargs: lua_gettop(L) - base) != nil
    }

    /// Ops repositories keep shared modules beside their scripts, so `require` searches the script's folder
    /// right after `package.preload`, through a searcher of its own; `package.path` and `package.cpath` stay
    /// exactly as lua.c sets them.
    private func searchScriptFolder(of path: String) -> Bool {
        let L = runtime.L
        guard loadString(Self.scriptFolderSearcher, chunkName: "=(script folder)") else { return false }
        if let slash = path.lastIndex(of: "/") {
            pushString(slash == path.startIndex ? "/" : String(path[..<slash]))
        } else {
            pushString(".")
        }
        guard cogsync_pcall(L, 1, 0, 0) == LUA_OK else { return reportTop() }
        return true
    }

    /// Finds `name` in the folder as `package.searchers[2]` and `[3]` find Lua and C modules on their paths,
    /// with the same messages.
    private static let scriptFolderSearcher = #"""
        local folder = ...
        local open, loadfile, loadlib = io.open, loadfile, package.loadlib
        local function search(name, suffixes)
          local base, tried = folder .. "/" .. name:gsub("%.", "/"), {}
          for _, suffix in ipairs(suffixes) do
            local path = base .. suffix
            local file = open(path, "r")
            if file then
              file:close()
              return path
            end
            tried[#tried + 1] = "no file '" .. path .. "'"
          end
          return nil, table.concat(tried, "\n\t")
        end
        local function checked(name, path, loader, err)
          if loader then return loader, path end
          error(string.format("error loading module '%s' from file '%s':\n\t%s", name, path, err), 0)
        end
        local function open_c(path, name)
          local symbol = name:gsub("%.", "_")
          local mark = symbol:find("-", 1, true)
          if mark then
            local loader, err, stage = loadlib(path, "luaopen_" .. symbol:sub(1, mark - 1))
            if loader or stage ~= "init" then return loader, err end
            symbol = symbol:sub(mark + 1)
          end
          return loadlib(path, "luaopen_" .. symbol)
        end
        table.insert(package.searchers, 2, function(name)
          local path, lua_tried = search(name, { ".lua", "/init.lua" })
          if path then return checked(name, path, loadfile(path)) end
          local library, c_tried = search(name, { ".so" })
          if library then return checked(name, library, open_c(library, name)) end
          return lua_tried .. "\n\t" .. c_tried
        end)
        """#

    /// Loads a file (standard input for nil) as a chunk; reports a failure.
    private func loadFile(_ path: String?) -> Bool {
        guard luaL_loadfilex(runtime.L, path, nil) == LUA_OK else { return reportTop() }
        return true
    }

    private func loadString(_ code: String, chunkName: String) -> Bool {
        let status = code.withCString { luaL_loadbufferx(runtime.L, $0, strlen($0), chunkName, nil) }
        guard status == LUA_OK else { return reportTop() }
        return true
    }

    /// Runs the chunk below `nargs` arguments as a task, with Ctrl-C caught as lua.c catches it while a chunk
    /// runs; returns the number of results left on the stack, or nil after reporting the failure.
    private func execute(nargs: Int32) -> Int32? {
        switch runtime.runInterruptible(nargs: nargs) {
        case let .success(count):
            return count
        case let .failure(failure):
            report(failure.report)
            return nil
        }
    }

    private func pushString(_ s: String) {
        _ = s.withCString { lua_pushstring(runtime.L, $0) }
    }

    /// Reports the error message at the top of the stack and pops it; returns false.
    private func reportTop() -> Bool {
        report(errorMessage(runtime.L))
        cogsync_pop(runtime.L, 1)
        return false
    }

    private func report(_ message: String) {
        Self.writeError("cogsync-lua: \(message)\n")
    }

    static func writeError(_ text: String) {
        ConsoleOutput.standardError(text)
    }
}

/// The error value at the top as lua.c prints it: a string or number, else "(null)".
func errorMessage(_ L: OpaquePointer) -> String {
    let type = lua_type(L, -1)
    guard type == LUA_TSTRING || type == LUA_TNUMBER else { return "(null)" }
    var length = 0
    let bytes = lua_tolstring(L, -1, &length)!
    return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
}

extension LuaRuntime {
    /// `runAsTask` with SIGINT caught while the chunk runs (lua.c's docall), and left at its default otherwise.
    func runInterruptible(nargs: Int32) -> Result<Int32, TaskFailure> {
        cogsync_catch_interrupts()
        defer { cogsync_release_interrupts() }
        return runAsTask(nargs: nargs)
    }
}
