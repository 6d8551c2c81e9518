"""The Lua boundary: calls from pcall, the script's own coroutines, non-yieldable callers (table.sort, gsub,
require), many failing calls without memory growth, and the task functions spawn, wait, map and sleep."""

import re
import subprocess
import threading

import pytest

# Creates a dataset "d" with one record for (POOL, ID), so describeDataset has something to find.
SEED = r"""
local seed = cs:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
cs:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = seed.SyncSessionToken,
  RecordPatches = {{Op = "replace", Key = "k", Value = "v", SyncCount = 0}}}
local function numRecords()
  return cs:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}.Dataset.NumRecords
end
local function missing()
  return cs:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "missing"}
end
"""


def run_ok(run_lua, script, expected, **kwargs):
    status, out, err = run_lua(script, **kwargs)
    assert status == 0, err
    assert out == expected
    return err


def test_errors_inside_pcall_and_xpcall(run_lua):
    run_ok(run_lua, SEED + r"""
local ok, e = pcall(missing)
assert(not ok and e.code == "ResourceNotFoundException" and e.statusCode == 404)
assert(getmetatable(e) and getmetatable(e).__tostring, "error objects carry __tostring")
-- nested pcall, error raised from a helper several frames down
local function deep(n) if n == 0 then return missing() end return deep(n - 1) end
ok, e = pcall(function() local ok2, e2 = pcall(deep, 10); assert(not ok2); error(e2) end)
assert(not ok and e.code == "ResourceNotFoundException", tostring(e))
-- xpcall with a message handler that sees the error object and a traceback
local handled
ok, e = xpcall(missing, function(err) handled = err; return debug.traceback("wrapped") end)
assert(not ok and handled.code == "ResourceNotFoundException" and e:find("stack traceback", 1, true))
-- a validation error inside pcall, then the client keeps working
ok, e = pcall(cs.describeDataset, cs, {IdentityPoolId = POOL})
assert(not ok and e.code == "MissingRequiredParameter")
assert(numRecords() == 1)
-- rethrowing keeps the same table
local original
ok, e = pcall(function() local _, err = pcall(missing); original = err; error(err, 0) end)
assert(rawequal(e, original))
print("ok")
""", "ok\n")


def test_calls_inside_the_scripts_own_coroutines(run_lua):
    run_ok(run_lua, SEED + r"""
-- coroutine.wrap generator that calls the service between yields
local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i, numRecords()) end
  return "done"
end)
for i = 1, 3 do local a, b = gen(); assert(a == i and b == 1) end
assert(gen() == "done")

-- coroutine.resume, nested two levels, with calls and errors on each level and values passed both ways
local outer = coroutine.create(function(x)
  local inner = coroutine.create(function(y)
    local n = numRecords()
    local z = coroutine.yield(y + n)
    local ok, e = pcall(missing)
    assert(not ok and e.code == "ResourceNotFoundException")
    return z .. ":" .. e.statusCode
  end)
  local ok, v = coroutine.resume(inner, x)
  assert(ok and v == x + 1, tostring(v))
  local back = coroutine.yield(v, numRecords())
  local ok2, w = coroutine.resume(inner, back)
  assert(ok2 and w == back .. ":404", tostring(w))
  assert(coroutine.status(inner) == "dead")
  return w
end)
local ok, v, n = coroutine.resume(outer, 41)
assert(ok and v == 42 and n == 1, tostring(v))
assert(coroutine.status(outer) == "suspended")
local ok2, w = coroutine.resume(outer, "back")
assert(ok2 and w == "back:404", tostring(w))

-- an uncaught service error inside a coroutine comes out of resume as the error object
local co = coroutine.create(function() missing() end)
local okc, e = coroutine.resume(co)
assert(not okc and e.code == "ResourceNotFoundException", tostring(e))
assert(coroutine.status(co) == "dead")

-- a coroutine closed while suspended after a call
local closing = coroutine.create(function() numRecords(); coroutine.yield(); error("never") end)
assert(coroutine.resume(closing))
assert(coroutine.close(closing))

-- coroutine.wrap propagates the error object
local okw, ew = pcall(coroutine.wrap(function() missing() end))
assert(not okw and ew.code == "ResourceNotFoundException")
assert(coroutine.isyieldable() == true or coroutine.isyieldable() == false)
print("ok")
""", "ok\n")


