import CLua
import CognitoSync
import CognitoSyncModel

/// Reads a script's params table straight into a request (`RequestWriter`), with no `Value` tree in between, for
/// the common case: every key a member of its structure, every list a sequence, every value fitting its shape.
/// Anything else (a problem, a map, an unknown name, nesting near the reader's limit) gives nil, and the call takes
/// the full path (`LuaValueReader`, then `ServiceClient.prepare`), which reports exactly what is wrong and where.
/// Like `LuaValueReader` it uses raw accesses and `lua_next` only, and leaves the stack as it found it (`mergeBound`
/// replaces the params it is given, on purpose).
struct LuaRequestReader {
    let L: OpaquePointer

    /// The request for the params at `index` (a table, or nil for none), with the members they leave unset taken
    /// from the client's bound params at `bound` (a table without a metatable), when given.
    func request(_ index: Int32, bound: Int32? = nil, operation: CognitoSyncModel.Operation,
                 validation: ValidationOptions) -> HTTPRequest? {
        guard var writer = RequestWriter(operation: operation, validation: validation) else { return nil }
        let table = lua_absindex(L, index)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let input = operation.input ?? Shape.emptyStructure
        guard case .structure(let members, let required) = input.kind else { return nil }
        let type = lua_type(L, table)
        switch type {
        case LUA_TTABLE, LUA_TNIL:
            // No params (nil) read as an empty table.
            let written = withUnsafeTemporaryAllocation(of: Int32.self, capacity: members.count) { values -> Bool in
                guard presentMembers(type == LUA_TTABLE ? table : nil, members, required, values, bound: bound)
                else { return false }
                for (position, member) in members.enumerated() where values[position] != 0 {
                    let value = values[position]
                    if writer.isBodyMember(member) {
                        writer.beginBodyMember(member)
                        guard write(value, member.shape, depth: 1, &writer) else { return false }
                    } else {
                        guard let scalar = scalar(value), writer.setOutsideBody(scalar, member: member) else {
                            return false
                        }
                    }
                }
                return true
            }
            guard written else { return nil }
        default:
            return nil
        }
        return writer.request()
    }

    /// Finds the members the structure at `table` (nil: none) sets, and then those `bound` sets that it leaves
    /// unset: each one's value is left on the stack, and `values` (one slot per member, by model position) gets its
    /// stack index, or 0 for a member not set. False when a key of `table` is not a member's name or a required
    /// member or URI label is missing. Keys of `bound` that name no member are passed over, as `merge` in
    /// cognitosync.lua does.
    private func presentMembers(
        _ table: Int32?, _ members: [Member], _ required: Set<String>, _ values: UnsafeMutableBufferPointer<Int32>,
        bound: Int32? = nil
    ) -> Bool {
        guard lua_checkstack(L, Int32(members.count) + 3) != 0 else { return false }
        values.initialize(repeating: 0)
        if let table {
            lua_pushnil(L)
            while lua_next(L, table) != 0 {
                guard lua_type(L, -2) == LUA_TSTRING, let position = position(ofKeyIn: members) else {
                    lua_settop(L, -3)
                    return false
                }
                // The value stays, under the key that lua_next goes on from.
                lua_rotate(L, -2, 1)
                values[position] = lua_gettop(L) - 1
            }
        }
        if let bound {
            lua_pushnil(L)
            while lua_next(L, bound) != 0 {
                if lua_type(L, -2) == LUA_TSTRING, let position = position(ofKeyIn: members), values[position] == 0 {
                    lua_rotate(L, -2, 1)
                    values[position] = lua_gettop(L) - 1
                } else {
                    lua_settop(L, -2)
                }
            }
        }
        for (position, member) in members.enumerated() where values[position] == 0 {
            if Self.isMandatory(member, required) { return false }
        }
        return true
    }

