#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel

/// Reads the options table of `cognitosync.new{...}` (or `cognitoidentity.new{...}`) into a configured client.
///
/// The names are those of the AWS SDK for JavaScript's service constructors that make sense here,
/// plus `maxInFlight`, `dryRun` and `retryMode`. An unknown name is an error with a suggestion, never ignored.
enum LuaClientOptions {
    static let known = [
        "params", "endpoint", "region", "accessKeyId", "secretAccessKey", "sessionToken", "credentials", "profile",
        "maxRetries", "maxRedirects", "sslEnabled", "paramValidation", "convertResponseTypes", "correctClockSkew",
        "retryDelayOptions", "httpOptions", "logger", "systemClockOffset", "signatureVersion", "signatureCache",
        "apiVersion", "apiVersions", "maxInFlight", "dryRun", "useFipsEndpoint", "useDualstackEndpoint", "retryMode",
    ]

    /// `index` holds the options of `new{...}`, `configIndex` (when not 0) `cognitosync.config`, whose values apply
    /// first; the options' own win. The client speaks `service`.
    static func makeClient(
        _ L: OpaquePointer, index: Int32, configIndex: Int32, service: ServiceModel, runtime: LuaRuntime, number: Int
    ) throws -> ClientEntry {
        let defaults = runtime.defaults
        var settings = ClientSettings()
        settings.service = service
        // Only --local's credentials come from the host directly; the flags arrive through cognitosync.config.
        settings.accessKeyId = defaults.accessKeyId
        settings.secretAccessKey = defaults.secretAccessKey
        var options = ClientOptions()
        var maxRetriesSet = false
        var retryMode: RetryMode?
        var loggerRef: Int32?
        var backoffRef: Int32?
        // A function reference made before a later option fails is released, not leaked.
        func release(_ ref: Int32?) { if let ref { luaL_unref(L, cogsync_registry_index(), ref) } }
        do {
            for (table, prefix) in [(configIndex, "cognitosync.config"), (index, "options")]
            where table != 0 && lua_type(L, table) == LUA_TTABLE {
                let reader = LuaValueReader(L: L)
                // Reading `logger` runs Lua code (the `write` lookup, finalizers), which could change the table
                // lua_next walks and make it raise; a copy no Lua code can reach is walked instead.
                let copy = pushRawCopy(L, table)
                defer { lua_settop(L, copy - 1) }
                lua_pushnil(L)
                while lua_next(L, copy) != 0 {
                    defer { cogsync_pop(L, 1) }
                    guard lua_type(L, -2) == LUA_TSTRING else {
                        throw ValidationError(code: "UnexpectedParameter", path: prefix,
                                              message: "\(prefix): option names are strings")
                    }
                    let name = stringAt(L, -2)
                    let path = "\(prefix).\(name)"
                    let valueIndex = lua_gettop(L)
                    switch name {
                    case "logger":
                        let ref = try loggerFunction(L, valueIndex, path: path)
                        release(loggerRef)
                        loggerRef = ref
                    case "retryDelayOptions":
                        let ref = try readRetryDelayOptions(L, valueIndex, path: path, into: &options, reader: reader)
                        if ref != nil { release(backoffRef); backoffRef = ref }
                    case "params":
                        continue
                    case "retryMode":
                        retryMode = try readRetryMode(try reader.read(valueIndex, path: path), path: path)
                    case "apiVersions":
                        try readAPIVersions(try reader.read(valueIndex, path: path), path: path, service: service)
                    default:
                        if name == "maxRetries" { maxRetriesSet = true }
                        guard known.contains(name) else {
                            let hint = NameSuggestion.closest(to: name, among: known).map { " (did you mean \"\($0)\"?)" }
                                ?? ""
                            throw ValidationError(code: "UnexpectedParameter", path: path,
                                                  message: "\(path): unknown option\(hint)")
                        }
                        try apply(name, try reader.read(valueIndex, path: path), path: path,
                                  settings: &settings, options: &options)
                    }
                }
            }
        } catch {
            release(loggerRef)
            release(backoffRef)
            throw error
        }
        // --dry-run holds for every client: a script cannot turn it off.
        options.dryRun = options.dryRun || defaults.dryRun
        let configuration: ResolvedConfiguration
        let client: ServiceClient
        let environment = defaults.environment ?? ProcessInfo.processInfo.environment
        do {
            configuration = try ConfigurationResolver.resolve(settings, environment: environment,
                                                              inbox: runtime.engine.inbox)
            if !maxRetriesSet, let attempts = configuration.maxAttempts { options.retry.maxRetries = max(0, attempts - 1) }
            options.retryMode = retryMode ?? configuration.retryMode ?? .batch
            if options.transport.caBundle == nil { options.transport.caBundle = configuration.caBundle }
            options.transport.applyEnvironment(environment, endpoint: configuration.endpoint)
            client = try ServiceClient(configuration: configuration, options: options)
        } catch {
            release(loggerRef)
            release(backoffRef)
            throw error
        }
        let entry = ClientEntry(client: client, number: number)

        entry.loggerRef = loggerRef
        entry.backoffRef = backoffRef
        if let ref = backoffRef {
            entry.client.options.retry.customBackoff = { [unowned runtime] count, error, operation throws(ServiceError) in
                try runtime.customBackoff(ref, retryCount: count, error: error, operation: operation)
            }
        }
        return entry
    }

