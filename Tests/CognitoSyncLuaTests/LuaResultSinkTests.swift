import CLua
import CognitoSync
import CognitoSyncModel
@testable import CognitoSyncLua
import XCTest

/// A call's result is built as a Lua table straight from the response body; a body that does not fit leaves the
/// Lua stack as it was.
final class LuaResultSinkTests: XCTestCase {
    private var runtime: LuaRuntime!

    override func setUpWithError() throws {
        runtime = try LuaRuntime(defaults: HostDefaults(environment: [
            "AWS_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/nonexistent/config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]))
    }

    override func tearDown() {
        runtime.close()
        runtime = nil
    }

    /// Reads `body` as operation `name`'s response into a sink, then pushes the result and describes it with Lua.
    private func read(_ name: String, _ body: String) throws -> (Result<Void, ServiceError>, String) {
        let L = runtime.L
        let top = lua_gettop(L)
        let sink = LuaResultSink(runtime: runtime)
        let result = try XCTUnwrap(ServiceModel.cognitoSync.operation(named: name))
            .readResponse(status: 200, headers: [], body: Array(body.utf8), into: sink)
        XCTAssertEqual(lua_gettop(L), top, "the result waits in the registry, not on the stack")
        let describe = """
            local function show(v)
              if type(v) ~= "table" then return math.type(v) and math.type(v) .. " " .. tostring(v) or string.format("%q", v) end
              local keys = {}
              for k in pairs(v) do keys[#keys + 1] = k end
              table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
              local parts = {}
              for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. show(v[k]) end
              return "{" .. table.concat(parts, ",") .. "}"
            end
            return show(...)
            """
        XCTAssertEqual(describe.withCString { luaL_loadbufferx(L, $0, describe.utf8.count, "=show", "t") }, LUA_OK)
        sink.push(L)
        XCTAssertEqual(lua_pcallk(L, 1, 1, 0, 0, nil), LUA_OK)
        defer { lua_settop(L, top) }
        return (result, stringAt(L, -1))
    }

    func testTheBodyBecomesATableByTheShape() throws {
        let (result, text) = try read("listRecords", #"""
            {"Count": 2, "DatasetExists": true, "NextToken": null, "Unknown": {"x": [1]},
             "Records": [{"Key": "k\u00e9", "SyncCount": 3.0, "LastModifiedDate": 1.5, "Value": null}, null,
                         {"Key": "b", "Key": "c", "SyncCount": 9223372036854775807}],
             "SyncSessionToken": "s"}
            """#)
        guard case .success = result else { return XCTFail("\(result)") }
        XCTAssertEqual(text, #"{Count=integer 2,DatasetExists=true,Records={1={Key="ké",LastModifiedDate=float 1.5,"#
            + #"SyncCount=integer 3},2={Key="c",SyncCount=integer 9223372036854775807}},SyncSessionToken="s"}"#)
        let (events, eventsText) = try read("getCognitoEvents", #"{"Events": {"SyncTrigger": "arn"}}"#)
        guard case .success = events else { return XCTFail("\(events)") }
        XCTAssertEqual(eventsText, #"{Events={SyncTrigger="arn"}}"#)
    }

    func testALaterNullRemovesAMemberAlreadySet() throws {
        let (result, text) = try read("listRecords", #"{"Count": 1, "NextToken": "t", "Count": null}"#)
        guard case .success = result else { return XCTFail("\(result)") }
        XCTAssertEqual(text, #"{NextToken="t"}"#)
    }

    func testAnEmptyBodyIsAnEmptyTable() throws {
        let (result, text) = try read("listRecords", " ")
        guard case .success = result else { return XCTFail("\(result)") }
        XCTAssertEqual(text, "{}")
    }

    func testAMismatchOrABrokenBodyLeavesNothingBehind() throws {
        let cases = [
            (#"{"Records": [{"Key": "a"}, {"Key": 1}], "Count": 1}"#,
             "response.Records[2].Key: expected string, got integer"),
            // Members after the one that does not fit are still read (the first mismatch in model order is the one
            // reported), into the same table.
            (#"{"Count": "x", "NextToken": "t", "Records": [{"Key": "a", "SyncCount": 1}], "SyncSessionToken": "s"}"#,
             "response.Count: expected integer, got string"),
            (#"{"Records": [{"Key": "a"}, {"Key": "b""#, "response body is not valid JSON: invalid JSON at byte 38"),
            (#"{"Records": [{"Key": "a"}, {"Key": "b"}]}]"#, "response body is not valid JSON: invalid JSON at byte 41"),
        ]
        for (body, expected) in cases {
            let (result, text) = try read("listRecords", body)
            guard case let .failure(error) = result else { return XCTFail("\(body) succeeded") }
            XCTAssertTrue(error.message.hasPrefix(expected), error.message)
            XCTAssertEqual(text, "nil", "no table is held for a failed read")
        }
    }
}
