import CLua
import CognitoSync
import CognitoSyncModel

/// Pushes `Value`s onto a Lua stack with raw sets only (no metamethods run, so nothing can raise).
///
/// The caller guarantees the one slot the pushed value takes. A table level needs two more while it is filled
/// (a key and a value), so each makes room for them first: a C function is only promised `LUA_MINSTACK` free
/// slots, and writing past them corrupts the state.
struct LuaValueWriter {
    let L: OpaquePointer

    func push(_ value: Value) {
        switch value {
        case .null:
            lua_pushnil(L)
        case let .bool(b):
            lua_pushboolean(L, b ? 1 : 0)
        case let .int(i):
            lua_pushinteger(L, lua_Integer(i))
        case let .double(d):
            lua_pushnumber(L, d)
        case let .string(s):
            pushString(s)
        case let .list(items):
            guard roomForTable() else { return }
            lua_createtable(L, Int32(clamping: items.count), 0)
            for (i, item) in items.enumerated() {
                push(item)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case let .map(entries):
            guard roomForTable() else { return }
            lua_createtable(L, 0, Int32(clamping: entries.count))
            for (key, item) in entries {
                if case .null = item { continue }
                pushString(key)
                push(item)
                lua_rawset(L, -3)
            }
        }
    }

    /// Makes room to fill a table; when the stack cannot grow (only past LUAI_MAXSTACK, a million slots, far
    /// deeper than the JSON reader lets a response nest) pushes nil in its place and returns false.
    private func roomForTable() -> Bool {
        if lua_checkstack(L, 3) != 0 { return true }
        lua_pushnil(L)
        return false
    }

    func pushString(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            _ = buf.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    /// Sets `table[key] = value` on the table at the top of the stack.
    func setField(_ key: String, _ value: Value) {
        pushString(key)
        push(value)
        lua_rawset(L, -3)
    }
}