    /// Pushes a shallow copy of the table at `index`, made with raw accesses only (no metamethod runs), and
    /// returns its index.
    private static func pushRawCopy(_ L: OpaquePointer, _ index: Int32) -> Int32 {
        var count: Int32 = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            cogsync_pop(L, 1)
            count += 1
        }
        lua_createtable(L, 0, count)
        let copy = lua_gettop(L)
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            lua_pushvalue(L, -2)
            cogsync_insert(L, -2)
            lua_rawset(L, copy)
        }
        return copy
    }

    /// The `logger` option as a registry reference to a function of one line: the function itself, or for an
    /// object with a `write` method (such as `io.stderr`) a closure that writes the line and a newline.
    private static func loggerFunction(_ L: OpaquePointer, _ index: Int32, path: String) throws -> Int32 {
        let expected = "expected a function or an object with a write method (such as io.stderr)"
        switch lua_type(L, index) {
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
        case LUA_TTABLE, LUA_TUSERDATA:
            // Reading `write` may run an __index metamethod, so it happens in Lua under pcall.
            let adapter = """
                local logger = ...
                local ok, write = pcall(function() return logger.write end)
                if not ok or type(write) ~= "function" then return nil end
                return function(line) logger:write(line .. "\\n") end
                """
            guard adapter.withCString({ luaL_loadbufferx(L, $0, adapter.utf8.count, "=logger", "t") }) == LUA_OK else {
                cogsync_pop(L, 1)
                throw ValidationError(code: "InvalidParameterType", path: path, message: expected)
            }
            lua_pushvalue(L, index)
            guard cogsync_pcall(L, 1, 1, 0) == LUA_OK, lua_type(L, -1) == LUA_TFUNCTION else {
                cogsync_pop(L, 1)
                throw ValidationError(code: "InvalidParameterType", path: path, message: expected)
            }
        default:
            throw ValidationError(code: "InvalidParameterType", path: path, message: expected)
        }
        return luaL_ref(L, cogsync_registry_index())
    }

    private static func checkAPIVersion(_ value: Value, _ path: String, service: ServiceModel) throws {
        let version = try string(value, path)
        guard version == service.apiVersion || version == "latest" else {
            throw ValidationError(code: "InvalidParameter", path: path,
                                  message: "\(path): only \"\(service.apiVersion)\" (or \"latest\") is supported")
        }
    }

    /// `apiVersions = { cognitosync = "2014-06-30" }`, as `AWS.config.apiVersions`: the entry of the client's
    /// module is checked as `apiVersion` is; other services' entries are left to their modules.
    private static func readAPIVersions(_ value: Value, path: String, service: ServiceModel) throws {
        guard case let .map(entries) = value else {
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): expected a table of API versions by service, such as { \(service.module) = \"\(service.apiVersion)\" }")
        }
        for (name, version) in entries {
            if name == service.module {
                try checkAPIVersion(version, "\(path).\(name)", service: service)
            } else {
                _ = try string(version, "\(path).\(name)")
            }
        }
    }

    private static func readRetryMode(_ value: Value, path: String) throws -> RetryMode {
        let name = try string(value, path)
        guard let mode = RetryMode(name: name) else {
            throw ValidationError(code: "InvalidParameter", path: path,
                                  message: "\(path): must be one of \(RetryMode.names), got \"\(name)\"")
        }
        return mode
    }

    private static func readRetryDelayOptions(_ L: OpaquePointer, _ index: Int32, path: String,
                                              into options: inout ClientOptions, reader: LuaValueReader) throws -> Int32? {
        guard lua_type(L, index) == LUA_TTABLE else {
            throw ValidationError(code: "InvalidParameterType", path: path, message: "\(path): expected a table")
        }
        var ref: Int32?
        var succeeded = false
        // A customBackoff read before a later entry fails is released, not leaked.
        defer { if let ref, !succeeded { luaL_unref(L, cogsync_registry_index(), ref) } }
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { cogsync_pop(L, 1) }
            let name = lua_type(L, -2) == LUA_TSTRING ? stringAt(L, -2) : "?"
            switch name {
            case "base":
                options.retry.base = try backoffBase(reader.read(-1, path: "\(path).base"), "\(path).base")
            case "customBackoff":
                guard lua_type(L, -1) == LUA_TFUNCTION else {
                    throw ValidationError(code: "InvalidParameterType", path: "\(path).customBackoff",
                                          message: "\(path).customBackoff: expected a function(retryCount, err) returning milliseconds")
                }
                lua_pushvalue(L, -1)
                ref = luaL_ref(L, cogsync_registry_index())
            default:
                throw ValidationError(code: "UnexpectedParameter", path: "\(path).\(name)",
                                      message: "\(path).\(name): unknown option (expected base or customBackoff)")
            }
        }
        succeeded = true
        return ref
    }

    private static func apply(_ name: String, _ value: Value, path: String, settings: inout ClientSettings,
                              options: inout ClientOptions) throws {
        switch name {
        case "endpoint": settings.endpoint = try string(value, path)
        case "region": settings.region = try string(value, path)
        case "accessKeyId": settings.accessKeyId = try string(value, path)
        case "secretAccessKey": settings.secretAccessKey = try string(value, path)
        case "sessionToken": settings.sessionToken = try string(value, path)
        case "profile": settings.profile = try string(value, path)
        case "credentials":
            guard case let .map(fields) = value else {
                throw ValidationError(code: "InvalidParameterType", path: path,
                                      message: "\(path): expected a table with accessKeyId, secretAccessKey and sessionToken")
            }
            for (key, field) in fields {
                let fieldPath = "\(path).\(key)"
                switch key {
                case "accessKeyId": settings.accessKeyId = try string(field, fieldPath)
                case "secretAccessKey": settings.secretAccessKey = try string(field, fieldPath)
                case "sessionToken": settings.sessionToken = try string(field, fieldPath)
                default:
                    throw ValidationError(code: "UnexpectedParameter", path: fieldPath,
                                          message: "\(fieldPath): unknown credential field (expected accessKeyId, secretAccessKey, sessionToken)")
                }
            }
        case "maxRetries": options.retry.maxRetries = try integer(value, path, min: 0)
        case "maxRedirects": options.transport.maxRedirects = try integer(value, path, min: 0)
        case "maxInFlight": options.maxInFlight = try integer(value, path, min: 1)
        case "sslEnabled": settings.sslEnabled = try bool(value, path)
        case "correctClockSkew": options.correctClockSkew = try bool(value, path)
        case "dryRun": options.dryRun = try bool(value, path)
        case "systemClockOffset": options.systemClockOffset = try clockOffset(value, path)
        case "useFipsEndpoint": settings.useFIPS = try bool(value, path)
        case "useDualstackEndpoint": settings.useDualStack = try bool(value, path)
        case "paramValidation": options.validation = try validation(value, path)
        case "httpOptions": try httpOptions(value, path, &options)
        case "convertResponseTypes", "signatureCache":
            // Responses are always typed by the model and signing keys are always cached; false is refused
            // rather than silently ignored.
            guard try bool(value, path) else {
                throw ValidationError(code: "InvalidParameter", path: path, message: "\(path): only true is supported")
            }
        case "signatureVersion":
            guard try string(value, path) == "v4" else {
                throw ValidationError(code: "InvalidParameter", path: path, message: "\(path): only \"v4\" is supported")
            }
        case "apiVersion":
            try checkAPIVersion(value, path, service: settings.service)
        default:
            throw ValidationError(code: "UnexpectedParameter", path: path, message: "\(path): unknown option")
        }
    }

    private static func httpOptions(_ value: Value, _ path: String, _ options: inout ClientOptions) throws {
        guard case let .map(fields) = value else {
            throw ValidationError(code: "InvalidParameterType", path: path, message: "\(path): expected a table")
        }
        for (key, field) in fields {
            let fieldPath = "\(path).\(key)"
            switch key {
            case "proxy": options.transport.proxy = try string(field, fieldPath)
            case "connectTimeout": options.transport.connectTimeout = try timeLimit(field, fieldPath)
            case "timeout": options.transport.timeout = try timeLimit(field, fieldPath)
            default:
                throw ValidationError(code: "UnexpectedParameter", path: fieldPath,
                                      message: "\(fieldPath): unknown option (expected proxy, connectTimeout or timeout)")
            }
        }
    }

    private static func validation(_ value: Value, _ path: String) throws -> ValidationOptions {
        if case let .bool(on) = value { return on ? .all : .none }
        guard case let .map(fields) = value else {
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): expected a boolean or a table like {min = true, pattern = false}")
        }
        var options = ValidationOptions()
        for (key, field) in fields {
            let on = try bool(field, "\(path).\(key)")
            switch key {
            case "min": options.min = on
            case "max": options.max = on
            case "pattern": options.pattern = on
            case "enum": options.enumeration = on
            default:
                throw ValidationError(code: "UnexpectedParameter", path: "\(path).\(key)",
                                      message: "\(path).\(key): unknown check (expected min, max, pattern or enum)")
            }
        }
        return options
    }

    private static func string(_ value: Value, _ path: String) throws -> String {
        guard case let .string(s) = value else { throw typeError(path, "a string", value) }
        return s
    }

    private static func bool(_ value: Value, _ path: String) throws -> Bool {
        guard case let .bool(b) = value else { throw typeError(path, "a boolean", value) }
        return b
    }

    private static func integer(_ value: Value, _ path: String, min: Int) throws -> Int {
        guard case let .int(i) = value else { throw typeError(path, "an integer", value) }
        guard i >= min else {
            throw ValidationError(code: "MinRangeError", path: path, message: "\(path): must be at least \(min), got \(i)")
        }
        return Int(i)
    }

    static func typeError(_ path: String, _ expected: String, _ value: Value) -> ValidationError {
        ValidationError(code: "InvalidParameterType", path: path, message: "\(path): expected \(expected), got \(value.luaTypeName)")
    }
}