def test_call_from_table_sort_comparator_and_gsub_callback(run_lua):
    run_ok(run_lua, SEED + r"""
local t = {5, 3, 1, 4, 2}
local calls = 0
table.sort(t, function(a, b) calls = calls + 1; assert(numRecords() == 1); return a < b end)
assert(table.concat(t, ",") == "1,2,3,4,5" and calls > 0)
local failures = 0
table.sort(t, function(a, b)
  local ok, e = pcall(missing)
  if not ok and e.code == "ResourceNotFoundException" then failures = failures + 1 end
  return a > b
end)
assert(table.concat(t, ",") == "5,4,3,2,1" and failures > 0)
local s = string.gsub("a-b-c", "%a", function(c) return c .. numRecords() end)
assert(s == "a1-b1-c1", s)
-- a metamethod that calls the service
local lazy = setmetatable({}, {__index = function(_, k) return k .. numRecords() end})
assert(lazy.x == "x1")
print("ok")
""", "ok\n")


def test_options_table_changed_by_the_logger_lookup_while_it_is_read(run_lua):
    # Reading a logger object's `write` runs its __index, which here drops the key being visited from the options
    # table and makes it rehash: walking that table on would raise "invalid key to 'next'" in the host. The
    # options are read as they were passed, and the logger works.
    run_ok(run_lua, SEED + r"""
local lines = {}
local options = {maxRetries = 1}
options.logger = setmetatable({}, {__index = function(_, key)
  options.logger = nil
  for i = 1, 100 do options["extra" .. i] = true end
  for i = 1, 100 do options["extra" .. i] = nil end
  if key == "write" then return function(_, line) lines[#lines + 1] = line end end
end})
local logged = cognitosync.new(options)
assert(logged:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}.Dataset.NumRecords == 1)
assert(#lines == 1 and lines[1]:find("] describeDataset\n$"), lines[1])
-- the same for cognitosync.config, read the same way
local config = cognitosync.config
config.logger = setmetatable({}, {__index = function(_, key)
  config.logger = nil
  config.maxInFlight, config.correctClockSkew, config.sslEnabled, config.paramValidation = 4, true, true, true
  if key == "write" then return function(_, line) lines[#lines + 1] = line end end
end})
assert(cognitosync.new():describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"})
assert(#lines == 2, #lines)
print("ok")
""", "ok\n")


def test_call_while_a_module_loads_under_require(run_lua, tmp_path):
    scripts = tmp_path / "ops"
    scripts.mkdir()
    (scripts / "records_helper.lua").write_text(r"""
local cognitosync = require("cognitosync")
local cs = cognitosync.new()
local pool, id = os.getenv("TEST_POOL"), os.getenv("TEST_IDENTITY")
-- runs while the module body executes under require
local count = cs:describeDataset{IdentityPoolId = pool, IdentityId = id, DatasetName = "d"}.Dataset.NumRecords
local ok, e = pcall(cs.describeDataset, cs, {IdentityPoolId = pool, IdentityId = id, DatasetName = "missing"})
assert(not ok and e.code == "ResourceNotFoundException")
return {count = count, loaded_as = ...}
""")
    # Run from another folder so only the script-folder path rule can find the module.
    run_ok(run_lua, SEED + r"""
local helper = require("records_helper")
assert(helper.count == 1, tostring(helper.count))
assert(helper.loaded_as == "records_helper")
assert(require("records_helper") == helper)
local okm, em = pcall(require, "records_helper_absent")
assert(not okm and em:find("records_helper_absent", 1, true))
print("ok")
""", "ok\n", name="ops/main.lua", cwd="/")


