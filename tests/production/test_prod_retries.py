"""Retries as DESIGN.md section 6 has them, seen from a Lua script against a scripted loopback server: maxRetries,
retryDelayOptions (base, customBackoff), Retry-After, the retry quota, re-signing, and retryCount on the error."""

import re

from prodkit import client_options, error_reply, json_reply

CALL = """
local cognitosync = require("cognitosync")
local lines = {}
local cs = cognitosync.new{ %s, logger = function(line) lines[#lines + 1] = line end }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
for _, line in ipairs(lines) do print("LOG " .. line) end
if ok then
  print("OK")
else
  print("ERR", err.code, err.statusCode, err.retryable, err.retryCount, err.operation, err.requestId)
  print("TEXT " .. tostring(err))
end
"""


def call(lua, server, env=None, flags=(), **options):
    done = lua.run(CALL % client_options(server.url, **options), env=env, flags=flags)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fields(output):
    return next(line for line in output.splitlines() if line.startswith(("OK", "ERR"))).split("\t")


def test_transient_errors_are_retried_and_counted(lua, start_server):
    server = start_server(lambda i, r: error_reply(500 if i == 0 else 503, "InternalErrorException")
                          if i < 2 else json_reply())
    output = call(lua, server, retryDelayOptions="{ base = 1 }")
    assert fields(output) == ["OK"]
    assert len(server.received()) == 3
    assert re.search(r"^LOG \[cognitosync 200 \d+\.\d{3}s 2 retries\] listIdentityPoolUsage$", output, re.M), output


