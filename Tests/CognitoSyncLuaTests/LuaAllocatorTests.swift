import CLua
import CognitoSyncLua
import XCTest

/// A Lua state's memory comes from its own allocator (small blocks from size-class free lists, large ones from
/// malloc, moving between the two as they grow and shrink): whatever Lua builds, moves and frees keeps its contents.
final class LuaAllocatorTests: XCTestCase {
    /// Strings of every length up to 700 bytes (either side of the small-block limit), tables grown element by
    /// element past it and emptied again, full collections in between so freed blocks are handed out again; then
    /// every value is checked.
    private let chunk = """
        local function text(n, seed)
          local bytes = {}
          for i = 1, n do bytes[i] = string.char(33 + (i * 7 + seed) % 90) end
          return table.concat(bytes)
        end
        local strings, tables = {}, {}
        for round = 1, 3 do
          for n = 1, 700 do strings[n] = text(n, round) end
          for t = 1, 40 do
            local list = {}
            for i = 1, t * 13 do list[i] = i * round end
            for i = 1, t * 13, 2 do list[i] = nil end
            for i = 1, t * 13, 2 do list[i] = -i end
            local record = {}
            for i = 1, t do record["k" .. i] = text(i, t) end
            tables[t] = {list = list, record = record}
          end
          collectgarbage("collect")
        end
        for n = 1, 700 do
          if strings[n] ~= text(n, 3) then return "string of " .. n .. " bytes changed" end
        end
        for t = 1, 40 do
          local list, record = tables[t].list, tables[t].record
          for i = 1, t * 13 do
            local want = i % 2 == 1 and -i or i * 3
            if list[i] ~= want then return "list " .. t .. " element " .. i .. " changed" end
          end
          for i = 1, t do
            if record["k" .. i] ~= text(i, t) then return "record " .. t .. " member " .. i .. " changed" end
          end
        end
        return "ok"
        """

    func testWhatLuaBuildsKeepsItsContentsAcrossGrowthShrinkingAndReuse() throws {
        let runtime = try LuaRuntime(defaults: HostDefaults(environment: [:]))
        defer { runtime.close() }
        let L = runtime.L
        XCTAssertEqual(chunk.withCString { luaL_loadbufferx(L, $0, chunk.utf8.count, "=test", "t") }, LUA_OK)
        XCTAssertEqual(lua_pcallk(L, 0, 1, 0, 0, nil), LUA_OK)
        XCTAssertEqual(String(cString: lua_tolstring(L, -1, nil)), "ok")
        lua_settop(L, -2)
    }
}
