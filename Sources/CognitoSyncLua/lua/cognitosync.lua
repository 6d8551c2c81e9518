-- The cognitosync module, the Lua half of the API: loaded and run the first time a script requires cognitosync or
-- cognitoidentity, with (core, scheduler): the host functions and what the module needs of the scheduler
-- (tasks.lua). Returns the module and a function that builds cognitoidentity. Each service module (cognitosync,
-- cognitoidentity) asks the host for its operations, their input members and its paged operations (from the model)
-- when it is built.
local core, scheduler = ...

local new_task, current_task, ErrorMeta = scheduler.new_task, scheduler.current, scheduler.ErrorMeta

local M = { _VERSION = core.version }

function M.spawn(fn, ...)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'spawn' (function expected, got " .. type(fn) .. ")", 2)
  end
  return new_task(fn, ...)
end

function M.sleep(seconds)
  -- NaN fails every comparison, so it is refused by the same test as math.huge.
  if type(seconds) ~= "number" or not (seconds >= 0 and seconds < math.huge) then
    error("bad argument #1 to 'sleep' (finite non-negative number of seconds expected, got " .. tostring(seconds)
      .. ")", 2)
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
  local fail_fast = options.failFast
  local n = #list
  local results, errors, failed = {}, {}, 0
  local next_index, done = 1, 0
  local progress = options.progress and M.progress(options.progress, n)
  local workers = {}
  local function worker()
    while next_index <= n do
      local i = next_index
      next_index = i + 1
      local ok, value = pcall(fn, list[i], i)
      if ok then
        results[i] = value
      else
        -- error(nil) still counts as a failure, so it needs an entry to show for it.
        errors[i] = value == nil and "(error object is a nil value)" or value
        failed = failed + 1
        if fail_fast then
          -- No item is started after this one, and the others still running are cancelled.
          next_index = n + 1
          for _, other in ipairs(workers) do
            if other ~= current_task() then other:cancel() end
          end
        end
      end
      done = done + 1
      if progress then progress:update(done, failed) end
    end
  end
  local outer = core.mapConcurrency(math.min(concurrency, n))
  for w = 1, math.min(concurrency, n) do
    workers[w] = new_task(worker)
    workers[w].detached = true
  end
  for w = 1, #workers do
    local ok, err = workers[w]:wait()
    if not ok and not workers[w].cancelled then
      core.mapConcurrency(outer)
      error(err, 0)
    end
  end
  core.mapConcurrency(outer)
  if progress then progress:finish(done, failed) end
  return results, failed > 0 and errors or nil
end


---------------------------------------------------------------------------------------------------
-- progress and summary
---------------------------------------------------------------------------------------------------

local Progress = {}
Progress.__index = Progress

-- A progress display on stderr: a bar redrawn in place on a terminal, plain lines every few seconds
-- otherwise (logs stay readable).
function M.progress(label, total)
  return setmetatable({ label = tostring(label), total = total, started = core.now(), shown = 0,
                        tty = core.isatty(2) }, Progress)
end

-- Once the service has pushed back: the send rate in force and the throttles so far.
local function pressure_text()
  local throttles, send_rate, stopped = core.pressure()
  local text = ""
  if throttles > 0 then
    text = string.format(" (sending %s, %d throttled)",
      send_rate and string.format("%.0f/s", send_rate) or "unlimited", throttles)
  end
  -- --max-errors was reached: every later call fails at once.
  if stopped then text = text .. " (" .. stopped .. ")" end
  return text
end

-- Items per second and the time left, and the pushback.
local function eta_text(self, done, now)
  local elapsed = now - self.started
  local rate = elapsed > 0 and done / elapsed or 0
  local eta = rate > 0 and (self.total - done) / rate or 0
  return rate, string.format("%.1f/s ETA %ds", rate, math.floor(eta + 0.5)) .. pressure_text()
end

function Progress:update(done, failed)
  local now = core.now()
  if self.tty then
    if now - self.shown < 0.1 and done < self.total then return end
    local width = 30
    local filled = self.total > 0 and math.floor(width * done / self.total) or width
    local _, rate = eta_text(self, done, now)
    io.stderr:write(string.format("\r%s [%s%s] %d/%d %s%s", self.label, string.rep("=", filled),
      string.rep(" ", width - filled), done, self.total, rate, failed > 0 and (" " .. failed .. " failed") or ""))
  else
    if now - self.shown < 5 then return end
    local _, rate = eta_text(self, done, now)
    io.stderr:write(string.format("%s: %d/%d %s%s\n", self.label, done, self.total, rate,
      failed > 0 and (" " .. failed .. " failed") or ""))
  end
  self.shown = now
end

