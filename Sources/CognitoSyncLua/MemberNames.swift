import CLua
import CLuaShims
import CognitoSyncModel

/// The member names of the output shapes as Lua strings, made once per Lua state and kept in one table in the
/// registry: a result table's keys are fetched from it by number instead of being hashed into Lua's string table
/// member by member, which cost more than the rest of storing a member.
final class MemberNames {
    private var ref = LUA_NOREF
    /// Where each shape's names start in the table; the shape is held so its address is never reused by another.
    private var offsets: [ObjectIdentifier: (shape: Shape, offset: Int)] = [:]
    private var count = 0
    /// The shape asked for last and its offset: a response's structures are mostly of one shape (its records).
    private var last: (shape: ObjectIdentifier, offset: Int)?

    /// Pushes the table of names (one free stack slot needed).
    func push(_ L: OpaquePointer) {
        if ref == LUA_NOREF {
            lua_createtable(L, 64, 0)
            ref = luaL_ref(L, cogsync_registry_index())
        }
        lua_rawgeti(L, cogsync_registry_index(), lua_Integer(ref))
    }

    /// The position before `shape`'s first member name in the table at stack index `table`, where the names are
    /// added the first time the shape is seen (one free stack slot needed). Member `i` is at offset + i + 1.
    func offset(of shape: Shape, members: [Member], table: Int32, _ L: OpaquePointer) -> Int {
        let id = ObjectIdentifier(shape)
        if let last, last.shape == id { return last.offset }
        if let known = offsets[id] {
            last = (id, known.offset)
            return known.offset
        }
        let offset = count
        let writer = LuaValueWriter(L: L)
        for (index, member) in members.enumerated() {
            writer.pushString(member.name)
            lua_rawseti(L, table, lua_Integer(offset + index + 1))
        }
        count += members.count
        offsets[id] = (shape, offset)
        last = (id, offset)
        return offset
    }
}
