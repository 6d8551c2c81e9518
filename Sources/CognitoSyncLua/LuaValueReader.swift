import CLua
import CognitoSync
import CognitoSyncModel

/// Converts Lua values into `Value`s for the request path, using only API calls that cannot raise.
///
/// Sequences become lists, string-keyed tables maps, and an empty table an empty map (the model decides
/// later whether it is a list). Paths in errors follow the validation style: `params.RecordPatches[2].Key`.
///
/// Each table level holds a key and a value on the stack while its entries are read, so every level makes room
/// for them first (a C function is only promised `LUA_MINSTACK` free slots, and writing past them corrupts the
/// state), and leaves the stack as it found it, also when it throws.
struct LuaValueReader {
    let L: OpaquePointer
    /// Guards against tables that contain themselves.
    static let maxDepth = 32

    func read(_ index: Int32, path: String) throws -> Value {
        try read(lua_absindex(L, index), path: { path }, depth: 0)
    }

    /// `pathOf` renders the value's path, which only an error needs: building every entry's path up front cost
    /// more than reading the entries.
    private func read(_ index: Int32, path pathOf: () -> String, depth: Int) throws -> Value {
        var path: String { pathOf() }
        switch lua_type(L, index) {
        case LUA_TNIL:
            return .null
        case LUA_TBOOLEAN:
            return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let i = lua_tointegerx(L, index, &isInteger)
            return isInteger != 0 ? .int(Int64(i)) : .double(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            return .string(try string(index, path: pathOf))
        case LUA_TTABLE:
            guard depth < Self.maxDepth else {
                throw ValidationError(code: "InvalidParameterType", path: path,
                                      message: "\(path): tables nested more than \(Self.maxDepth) deep (does a table contain itself?)")
            }
            return try table(index, path: pathOf, depth: depth + 1)
        default:
            let type = String(cString: lua_typename(L, lua_type(L, index)))
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): expected a string, number, boolean or table, got \(type)")
        }
    }

    private func string(_ index: Int32, path: () -> String) throws -> String {
        var length = 0
        guard let bytes = lua_tolstring(L, index, &length) else { return "" }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: length).bindMemory(to: UInt8.self)
        // ASCII needs no validation, which costs more than the copy for the short strings of a request.
        if buffer.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: buffer, as: UTF8.self)
        }
        guard let text = String(validating: buffer, as: UTF8.self) else {
            let path = path()
            throw ValidationError(code: "InvalidParameterType", path: path, message: "\(path): string is not valid UTF-8")
        }
        return text
    }

    private func table(_ index: Int32, path pathOf: () -> String, depth: Int) throws -> Value {
        var path: String { pathOf() }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_checkstack(L, 2) != 0 else {
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): tables nested too deeply for the Lua stack")
        }
        var list: [(Int64, Value)] = []
        var map: [(String, Value)] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { lua_settop(L, -2) }
            let keyType = lua_type(L, -2)
            var isInteger: Int32 = 0
            let n = lua_tointegerx(L, -2, &isInteger)
            if keyType == LUA_TNUMBER && isInteger != 0 {
                list.append((Int64(n), try read(lua_gettop(L), path: { ValuePath.position(pathOf(), Int64(n)) },
                                                depth: depth)))
            } else if keyType == LUA_TSTRING {
                // lua_tolstring on a string key leaves it a string, so lua_next stays valid.
                let key = try string(-2, path: pathOf)
                map.append((key, try read(lua_gettop(L), path: { ValuePath.member(pathOf(), key) }, depth: depth)))
            } else {
                let type = String(cString: lua_typename(L, keyType))
                throw ValidationError(code: "InvalidParameterType", path: path,
                                      message: "\(path): table keys must be strings or list indices, found a \(type) key")
            }
        }
        if !list.isEmpty && !map.isEmpty {
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): table mixes list entries and named members")
        }
        if list.isEmpty {
            // Deterministic member order, whatever order lua_next visits them in.
            map.sort { $0.0 < $1.0 }
            return .map(map)
        }
        // lua_next visits a sequence's array part in order, so there is usually nothing to sort.
        if zip(list, list.dropFirst()).contains(where: { $0.0 > $1.0 }) {
            list.sort { $0.0 < $1.0 }
        }
        for (position, entry) in list.enumerated() where entry.0 != Int64(position + 1) {
            throw ValidationError(code: "InvalidParameterType", path: path,
                                  message: "\(path): list has a gap: index \(position + 1) is missing")
        }
        return .list(list.map { $0.1 })
    }
}
