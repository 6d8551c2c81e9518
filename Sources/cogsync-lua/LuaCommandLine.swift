import CognitoSync

/// The command line of `cogsync-lua`, parsed as the stock `lua` interpreter parses its own (`-e`, `-l`,
/// `-i`, `-v`, `-E`, `-W`, `-`, `--`; options stop at the script name) plus the long options that
/// configure the client.
struct LuaCommandLine: Equatable {
    /// `-e`, `-l` and `-W`, in command-line order.
    enum Action: Equatable {
        case execute(String)
        case require(module: String, global: String)
        case warningsOn
    }

    var actions: [Action] = []
    /// Index in the argument list of the script (`-` for standard input), if any.
    var scriptIndex: Int?
    var interactive = false
    var showVersion = false
    var ignoreEnvironment = false
    var region: String?
    var profile: String?
    var endpointURL: String?
    var maxRetries: Int?
    var maxErrors: Int?
    var retryMode: RetryMode?
    var local = false
    var localData: String?
    var dryRun = false
    var debug = false
    var stats = false
    var describe: String??
    var help = false
    var printVersion = false

    struct UsageError: Error, Equatable {
        let message: String
    }

    static let longOptionsWithValue: Set<String> = ["--region", "--profile", "--endpoint-url", "--max-retries", "--max-errors", "--retry-mode",
                                                          "--local-data"]

    /// Parses `arguments` (without the program name at index 0 removed: `arguments[0]` is the program).
    static func parse(_ arguments: [String], isOperation: (String) -> Bool) throws -> LuaCommandLine {
        var result = LuaCommandLine()
        var i = 1
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--" {
                if i + 1 < arguments.count { result.scriptIndex = i + 1 }
                return result
            }
            if arg == "-" {
                result.scriptIndex = i
                return result
            }
            guard arg.hasPrefix("-") else {
                result.scriptIndex = i
                return result
            }
            if arg.hasPrefix("--") {
                var name = arg
                var inlineValue: String?
                if let eq = arg.firstIndex(of: "=") {
                    name = String(arg[..<eq])
                    inlineValue = String(arg[arg.index(after: eq)...])
                }
                func value() throws -> String {
                    if let inlineValue { return inlineValue }
                    i += 1
                    guard i < arguments.count else { throw UsageError(message: "'\(name)' needs an argument") }
                    return arguments[i]
                }
                switch name {
                case "--region": result.region = try value()
                case "--profile": result.profile = try value()
                case "--endpoint-url": result.endpointURL = try value()
                case "--max-retries":
                    let text = try value()
                    guard let n = Int(text), n >= 0 else {
                        throw UsageError(message: "'--max-retries' needs a non-negative integer, got '\(text)'")
                    }
                    result.maxRetries = n
                case "--max-errors":
                    let text = try value()
                    guard let n = Int(text), n >= 1 else {
                        throw UsageError(message: "'--max-errors' needs a positive integer, got '\(text)'")
                    }
                    result.maxErrors = n
                case "--retry-mode":
                    let text = try value()
                    guard let mode = RetryMode(name: text) else {
                        throw UsageError(message: "'--retry-mode' needs one of \(RetryMode.names), got '\(text)'")
                    }
                    result.retryMode = mode
                case "--local": result.local = true
                case "--local-data":
                    result.localData = try value()
                    result.local = true
                case "--dry-run": result.dryRun = true
                case "--debug": result.debug = true
                case "--stats": result.stats = true
                case "--help": result.help = true
                case "--version": result.printVersion = true
                case "--describe":
                    if let inlineValue {
                        result.describe = .some(inlineValue)
                    } else if i + 1 < arguments.count, isOperation(arguments[i + 1]) {
                        i += 1
                        result.describe = .some(arguments[i])
                    } else {
                        result.describe = .some(nil)
                    }
                default:
                    throw UsageError(message: "unrecognized option '\(arg)'")
                }
                i += 1
                continue
            }
            let flag = arg.dropFirst().first!
            let rest = String(arg.dropFirst(2))
            switch flag {
            case "e", "l":
                var operand = rest
                if operand.isEmpty {
                    i += 1
                    guard i < arguments.count, !arguments[i].hasPrefix("-") else {
                        throw UsageError(message: "'-\(flag)' needs argument")
                    }
                    operand = arguments[i]
                }
                if flag == "e" {
                    result.actions.append(.execute(operand))
                } else if let eq = operand.firstIndex(of: "=") {
                    result.actions.append(.require(module: String(operand[operand.index(after: eq)...]),
                                                   global: String(operand[..<eq])))
                } else {
                    result.actions.append(.require(module: operand, global: operand))
                }
            case "i" where rest.isEmpty:
                result.interactive = true
                result.showVersion = true
            case "v" where rest.isEmpty:
                result.showVersion = true
            case "E" where rest.isEmpty:
                result.ignoreEnvironment = true
            case "W" where rest.isEmpty:
                result.actions.append(.warningsOn)
            default:
                throw UsageError(message: "unrecognized option '\(arg)'")
            }
            i += 1
        }
        return result
    }

    /// Whether a `-e` is given: like a script, it keeps lua.c from reading standard input when no script is.
    var executesString: Bool {
        actions.contains { if case .execute = $0 { return true } else { return false } }
    }

    static let usage = """
        usage: cogsync-lua [options] [script [args]]
        Available options are:
          -e stat   execute string 'stat'
          -i        enter interactive mode after executing 'script'
          -l mod    require library 'mod' into global 'mod'
          -l g=mod  require library 'mod' into global 'g'
          -v        show version information
          -E        ignore environment variables
          -W        turn warnings on
          --        stop handling options
          -         stop handling options and execute stdin
        Client options (before the script):
          --region REGION        AWS region for clients that set none
          --profile NAME         shared config/credentials profile
          --endpoint-url URL     send requests to URL instead of the regional endpoint
          --local                start a local Cognito Sync endpoint in-process and use it
          --local-data FILE      like --local, keeping its state in the SQLite file FILE
          --dry-run              validate and report mutating calls without sending them
          --debug                print every request and response (secrets redacted) to stderr
          --stats                print a summary of the calls made (per operation) to stderr at exit
          --max-retries N        retries per call (default 2: three attempts)
          --max-errors N         once N calls have failed, fail every later call at once (TooManyErrors)
          --retry-mode MODE      batch (default: a shared send-rate controller; throttled requests wait and
                                 are resent), standard or adaptive (the AWS SDKs' modes; legacy = standard)
          --describe [OP]        list the operations, or describe OP's parameters and result
          --help                 show this help
          --version              show versions of cogsync-lua, Lua and libcurl
        """
}
