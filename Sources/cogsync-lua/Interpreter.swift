import CCogSyncShims
import CLua
import CognitoSync
import CognitoSyncModel
import CognitoSyncLocal
import CognitoSyncLua
import Foundation

/// Runs one `cogsync-lua` invocation the way `lua.c` runs its own: `LUA_INIT`, the `-e`/`-l` actions in
/// order, the script with its `arg` table, then the REPL for `-i`. Each chunk runs as an entry task, so
/// API calls inside it park the chunk while their requests are in flight.
final class Interpreter {
    private let arguments: [String]
    private let commandLine: LuaCommandLine
    private let environment: [String: String]
    private var runtime: LuaRuntime!
    private var localEndpoint: LocalEndpoint?

    init(arguments: [String], commandLine: LuaCommandLine, environment: [String: String]) {
        self.arguments = arguments
        self.commandLine = commandLine
        self.environment = environment
    }

    static func main(_ arguments: [String]) -> Int32 {
        let commandLine: LuaCommandLine
        do {
            commandLine = try LuaCommandLine.parse(arguments) { ServiceModel.operation(named: $0) != nil }
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
        let interpreter = Interpreter(arguments: arguments, commandLine: commandLine,
                                      environment: ProcessInfo.processInfo.environment)
        return interpreter.run()
    }

    static func versionLine() -> String {
        let curl = String(cString: cogsync_curl_version())
        return "cogsync-lua \(CogsyncVersion.string) (\(String(cString: cogsync_lua_release())), libcurl \(curl))"
    }

    private static func describeOperations(_ name: String?) -> Int32 {
        guard let name else {
            print(ServiceModel.describeAll())
            return 0
        }
        guard let operation = ServiceModel.operation(named: name) else {
            writeError("cogsync-lua: no operation named \"\(name)\"\n")
            return 1
        }
        print(operation.describe())
        return 0
    }

    private func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        var defaults = HostDefaults(environment: environment)
        defaults.region = commandLine.region
        defaults.endpoint = commandLine.endpointURL
        defaults.profile = commandLine.profile
        defaults.maxRetries = commandLine.maxRetries
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
        let L = runtime.L
        if commandLine.warnings { lua_warning(L, "@on", 0) }
        createArgTable()
        if commandLine.showVersion {
            print(Self.versionLine())
            fflush(stdout)
        }
        if !commandLine.ignoreEnvironment, !runInit() { return 1 }
        for action in commandLine.actions {
            guard runAction(action) else { return 1 }
        }
        if let index = commandLine.scriptIndex {
            guard runScript(at: index) else { return 1 }
        }
        if commandLine.interactive {
            Repl(runtime: runtime).run()
        } else if commandLine.scriptIndex == nil && commandLine.actions.isEmpty && !commandLine.showVersion {
            if isatty(STDIN_FILENO) != 0 {
                print(Self.versionLine())
                fflush(stdout)
                Repl(runtime: runtime).run()
            } else {
                guard runScript(at: nil) else { return 1 }
            }
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
    /// negative indices, as in `lua.c`.
    private func createArgTable() {
        let L = runtime.L
        let scriptIndex = commandLine.scriptIndex ?? arguments.count
        lua_createtable(L, Int32(max(0, arguments.count - scriptIndex - 1)), Int32(scriptIndex + 1))
        for (i, argument) in arguments.enumerated() {
            pushString(argument)
            lua_rawseti(L, -2, lua_Integer(i - scriptIndex))
        }
        lua_setglobal(L, "arg")
    }

    private func runInit() -> Bool {
        let name = environment["LUA_INIT_5_4"] != nil ? "LUA_INIT_5_4" : "LUA_INIT"
        guard let code = environment[name] else { return true }
        if code.hasPrefix("@") {
            return runFile(String(code.dropFirst()), arguments: [])
        }
        return runString(code, chunkName: "=\(name)")
    }

    private func runAction(_ action: LuaCommandLine.Action) -> Bool {
        switch action {
        case let .execute(code):
            return runString(code, chunkName: "=(command line)")
        case let .require(module, global):
            // As in lua.c: the global named exactly `global` (dots included) gets `require(module)`; run as a task
            // like any other chunk.
            let code = "local global, module = ...; _G[global] = require(module)"
            return load(code, chunkName: "=(command line)") && call(arguments: [global, module])
        }
    }

    private func runScript(at index: Int?) -> Bool {
        let path = index.map { arguments[$0] }
        let scriptArguments = index.map { Array(arguments[($0 + 1)...]) } ?? []
        if let path, path != "-" {
            addScriptDirectoryToPath(path)
            return runFile(path, arguments: scriptArguments)
        }
        return runFile(nil, arguments: scriptArguments)
    }

    /// Ops repositories keep shared modules beside their scripts, so the script's folder is searched first.
    private func addScriptDirectoryToPath(_ path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = directory.isEmpty ? "." : directory
        let L = runtime.L
        lua_getglobal(L, "package")
        for (field, patterns) in [("path", ["?.lua", "?/init.lua"]), ("cpath", ["?.so"])] {
            pushString(field)
            lua_rawget(L, -2)
            let current = stringAt(L, -1)
            cogsync_pop(L, 1)
            let added = patterns.map { "\(prefix)/\($0)" }.joined(separator: ";")
            _ = cogsync_set_package_field(L, field, "\(added);\(current)")
        }
        cogsync_pop(L, 1)
    }

    private func runFile(_ path: String?, arguments: [String]) -> Bool {
        let L = runtime.L
        let status = luaL_loadfilex(L, path, nil)
        guard status == LUA_OK else {
            report(stringAt(L, -1))
            cogsync_pop(L, 1)
            return false
        }
        return call(arguments: arguments)
    }

    private func runString(_ code: String, chunkName: String) -> Bool {
        load(code, chunkName: chunkName) && call(arguments: [])
    }

    private func load(_ code: String, chunkName: String) -> Bool {
        let L = runtime.L
        let status = code.withCString { luaL_loadbufferx(L, $0, strlen($0), chunkName, nil) }
        guard status == LUA_OK else {
            report(stringAt(L, -1))
            cogsync_pop(L, 1)
            return false
        }
        return true
    }

    /// Runs the chunk at the top of the stack with `arguments` as its varargs.
    private func call(arguments: [String]) -> Bool {
        for argument in arguments { pushString(argument) }
        cogsync_catch_interrupts()
        defer { cogsync_release_interrupts() }
        if let failure = runtime.runAsTask(nargs: Int32(arguments.count)) {
            report(failure)
            return false
        }
        return true
    }

    private func pushString(_ s: String) {
        _ = s.withCString { lua_pushstring(runtime.L, $0) }
    }

    private func report(_ message: String) {
        Self.writeError("cogsync-lua: \(message)\n")
    }

    static func writeError(_ text: String) {
        ConsoleOutput.standardError(text)
    }
}
