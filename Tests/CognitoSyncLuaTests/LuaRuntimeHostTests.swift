import CLua
import CognitoSyncLua
import XCTest

/// Each runtime's host functions answer from that runtime: the C trampoline finds its runtime in the registry of
/// the Lua state it is called from, so several runtimes can live in one process.
final class LuaRuntimeHostTests: XCTestCase {
    /// A client made with the runtime's environment (its region), one dry-run call that the runtime's statistics
    /// count, a timer on the runtime's engine, and the client's description.
    private let chunk = """
        local cognitosync = require "cognitosync"
        local cs = cognitosync.new{accessKeyId = "AKID", secretAccessKey = "secret", dryRun = true}
        local result = cs:updateRecords{IdentityPoolId = "us-east-1:0a1b2c3d", IdentityId = "us-east-1:4e5f6a7b",
          DatasetName = "d", SyncSessionToken = "token", RecordPatches = {}}
        assert(result.DryRun)
        cognitosync.sleep(0.001)
        return tostring(cs)
        """

    private func makeRuntime(region: String) throws -> LuaRuntime {
        try LuaRuntime(defaults: HostDefaults(environment: [
            "AWS_REGION": region,
            "AWS_CONFIG_FILE": "/nonexistent/config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]))
    }

    /// Runs `code` as a task in `runtime` and returns its one result as a string.
    private func run(_ runtime: LuaRuntime, _ code: String) throws -> String {
        let L = runtime.L
        let status = code.withCString { luaL_loadbufferx(L, $0, code.utf8.count, "=test", "t") }
        guard status == LUA_OK else {
            defer { lua_settop(L, -2) }
            return "load failed: \(stringAt(L, -1))"
        }
        switch runtime.runAsTask(nargs: 0) {
        case let .success(count):
            defer { lua_settop(L, -count - 1) }
            return count == 1 ? stringAt(L, -1) : "\(count) results"
        case let .failure(failure):
            return "failed: \(failure.report)"
        }
    }

    func testTwoRuntimesAliveAtOnceEachAnswerTheirOwnCalls() throws {
        let first = try makeRuntime(region: "eu-west-1")
        let second = try makeRuntime(region: "ap-south-1")
        // The first runtime made runs first, after the second exists; then the second; then the first again.
        let a1 = try run(first, chunk)
        let b = try run(second, chunk)
        let a2 = try run(first, chunk)
        XCTAssertTrue(a1.contains("(eu-west-1, https://cognito-sync.eu-west-1.amazonaws.com"), a1)
        XCTAssertEqual(a2, a1)
        XCTAssertTrue(b.contains("(ap-south-1, https://cognito-sync.ap-south-1.amazonaws.com"), b)
        // Each runtime's statistics hold its own calls: two dry runs in the first, one in the second.
        XCTAssertEqual(try dryRuns(first), 2)
        XCTAssertEqual(try dryRuns(second), 1)
        first.close()
        second.close()
    }

    func testARuntimeClosedOrReleasedLeavesTheOthersWorking() throws {
        let kept = try makeRuntime(region: "eu-west-1")
        do {
            let closed = try makeRuntime(region: "us-west-2")
            XCTAssertTrue(try run(closed, chunk).contains("(us-west-2,"))
            closed.close()
        }
        do {
            // Released without close(): its deinit closes the state, running the handles' finalizers.
            let released = try makeRuntime(region: "us-east-2")
            XCTAssertTrue(try run(released, chunk).contains("(us-east-2,"))
        }
        let answer = try run(kept, chunk)
        XCTAssertTrue(answer.contains("(eu-west-1,"), answer)
        XCTAssertEqual(try dryRuns(kept), 1)
    }

    /// The dry runs of updateRecords the runtime's `cognitosync.stats()` counted.
    private func dryRuns(_ runtime: LuaRuntime) throws -> Int {
        let answer = try run(runtime, """
            local operation = require("cognitosync").stats().operations.UpdateRecords
            return tostring(operation and operation.dryRuns or 0)
            """)
        return Int(answer) ?? -1
    }
}
