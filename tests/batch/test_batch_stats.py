"""The run summary (cognitosync.stats() and --stats) against what went over the wire, and progress output."""

import os
import pty
import re
import subprocess
import threading

from batchkit import LuaRunner, lua_string
from testkit import binary, new_id

SCRIPT = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ maxRetries = 10, params = { IdentityPoolId = %s } }
    local identities = {}
    for i = 1, 30 do identities[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
    local _, errors = cognitosync.map(identities, function(identity, i)
      local page = cs:listRecords{ IdentityId = identity, DatasetName = "d" }
      if i <= 10 then
        cs:updateRecords{ IdentityId = identity, DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
          RecordPatches = { { Op = "replace", Key = "k", Value = "v", SyncCount = 0 } } }
      elseif i <= 15 then
        cs:describeDataset{ IdentityId = identity, DatasetName = "absent" }
      elseif i <= 17 then
        cs:updateRecords{ IdentityId = identity, DatasetName = "d", RecordPatches = {} }
      end
    end, { concurrency = 8 })
    local failed = 0
    for _ in pairs(errors) do failed = failed + 1 end
    emit("failed", failed)
    emit("stats", cognitosync.stats())
"""

ROW = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(.*)$")


def test_summary_counts_match_the_wire(start_endpoint, start_proxy, lua):
    endpoint = start_endpoint("--fault", "throttle=0.25", "--seed", "5")
    proxy = start_proxy(endpoint.url, delay=0.02)
    run = lua(proxy.url, SCRIPT % lua_string(new_id()), "--stats")
    assert run.returncode == 0, run
    assert run["failed"] == 7  # five DescribeDataset not found, two UpdateRecords that never reached the wire
    stats = run["stats"]
    operations = stats["operations"]
    assert sorted(operations) == ["DescribeDataset", "ListRecords", "UpdateRecords"] == proxy.operations()
    expected_calls = {"ListRecords": 30, "UpdateRecords": 10, "DescribeDataset": 5}
    for name, counters in operations.items():
        # Every attempt on the wire is a call or one of its retries; every 429 on the wire is a throttle.
        assert counters["calls"] == expected_calls[name]
        assert counters["calls"] + counters["retries"] == proxy.count(name), name
        assert counters["throttles"] == proxy.count(name, 429), name
        assert counters["errors"] == proxy.count(name, 404), name
        assert 0.02 <= counters["p50"] <= counters["p95"] <= counters["max"]
    assert proxy.count(status=429) > 0 and stats["retries"] >= stats["throttles"]
    for field in ("calls", "errors", "retries", "throttles"):
        assert stats[field] == sum(c[field] for c in operations.values())
    assert stats["calls"] == 45 and stats["errors"] == 5 and stats["dryRuns"] == 0
    assert stats["wallTime"] > 0

    # --stats prints the same counts at exit.
    rows = {}
    for line in run.stderr.splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = [int(x) for x in match.groups()[1:8]]
    assert sorted(rows) == ["DescribeDataset", "ListRecords", "UpdateRecords", "total"], run.stderr
    for name, row in rows.items():
        counters = stats if name == "total" else operations[name]
        assert row[:4] == [counters[f] for f in ("calls", "errors", "retries", "throttles")], name
        assert row[4] <= row[5] <= row[6]
        assert abs(row[4] - counters["p50"] * 1000) <= 1 and abs(row[6] - counters["max"] * 1000) <= 1
    assert re.search(r"^wall time \d+ ms$", run.stderr, re.M)


PROGRESS = """
    local cognitosync = require("cognitosync")
    local items = {}
    for i = 1, %d do items[i] = i end
    local results, errors = cognitosync.map(items, function(i)
      cognitosync.sleep(%s)
      if i %% 3 == 0 then error("item " .. i) end
      return i
    end, { concurrency = 1, progress = "migrating" })
    emit("done", #results)
"""


def test_progress_lines_when_stderr_is_not_a_terminal(endpoint, lua):
    run = lua(endpoint.url, PROGRESS % (7, "0.9"))
    assert run.returncode == 0, run
    lines = [line for line in run.stderr.splitlines() if line.startswith("migrating")]
    assert "\r" not in run.stderr
    # A line at the start, then one at most every five seconds, and the final one.
    assert re.match(r"^migrating: 1/7 [\d.]+/s ETA \d+s$", lines[0]), lines
    assert len(lines) >= 3
    for line in lines[1:-1]:
        assert re.match(r"^migrating: [2-7]/7 [\d.]+/s ETA \d+s( \d failed)?$", line), lines
    assert all(" failed" in line for line in lines[1:-1])  # item 3 had failed before the second line
    final = re.match(r"^migrating: 7/7 done in (\d+\.\d)s, 2 failed$", lines[-1])
    assert final and float(final.group(1)) >= 6.2, lines


def test_progress_bar_on_a_terminal(endpoint, tmp_path):
    runner = LuaRunner(tmp_path)
    script = tmp_path / "progress.lua"
    script.write_text("local emit = require('testout').emit\n" + PROGRESS % (10, "0.05"))
    master, slave = pty.openpty()
    chunks = []

    def read():
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    done = subprocess.run([str(binary("cogsync-lua")), str(script)], env=runner.env(endpoint.url),
                          stdout=subprocess.PIPE, stderr=slave, text=True, timeout=30)
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    assert done.returncode == 0, done.stdout
    text = b"".join(chunks).decode()
    frames = [f for f in text.split("\r") if f.strip()]
    bars = [f for f in frames if re.match(r"^migrating \[=* *\] \d+/10 [\d.]+/s ETA \d+s", f)]
    assert len(bars) >= 2, text
    assert any(" failed" in f for f in bars)
    assert re.search(r"migrating: 10/10 done in [\d.]+s, 3 failed", frames[-1]), text
