import CCogSyncShims
import CLua
import CognitoSyncLua
import Foundation

/// The interactive prompt of `-i`: each line (or group of lines, while a statement is incomplete) runs as
/// a task; expressions print their values, as in the stock interpreter.
struct Repl {
    let runtime: LuaRuntime

    func run() {
        let L = runtime.L
        var pending = ""
        while true {
            writePrompt(pending.isEmpty ? "> " : ">> ")
            guard let line = readLine(strippingNewline: true) else {
                print()
                return
            }
            let code = pending.isEmpty ? line : pending + "\n" + line
            if load("return " + code, keepError: false) || load(code, keepError: true) {
                pending = ""
                lua_getglobal(L, "print")
                cogsync_insert(L, -2)
                let wrapper = "local print, chunk = ...; local r = table.pack(chunk()); if r.n > 0 then print(table.unpack(r, 1, r.n)) end"
                _ = wrapper.withCString { luaL_loadbufferx(L, $0, strlen($0), "=stdin", "t") }
                cogsync_insert(L, -3)
                if let failure = runtime.runAsTask(nargs: 2) {
                    ConsoleOutput.standardError("cogsync-lua: \(failure)\n")
                }
                continue
            }
            let message = stringAt(L, -1)
            cogsync_pop(L, 1)
            if message.hasSuffix("<eof>") {
                pending = code
            } else {
                pending = ""
                ConsoleOutput.standardError("cogsync-lua: \(message)\n")
            }
        }
    }

    /// Compiles `code`; on success leaves the chunk on the stack, on failure the message if `keepError`.
    private func load(_ code: String, keepError: Bool) -> Bool {
        let L = runtime.L
        let status = code.withCString { luaL_loadbufferx(L, $0, strlen($0), "=stdin", "t") }
        if status == LUA_OK { return true }
        if !keepError { cogsync_pop(L, 1) }
        return false
    }

    private func writePrompt(_ prompt: String) {
        ConsoleOutput.standardOutput(prompt)
    }
}
