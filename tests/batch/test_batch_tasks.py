"""Tasks: map with failing items, calls inside the script's own coroutines and inside a sort comparator, unhandled
task errors, and the per-client cap on requests in flight."""

from batchkit import lua_string, list_records, write
from testkit import new_id


def test_map_keeps_results_and_reports_every_failed_item(endpoint, lua, pool):
    identities = [new_id() for _ in range(10)]
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s } }
        local identities = %s
        local results, errors = cognitosync.map(identities, function(identity, i)
          if i %% 4 == 0 then
            return cs:describeDataset{ IdentityId = identity, DatasetName = "missing" }
          elseif i == 3 then
            error("item three is bad")
          end
          local token = cs:listRecords{ IdentityId = identity, DatasetName = "d" }.SyncSessionToken
          local written = cs:updateRecords{ IdentityId = identity, DatasetName = "d", SyncSessionToken = token,
            RecordPatches = { { Op = "replace", Key = "n", Value = tostring(i), SyncCount = 0 } } }
          return written.Records[1].Value
        end, { concurrency = 4 })
        local failed = {}
        for i, err in pairs(errors) do failed[#failed + 1] = i end
        table.sort(failed)
        emit("failed", failed)
        local kept = {}
        for i, value in pairs(results) do kept[tostring(i)] = value end
        emit("results", kept)
        emit("notfound", { errors[4].code, errors[4].statusCode, errors[4].operation, errors[8].code })
        emit("plain", tostring(errors[3]))
        print("still running after map")
    """ % (lua_string(pool), "{" + ",".join(lua_string(i) for i in identities) + "}"))
    assert run.returncode == 0, run
    assert run["failed"] == [3, 4, 8]
    assert run["results"] == {str(i): str(i) for i in (1, 2, 5, 6, 7, 9, 10)}
    assert run["notfound"] == ["ResourceNotFoundException", 404, "DescribeDataset", "ResourceNotFoundException"]
    assert "item three is bad" in run["plain"]
    assert "still running after map" in run.lines
    client = endpoint.client()
    for i, identity in enumerate(identities, 1):
        records, _ = list_records(client, pool, identity, "d")
        if i in (3, 4, 8):
            assert records == {}
        else:
            assert records["n"]["Value"] == str(i) and records["n"]["SyncCount"] == 1


def test_api_calls_inside_the_scripts_own_coroutines(endpoint, lua, pool):
    identity = new_id()
    write(endpoint.client(), pool, identity, "d", {"k%d" % i: "v%d" % i for i in range(5)})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s } }

        -- a generator made with coroutine.wrap that calls the API between yields
        local function keys()
          return coroutine.wrap(function()
            for _, record in ipairs(cs:listRecords{ DatasetName = "d" }.Records) do
              coroutine.yield(record.Key)
            end
            coroutine.yield(cs:describeDataset{ DatasetName = "d" }.Dataset.NumRecords)
          end)
        end
        local seen = {}
        for key in keys() do seen[#seen + 1] = key end
        emit("generator", seen)

        -- coroutine.create/resume with calls inside, a value passed in and out, and a nested coroutine
        local co = coroutine.create(function(name)
          local count = cs:describeDataset{ DatasetName = name }.Dataset.NumRecords
          local reply = coroutine.yield(count)
          local inner = coroutine.wrap(function()
            coroutine.yield(cs:listRecords{ DatasetName = name }.DatasetSyncCount)
          end)
          return reply .. ":" .. inner()
        end)
        local ok1, count = coroutine.resume(co, "d")
        local ok2, text = coroutine.resume(co, "back")
        emit("resumed", { ok1, count, ok2, text, coroutine.status(co) })

        -- an API error inside a coroutine comes out of resume as the error object
        local failing = coroutine.create(function() return cs:describeDataset{ DatasetName = "nope" } end)
        local ok3, err = coroutine.resume(failing)
        emit("failing", { ok3, err.code })

        -- the same inside a spawned task, with two tasks' coroutines interleaving
        local function walker(tag)
          local gen = coroutine.wrap(function()
            for i = 1, 3 do coroutine.yield(tag .. i .. "=" .. cs:listRecords{ DatasetName = "d" }.Count) end
          end)
          return gen() .. "," .. gen() .. "," .. gen()
        end
        local a, b = cognitosync.spawn(walker, "a"), cognitosync.spawn(walker, "b")
        emit("tasks", { select(2, a:wait()), select(2, b:wait()) })
    """ % (lua_string(pool), lua_string(identity)))
    assert run.returncode == 0, run
    assert run["generator"] == ["k0", "k1", "k2", "k3", "k4", 5]
    assert run["resumed"] == [True, 5, True, "back:1", "dead"]
    assert run["failing"] == [False, "ResourceNotFoundException"]
    assert run["tasks"] == ["a1=5,a2=5,a3=5", "b1=5,b2=5,b3=5"]