def test_ten_thousand_failing_calls_do_not_grow_memory(run_lua):
    # 10,000 validation failures, then 2,000 service errors (404 from the endpoint) in a plain loop and 1,000 more
    # from 4 tasks. RSS is read from /proc/self/status after the first 1,000 of each kind and at the end.
    err = run_ok(run_lua, r"""
local function rss()
  collectgarbage("collect")
  local f = assert(io.open("/proc/self/status"))
  local kb = tonumber(f:read("a"):match("VmRSS:%s*(%d+)"))
  f:close()
  return kb
end
local bad = {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "bad name!"}
local function validation_failures(n)
  for _ = 1, n do
    local ok, e = pcall(cs.describeDataset, cs, bad)
    assert(not ok and e.code == "PatternMatchError")
  end
end
validation_failures(1000)
local afterFirst = rss()
validation_failures(9000)
local afterValidation = rss()

local missing = {IdentityPoolId = POOL, IdentityId = ID, DatasetName = "missing"}
local function service_failures(n)
  for _ = 1, n do
    local ok, e = pcall(cs.describeDataset, cs, missing)
    assert(not ok and e.code == "ResourceNotFoundException", tostring(e))
  end
end
service_failures(1000)
local afterFirstService = rss()
service_failures(1000)
local tasks = {}
for i = 1, 4 do tasks[i] = cognitosync.spawn(service_failures, 250) end
for i = 1, 4 do assert(tasks[i]:wait()) end
local final = rss()
io.stderr:write(("rss kB: %d %d %d %d\n"):format(afterFirst, afterValidation, afterFirstService, final))
-- Measured flat (under 0.3 MB); a leak of a few hundred bytes per call would break these bounds.
assert(afterValidation - afterFirst < 2 * 1024, "validation errors grew RSS by " .. (afterValidation - afterFirst))
assert(final - afterFirstService < 3 * 1024, "service errors grew RSS by " .. (final - afterFirstService))
print("ok")
""", "ok\n", timeout=60)
    sizes = [int(kb) for kb in re.search(r"rss kB: (\d+) (\d+) (\d+) (\d+)", err).groups()]
    assert all(size > 1000 for size in sizes), "VmRSS was read"


