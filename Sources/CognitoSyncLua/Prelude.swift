/// The Lua half of the module: the task scheduler, coroutine pass-through, tasks, `map` and the client
/// class. Run once per state with `(core, waitToken, operationNames)`; returns the module and the runner.
enum Prelude {
    static let source = #"""
-- The cognitosync module and its task scheduler.
--
-- Every chunk the host runs is a task (a coroutine). An API call parks its task: the host function
-- yields TOKEN plus a request id, the scheduler below records which task waits on that id, and
-- core.poll hands back completions. User coroutines are wrapped so that a wait inside them passes
-- through to the scheduler and the result comes back in.
local core, TOKEN, OPERATIONS = ...

local raw_create, raw_resume, raw_yield = coroutine.create, coroutine.resume, coroutine.yield
local raw_status, raw_isyieldable = coroutine.status, coroutine.isyieldable
local pack, unpack = table.pack, table.unpack
local traceback = debug.traceback

local M = { _VERSION = core.version }

---------------------------------------------------------------------------------------------------
-- user coroutines
---------------------------------------------------------------------------------------------------

local function resume(co, ...)
  local r = pack(raw_resume(co, ...))
  while r[1] and r[2] == TOKEN and raw_status(co) == "suspended" do
    if raw_isyieldable() then
      r = pack(raw_resume(co, raw_yield(TOKEN, r[3])))
    elseif r[3] then
      -- The resumer itself cannot yield (a sort comparator, say): finish that one request here.
      r = pack(raw_resume(co, core.await(r[3])))
    else
      r = pack(raw_resume(co, false, "cannot wait for a task here: the caller cannot yield"))
    end
  end
  return unpack(r, 1, r.n)
end

coroutine.resume = resume

function coroutine.wrap(f)
  local co = raw_create(f)
  return function(...)
    local r = pack(resume(co, ...))
    if r[1] then
      return unpack(r, 2, r.n)
    end
    error(r[2], 0)
  end
end

---------------------------------------------------------------------------------------------------
-- tasks
---------------------------------------------------------------------------------------------------

local Task = {}
Task.__index = Task
Task.__name = "cognitosync.task"

local ready = {}          -- tasks to resume, with the values to resume them with
local ready_head, ready_tail = 1, 0
local waiting = {}        -- request id -> task parked on it
local waiting_count = 0
local by_co = setmetatable({}, { __mode = "k" })
local live = 0            -- tasks not yet finished
local unhandled = {}      -- failures no one waited for
local main_task
local current             -- the task being resumed; API waits park it, whatever coroutine they come from

local function make_ready(task, ...)
  ready_tail = ready_tail + 1
  ready[ready_tail] = { task, pack(...) }
end

local function new_task(fn, ...)
  local task = setmetatable({ co = raw_create(fn), status = "ready", waiters = {} }, Task)
  by_co[task.co] = task
  live = live + 1
  make_ready(task, ...)
  return task
end

local function finish(task, ok, ...)
  live = live - 1
  task.status = ok and "done" or "failed"
  task.result = pack(ok, ...)
  local waiters = task.waiters
  task.waiters = nil
  if not ok and #waiters == 0 and not task.detached then
    unhandled[#unhandled + 1] = task
  end
  for i = 1, #waiters do
    make_ready(waiters[i], ok, ...)
  end
end

local function error_text(err)
  if type(err) == "string" then return err end
  local mt = getmetatable(err)
  if mt and mt.__tostring then return tostring(err) end
  return "(error object is a " .. type(err) .. " value)"
end

local function step(task, args)
  current = task
  local r = pack(raw_resume(task.co, unpack(args, 1, args.n)))
  if not r[1] then
    task.error_text = traceback(task.co, error_text(r[2]))
    return finish(task, false, r[2])
  end
  if raw_status(task.co) == "dead" then
    return finish(task, true, unpack(r, 2, r.n))
  end
  if r[2] == TOKEN then
    if r[3] then
      waiting[r[3]] = task
      waiting_count = waiting_count + 1
    end
    task.status = "waiting"
  else
    -- A plain coroutine.yield at the top of a task lets the others run.
    make_ready(task)
  end
end

local function run_ready()
  while ready_head <= ready_tail do
    local entry = ready[ready_head]
    ready[ready_head] = nil
    ready_head = ready_head + 1
    local task = entry[1]
    task.status = "running"
    step(task, entry[2])
    if main_task and main_task.status == "failed" then return end
  end
end

local function deliver(completions)
  for i = 1, #completions, 3 do
    local task = waiting[completions[i]]
    if task then
      waiting[completions[i]] = nil
      waiting_count = waiting_count - 1
      make_ready(task, completions[i + 1], completions[i + 2])
    end
  end
end

-- Runs fn(...) as the entry task and every task it spawns; returns true, or false and a report.
local function run(fn, ...)
  main_task = new_task(fn, ...)
  main_task.detached = true
  while true do
    run_ready()
    if main_task.status == "failed" then break end
    if live == 0 then break end
    if waiting_count == 0 and ready_head > ready_tail then
      -- Every live task waits on another task: nothing can ever wake them.
      for _, task in pairs(by_co) do
        if task.status == "waiting" and task.waiters then
          make_ready(task, false, "deadlock: every remaining task is waiting for another task")
        end
      end
      if ready_head > ready_tail then break end
    else
      deliver(core.poll(ready_head <= ready_tail and 0 or 1))
    end
  end
  local report = {}
  if main_task.status == "failed" then
    report[#report + 1] = main_task.error_text
  end
  for _, task in ipairs(unhandled) do
    report[#report + 1] = "task failed: " .. task.error_text
  end
  local ok = #report == 0
  main_task, unhandled, live, waiting, waiting_count = nil, {}, 0, {}, 0
  ready, ready_head, ready_tail = {}, 1, 0
  if ok then return true end
  return false, table.concat(report, "\n")
end

function M.spawn(fn, ...)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'spawn' (function expected, got " .. type(fn) .. ")", 2)
  end
  return new_task(fn, ...)
end

-- Returns true and the task's results, or false and its error.
function Task:wait()
  if self.status == "done" or self.status == "failed" then
    return unpack(self.result, 1, self.result.n)
  end
  if not raw_isyieldable() or not current then
    error("task:wait() cannot be called here: the caller cannot yield", 2)
  end
  if self == current then error("a task cannot wait for itself", 2) end
  self.waiters[#self.waiters + 1] = current
  return raw_yield(TOKEN, false)
end

function Task:__tostring()
  return "cognitosync.task (" .. self.status .. ")"
end

function M.sleep(seconds)
  if type(seconds) ~= "number" or seconds < 0 then
    error("bad argument #1 to 'sleep' (non-negative number expected, got " .. tostring(seconds) .. ")", 2)
  end
  core.sleep(seconds)
end

-- Calls fn(item, index) for every item with at most `concurrency` running at once. Returns the results
-- in the order of `list`, and a table of the errors by index (nil when every item succeeded).
function M.map(list, fn, options)
  if type(list) ~= "table" then error("bad argument #1 to 'map' (table expected, got " .. type(list) .. ")", 2) end
  if type(fn) ~= "function" then error("bad argument #2 to 'map' (function expected, got " .. type(fn) .. ")", 2) end
  options = options or {}
  local concurrency = options.concurrency or 16
  if math.type(concurrency) ~= "integer" or concurrency < 1 then
    error("map: concurrency must be a positive integer", 2)
  end
  local n = #list
  local results, errors, failed = {}, {}, 0
  local next_index, done = 1, 0
  local function worker()
    while next_index <= n do
      local i = next_index
      next_index = i + 1
      local ok, value = pcall(fn, list[i], i)
      if ok then
        results[i] = value
      else
        errors[i] = value
        failed = failed + 1
      end
      done = done + 1
    end
  end
  local workers = {}
  for w = 1, math.min(concurrency, n) do
    workers[w] = new_task(worker)
    workers[w].detached = true
  end
  for w = 1, #workers do
    local ok, err = workers[w]:wait()
    if not ok then error(err, 0) end
  end
  return results, failed > 0 and errors or nil
end

---------------------------------------------------------------------------------------------------
-- clients
---------------------------------------------------------------------------------------------------

local Client = {}
Client.__index = Client
Client.__name = "cognitosync.client"

local function merge(bound, params)
  if not bound then return params end
  if params ~= nil and type(params) ~= "table" then return params end
  local merged = {}
  for k, v in pairs(bound) do merged[k] = v end
  for k, v in pairs(params or {}) do merged[k] = v end
  return merged
end

for _, op in ipairs(OPERATIONS) do
  Client[op] = function(self, params)
    return core.call(self.handle, op, merge(self.params, params))
  end
end

function Client:makeRequest(operation, params)
  if type(operation) ~= "string" then
    error("bad argument #1 to 'makeRequest' (operation name expected, got " .. type(operation) .. ")", 2)
  end
  return core.call(self.handle, operation, merge(self.params, params))
end

function Client:__tostring()
  return "cognitosync.client (" .. core.clientInfo(self.handle) .. ")"
end

function M.new(options)
  if options ~= nil and type(options) ~= "table" then
    error("bad argument #1 to 'new' (table of options expected, got " .. type(options) .. ")", 2)
  end
  options = options or {}
  local handle = core.newClient(options)
  local params = options.params
  if params ~= nil and type(params) ~= "table" then
    error("options.params: expected a table of bound parameters, got " .. type(params), 2)
  end
  return setmetatable({ handle = handle, params = params }, Client)
end

M.operations = OPERATIONS
M.describe = core.describe
M.Client = Client

local ErrorMeta = {
  __name = "cognitosync.error",
  __tostring = function(e)
    local where = {}
    if e.operation then where[#where + 1] = e.operation end
    if e.statusCode then where[#where + 1] = "HTTP " .. e.statusCode end
    if e.retryCount and e.retryCount > 0 then where[#where + 1] = e.retryCount .. " retries" end
    if e.requestId then where[#where + 1] = "request " .. e.requestId end
    local suffix = #where > 0 and (" [" .. table.concat(where, ", ") .. "]") or ""
    return tostring(e.code) .. ": " .. tostring(e.message) .. suffix
  end,
}
core.setErrorMeta(ErrorMeta)

package.preload.cognitosync = function() return M end

return M, run
"""#
}