def test_call_from_a_sort_comparator_and_a_gsub_callback(endpoint, lua, pool):
    client = endpoint.client()
    identities = [new_id() for _ in range(4)]
    sizes = [3, 1, 4, 2]
    for identity, size in zip(identities, sizes):
        write(client, pool, identity, "d", {"k%d" % i: "x" for i in range(size)})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, DatasetName = "d" } }
        local identities = %s
        local calls = 0
        local function size(identity)
          calls = calls + 1
          return cs:describeDataset{ IdentityId = identity }.Dataset.NumRecords
        end
        local sorted = { table.unpack(identities) }
        table.sort(sorted, function(a, b) return size(a) < size(b) end)
        local order = {}
        for _, identity in ipairs(sorted) do
          for i, original in ipairs(identities) do if original == identity then order[#order + 1] = i end end
        end
        emit("order", order)
        emit("calls", calls > 0)
        local text = ("@1 @2 @3 @4"):gsub("@(%%d)", function(i) return size(identities[tonumber(i)]) end)
        emit("gsub", text)
        -- the same from inside a task that other tasks run beside
        local other = cognitosync.spawn(function() return size(identities[3]) end)
        local inside = cognitosync.spawn(function()
          local list = { identities[1], identities[2] }
          table.sort(list, function(a, b) return size(a) > size(b) end)
          return list[1] == identities[1]
        end)
        emit("tasks", { select(2, other:wait()), select(2, inside:wait()) })
    """ % (lua_string(pool), "{" + ",".join(lua_string(i) for i in identities) + "}"))
    assert run.returncode == 0, run
    assert run["order"] == [2, 4, 1, 3]
    assert run["calls"] is True
    assert run["gsub"] == "3 1 4 2"
    assert run["tasks"] == [4, True]


def test_call_from_a_module_body_under_require(endpoint, lua, pool, tmp_path):
    identity = new_id()
    write(endpoint.client(), pool, identity, "d", {"a": "1", "b": "2"})
    (tmp_path / "datasetinfo.lua").write_text("""
        local cs = require("cognitosync").new{}
        local dataset = cs:describeDataset{ IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" }.Dataset
        return { records = dataset.NumRecords }
    """ % (lua_string(pool), lua_string(identity)))
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local task = cognitosync.spawn(function() return require("datasetinfo").records end)
        emit("records", { require("datasetinfo").records, select(2, task:wait()) })
    """)
    assert run.returncode == 0, run
    assert run["records"] == [2, 2]


def test_unhandled_task_error_exits_1_after_the_other_tasks_finish(endpoint, lua, pool):
    identity = new_id()
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" } }
        cognitosync.spawn(function()
          cs:describeDataset{ DatasetName = "missing-dataset" }
        end)
        cognitosync.spawn(function()
          cognitosync.sleep(0.3)
          local token = cs:listRecords{}.SyncSessionToken
          cs:updateRecords{ SyncSessionToken = token,
            RecordPatches = { { Op = "replace", Key = "after", Value = "written", SyncCount = 0 } } }
          print("slow task finished")
        end)
        print("main chunk finished")
    """ % (lua_string(pool), lua_string(identity)))
    assert run.returncode == 1, run
    assert "main chunk finished" in run.lines and "slow task finished" in run.lines
    assert "ResourceNotFoundException" in run.stderr and "task failed" in run.stderr
    records, _ = list_records(endpoint.client(), pool, identity, "d")
    assert records["after"]["Value"] == "written"


def test_task_error_returned_by_wait_is_handled(endpoint, lua):
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{}
        local task = cognitosync.spawn(function() error({ code = "Mine" }) end)
        local api = cognitosync.spawn(function()
          return cs:describeIdentityPoolUsage{ IdentityPoolId = "us-east-1:00000000-0000-4000-8000-000000000000" }
        end)
        local ok1, err1 = task:wait()
        local ok2, err2 = api:wait()
        emit("waited", { ok1, err1.code, ok2, err2.code, tostring(task) })
    """)
    assert run.returncode == 0, run
    assert run["waited"] == [False, "Mine", False, "ResourceNotFoundException", "cognitosync.task (failed)"]