function Progress:finish(done, failed)
  local elapsed = core.now() - self.started
  io.stderr:write(string.format("%s%s: %d/%d done in %.1fs%s%s\n", self.tty and "\r" or "", self.label, done,
    self.total, elapsed, failed > 0 and (", " .. failed .. " failed") or "", pressure_text()))
end

M.stats = core.stats

---------------------------------------------------------------------------------------------------
-- clients
---------------------------------------------------------------------------------------------------

-- The client's bound params fill in the members an operation takes and the call left unset, as the
-- JavaScript SDK's `params` option does; members another operation takes are left out.
local function merge(bound, params, members)
  if not bound or not members then return params end
  if params ~= nil and type(params) ~= "table" then return params end
  local merged = {}
  for k, v in pairs(params or {}) do merged[k] = v end
  for k, v in pairs(bound) do
    if members[k] and merged[k] == nil then merged[k] = v end
  end
  return merged
end

-- Global defaults, as AWS.config, shared by every service module: every later new() starts from them, and
-- its own options win. The command line's flags (--region, --endpoint-url, --profile, --max-retries,
-- --retry-mode, --dry-run) are set here.
local flag_defaults, option_names = core.defaults()
local known_option = {}
for _, name in ipairs(option_names) do known_option[name] = true end

local function check_config_key(key, level)
  if not known_option[key] then
    error("cognitosync.config: unknown option " .. tostring(key) .. " (options are those of cognitosync.new)",
      level + 1)
  end
end

local config_values = {}
local config = setmetatable({}, {
  __index = config_values,
  __newindex = function(_, key, value)
    check_config_key(key, 2)
    config_values[key] = value
  end,
  __pairs = function() return next, config_values, nil end,
  __name = "cognitosync.config",
})
for key, value in pairs(flag_defaults) do config_values[key] = value end

-- Sets several defaults at once: cognitosync.configure{ region = "eu-west-1", maxRetries = 5 }.
local function configure(options)
  if type(options) ~= "table" then
    error("bad argument #1 to 'configure' (table of options expected, got " .. type(options) .. ")", 2)
  end
  for key in pairs(options) do check_config_key(key, 2) end
  for key, value in pairs(options) do config_values[key] = value end
  return config
end

