---@meta
-- LuaCATS annotations for the parts of the cognitosync module that do not come from the API model: the module
-- functions, client options, tasks, the error object and the helpers. The operations and their parameter and
-- result classes are in cognitosync.lua beside this file (generated); classes of the same name merge.

---@class cognitosync
---@field _VERSION string # the version of cogsync-lua
---@field operations string[] # the 17 operation method names
---@field Client cognitosync.Client # the client class: methods added to it exist on every Cognito Sync client
---@field config cognitosync.Options # defaults every later `new` starts from (the command line's flags are set here)
local cognitosync = {}

---@alias cognitosync.ClientErrorCode
---| "MissingRequiredParameter" # a required member is missing
---| "UnexpectedParameter" # a member or option the model does not know
---| "InvalidParameterType" # a value of the wrong type, or a string that is not UTF-8
---| "MinLengthError" # a string, list or map too short
---| "MaxLengthError" # a string, list or map too long
---| "MinRangeError" # a number too small
---| "MaxRangeError" # a number too large
---| "PatternMatchError" # a string not matching the member's pattern
---| "EnumError" # a value not among the member's enum values
---| "UriParameterError" # an empty URL path member
---| "InvalidHeaderValue" # a header member with CR, LF or NUL
---| "UnknownOperation" # no operation of that name
---| "InvalidParameter" # an unsupported option value
---| "ConfigError" # region, endpoint, profile or config file problem
---| "CredentialsError" # no usable credentials
---| "NetworkingError" # the connection failed (retried)
---| "TimeoutError" # connect or request timeout (retried)
---| "InvalidResponse" # a success response that does not fit the model
---| "Cancelled" # the task waiting on the call was cancelled (task:cancel, map's failFast)
---| "TooManyErrors" # --max-errors calls of the run have failed; no more are sent
---| "ReentrantCall" # an API call from a logger, customBackoff or request hook
---| "WaiterFailed" # waitFor reached a failure state
---| "ResourceNotReady" # waitFor ran out of attempts

---@alias cognitosync.ServiceErrorCode
---| "AlreadyStreamedException"
---| "ConcurrentModificationException"
---| "DuplicateRequestException"
---| "InternalErrorException"
---| "InvalidConfigurationException"
---| "InvalidLambdaFunctionOutputException"
---| "InvalidParameterException"
---| "LambdaThrottledException"
---| "LimitExceededException"
---| "NotAuthorizedException"
---| "ResourceConflictException"
---| "ResourceNotFoundException"
---| "TooManyRequestsException"
---| "InvalidSignatureException"
---| "UnrecognizedClientException"
---| "MissingAuthenticationTokenException"
---| "IncompleteSignatureException"
---| "SerializationException"
---| "UnknownOperationException"
---| "DeveloperUserAlreadyRegisteredException" # Cognito Identity
---| "ExternalServiceException" # Cognito Identity
---| "InvalidIdentityPoolConfigurationException" # Cognito Identity

---The table a failed call raises; `tostring(err)` gives one line. `Http<status>` (e.g. "Http502") is the code
---of an error response that names no code.
---@class cognitosync.Error
---@field code cognitosync.ClientErrorCode|cognitosync.ServiceErrorCode|string
---@field message string
---@field statusCode? integer # the HTTP status, when a response came
---@field retryable boolean # whether sending again may succeed
---@field requestId? string # the service's request id
---@field operation? string # the API operation name, e.g. "UpdateRecords"
---@field retryCount integer # retries made before giving up
---@field path? string # for validation errors: where, e.g. "params.RecordPatches[2].Op"
---@field retryQuotaExhausted? true # the client's retry quota could not pay for another retry

---@class cognitosync.Credentials
---@field accessKeyId string
---@field secretAccessKey string
---@field sessionToken? string

---@class cognitosync.RetryDelayOptions
---@field base? number # backoff base in milliseconds (default 100)
---@field customBackoff? fun(retryCount: integer, err: cognitosync.Error): number? # delay in ms (over 20 s waits 20 s), nil to stop retrying; anything else fails the call

---@class cognitosync.HttpOptions
---@field proxy? string # proxy URL
---@field connectTimeout? number # milliseconds
---@field timeout? number # milliseconds for the whole request

---@class cognitosync.ParamValidationOptions
---@field min? boolean
---@field max? boolean
---@field pattern? boolean
---@field enum? boolean

---@class cognitosync.Logger
---@field write fun(self: cognitosync.Logger, text: string)

