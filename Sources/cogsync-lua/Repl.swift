import CLua
import CLuaShims
import CReadline
import CognitoSyncLua
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// The read-eval-print loop of `-i` (or of no script on a terminal), as lua.c's: `_PROMPT` and `_PROMPT2`,
/// a line tried first as an expression, continuation lines while a statement is incomplete, `=expr`, values
/// printed with the global `print`, and errors without the program name. Each statement runs as a task. On a
/// terminal lines are read with readline (editing, and history for the session); otherwise plainly.
struct Repl {
    let runtime: LuaRuntime
    private let editing = isatty(STDIN_FILENO) != 0

    init(runtime: LuaRuntime) {
        self.runtime = runtime
    }

    private enum Input {
        case line([UInt8])
        /// The end of input, with the prompt shown for it (nil for the default).
        case end(prompt: [UInt8]?)
    }

    private enum Statement {
        case loaded
        case failed(String)
        case endOfInput
        case promptFailed
    }

    /// Returns false when a prompt could not be made: lua.c ends with a failure then.
    func run() -> Bool {
        if editing { cogsync_readline_init() }
        while true {
            switch loadStatement() {
            case .loaded:
                evaluate()
            case let .failed(message):
                writeError(message)
            case .endOfInput:
                ConsoleOutput.standardOutput("\n")
                return true
            case .promptFailed:
                return false
            }
        }
    }

    private var L: OpaquePointer { runtime.L }

    /// Reads and compiles one statement, leaving its chunk on the stack when `.loaded`.
    private func loadStatement() -> Statement {
        guard let input = read(firstLine: true) else { return .promptFailed }
        guard case var .line(line) = input else { return .endOfInput }
        if line.first == UInt8(ascii: "=") {
            line = Array("return ".utf8) + line.dropFirst()
        }
        if compile(Array("return ".utf8) + line + [UInt8(ascii: ";")]) == LUA_OK {
            if !line.isEmpty { remember(line) }
            return .loaded
        }
        cogsync_pop(L, 1)
        var buffer = line
        while true {
            let status = compile(buffer)
            guard status == LUA_ERRSYNTAX, errorMessage(L).hasSuffix("<eof>") else {
                remember(buffer)
                if status == LUA_OK { return .loaded }
                defer { cogsync_pop(L, 1) }
                return .failed(errorMessage(L))
            }
            cogsync_pop(L, 1)
            guard let input = read(firstLine: false) else { return .promptFailed }
            guard case let .line(next) = input else {
                remember(buffer)
                // What lua.c reports here is what its prompt left on the stack: the custom continuation
                // prompt, or nil, printed as "(null)".
                guard case let .end(prompt) = input, let prompt else { return .failed("(null)") }
                return .failed(String(decoding: prompt, as: UTF8.self))
            }
            buffer += [UInt8(ascii: "\n")] + next
        }
    }

    /// Runs the chunk at the top and prints what it returns.
    private func evaluate() {
        switch runtime.runInterruptible(nargs: 0) {
        case let .success(count):
            if count > 0, cogsync_print_values(L, count) != LUA_OK {
                writeError(errorMessage(L))
                cogsync_pop(L, 1)
            }
        case let .failure(failure):
            writeError(failure.report)
        }
    }

    private func compile(_ code: [UInt8]) -> Int32 {
        code.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, "=stdin", nil) }
        }
    }

    /// Shows the prompt and reads a line without its newline; nil when the prompt failed (reported).
    private func read(firstLine: Bool) -> Input? {
        guard cogsync_prompt(L, firstLine ? 1 : 0) == LUA_OK else {
            writeError(errorMessage(L))
            cogsync_pop(L, 1)
            return nil
        }
        let custom: [UInt8]? = lua_type(L, -1) == LUA_TNIL ? nil : Array(errorMessage(L).utf8)
        cogsync_pop(L, 1)
        let prompt = custom ?? Array((firstLine ? "> " : ">> ").utf8)
        if editing {
            let raw = (prompt + [0]).withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { cogsync_readline($0.baseAddress) }
            }
            guard let raw else { return .end(prompt: custom) }
            defer { free(raw) }
            return .line(Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))))
        }
        fwrite(prompt, 1, prompt.count, stdout)
        fflush(stdout)
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, stdin)
        guard count >= 0, let buffer else { return .end(prompt: custom) }
        var line = Array(UnsafeRawBufferPointer(start: buffer, count: count))
        if line.last == UInt8(ascii: "\n") { line.removeLast() }
        return .line(line)
    }

    /// Keeps a statement in the session's history.
    private func remember(_ line: [UInt8]) {
        guard editing else { return }
        (line + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cogsync_add_history($0.baseAddress) }
        }
    }

    private func writeError(_ message: String) {
        ConsoleOutput.standardError(message + "\n")
    }
}
