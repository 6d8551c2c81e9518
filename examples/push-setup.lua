-- Configures push sync, Cognito streams and Cognito events for a pool, then registers a device and
-- subscribes it to a dataset. It reads before it writes and only sends what differs, so running it again
-- changes nothing: every line then says "unchanged".
--
-- Usage: cogsync-lua push-setup.lua POOL --role ARN --app ARN
--          [--stream NAME --stream-role ARN [--streaming ENABLED|DISABLED]] [--sync-trigger LAMBDA_ARN]
--          [--identity ID --platform APNS|APNS_SANDBOX|GCM|ADM --token TOKEN --dataset NAME]
--   --role          IAM role that Cognito Sync assumes to send push notifications through SNS
--   --app           SNS platform application ARN (added to the pool's list; others are kept)
--   --stream        Kinesis stream to publish dataset changes to, with --stream-role (the role to write it)
--   --streaming     the stream's status (default ENABLED)
--   --sync-trigger  Lambda function run on every sync (the SyncTrigger Cognito event)
--   --identity ...  a device to register for an identity and subscribe to DATASET's changes
local cognitosync = require("cognitosync")
local args = require("lib.args")

local spec = {
  usage = "push-setup.lua POOL --role ARN --app ARN [--stream NAME --stream-role ARN [--streaming STATUS]] "
    .. "[--sync-trigger ARN] [--identity ID --platform PLATFORM --token TOKEN --dataset NAME]",
  positional = { "pool" },
  options = { role = "string", app = "string", stream = "string", ["stream-role"] = "string",
              streaming = "string", ["sync-trigger"] = "string", identity = "string", platform = "string",
              token = "string", dataset = "string" },
}
local opts = args.parse(arg, spec)
if not opts.role or not opts.app then args.fail(spec, "--role and --app are required") end
if (opts.stream == nil) ~= (opts.stream_role == nil) then args.fail(spec, "--stream needs --stream-role") end
local device_options = 0
for _, name in ipairs{ "identity", "platform", "token", "dataset" } do
  if opts[name] then device_options = device_options + 1 end
end
if device_options > 0 and device_options < 4 then
  args.fail(spec, "a device needs --identity, --platform, --token and --dataset")
end

local cs = cognitosync.new{ params = { IdentityPoolId = opts.pool } }

local function report(what, changed, detail)
  print(string.format("%-14s %-9s %s", what, changed and "set" or "unchanged", detail))
end

-- Push sync and streams: one SetIdentityPoolConfiguration with only the blocks that differ.
local config = cs:getIdentityPoolConfiguration{}
local push = config.PushSync or {}
local arns = push.ApplicationArns or {}
local has_app = false
for _, arn in ipairs(arns) do has_app = has_app or arn == opts.app end
local update = {}
if push.RoleArn ~= opts.role or not has_app then
  local wanted = { table.unpack(arns) }
  if not has_app then wanted[#wanted + 1] = opts.app end
  update.PushSync = { RoleArn = opts.role, ApplicationArns = wanted }
end
if opts.stream then
  local streams = config.CognitoStreams or {}
  local status = opts.streaming or "ENABLED"
  if streams.StreamName ~= opts.stream or streams.RoleArn ~= opts.stream_role or streams.StreamingStatus ~= status then
    update.CognitoStreams = { StreamName = opts.stream, RoleArn = opts.stream_role, StreamingStatus = status }
  end
end
if next(update) then cs:setIdentityPoolConfiguration(update) end
report("push sync", update.PushSync ~= nil, opts.role .. " " .. opts.app)
if opts.stream then
  report("streams", update.CognitoStreams ~= nil, opts.stream .. " " .. (opts.streaming or "ENABLED"))
end

if opts.sync_trigger then
  local events = cs:getCognitoEvents{}.Events or {}
  local changed = events.SyncTrigger ~= opts.sync_trigger
  if changed then cs:setCognitoEvents{ Events = { SyncTrigger = opts.sync_trigger } } end
  report("events", changed, "SyncTrigger " .. opts.sync_trigger)
end

if opts.identity then
  -- The service gives the same DeviceId for the same identity, platform and token, and subscribing again
  -- is a no-op, so these two calls are safe to repeat.
  local device_id = cs:registerDevice{ IdentityId = opts.identity, Platform = opts.platform, Token = opts.token }.DeviceId
  cs:subscribeToDataset{ IdentityId = opts.identity, DatasetName = opts.dataset, DeviceId = device_id }
  print(string.format("%-14s %-9s %s subscribed to %s", "device", "ready", device_id, opts.dataset))
end