def test_task_error_collected_by_a_later_wait_is_handled(endpoint, lua, pool):
    """Tasks spawned first and waited for afterwards: one fails before its wait, the wait returns the error, and
    the run ends with status 0 since nothing went unhandled."""
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, DatasetName = "missing" } }
        local tasks = {}
        for i = 1, 4 do
          tasks[i] = cognitosync.spawn(function()
            return cs:describeDataset{ IdentityId = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) }
          end)
        end
        cognitosync.sleep(0.3)
        local codes = {}
        for i, task in ipairs(tasks) do
          local ok, err = task:wait()
          codes[i] = not ok and err.code
        end
        emit("codes", codes)
    """ % lua_string(pool))
    assert run["codes"] == ["ResourceNotFoundException"] * 4
    assert "task failed" not in run.stderr
    assert run.returncode == 0, run


def test_max_in_flight_caps_requests_on_the_wire(endpoint, lua, start_proxy, pool):
    proxy = start_proxy(endpoint.url)
    script = """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ %s params = { IdentityPoolId = %s, DatasetName = "d" } }
        local ids = {}
        for i = 1, 24 do ids[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
        local results, errors = cognitosync.map(ids, function(id) return cs:listRecords{ IdentityId = id }.Count end,
          { concurrency = 24 })
        emit("ok", errors == nil and #results == 24)
    """
    # The proxy holds the first requests until as many as the cap allows are on the wire together.
    proxy.gather(3)
    run = lua(proxy.url, script % ("maxInFlight = 3,", lua_string(pool)))
    assert run.returncode == 0 and run["ok"], run
    assert proxy.count("ListRecords", 200) == 24
    assert proxy.peak == 3

    # The same work without the cap reaches far more at once (the proxy does see concurrency).
    proxy.gather(16)
    run = lua(proxy.url, script % ("", lua_string(pool)))
    assert run.returncode == 0 and run["ok"], run
    assert proxy.peak >= 16, proxy.peak

    # The cap is per client: two clients with 2 each have 4 on the wire.
    proxy.gather(4)
    run = lua(proxy.url, """
        local cognitosync = require("cognitosync")
        local clients = { cognitosync.new{ maxInFlight = 2 }, cognitosync.new{ maxInFlight = 2 } }
        local items = {}
        for i = 1, 16 do items[i] = i end
        local _, errors = cognitosync.map(items, function(i)
          return clients[i %% 2 + 1]:listRecords{ IdentityPoolId = %s, DatasetName = "d",
            IdentityId = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) }
        end, { concurrency = 16 })
        emit("ok", errors == nil)
    """ % lua_string(pool))
    assert run.returncode == 0 and run["ok"], run
    assert proxy.peak == 4
