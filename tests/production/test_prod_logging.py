"""The logger option (a function, or an object with :write such as io.stderr) gets one line per call; --debug
prints the wire exchange; neither ever shows the secret key, the session token, a signature or what
credential_process printed."""

import re
import sys

from prodkit import IDENTITY, POOL, client_options, lua_string

LINE = re.compile(r"^\[cognitosync (\d{3}|[A-Za-z]+) \d+\.\d{3}s (\d+) retries\] ([a-zA-Z]+)( [A-Za-z]+)?$")


def test_logger_function_gets_one_line_per_call(lua, start_local):
    local = start_local()
    source = """
local cognitosync = require("cognitosync")
local lines = {}
local cs = cognitosync.new{ %s, params = { IdentityPoolId = %s, IdentityId = %s },
  logger = function(line) lines[#lines + 1] = line end }
local page = cs:listRecords{ DatasetName = "logged" }
cs:updateRecords{ DatasetName = "logged", SyncSessionToken = page.SyncSessionToken,
  RecordPatches = { { Op = "replace", Key = "k", Value = "v", SyncCount = 0 } } }
pcall(cs.updateRecords, cs, { DatasetName = "logged", SyncSessionToken = page.SyncSessionToken,
  RecordPatches = { { Op = "replace", Key = "k", Value = "w", SyncCount = 0 } } })
pcall(cs.describeDataset, cs, { DatasetName = "missing" })
for _, line in ipairs(lines) do print(line) end
""" % (client_options(local.url), lua_string(POOL), lua_string(IDENTITY))
    done = lua.run(source)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4, lines
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in parsed] == [
        ("200", "0", "listRecords", None),
        ("200", "0", "updateRecords", None),
        ("409", "0", "updateRecords", " ResourceConflictException"),
        ("404", "0", "describeDataset", " ResourceNotFoundException"),
    ]


