"""Clock skew against cogsync-local with its clock moved: corrected by default from the server's Date (also for
calls already in flight), a clear error with correctClockSkew = false, and systemClockOffset honoured."""

import re

from prodkit import client_options

SCRIPT = """
local cognitosync = require("cognitosync")
local lines = {}
local cs = cognitosync.new{ %s, logger = function(line) lines[#lines + 1] = line end }
local list = {}
for i = 1, 40 do list[i] = i end
local results, errors = cognitosync.map(list, function() return cs:listIdentityPoolUsage{}.MaxResults end,
  { concurrency = 32 })
local failed = 0
for i, err in pairs(errors or {}) do
  failed = failed + 1
  if failed == 1 then print("ERROR", err.code, err.statusCode, err.retryable, err.message) end
end
print("FAILED", failed)
for _, line in ipairs(lines) do print("LOG " .. line) end
-- Later calls are signed with the corrected clock.
local ok = pcall(cs.listIdentityPoolUsage, cs, {})
print("LATER", ok, lines[#lines])
"""


def run(lua, local, **options):
    done = lua.run(SCRIPT % client_options(local.url, **options))
    assert done.returncode == 0, done.stderr
    return done.stdout


def failed(output):
    return int(re.search(r"^FAILED\t(\d+)$", output, re.M).group(1))


def test_skew_is_corrected_by_default(lua, start_local):
    for offset in ["3600", "-3600"]:
        local = start_local("--clock-offset", offset)
        output = run(lua, local)
        assert failed(output) == 0, output
        logs = re.findall(r"^LOG \[cognitosync 200 [\d.]+s (\d+) retries\]", output, re.M)
        assert len(logs) == 40
        assert set(logs) <= {"0", "1"}
        # All 32 calls in flight were signed with the wrong clock; each is retried once after the correction.
        assert logs.count("1") >= 32, logs
        assert re.search(r"^LATER\ttrue\t\[cognitosync 200 [\d.]+s 0 retries\]", output, re.M), output


def test_without_correction_the_error_says_why(lua, start_local):
    local = start_local("--clock-offset", "3600")
    output = run(lua, local, correctClockSkew="false")
    assert failed(output) == 40
    error = re.search(r"^ERROR\t(.*)$", output, re.M).group(1).split("\t")
    assert error[:3] == ["InvalidSignatureException", "403", "false"]
    assert "Signature expired" in error[3]
    assert re.search(r"the client's clock is 3\d\d\d s behind the server's and correctClockSkew is off", error[3])
    assert "LATER\tfalse" in output


def test_system_clock_offset_is_used_for_signing(lua, start_local):
    local = start_local("--clock-offset", "3600")
    output = run(lua, local, correctClockSkew="false", systemClockOffset="3600 * 1000")
    assert failed(output) == 0, output
    assert set(re.findall(r"^LOG \[cognitosync 200 [\d.]+s (\d+) retries\]", output, re.M)) == {"0"}


def test_a_wrong_system_clock_offset_is_corrected(lua, start_local):
    local = start_local()
    output = run(lua, local, systemClockOffset="-7200 * 1000")
    assert failed(output) == 0, output
    assert "LATER\ttrue" in output
    wrong = run(lua, local, systemClockOffset="7200 * 1000", correctClockSkew="false")
    assert failed(wrong) == 40
    assert re.search(r"the client's clock is 7\d\d\d s ahead of the server's", wrong), wrong
