-- The task scheduler, run once per Lua state with (core, waitToken, openTasks): the host functions, the token
-- host waits yield and the C coroutine helpers (lua_tasks.c). Returns the runner the host runs every chunk with.
-- The module itself (cognitosync.lua, precompiled at build time) is loaded and run the first time a script requires
-- cognitosync or cognitoidentity, so a script that uses neither never pays for it.
--
-- Every chunk the host runs is a task (a Lua thread that looks like the main one to the script). An API call
-- parks its task: the host function yields TOKEN plus a request id, the scheduler below records which task
-- waits on that id, and core.poll hands back completions. The script's own coroutines pass such a wait
-- through to the scheduler and get the result back in (lua_tasks.c).
local core, TOKEN, open_tasks = ...

local raw_status, raw_isyieldable, raw_close = coroutine.status, coroutine.isyieldable, coroutine.close
local raw_yield = coroutine.yield
local pack, unpack, select = table.pack, table.unpack, select
local traceback = debug.traceback

local threads = open_tasks(core.await)
local new_thread, resume_task = threads.newTask, threads.resumeTask
for _, name in ipairs({ "resume", "wrap", "yield", "running", "isyieldable", "status", "close" }) do
  coroutine[name] = threads[name]
end


---------------------------------------------------------------------------------------------------
-- tasks
---------------------------------------------------------------------------------------------------

local Task = {}
Task.__index = Task
Task.__name = "cognitosync.task"