def test_sequential_calls_do_not_stall(run_lua):
    # 1,000 fast calls one after another. The local endpoint answers in about a millisecond, so this takes a second or
    # two. A call whose response arrives while the transfer is first driven must not wait out the scheduler's 1 s poll:
    # if one call in sixteen did, the run would outlast its 60 s.
    try:
        run_ok(run_lua, SEED + r"""
for _ = 1, 1000 do
  local ok, e = pcall(missing)
  assert(not ok and e.code == "ResourceNotFoundException")
end
print("ok")
""", "ok\n", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("1,000 sequential calls did not finish in 60 s (calls stall for a poll timeout)")


def test_spawn_wait_sleep_basics(run_lua):
    run_ok(run_lua, r"""
local t = cognitosync.spawn(function(a, b) cognitosync.sleep(0.01); return a + b, "two", nil, 4 end, 2, 3)
local ok, sum, two, none, four = t:wait()
assert(ok == true and sum == 5 and two == "two" and none == nil and four == 4)
local again = table.pack(t:wait())
assert(again[1] == true and again[2] == 5, "waiting on a finished task returns its results again")

local failing = cognitosync.spawn(function() error("boom") end)
local okf, msg = failing:wait()
assert(okf == false and msg:find("boom", 1, true))
local obj = cognitosync.spawn(function() error({code = "Custom"}) end)
local oko, eo = obj:wait()
assert(oko == false and eo.code == "Custom")

-- sleeps in separate tasks overlap and wake in deadline order
local order = {}
local tasks = {}
for i = 1, 4 do
  tasks[i] = cognitosync.spawn(function() cognitosync.sleep(0.05 * (5 - i)); order[#order + 1] = i end)
end
for i = 1, 4 do assert(tasks[i]:wait()) end
assert(table.concat(order, ",") == "4,3,2,1", table.concat(order, ","))
cognitosync.sleep(0)
print("ok")
""", "ok\n")


def test_tasks_overlap_requests_in_flight(run_lua, recorder):
    # Each request is answered only once all four are at the server together: they can only finish if they overlap.
    together = threading.Barrier(4)

    def answer_when_all_arrived(request):
        together.wait(timeout=30)
        return 200, {}, '{"Datasets": [], "Count": 0}'

    recorder.respond = answer_when_all_arrived
    run_ok(run_lua, r"""
local c = cognitosync.new{endpoint = os.getenv("RECORDER"), maxRetries = 0}
local tasks = {}
for i = 1, 4 do
  tasks[i] = cognitosync.spawn(function() return c:listDatasets{IdentityPoolId = POOL, IdentityId = ID}.Count end)
end
for i = 1, 4 do local ok, count = tasks[i]:wait(); assert(ok and count == 0, tostring(count)) end
print("ok")
""", "ok\n", env={"RECORDER": recorder.url})
    assert recorder.count() == 4


def test_map_keeps_order_and_reports_failed_items(run_lua):
    run_ok(run_lua, SEED + r"""
local running, most = 0, 0
local names = {"d", "missing", "d", "bad name", "d"}
local results, errors = cognitosync.map(names, function(name, index)
  running = running + 1
  most = math.max(most, running)
  cognitosync.sleep(0.01 * (6 - index))
  local ok, r = pcall(cs.describeDataset, cs, {IdentityPoolId = POOL, IdentityId = ID, DatasetName = name})
  running = running - 1
  if not ok then error(r) end
  return r.Dataset.NumRecords
end, {concurrency = 2})
assert(most == 2, "concurrency limit: " .. most)
assert(results[1] == 1 and results[3] == 1 and results[5] == 1)
assert(results[2] == nil and results[4] == nil)
assert(type(errors) == "table")
assert(errors[2].code == "ResourceNotFoundException" and errors[4].code == "PatternMatchError")
assert(errors[1] == nil and errors[3] == nil and errors[5] == nil)

local all, none = cognitosync.map({1, 2, 3}, function(x) return x * x end)
assert(all[1] == 1 and all[2] == 4 and all[3] == 9 and none == nil)
local empty, noerr = cognitosync.map({}, function() error("never called") end)
assert(next(empty) == nil and noerr == nil)
print("ok")
""", "ok\n")


def test_unhandled_task_error_makes_exit_status_1(run_lua):
    status, out, err = run_lua(r"""
cognitosync.spawn(function() cognitosync.sleep(0.01); error("task exploded") end)
print("main done")
""")
    assert status == 1
    assert out == "main done\n"
    assert err.startswith("cogsync-lua: ")
    assert "task exploded" in err
    assert "stack traceback" in err


def test_unhandled_service_error_in_task_makes_exit_status_1(run_lua):
    status, out, err = run_lua(r"""
cognitosync.spawn(function()
  cs:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "missing"}
end)
local ok = cognitosync.spawn(function() return 1 end):wait()
print("main done", ok)
""")
    assert status == 1
    assert out == "main done\ttrue\n"
    assert "ResourceNotFoundException" in err and "cogsync-lua: " in err


def test_waited_task_error_is_handled(run_lua):
    status, out, err = run_lua(r"""
local t = cognitosync.spawn(function() error("handled by wait") end)
local ok, e = t:wait()
print(ok, e:match("handled by wait"))
""")
    assert status == 0, err
    assert out == "false\thandled by wait\n"
    assert err == ""