---Options of `cognitosync.new`; every one may be left out. An unknown option is an error.
---@class cognitosync.Options
---@field params? table # parameters bound to every call of the client
---@field endpoint? string # service URL
---@field region? string
---@field accessKeyId? string
---@field secretAccessKey? string
---@field sessionToken? string
---@field credentials? cognitosync.Credentials
---@field profile? string # shared config/credentials profile
---@field maxRetries? integer # retries per call (default 2; batch mode does not count throttles)
---@field maxRedirects? integer # HTTP redirects followed (default 10)
---@field sslEnabled? boolean # false: http:// for the resolved AWS endpoint
---@field paramValidation? boolean|cognitosync.ParamValidationOptions
---@field convertResponseTypes? true # responses are always typed by the model
---@field correctClockSkew? boolean # adopt the server's clock when ours is off (default true)
---@field retryDelayOptions? cognitosync.RetryDelayOptions
---@field httpOptions? cognitosync.HttpOptions
---@field logger? fun(line: string)|cognitosync.Logger # one line per call
---@field systemClockOffset? number # milliseconds added to the clock when signing
---@field signatureVersion? "v4"
---@field signatureCache? true
---@field apiVersion? "2014-06-30"|"latest"
---@field apiVersions? table<string, string> # as AWS.config.apiVersions: { cognitosync = "2014-06-30" }
---@field maxInFlight? integer # requests of this client on the wire at once (default 32)
---@field dryRun? boolean # mutating calls are validated and returned, not sent
---@field retryMode? "batch"|"standard"|"adaptive"|"legacy" # default batch: a shared send-rate controller
---@field useFipsEndpoint? boolean
---@field useDualstackEndpoint? boolean

---What a mutating call returns in a dry run.
---@class cognitosync.DryRunResult
---@field DryRun true
---@field Operation string # e.g. "UpdateRecords"
---@field Method string
---@field Path string
---@field Query string
---@field Body string
---@field RecordPatches? cognitosync.RecordPatch[] # patchRecords only: the patches it would send

---A task started by `cognitosync.spawn`.
---@class cognitosync.Task
---@field status "ready"|"running"|"waiting"|"done"|"failed"
local Task = {}

---Parks the caller until the task ends; returns true and its results, or false and its error.
---@return boolean ok
---@return any ...
function Task:wait() end

---Ends the task unless it has finished: the request it waits on is abandoned at once and never retried, its
---to-be-closed variables are closed, and it fails with a `Cancelled` error object (which `wait` returns). The
---running task cancelling itself raises that error.
function Task:cancel() end

---@class cognitosync.MapOptions
---@field concurrency? integer # items running at once (default 16)
---@field failFast? boolean # the first failure cancels the items running and starts no more
---@field progress? string # label of a progress display on stderr

---@class cognitosync.Progress
local Progress = {}

---Redraws the display: `done` items so far, `failed` of them failed.
---@param done integer
---@param failed integer
function Progress:update(done, failed) end

---Prints the final line: count, failures and elapsed time.
---@param done integer
---@param failed integer
function Progress:finish(done, failed) end

---@class cognitosync.OperationStats
---@field calls integer
---@field errors integer
---@field retries integer # every retry
---@field throttleRetries integer # retries after a throttle
---@field transientRetries integer # retries after any other retryable error
---@field clockSkewRetries integer # retries after a rejected clock
---@field expiredCredentialRetries integer # retries with new credentials after the service said they expired
---@field throttles integer # throttled attempts
---@field quotaExhaustions integer # calls that failed because the retry quota was empty
---@field dryRuns integer # mutating calls not sent
---@field p50 number # seconds
---@field p95 number # seconds
---@field max number # seconds

---@class cognitosync.Stats: cognitosync.OperationStats
---@field wallTime number # seconds since the start
---@field operations table<string, cognitosync.OperationStats> # by API operation name
---@field clients cognitosync.ClientRate[] # clients that paced their requests or were throttled

---@class cognitosync.ClientRate
---@field retryMode "batch"|"standard"|"adaptive"
---@field sendRate? number # requests per second in force; nil while not limited
---@field allowedRate? number # the rate the controller estimates the service allows

---Starts `fn(...)` as a new task.
---@param fn async fun(...): ...
---@param ... any
---@return cognitosync.Task
function cognitosync.spawn(fn, ...) end

---Parks the calling task for `seconds`; other tasks run.
---@param seconds number
function cognitosync.sleep(seconds) end

---Calls `fn(item, index)` for every item, at most `concurrency` at once. Returns the results in list order and
---the errors by index (nil when every item succeeded).
---@generic T, R
---@param list T[]
---@param fn fun(item: T, index: integer): R
---@param options? cognitosync.MapOptions
---@return R[] results
---@return table<integer, cognitosync.Error|string>? errors
function cognitosync.map(list, fn, options) end

---A progress display on stderr: a bar on a terminal, a line every few seconds otherwise.
---@param label string
---@param total integer
---@return cognitosync.Progress
function cognitosync.progress(label, total) end