def test_logger_objects_with_write(lua, start_local):
    local = start_local()
    source = """
local cognitosync = require("cognitosync")
local sink = { text = "" }
function sink:write(s) self.text = self.text .. s end
local mine = cognitosync.new{ %s, logger = sink }
mine:listIdentityPoolUsage{}
mine:listIdentityPoolUsage{}
io.write(sink.text)
local stderr = cognitosync.new{ %s, logger = io.stderr }
stderr:listIdentityPoolUsage{}
""" % (client_options(local.url), client_options(local.url))
    done = lua.run(source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("\n")
    assert [bool(LINE.match(line)) for line in done.stdout.splitlines()] == [True, True]
    assert [line for line in done.stderr.splitlines() if LINE.match(line)] == done.stderr.splitlines()
    assert len(done.stderr.splitlines()) == 1


def test_logger_values_are_checked(lua):
    for value in ["42", "{}", "{ write = 'no' }", "setmetatable({}, { __index = function() error('boom') end })"]:
        done = lua.run('local ok, err = pcall(require("cognitosync").new, { region = "us-east-1", logger = %s })\n'
                       'print(ok, err.code, err.path)' % value)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "false\tInvalidParameterType\toptions.logger", (value, done.stdout)


def test_a_failing_logger_does_not_fail_the_call(lua, start_local):
    local = start_local()
    source = """
local cs = require("cognitosync").new{ %s, logger = function() error("logger broke") end }
print(cs:listIdentityPoolUsage{}.MaxResults)
""" % client_options(local.url)
    done = lua.run(source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "60"
    assert "logger broke" in done.stderr


def test_debug_prints_the_wire_exchange(lua, start_local):
    local = start_local()
    source = """
local cs = require("cognitosync").new{ %s }
cs:listRecords{ IdentityPoolId = %s, IdentityId = %s, DatasetName = "traced", MaxResults = 5 }
""" % (client_options(local.url), lua_string(POOL), lua_string(IDENTITY))
    done = lua.run(source, flags=["--debug"])
    assert done.returncode == 0, done.stderr
    trace = done.stderr
    path = "/identitypools/us-east-1%3A00000000-0000-4000-8000-00000000a001/identities/"
    assert "> GET " + local.url + path in trace
    assert "maxResults=5" in trace
    assert re.search(r"^> X-Amz-Date: \d{8}T\d{6}Z$", trace, re.M)
    assert "Credential=AKIDLOCAL/" in trace and "Signature=<redacted>" in trace
    assert "< HTTP 200" in trace
    assert re.search(r"^< x-amzn-RequestId: \S+$", trace, re.M)
    assert '"SyncSessionToken"' in trace, "the response body is shown"


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYsecret1"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJGMEQCIBtoken1"

TRAFFIC = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 8, retryDelayOptions = { base = 1 },
  params = { IdentityPoolId = %s, IdentityId = %s }, logger = function(line) print("LOGGER " .. line) end }
local other = cognitosync.new{ %s, logger = io.stderr }
print(cs, other)
local keys = {}
for i = 1, 30 do keys[i] = "k" .. i end
local results, errors = cognitosync.map(keys, function(key)
  local page = cs:listRecords{ DatasetName = "secrets" }
  -- A lost answer makes this first write come back as a conflict on its retry.
  local wrote, first = pcall(cs.updateRecords, cs, { DatasetName = "secrets", SyncSessionToken = page.SyncSessionToken,
    RecordPatches = { { Op = "replace", Key = key, Value = "v", SyncCount = 0 } } })
  print("FIRST", wrote or first.code, wrote or tostring(first))
  local ok, err = pcall(cs.updateRecords, cs, { DatasetName = "secrets", SyncSessionToken = page.SyncSessionToken,
    RecordPatches = { { Op = "replace", Key = key, Value = "again", SyncCount = 0 } } })
  print("CONFLICT", ok, tostring(err))
  return key
end, { concurrency = 8 })
for i, err in pairs(errors or {}) do print("ERROR", tostring(err)) end
print(pcall(other.listIdentityPoolUsage, other, {}))
"""


def assert_no_secret(text, secrets):
    for secret in secrets:
        assert secret and secret not in text, "printed: %s" % secret
        # Also no fragment long enough to rebuild it.
        for start in range(0, len(secret) - 24, 8):
            assert secret[start:start + 24] not in text


def test_no_secret_in_debug_trace_logger_or_errors(lua, start_local, proxy):
    local = start_local("--credentials", "AKIDSECRETS:" + SECRET, "--fault", "throttle=0.25,error=0.1,lost=0.03",
                        "--seed", "11")
    options = client_options(local.url, key="AKIDSECRETS", secret=SECRET, sessionToken=lua_string(TOKEN),
                             httpOptions='{ proxy = "%s" }' % proxy.url)
    source = TRAFFIC % (options, lua_string(POOL), lua_string(IDENTITY), options)
    done = lua.run(source, flags=["--debug", "--stats"])
    assert done.returncode == 0, done.stderr[-3000:]
    output = done.stdout + done.stderr
    # The run did what it should, and its output is the real trace.
    # Every second write is refused; under these fault rates an unlucky one may still be failing with a
    # throttle or a 500 when its retries (or the client's retry quota) run out.
    conflicts = [line for line in output.splitlines() if line.startswith("CONFLICT\t")]
    assert len(conflicts) == 30 and all(line.startswith("CONFLICT\tfalse\t") for line in conflicts)
    refused = [line.split("\t")[2].split(":")[0] for line in conflicts]
    assert refused.count("ResourceConflictException") >= 25, refused
    assert set(refused) <= {"ResourceConflictException", "TooManyRequestsException", "InternalErrorException"}
    assert "Credential=AKIDSECRETS/" in output and "Signature=<redacted>" in output
    assert "X-Amz-Security-Token: <redacted>" in output
    assert re.search(r"LOGGER \[cognitosync 200 [\d.]+s [1-9]\d* retries\]", output), "retries were logged"
    assert "< no response:" in output, "a lost answer was traced"
    recorded = proxy.recorded()
    signatures = {dict((k.lower(), v) for k, v in h)["authorization"].split("Signature=")[1] for _, _, h in recorded}
    tokens = {dict((k.lower(), v) for k, v in h)["x-amz-security-token"] for _, _, h in recorded}
    assert tokens == {TOKEN}
    # Identical requests signed within the same second share a signature, so there are fewer than requests.
    assert len(recorded) > 90 and len(signatures) > 30
    assert_no_secret(output, [SECRET, TOKEN] + sorted(signatures))


def test_no_credential_process_output_in_debug_trace(lua, start_local, tmp_path):
    secret, token = "procSECRETvalue/0123456789abcdefghijklmnopqrstuv", "procTOKENvalue/0123456789abcdefghijklmnopq"
    local = start_local("--credentials", "AKIDPROCESS:" + secret)
    helper = tmp_path / "creds.py"
    helper.write_text('import json, sys\nprint("fetching credentials", file=sys.stderr)\n'
                      'print(json.dumps({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": %r, '
                      '"SessionToken": %r, "Expiration": "2099-01-01T00:00:00Z"}))\n' % (secret, token))
    config = tmp_path / "config"
    config.write_text("[profile proc]\nregion = us-east-1\ncredential_process = %s %s\n" % (sys.executable, helper))
    source = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ endpoint = %s, profile = "proc", logger = io.stderr }
print(cs:listIdentityPoolUsage{}.MaxResults)
local ok, err = pcall(cs.describeIdentityPoolUsage, cs,
  { IdentityPoolId = "us-east-1:00000000-0000-4000-8000-0000000000ff" })
print(ok, err.code, err.statusCode)
""" % lua_string(local.url)
    done = lua.run(source, flags=["--debug"], env={"AWS_CONFIG_FILE": str(config)})
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert done.stdout.splitlines() == ["60", "false\tResourceNotFoundException\t404"]
    assert "Credential=AKIDPROCESS/" in output
    assert_no_secret(output, [secret, token])