-- Fills module S with the client class of a service (`cognitosync`, `cognitoidentity`): a method per
-- operation, the generic calls, paging, hooks, `new`, and the shared defaults. Returns the class and its
-- check of `self`.
local function new_service(module, S)
  local OPERATIONS, INPUT_MEMBERS, PAGED = core.service(module)
  local Client = {}
  Client.__index = Client
  Client.__name = module .. ".client"

  -- A method called with a dot (cs.listDatasets{...}) gets its params as self.
  local function check_self(self, method)
    if type(self) ~= "table" or getmetatable(self) ~= Client and type(self.handle) ~= "userdata" then
      error("bad self to '" .. method .. "' (use cs:" .. method .. "(...) with a colon, not cs." .. method
        .. "(...))", 3)
    end
  end

  -- Calls `op` with the client's bound params filling in the members of its input the call leaves unset. Tables
  -- without metatables (pairs runs no __pairs on them) are filled in by the host, which makes no merged table;
  -- anything else goes through merge, which raises what pairs raises.
  local function call(self, op, params, unsigned)
    local bound, members = self.params, INPUT_MEMBERS[op]
    if members and type(bound) == "table" and getmetatable(bound) == nil
        and (params == nil or type(params) == "table" and getmetatable(params) == nil) then
      return core.call(self.handle, op, params, unsigned, bound)
    end
    return core.call(self.handle, op, merge(bound, params, members), unsigned)
  end

  for _, op in ipairs(OPERATIONS) do
    Client[op] = function(self, params)
      check_self(self, op)
      return call(self, op, params)
    end
  end

  function Client:makeRequest(operation, params)
    check_self(self, "makeRequest")
    if type(operation) ~= "string" then
      error("bad argument #1 to 'makeRequest' (operation name expected, got " .. type(operation) .. ")", 2)
    end
    return call(self, operation, params)
  end

  -- makeRequest without a signature and without looking for credentials, as the JavaScript SDK's
  -- makeUnauthenticatedRequest; the service refuses it, and the error object says so as the service did.
  function Client:makeUnauthenticatedRequest(operation, params)
    check_self(self, "makeUnauthenticatedRequest")
    if type(operation) ~= "string" then
      error("bad argument #1 to 'makeUnauthenticatedRequest' (operation name expected, got " .. type(operation)
        .. ")", 2)
    end
    return call(self, operation, params, true)
  end

  -- Adds a request lifecycle hook: fn(event) for "send" and "retry" (each attempt), "success", "error" and
  -- "complete" (each call). Returns the client, so hooks chain.
  function Client:on(event, fn)
    check_self(self, "on")
    core.on(self.handle, event, fn)
    return self
  end

  function Client:__tostring()
    return module .. ".client (" .. core.clientInfo(self.handle) .. ")"
  end

  local function paged_operation(op, fn)
    if PAGED[op] == nil then
      local names = {}
      for name in pairs(PAGED) do names[#names + 1] = name end
      table.sort(names)
      error("bad argument #1 to '" .. fn .. "' (one of " .. table.concat(names, ", ") .. " expected, got "
        .. tostring(op) .. ")", 3)
    end
  end

  -- Iterates over the pages of a paginated operation, one request per page, holding one page at a time.
  function Client:pages(op, params)
    check_self(self, "pages")
    paged_operation(op, "pages")
    local token, finished = params and params.NextToken, false
    return function()
      if finished then return nil end
      local p = {}
      for k, v in pairs(params or {}) do p[k] = v end
      p.NextToken = token
      local page = self[op](self, p)
      token = page.NextToken
      finished = token == nil or token == ""
      return page
    end
  end

  -- Iterates over the items (datasets, records, pools, identities) of every page; yields item, page.
  function Client:items(op, params)
    check_self(self, "items")
    paged_operation(op, "items")
    local field = PAGED[op]
    local next_page = self:pages(op, params)
    local page, i = nil, 0
    return function()
      while true do
        local list = page and page[field]
        if list and i < #list then
          i = i + 1
          return list[i], page
        end
        page = next_page()
        if page == nil then return nil end
        i = 0
      end
    end
  end

  function S.new(options)
    if options ~= nil and type(options) ~= "table" then
      error("bad argument #1 to 'new' (table of options expected, got " .. type(options) .. ")", 2)
    end
    options = options or {}
    local handle, dry_run = core.newClient(options, config_values, module)
    local params = options.params
    if params == nil then params = config_values.params end
    if params ~= nil and type(params) ~= "table" then
      error("options.params: expected a table of bound parameters, got " .. type(params), 2)
    end
    return setmetatable({ handle = handle, params = params, dryRun = dry_run }, Client)
  end

  S.config = config
  S.configure = configure
  S.operations = OPERATIONS
  S.describe = function(operation) return core.describe(operation, module) end
  S.Client = Client
  return Client, check_self
end

local Client, check_self = new_service("cognitosync", M)


---------------------------------------------------------------------------------------------------
-- helpers: paging, patchRecords, waiters
---------------------------------------------------------------------------------------------------

local function raise(code, message, fields, level)
  local e = { code = code, message = message, retryable = false, retryCount = 0 }
  for k, v in pairs(fields or {}) do e[k] = v end
  error(setmetatable(e, ErrorMeta), level or 3)
end


local function stored_records(current, keys)
  local stored = {}
  for _, key in ipairs(keys) do
    if current[key] then stored[#stored + 1] = current[key] end
  end
  return stored
end

local PATCH_FIELDS = { IdentityPoolId = true, IdentityId = true, DatasetName = true, set = true, remove = true,
  onConflict = true, DeviceId = true, ClientContext = true, maxAttempts = true }

-- Sets and removes keys of one dataset so that the server ends up holding exactly the wanted values:
-- reads the session token and sync counts, writes only what differs, and on a conflict re-reads and
-- tries again. A value the server already holds is never written again, so a retried request whose
-- first response was lost cannot write twice. Returns the records as stored for the keys it was given.
function Client:patchRecords(spec)
  check_self(self, "patchRecords")
  if type(spec) ~= "table" then
    error("bad argument #1 to 'patchRecords' (table expected, got " .. type(spec) .. ")", 2)
  end
  local params = merge(self.params, spec, PATCH_FIELDS)
  for k in pairs(params) do
    if not PATCH_FIELDS[k] then raise("UnexpectedParameter", "patchRecords: unknown field " .. tostring(k),
      { path = "params." .. tostring(k) }) end
  end
  local set, remove = params.set or {}, params.remove or {}
  if type(set) ~= "table" then raise("InvalidParameterType", "params.set: expected a table of key = value", { path = "params.set" }) end
  if type(remove) ~= "table" then raise("InvalidParameterType", "params.remove: expected a list of keys", { path = "params.remove" }) end
  for k, v in pairs(set) do
    if type(k) ~= "string" or type(v) ~= "string" then
      raise("InvalidParameterType", "params.set: keys and values must be strings (" .. tostring(k) .. ")",
        { path = "params.set" })
    end
  end
  for i, k in ipairs(remove) do
    if type(k) ~= "string" then
      raise("InvalidParameterType", "params.remove[" .. i .. "]: expected a key string", { path = "params.remove[" .. i .. "]" })
    end
  end
  local on_conflict = params.onConflict
  local max_attempts = params.maxAttempts or 5
  local where = { IdentityPoolId = params.IdentityPoolId, IdentityId = params.IdentityId,
                  DatasetName = params.DatasetName }
  local keys = {}
  for k in pairs(set) do keys[#keys + 1] = k end
  for _, k in ipairs(remove) do keys[#keys + 1] = k end
  table.sort(keys)

  local seen = {}          -- key -> sync count our previous attempt was based on
  local wanted = {}        -- key -> value to hold, or false for removed
  for k, v in pairs(set) do wanted[k] = v end
  for _, k in ipairs(remove) do wanted[k] = false end

  for attempt = 1, max_attempts do
    local current, token = {}, nil
    for page in self:pages("listRecords", where) do
      token = page.SyncSessionToken
      for _, record in ipairs(page.Records or {}) do current[record.Key] = record end
    end
    local patches = {}
    for _, key in ipairs(keys) do
      local record = current[key]
      local holds = record and record.Value
      local want = wanted[key]
      if attempt > 1 and record and seen[key] ~= record.SyncCount and holds ~= (want or nil) and on_conflict then
        -- Someone else wrote this key since we read it: the hook decides (nil keeps theirs).
        local resolved = on_conflict(key, record, want or nil)
        if resolved == nil then
          want = holds or false
        elseif type(resolved) == "string" then
          want = resolved
        else
          raise("InvalidParameterType", "onConflict must return a string or nil, got " .. type(resolved))
        end
        wanted[key] = want
      end
      seen[key] = record and record.SyncCount or 0
      if want and holds ~= want then
        patches[#patches + 1] = { Op = "replace", Key = key, Value = want, SyncCount = record and record.SyncCount or 0 }
      elseif not want and holds ~= nil then
        patches[#patches + 1] = { Op = "remove", Key = key, SyncCount = record.SyncCount }
      end
    end
    if #patches == 0 then
      if self.dryRun then return { DryRun = true, RecordPatches = patches } end
      return stored_records(current, keys)
    end
    local request = { IdentityPoolId = where.IdentityPoolId, IdentityId = where.IdentityId,
      DatasetName = where.DatasetName, SyncSessionToken = token, RecordPatches = patches,
      DeviceId = params.DeviceId, ClientContext = params.ClientContext }
    local ok, result = pcall(self.updateRecords, self, request)
    if ok then
      if result.DryRun then
        result.RecordPatches = patches
        return result
      end
      for _, record in ipairs(result.Records or {}) do current[record.Key] = record end
      return stored_records(current, keys)
    end
    local conflict = type(result) == "table" and (result.code == "ResourceConflictException"
      or (result.code == "InvalidParameterException" and tostring(result.message):find("SyncSessionToken", 1, true)))
    if not conflict then error(result, 2) end
    if attempt == max_attempts then
      raise("ResourceConflictException", "patchRecords: still conflicting after " .. max_attempts
        .. " attempts: " .. tostring(result.message), { operation = "UpdateRecords" })
    end
  end
end

local WAITERS = {
  bulkPublishCompleted = function(self, params)
    local details = self:getBulkPublishDetails(params)
    local status = details.BulkPublishStatus
    if status == "SUCCEEDED" then return true, details end
    if status == "FAILED" then
      raise("WaiterFailed", "bulk publish failed: " .. tostring(details.FailureMessage),
        { operation = "GetBulkPublishDetails" }, 4)
    end
    if status == "NOT_STARTED" then
      raise("WaiterFailed", "no bulk publish was started for " .. tostring(details.IdentityPoolId),
        { operation = "GetBulkPublishDetails" }, 4)
    end
    return false, details
  end,
}

-- Polls until the named state is reached; returns the last response. options: delay (seconds, default 5),
-- maxAttempts (default 60).
function Client:waitFor(state, params, options)
  check_self(self, "waitFor")
  local check = WAITERS[state]
  if not check then
    error("bad argument #1 to 'waitFor' (unknown waiter " .. tostring(state) .. "; known: bulkPublishCompleted)", 2)
  end
  options = options or {}
  local delay, attempts = options.delay or 5, options.maxAttempts or 60
  for attempt = 1, attempts do
    local done, response = check(self, params)
    if done then return response end
    if attempt < attempts then M.sleep(delay) end
  end
  raise("ResourceNotReady", "waitFor(" .. state .. "): not reached after " .. attempts .. " attempts", {}, 2)
end


-- Cognito Identity's module, built once.
local identity
local function new_identity()
  if not identity then
    identity = { _VERSION = core.version }
    new_service("cognitoidentity", identity)
  end
  return identity
end

return M, new_identity
