"""patchRecords: many identities through throttles and lost responses, and conflicts with a concurrent writer."""

from batchkit import lua_string, list_records, write
from testkit import new_id

PATCH_SCRIPT = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ maxRetries = 10, params = { IdentityPoolId = %s, DatasetName = "profile" } }
    local identities = %s
    local results, errors = cognitosync.map(identities, function(identity, i)
      local set = {}
      for k = 1, 6 do set["key" .. k] = identity .. "/" .. k end
      set.same = "unchanged"
      return cs:patchRecords{ IdentityId = identity, set = set, remove = { "old", "never-existed" } }
    end, { concurrency = 8 })
    local failed = {}
    for i, err in pairs(errors or {}) do failed[#failed + 1] = i .. ": " .. tostring(err) end
    emit("failed", failed)
    local returned = {}
    for i, records in ipairs(results) do
      local keys = {}
      for _, record in ipairs(records) do keys[#keys + 1] = record.Key .. "=" .. tostring(record.Value) end
      returned[i] = keys
    end
    emit("returned", returned)
    local stats = cognitosync.stats()
    emit("stats", { retries = stats.retries, throttles = stats.throttles, errors = stats.errors })
"""


def test_patch_records_through_throttles_and_lost_responses(start_endpoint, start_proxy, lua, pool, tmp_path):
    data = str(tmp_path / "state.db")
    identities = [new_id() for _ in range(60)]
    # Half the identities already hold a dataset: one key to remove, one already right, one to change. The
    # state is prepared and checked without faults, through the same data file.
    setup = start_endpoint("--data", data)
    setup_client = setup.client()
    for identity in identities[::2]:
        write(setup_client, pool, identity, "profile", {"old": "x", "same": "unchanged", "key1": "stale"})
    setup.stop()
    faulty = start_endpoint("--data", data, "--fault", "lost=0.1,throttle=0.1", "--seed", "3")
    proxy = start_proxy(faulty.url)
    run = lua(proxy.url, PATCH_SCRIPT % (lua_string(pool), "{" + ",".join(map(lua_string, identities)) + "}"))
    faulty.stop()
    assert run.returncode == 0, run
    assert not run["failed"], run["failed"]
    # The faults did happen, to writes too: some UpdateRecords were applied and their answers lost.
    assert run["stats"]["throttles"] == proxy.count(status=429) > 0
    assert proxy.count("UpdateRecords", None) > 0
    # Each retried write whose first answer was lost conflicted with itself; patchRecords re-read instead of
    # writing again. Those conflicts are the only failed calls.
    assert run["stats"]["errors"] == proxy.count("UpdateRecords", 409) > 0
    client = start_endpoint("--data", data).client()
    for index, identity in enumerate(identities):
        records, page = list_records(client, pool, identity, "profile")
        live = {k: r["Value"] for k, r in records.items() if "Value" in r}
        wanted = {"key%d" % k: "%s/%d" % (identity, k) for k in range(1, 7)}
        wanted["same"] = "unchanged"
        assert live == wanted, identity
        preloaded = index % 2 == 0
        # The records as stored for the keys given: a removed key comes back as its tombstone.
        expected = ["%s=%s" % kv for kv in wanted.items()] + (["old=nil"] if preloaded else [])
        assert sorted(run["returned"][index]) == sorted(expected)
        # Each identity was patched in one successful write: a lost response never became a second write.
        assert page["DatasetSyncCount"] == (2 if preloaded else 1)
        for key in wanted:
            if key == "same" and preloaded:
                assert records[key]["SyncCount"] == 1  # already held: not written again
            else:
                assert records[key]["SyncCount"] == page["DatasetSyncCount"], (identity, key)
        if preloaded:
            assert "Value" not in records["old"] and records["old"]["SyncCount"] == 2
        assert "never-existed" not in records


CONFLICT_SCRIPT = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" } }
    local calls = {}
    local spec = { set = { color = "ours", size = "ours-size" } }
    if %s then
      spec.onConflict = function(key, server, wanted)
        calls[#calls + 1] = { key = key, value = server.Value, count = server.SyncCount, wanted = wanted,
                              by = server.LastModifiedBy }
        return %s
      end
    end
    local records = cs:patchRecords(spec)
    local returned = {}
    for _, record in ipairs(records) do returned[record.Key] = record.Value end
    emit("calls", calls)
    emit("returned", returned)
"""


def conflicting_writer(endpoint, pool, identity):
    """A proxy hook that writes `color` with boto3 just before the first UpdateRecords goes through, i.e.
    after patchRecords read the dataset and before its write arrives."""
    state = {"done": False}

    def before(method, target, body):
        if method == "POST" and not state["done"] and target.endswith("/datasets/d"):
            state["done"] = True
            write(endpoint.client(), pool, identity, "d", {"color": "theirs"})

    return before


def run_conflict(endpoint, lua, start_proxy, hook, returns):
    pool, identity = new_id(), new_id()
    write(endpoint.client(), pool, identity, "d", {"color": "original", "size": "original-size"})
    proxy = start_proxy(endpoint.url, before=conflicting_writer(endpoint, pool, identity))
    run = lua(proxy.url, CONFLICT_SCRIPT % (lua_string(pool), lua_string(identity), hook, returns))
    assert run.returncode == 0, run
    records, page = list_records(endpoint.client(), pool, identity, "d")
    assert proxy.count("UpdateRecords", 409) == 1  # the first write did conflict
    return run, {k: r["Value"] for k, r in records.items()}, page


def test_on_conflict_value_wins(endpoint, lua, start_proxy):
    run, values, page = run_conflict(endpoint, lua, start_proxy, "true", '"merged:" .. server.Value .. "+" .. wanted')
    assert run["calls"] == [{"key": "color", "value": "theirs", "count": 2, "wanted": "ours", "by": "000000000000"}]
    assert values == {"color": "merged:theirs+ours", "size": "ours-size"}
    assert run["returned"] == values
    assert page["DatasetSyncCount"] == 3


def test_on_conflict_nil_keeps_the_servers_value(endpoint, lua, start_proxy):
    run, values, page = run_conflict(endpoint, lua, start_proxy, "true", "nil")
    assert [c["key"] for c in run["calls"]] == ["color"]
    assert values == {"color": "theirs", "size": "ours-size"}
    assert run["returned"] == values
    assert page["DatasetSyncCount"] == 3


def test_without_on_conflict_our_value_wins(endpoint, lua, start_proxy):
    run, values, page = run_conflict(endpoint, lua, start_proxy, "false", "nil")
    assert not run["calls"]
    assert values == {"color": "ours", "size": "ours-size"}
    assert page["DatasetSyncCount"] == 3


def test_on_conflict_with_a_concurrent_task(endpoint, lua, pool):
    """A second task of the same script writes the key while patchRecords waits between its read and its
    write; the hook sees that task's value."""
    identity = new_id()
    write(endpoint.client(), pool, identity, "d", {"color": "original"})
    run = lua(endpoint.url, """
        local cognitosync = require("cognitosync")
        local cs = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" } }
        -- A client whose reads hand control to the other task once, right after patchRecords has read.
        local slow = cognitosync.new{ params = { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d" } }
        local listRecords, gate = slow.listRecords, {}
        function slow:listRecords(params)
          local page = listRecords(self, params)
          if not gate.opened then
            gate.opened = true
            gate.writer = cognitosync.spawn(function()
              local page = cs:listRecords{}
              cs:updateRecords{ SyncSessionToken = page.SyncSessionToken,
                RecordPatches = { { Op = "replace", Key = "color", Value = "task", SyncCount = 1 } } }
            end)
            assert(gate.writer:wait())
          end
          return page
        end
        local seen
        slow:patchRecords{ set = { color = "patched" }, onConflict = function(key, server, wanted)
          seen = { key, server.Value, server.SyncCount, wanted }
          return wanted .. "-after-" .. server.Value
        end }
        emit("seen", seen)
    """ % ((lua_string(pool), lua_string(identity)) * 2))
    assert run.returncode == 0, run
    assert run["seen"] == ["color", "task", 2, "patched"]
    records, _ = list_records(endpoint.client(), pool, identity, "d")
    assert records["color"]["Value"] == "patched-after-task" and records["color"]["SyncCount"] == 3


def test_patch_records_rejects_unknown_fields_before_sending(endpoint, lua, start_proxy, pool):
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
        local cs = require("cognitosync").new{}
        local ok, err = pcall(cs.patchRecords, cs, { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d",
          sett = { a = "b" } })
        emit("err", { ok, err.code, err.path })
        ok, err = pcall(cs.patchRecords, cs, { IdentityPoolId = %s, IdentityId = %s, DatasetName = "d",
          set = { a = 1 } })
        emit("type", { ok, err.code })
    """ % ((lua_string(pool), lua_string(new_id())) * 2))
    assert run.returncode == 0, run
    assert run["err"] == [False, "UnexpectedParameter", "params.sett"]
    assert run["type"] == [False, "InvalidParameterType"]
    assert proxy.exchanges == []