---What the run has done so far: totals and per operation.
---@return cognitosync.Stats
function cognitosync.stats() end

---The description `--describe` prints: of one operation, or without an argument the list of operations.
---@param operation? cognitosync.OperationName
---@return string
function cognitosync.describe(operation) end

---@class cognitosync.PatchRecordsSpec
---@field IdentityPoolId? string # may come from the client's bound params
---@field IdentityId? string
---@field DatasetName? string
---@field set? table<string, string> # keys to hold, with their values
---@field remove? string[] # keys to remove
---@field onConflict? fun(key: string, theirs: cognitosync.Record, wanted: string?): string? # value to write, nil keeps theirs
---@field maxAttempts? integer # default 5
---@field DeviceId? string
---@field ClientContext? string

---@class cognitosync.WaitForOptions
---@field delay? number # seconds between polls (default 5)
---@field maxAttempts? integer # polls before ResourceNotReady (default 60)

---@class cognitosync.Client
local Client = {}

---Iterates over the pages of a paginated operation, one request per page.
---@overload fun(self: cognitosync.Client, op: "listRecords", params: cognitosync.ListRecordsRequest): fun(): cognitosync.ListRecordsResponse?
---@overload fun(self: cognitosync.Client, op: "listDatasets", params: cognitosync.ListDatasetsRequest): fun(): cognitosync.ListDatasetsResponse?
---@overload fun(self: cognitosync.Client, op: "listIdentityPoolUsage", params: cognitosync.ListIdentityPoolUsageRequest): fun(): cognitosync.ListIdentityPoolUsageResponse?
---@param op "listRecords"|"listDatasets"|"listIdentityPoolUsage"
---@param params table
---@return fun(): table?
function Client:pages(op, params) end

---Iterates over the items of every page: records, datasets or pool usages, each with its page.
---@overload fun(self: cognitosync.Client, op: "listRecords", params: cognitosync.ListRecordsRequest): fun(): cognitosync.Record?, cognitosync.ListRecordsResponse
---@overload fun(self: cognitosync.Client, op: "listDatasets", params: cognitosync.ListDatasetsRequest): fun(): cognitosync.Dataset?, cognitosync.ListDatasetsResponse
---@overload fun(self: cognitosync.Client, op: "listIdentityPoolUsage", params: cognitosync.ListIdentityPoolUsageRequest): fun(): cognitosync.IdentityPoolUsage?, cognitosync.ListIdentityPoolUsageResponse
---@param op "listRecords"|"listDatasets"|"listIdentityPoolUsage"
---@param params table
---@return fun(): table?, table
function Client:items(op, params) end

---Makes one dataset hold exactly the given values: reads, writes only what differs, retries on conflict, and
---never writes a value the service already holds. Returns the stored records of the keys given (sorted by key),
---or in a dry run the result with the patches it would send.
---@param spec cognitosync.PatchRecordsSpec
---@return cognitosync.Record[]|cognitosync.DryRunResult
function Client:patchRecords(spec) end

---Sends an operation without a signature and without looking for credentials; the service refuses it, and the
---error object says so as the service did.
---@param operation cognitosync.OperationName
---@param params table
---@return table
function Client:makeUnauthenticatedRequest(operation, params) end

---What a request hook is called with.
---@class cognitosync.RequestEvent
---@field event "send"|"retry"|"success"|"error"|"complete"
---@field operation string # API name, e.g. "UpdateRecords"
---@field params table # the call's parameters; SyncSessionToken and a device's Token read "<redacted>"
---@field attempt? integer # send and retry: the attempt, from 1
---@field delay? number # retry: seconds before the next attempt
---@field attempts? integer # success, error, complete: attempts made
---@field latency? number # success, error, complete: seconds from the first attempt to the end
---@field status? integer # the HTTP status, when there was one
---@field ok? boolean # complete: whether the call succeeded
---@field error? cognitosync.Error # retry, error, complete after a failure

---Adds a request lifecycle hook: "send" and "retry" for each attempt, "success" or "error" and then "complete" for
---each call. A hook that raises is reported once; an API call from a hook fails with ReentrantCall.
---@param event "send"|"retry"|"success"|"error"|"complete"
---@param fn fun(event: cognitosync.RequestEvent)
---@return cognitosync.Client
function Client:on(event, fn) end

---Sets several defaults at once in `cognitosync.config`; unknown option names are errors.
---@param options cognitosync.Options
---@return cognitosync.Options
function cognitosync.configure(options) end

---Polls until the state is reached and returns the last response; raises WaiterFailed or ResourceNotReady.
---@param state "bulkPublishCompleted"
---@param params cognitosync.GetBulkPublishDetailsRequest
---@param options? cognitosync.WaitForOptions
---@return cognitosync.GetBulkPublishDetailsResponse
function Client:waitFor(state, params, options) end
