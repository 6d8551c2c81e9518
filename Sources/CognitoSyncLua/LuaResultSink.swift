import CLua
import CLuaShims
import CognitoSync
import CognitoSyncModel

/// Builds one call's result as a Lua table straight from the response body, with raw sets only (no metamethods
/// run, so nothing can raise), and keeps it in the registry until the task that made the call takes it.
///
/// The engine reads the response inside a host function (`poll` or a call finished in place), so the table is
/// built on the stack of the thread running it. Each table level makes room for a key and a value first: a C
/// function is only promised `LUA_MINSTACK` free slots, and writing past them corrupts the state.
final class LuaResultSink: ResponseSink {
    private unowned let runtime: LuaRuntime
    /// Held strongly (it holds nothing that leads back to the runtime), so a structure's names are found without
    /// going through the runtime: an unowned reference is a pair of atomic operations each time it is used.
    private let memberNames: MemberNames
    /// The thread the table is built on, and its stack top before it.
    private var L: OpaquePointer?
    private var base: Int32 = 0
    /// For each open container (none while no result is being built), where its member names start in the runtime's `MemberNames` (-1 for a list or map).
    private var frames: [Int] = []
    /// The registry reference of the finished table.
    private var ref: Int32?

    init(runtime: LuaRuntime) {
        self.runtime = runtime
        memberNames = runtime.memberNames
    }

    /// Pushes the result onto `L` and releases its reference; nil when there is none.
    func push(_ L: OpaquePointer) {
        guard let ref else {
            lua_pushnil(L)
            return
        }
        self.ref = nil
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
        luaL_unref(L, cogsync_registry_index(), ref)
    }

    /// While a result is built, the table of member names sits just above `base`, under the result.
    private var names: Int32 { base + 1 }

    private func begin(array: Int32, record: Int32) -> Bool {
        if frames.isEmpty {
            L = runtime.currentThread
            base = lua_gettop(L)
            guard let L, lua_checkstack(L, 4) != 0 else { return false }
            memberNames.push(L)
        }
        guard let L, lua_checkstack(L, 3) != 0 else { return false }
        lua_createtable(L, array, record)
        return true
    }

    func beginStructure(_ shape: Shape) -> Bool {
        guard case .structure(let members, _) = shape.kind, begin(array: 0, record: Int32(clamping: members.count)),
              let L else { return false }
        frames.append(memberNames.offset(of: shape, members: members, table: names, L))
        return true
    }

    func beginList() -> Bool {
        beginWithoutNames()
    }

    func beginMap() -> Bool {
        beginWithoutNames()
    }

    /// A list or a map: its keys are not member names.
    private func beginWithoutNames() -> Bool {
        guard begin(array: 0, record: 0) else { return false }
        frames.append(-1)
        return true
    }

    func end() {
        frames.removeLast()
        if frames.isEmpty, let L {
            ref = luaL_ref(L, cogsync_registry_index())
            lua_settop(L, base)
        }
    }

    func discard() {
        frames.removeLast()
        cogsync_pop(L, 1)
        if frames.isEmpty { lua_settop(L, base) }
    }

    /// Also releases a finished table: the body's value can be whole and what follows it still not JSON.
    func reset() {
        if let L {
            if let ref { luaL_unref(L, cogsync_registry_index(), ref) }
            lua_settop(L, base)
        }
        ref = nil
        frames.removeAll(keepingCapacity: true)
    }

    func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
    }

    func integer(_ value: Int64) {
        lua_pushinteger(L, lua_Integer(value))
    }

    func number(_ value: Double) {
        lua_pushnumber(L, value)
    }

    func boolean(_ value: Bool) {
        lua_pushboolean(L, value ? 1 : 0)
    }

    /// The name goes on the stack before the value, so storing it needs no rotation.
    func beginMember(_ index: Int) {
        pushName(index)
    }

    func abandonMember() {
        cogsync_pop(L, 1)
    }

    func setMember(_ index: Int) {
        lua_rawset(L, -3)
    }

    func clearMember(_ index: Int) {
        pushName(index)
        lua_pushnil(L)
        lua_rawset(L, -3)
    }

    func setElement(_ position: Int) {
        lua_rawseti(L, -2, lua_Integer(position))
    }

    func setEntry(_ key: UnsafeBufferPointer<UInt8>) {
        string(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, -3)
    }

    /// Pushes the name of member `index` of the structure being built.
    private func pushName(_ index: Int) {
        lua_rawgeti(L, names, lua_Integer(frames[frames.count - 1] + index + 1))
    }
}