-- Tasks to resume and the values to resume them with, in a queue of parallel arrays: the count of values, and the
-- values themselves when there are at most two (a request's answer is two), else packed in `ready_a`. A call then
-- costs the scheduler no table.
local ready, ready_n, ready_a, ready_b = {}, {}, {}, {}
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
  local n = select("#", ...)
  ready[ready_tail], ready_n[ready_tail] = task, n
  if n <= 2 then
    ready_a[ready_tail], ready_b[ready_tail] = ...
  else
    ready_a[ready_tail] = pack(...)
  end
end

local function new_task(fn, ...)
  local task = setmetatable({ co = new_thread(), status = "ready", waiters = {} }, Task)
  by_co[task.co] = task
  live = live + 1
  -- A task thread's first resume takes the function to run, then its arguments.
  make_ready(task, fn, ...)
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

-- The readable form of an error value. A failing __tostring must not take the scheduler down with it.
local function error_text(err)
  if type(err) == "string" or type(err) == "number" then return tostring(err) end
  local mt = getmetatable(err)
  if mt and mt.__tostring then
    local ok, text = pcall(tostring, err)
    if ok then return text end
    local why = type(text) == "string" and text or "a " .. type(text) .. " value"
    return "(error object is a " .. type(err) .. " value whose __tostring failed: " .. why .. ")"
  end
  return "(error object is a " .. type(err) .. " value)"
end

-- What a resume of `task` answered: ok and the task's results, or its error, or the values it yields to wait.
local function resumed(task, ok, ...)
  if not ok then
    local err = ...
    task.error_text = traceback(task.co, error_text(err))
    return finish(task, false, err)
  end
  if raw_status(task.co) == "dead" then
    return finish(task, true, ...)
  end
  -- A task only ever yields to wait (its own coroutine.yield raises): on a request (the second value), or on
  -- another task.
  local _, request = ...
  if request then
    waiting[request] = task
    waiting_count = waiting_count + 1
    task.request = request
  end
  task.status = "waiting"
end

-- Resumes `task` with the `n` values queued for it.
local function step(task, n, a, b)
  current = task
  local co = task.co
  if n == 2 then return resumed(task, resume_task(co, a, b)) end
  if n == 1 then return resumed(task, resume_task(co, a)) end
  if n == 0 then return resumed(task, resume_task(co)) end
  return resumed(task, resume_task(co, unpack(a, 1, a.n)))
end

local function run_ready()
  while ready_head <= ready_tail do
    local head = ready_head
    local task, n, a, b = ready[head], ready_n[head], ready_a[head], ready_b[head]
    ready[head], ready_n[head], ready_a[head], ready_b[head] = nil, nil, nil, nil
    ready_head = head + 1
    -- A task cancelled while it was ready to run has already ended.
    if not task.cancelled then
      task.status = "running"
      step(task, n, a, b)
    end
    if main_task and main_task.status == "failed" then return end
  end
  -- Drained: start again at 1, so the queue stays in the tables' array parts instead of climbing into their hashes.
  ready_head, ready_tail = 1, 0
end

local function deliver(completions)
  for i = 1, #completions, 3 do
    local task = waiting[completions[i]]
    if task then
      waiting[completions[i]] = nil
      waiting_count = waiting_count - 1
      task.request = nil
      make_ready(task, completions[i + 1], completions[i + 2])
    end
  end
end

local function reset()
  main_task, unhandled, live, waiting, waiting_count = nil, {}, 0, {}, 0
  ready, ready_n, ready_a, ready_b, ready_head, ready_tail = {}, {}, {}, {}, 1, 0
  by_co = setmetatable({}, { __mode = "k" })
end

-- Runs fn(...) as the entry task and every task it spawns; returns true and fn's results, or false and a
-- report.
local function run(fn, ...)
  -- A run cut short by an interrupt leaves its parked tasks behind: they are dropped, never resumed.
  reset()
  main_task = new_task(fn, ...)
  main_task.detached = true
  local interrupted = false
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
      local completions = core.poll(ready_head <= ready_tail and 0 or 1)
      if not completions then
        interrupted = true
        break
      end
      deliver(completions)
    end
  end
  local report = {}
  if interrupted then
    -- Where the script was waiting.
    report[1] = traceback(main_task.co, "interrupted!")
  elseif main_task.status == "failed" then
    report[1] = main_task.error_text
  end
  for _, task in ipairs(unhandled) do
    if not task.handled then report[#report + 1] = "task failed: " .. task.error_text end
  end
  local result = main_task.result or pack(true)
  reset()
  if #report == 0 then return unpack(result, 1, result.n) end
  return false, table.concat(report, "\n")
end

-- Returns true and the task's results, or false and its error.
function Task:wait()
  if self.status == "done" or self.status == "failed" then
    -- Whoever waits receives the error, so it is no longer unhandled.
    self.handled = true
    return unpack(self.result, 1, self.result.n)
  end
  if not raw_isyieldable() or not current then
    error("task:wait() cannot be called here: the caller cannot yield", 2)
  end
  if self == current then error("a task cannot wait for itself", 2) end
  self.waiters[#self.waiters + 1] = current
  return raw_yield(TOKEN, false)
end


-- The metatable of error objects, the host's and the module's alike.
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

-- Ends a task that has not finished: a request it waits on is abandoned at once (taken off the wire, never
-- retried), its to-be-closed variables are closed, and it fails with a Cancelled error object, which wait()
-- returns. Cancelling the running task raises that error in it. A finished task is left as it is.
function Task:cancel()
  if self.status == "done" or self.status == "failed" then return end
  local err = setmetatable({ code = "Cancelled", message = "the task was cancelled", retryable = false,
                             retryCount = 0 }, ErrorMeta)
  if self == current then error(err, 2) end
  self.cancelled = true
  if self.request then
    waiting[self.request] = nil
    waiting_count = waiting_count - 1
    core.cancel(self.request)
    self.request = nil
  end
  if raw_status(self.co) == "suspended" then raw_close(self.co) end
  finish(self, false, err)
  -- Nobody has to hear of a cancellation the script asked for.
  self.handled = true
end

function Task:__tostring()
  return "cognitosync.task (" .. self.status .. ")"
end


---------------------------------------------------------------------------------------------------
-- the module, on first require
---------------------------------------------------------------------------------------------------

-- What the module needs of the scheduler.
local scheduler = {
  new_task = new_task,
  current = function() return current end,
  ErrorMeta = ErrorMeta,
}

local module, new_identity
local function load_module()
  if not module then module, new_identity = core.loadModule()(core, scheduler) end
end

package.preload.cognitosync = function()
  load_module()
  return module
end
-- Cognito Identity (AWS.CognitoIdentity): its tables are built the first time a script requires it.
package.preload.cognitoidentity = function()
  load_module()
  return new_identity()
end

return run