    /// The model position of the member named by the string key at -2, compared byte for byte.
    private func position(ofKeyIn members: [Member]) -> Int? {
        var length = 0
        guard let key = lua_tolstring(L, -2, &length) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: key, count: length)
        return members.firstIndex { $0.name.utf8Equals(bytes) }
    }

    /// A member a request cannot go without: a required one or a URI label. The required names are a handful,
    /// compared rather than hashed.
    private static func isMandatory(_ member: Member, _ required: Set<String>) -> Bool {
        if case .uri = member.location { return true }
        return required.contains { $0 == member.name }
    }

    /// A scalar as `LuaValueReader` reads it; nil for a table or anything it would refuse.
    private func scalar(_ index: Int32) -> Value? {
        guard lua_type(L, index) != LUA_TTABLE else { return nil }
        return try? LuaValueReader(L: L).read(index, path: "")
    }

    /// Writes the value at `index` (absolute) as `shape` in the body.
    private func write(_ index: Int32, _ shape: Shape, depth: Int, _ writer: inout RequestWriter) -> Bool {
        switch shape.kind {
        case .structure(let members, let required):
            guard lua_type(L, index) == LUA_TTABLE, depth < LuaValueReader.maxDepth - 1 else { return false }
            let top = lua_gettop(L)
            defer { lua_settop(L, top) }
            return withUnsafeTemporaryAllocation(of: Int32.self, capacity: members.count) { values -> Bool in
                guard presentMembers(index, members, required, values) else { return false }
                writer.beginObject()
                // By position: a `Member` copied out of the array per member cost more than writing its key.
                for position in members.indices where values[position] != 0 {
                    writer.key(members[position].name)
                    guard write(values[position], members[position].shape, depth: depth + 1, &writer) else {
                        return false
                    }
                }
                writer.endObject()
                return true
            }
        case .list(let element, _, _):
            guard lua_type(L, index) == LUA_TTABLE, depth < LuaValueReader.maxDepth - 1,
                  let count = sequenceLength(index), writer.beginArray(count: count, of: shape),
                  lua_checkstack(L, 2) != 0 else { return false }
            for position in 0..<count {
                lua_rawgeti(L, index, lua_Integer(position + 1))
                defer { lua_settop(L, -2) }
                writer.element()
                guard write(lua_gettop(L), element, depth: depth + 1, &writer) else { return false }
            }
            writer.endArray()
            return true
        case .map:
            return false
        default:
            // Strings and integers, nearly every scalar of a request, go in from the stack; the rest, and whatever
            // these refuse, as a `Value`.
            switch lua_type(L, index) {
            case LUA_TSTRING:
                var length = 0
                if let bytes = lua_tolstring(L, index, &length),
                   writer.string(UnsafeRawBufferPointer(start: bytes, count: length), shape: shape) { return true }
            case LUA_TNUMBER where lua_isinteger(L, index) != 0:
                if writer.integer(Int64(lua_tointegerx(L, index, nil)), shape: shape) { return true }
            default:
                break
            }
            guard let value = scalar(index) else { return false }
            return writer.scalar(value, shape: shape)
        }
    }

    /// The length of the sequence at `index`: nil unless its keys are exactly 1...n.
    private func sequenceLength(_ index: Int32) -> Int? {
        guard lua_checkstack(L, 3) != 0 else { return nil }
        let length = Int(lua_rawlen(L, index))
        var keys = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            var isInteger: Int32 = 0
            let key = lua_tointegerx(L, -2, &isInteger)
            guard lua_type(L, -2) == LUA_TNUMBER, isInteger != 0, key >= 1, key <= length else {
                lua_settop(L, -3)
                return nil
            }
            keys += 1
            lua_settop(L, -2)
        }
        return keys == length ? length : nil
    }
}

extension LuaRequestReader {
    /// Puts at `index` one table of the params there (a table or nil) and the bound params at `bound` that fill the
    /// members of `operation`'s input they leave unset: what `merge` in cognitosync.lua makes of tables without
    /// metatables, for the full path to read and report on.
    func mergeBound(_ index: Int32, bound: Int32, operation: CognitoSyncModel.Operation) throws {
        guard lua_checkstack(L, 5) != 0 else {
            throw ValidationError(code: "InvalidParameterType", path: "params",
                                  message: "params: no room on the Lua stack to fill in the client's bound params")
        }
        let members: [Member]
        if case .structure(let inputMembers, _) = operation.input?.kind { members = inputMembers } else { members = [] }
        lua_createtable(L, 0, 0)
        let merged = lua_gettop(L)
        if lua_type(L, index) == LUA_TTABLE {
            copyEntries(from: index, to: merged) { true }
        }
        copyEntries(from: bound, to: merged) {
            guard lua_type(L, -2) == LUA_TSTRING, position(ofKeyIn: members) != nil else { return false }
            lua_pushvalue(L, -2)
            return lua_rawget(L, merged) == LUA_TNIL
        }
        lua_copy(L, merged, index)
        lua_settop(L, merged - 1)
    }

    /// Sets `to[key] = value` for each entry of the table `from` that `take` accepts; `take` sees the key at -2 and
    /// the value at -1, and may push one value, which is dropped.
    private func copyEntries(from: Int32, to: Int32, _ take: () -> Bool) {
        lua_pushnil(L)
        while lua_next(L, from) != 0 {
            let top = lua_gettop(L)
            let taken = take()
            lua_settop(L, top)
            if taken {
                lua_pushvalue(L, -2)
                lua_rotate(L, -2, 1)
                lua_rawset(L, to)
            } else {
                lua_settop(L, -2)
            }
        }
    }
}