def test_max_retries_bounds_attempts_and_the_error_carries_the_count(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException", "try later"))
    output = call(lua, server, maxRetries=1, retryDelayOptions="{ base = 1 }")
    assert fields(output) == ["ERR", "InternalErrorException", "500", "true", "1", "ListIdentityPoolUsage",
                              "req-500"]
    assert "TEXT InternalErrorException: try later [ListIdentityPoolUsage, HTTP 500, 1 retries, request req-500]" \
        in output
    assert len(server.received()) == 2
    assert "LOG [cognitosync 500 " in output and "1 retries] listIdentityPoolUsage InternalErrorException" in output


def test_max_retries_zero_and_the_command_line_and_aws_max_attempts(lua, start_server):
    server = start_server(lambda i, r: error_reply(503, "ServiceUnavailable"))
    assert fields(call(lua, server, maxRetries=0))[4] == "0"
    assert len(server.received()) == 1
    assert fields(call(lua, server, flags=["--max-retries", "2"], retryDelayOptions="{ base = 1 }"))[4] == "2"
    assert len(server.received()) == 4
    assert fields(call(lua, server, env={"AWS_MAX_ATTEMPTS": "2"}, retryDelayOptions="{ base = 1 }"))[4] == "1"
    assert len(server.received()) == 6
    # The option beats the environment.
    assert fields(call(lua, server, env={"AWS_MAX_ATTEMPTS": "5"}, maxRetries=0))[4] == "0"
    assert len(server.received()) == 7


def test_default_is_three_attempts(lua, start_server):
    server = start_server(lambda i, r: error_reply(503, "InternalErrorException"))
    output = call(lua, server, retryDelayOptions="{ base = 1 }")
    assert fields(output)[:5] == ["ERR", "InternalErrorException", "503", "true", "2"]
    assert len(server.received()) == 3


def test_conflicts_limits_and_bad_parameters_are_never_retried(lua, start_server):
    for status, code in [(409, "ResourceConflictException"), (400, "LimitExceededException"),
                         (400, "InvalidParameterException"), (403, "NotAuthorizedException")]:
        server = start_server(lambda i, r, s=status, c=code: error_reply(s, c))
        assert fields(call(lua, server))[:5] == ["ERR", code, str(status), "false", "0"]
        assert len(server.received()) == 1, code


BACKOFF = """
local cognitosync = require("cognitosync")
local calls = {}
local cs = cognitosync.new{ %s, maxRetries = 3, retryMode = "standard",
  retryDelayOptions = { customBackoff = function(retryCount, err)
  calls[#calls + 1] = table.concat({ math.type(retryCount), retryCount, err.code, err.statusCode,
    tostring(err.retryable), err.operation, err.retryCount }, " ")
  return %s
end } }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
for _, c in ipairs(calls) do print("BACKOFF " .. c) end
print(ok, ok or err.code, ok or err.retryCount)
"""


def test_custom_backoff_gets_the_retry_count_and_the_error(lua, start_server):
    server = start_server(lambda i, r: error_reply(429, "TooManyRequestsException"))
    done = lua.run(BACKOFF % (client_options(server.url), "10"))
    assert done.returncode == 0, done.stderr
    backoffs = [line for line in done.stdout.splitlines() if line.startswith("BACKOFF")]
    assert backoffs == ["BACKOFF integer %d TooManyRequestsException 429 true ListIdentityPoolUsage %d" % (n, n)
                        for n in range(3)]
    assert done.stdout.splitlines()[-1] == "false\tTooManyRequestsException\t3"
    assert len(server.received()) == 4


def test_custom_backoff_sets_the_wait(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException") if i < 2 else json_reply())
    done = lua.run(BACKOFF % (client_options(server.url), "300"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("true")
    times = [r.time for r in server.received()]
    assert len(times) == 3
    assert all(b - a >= 0.28 for a, b in zip(times, times[1:])), times


def test_custom_backoff_nil_stops_retrying(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException"))
    done = lua.run(BACKOFF % (client_options(server.url), "nil"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "false\tInternalErrorException\t0"
    assert len(server.received()) == 1


def test_retry_after_is_honoured(lua, start_server):
    server = start_server(lambda i, r: error_reply(429, "TooManyRequestsException", headers=[("Retry-After", "1")])
                          if i == 0 else json_reply())
    assert fields(call(lua, server, retryDelayOptions="{ base = 1 }")) == ["OK"]
    first, second = server.received()
    assert second.time - first.time >= 0.95


def test_every_retry_is_signed_again(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException") if i == 0 else json_reply())
    done = lua.run(BACKOFF % (client_options(server.url), "1100"))
    assert done.returncode == 0, done.stderr
    first, second = server.received()
    assert first.header("X-Amz-Date") != second.header("X-Amz-Date")
    assert first.signature and second.signature and first.signature != second.signature


def test_retry_quota_stops_a_client_from_hammering_an_endpoint_that_is_down(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException"))
    source = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 1000, retryDelayOptions = { customBackoff = function() return 0 end } }
for i = 1, 2 do
  local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
  print(err.code, err.retryCount)
end
""" % client_options(server.url)
    done = lua.run(source)
    assert done.returncode == 0, done.stderr
    # 500 tokens at 14 a retry after a server error.
    assert done.stdout.splitlines() == ["InternalErrorException\t35", "InternalErrorException\t0"]
    assert len(server.received()) == 37


def test_small_base_keeps_retries_quick(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException"))
    source = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 10, retryDelayOptions = { base = 1 } }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
print(err.retryCount)
""" % client_options(server.url)
    done = lua.run(source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "10"
    times = [r.time for r in server.received()]
    assert len(times) == 11
    # Jittered windows of 1, 2, 4 ... 512 ms wait at most 1.023 s in all, leaving about 2 s for eleven requests on
    # a loaded machine. The default 50 ms base (windows up to 20 s) would wait under 3 s less than once in 10,000 runs.
    assert times[-1] - times[0] < 3, times


def test_retry_options_are_checked(lua):
    for options, expected in [("retryDelayOptions = { bogus = 1 }", "options.retryDelayOptions.bogus"),
                              ("retryDelayOptions = { customBackoff = 5 }", "customBackoff"),
                              ("maxRetries = -1", "options.maxRetries"),
                              ("maxRetries = 1.5", "options.maxRetries")]:
        source = """
local ok, err = pcall(require("cognitosync").new, { region = "us-east-1", %s })
print(ok, err.code, err.path or err.message)
""" % options
        done = lua.run(source)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("false\t"), options
        assert expected in done.stdout, (options, done.stdout)


MODE = """
local cognitosync = require("cognitosync")
local ok, cs = pcall(cognitosync.new, { %s })
if not ok then print("ERR", cs.code, cs.path, cs.message) return end
print((tostring(cs):match("retryMode (%%a+)")))
"""


def mode(lua, server, env=None, flags=(), config=None, **options):
    if config is not None:
        (lua.tmp_path / "config").write_text(config)
        env = dict(env or {}, AWS_CONFIG_FILE=str(lua.tmp_path / "config"))
    done = lua.run(MODE % client_options(server.url, **options), env=env, flags=flags)
    return (done.stdout + done.stderr).strip()


def test_retry_mode_comes_from_the_option_the_command_line_the_environment_or_the_profile(lua, start_server):
    server = start_server(lambda i, r: json_reply())
    adaptive_profile = "[default]\nretry_mode = adaptive\n"
    assert mode(lua, server) == "batch"
    assert mode(lua, server, config=adaptive_profile) == "adaptive"
    assert mode(lua, server, config=adaptive_profile, env={"AWS_RETRY_MODE": "standard"}) == "standard"
    assert mode(lua, server, env={"AWS_RETRY_MODE": "standard"}, flags=["--retry-mode", "adaptive"]) == "adaptive"
    assert mode(lua, server, flags=["--retry-mode", "adaptive"], retryMode='"standard"') == "standard"
    assert mode(lua, server, env={"AWS_RETRY_MODE": "legacy"}) == "standard"
    assert mode(lua, server, retryMode='"batch"', env={"AWS_RETRY_MODE": "standard"}) == "batch"
    profile = "[profile ops]\nretry_mode = standard\n"
    assert mode(lua, server, config=profile, env={"AWS_PROFILE": "ops"}) == "standard"


def test_a_bad_retry_mode_is_refused_naming_where_it_came_from(lua, start_server):
    server = start_server(lambda i, r: json_reply())
    assert mode(lua, server, retryMode='"fast"') == \
        'ERR\tInvalidParameter\toptions.retryMode\toptions.retryMode: must be one of standard, adaptive, batch ' \
        '(or legacy, meaning standard), got "fast"'
    assert "AWS_RETRY_MODE must be one of standard, adaptive, batch" in mode(lua, server, env={"AWS_RETRY_MODE": "x"})
    assert "retry_mode in profile 'default' must be one of" in mode(lua, server, config="[default]\nretry_mode = y\n")
    done = lua.run("print(1)", flags=["--retry-mode", "quick"])
    assert done.returncode == 1
    assert "'--retry-mode' needs one of standard, adaptive, batch (or legacy, meaning standard), got 'quick'" \
        in done.stderr


def test_each_mode_handles_throttles_its_own_way(lua, start_server):
    # Standard and adaptive spend attempts on throttles: three in all. Batch resends a throttled request without
    # spending attempts, up to ten throttles of one call.
    for retry_mode, attempts in [("standard", 3), ("adaptive", 3), ("batch", 11)]:
        server = start_server(lambda i, r: error_reply(429, "TooManyRequestsException"))
        output = call(lua, server, retryMode='"%s"' % retry_mode,
                      retryDelayOptions="{ customBackoff = function() return 1 end }")
        assert fields(output)[:5] == ["ERR", "TooManyRequestsException", "429", "true", str(attempts - 1)], retry_mode
        assert len(server.received()) == attempts, retry_mode


def test_a_quota_exhausted_error_says_so(lua, start_server):
    server = start_server(lambda i, r: error_reply(500, "InternalErrorException", "down"))
    source = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 1000, retryDelayOptions = { customBackoff = function() return 0 end } }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
print(err.code, err.retryCount, tostring(err.retryQuotaExhausted))
print(err.message)
""" % client_options(server.url)
    done = lua.run(source, flags=["--stats"])
    assert done.returncode == 0, done.stderr
    first, message = done.stdout.splitlines()
    assert first == "InternalErrorException\t35\ttrue"
    assert re.fullmatch(r"down \(not retried: retry quota exhausted after 35 other failures in \d+\.\d s\)", message)
    assert re.search(r"^retries: 0 after throttling, 35 after other errors, 0 after clock skew, 0 after expired credentials; "
                     r"retry quota exhausted 1 times$", done.stderr, re.M), done.stderr
