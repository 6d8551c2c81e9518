"""A migration against a rate-limited endpoint: every item finishes, each record is written once, and the run
says how hard the service pushed back (stats, --stats, the progress line, the maxInFlight notice)."""

import re

from batchkit import list_records, lua_string
from testkit import new_id

MIGRATION = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ params = { IdentityPoolId = %s, DatasetName = "settings" } }
    local identities = {}
    for i = 1, %d do identities[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
    local _, errors = cognitosync.map(identities, function(identity)
      return cs:patchRecords{ IdentityId = identity, set = { theme = "dark/" .. identity, lang = "en", v = "2" } }
    end, { concurrency = 32, progress = "migrating" })
    local failed = {}
    for i, err in pairs(errors or {}) do failed[#failed + 1] = i .. ": " .. tostring(err) end
    emit("failed", failed)
    emit("stats", cognitosync.stats())
    emit("client", tostring(cs))
"""

IDENTITIES = 240


def test_a_migration_against_a_rate_limit_finishes_every_item_once(start_endpoint, start_proxy, lua, tmp_path):
    pool = new_id()
    data = str(tmp_path / "state.db")
    endpoint = start_endpoint("--rate-limit", "200", "--data", data)
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, MIGRATION % (lua_string(pool), IDENTITIES), "--stats")
    assert run.returncode == 0, run
    assert not run["failed"], run["failed"]
    assert "retryMode batch" in run["client"], "batch is the default"

    # The service pushed back, and every 429 on the wire was seen and resent.
    stats = run["stats"]
    throttled = proxy.count(status=429)
    assert throttled > 0
    assert stats["throttles"] == throttled == stats["throttleRetries"]
    assert stats["errors"] == 0 and stats["quotaExhaustions"] == 0 and stats["transientRetries"] == 0
    assert stats["calls"] + stats["retries"] == len(proxy.exchanges)
    [client] = stats["clients"]
    assert client["retryMode"] == "batch" and client["allowedRate"] > 0 and client["sendRate"] > 0

    # boto3 reads every record back, once each: nothing lost, nothing written twice (from the same data file,
    # without the rate limit).
    endpoint.stop()
    reader = start_endpoint("--data", data).client()
    for i in range(1, IDENTITIES + 1):
        identity = "us-east-1:00000000-0000-4000-8000-%012d" % i
        records, _ = list_records(reader, pool, identity, "settings")
        assert {k: (r["Value"], r["SyncCount"]) for k, r in records.items()} == {
            "theme": ("dark/" + identity, 1), "lang": ("en", 1), "v": ("2", 1)}, identity

    # --stats and the progress line say what happened.
    assert re.search(r"^retries: %d after throttling, 0 after other errors, 0 after clock skew, 0 after expired credentials; "
                     r"retry quota exhausted 0 times$" % throttled, run.stderr, re.M), run.stderr
    assert re.search(r"^client 1 \(batch\): send rate \d+(\.\d)?/s, estimated allowed rate \d+(\.\d)?/s$",
                     run.stderr, re.M), run.stderr
    assert re.search(r"^migrating: %d/%d done in [\d.]+s \(sending \d+/s, %d throttled\)$"
                     % (IDENTITIES, IDENTITIES, throttled), run.stderr, re.M), run.stderr


WIDE_MAP = """
    local cognitosync = require("cognitosync")
    local cs = cognitosync.new{ maxInFlight = 4, params = { IdentityPoolId = %s } }
    local items = {}
    for i = 1, 12 do items[i] = string.format("us-east-1:00000000-0000-4000-8000-%%012d", i) end
    for round = 1, 2 do
      local results = cognitosync.map(items, function(identity)
        return cs:listDatasets{ IdentityId = identity }.Count
      end, { concurrency = 8 })
      emit("done" .. round, #results)
    end
    local narrow = cognitosync.new{ maxInFlight = 16, params = { IdentityPoolId = %s } }
    cognitosync.map(items, function(identity) return narrow:listDatasets{ IdentityId = identity } end,
      { concurrency = 8 })
"""


def test_a_map_wider_than_max_in_flight_is_reported_once(endpoint, lua):
    pool = lua_string(new_id())
    run = lua(endpoint.url, WIDE_MAP % (pool, pool))
    assert run.returncode == 0, run
    assert run["done1"] == run["done2"] == 12
    notices = [line for line in run.stderr.splitlines() if "maxInFlight" in line]
    assert notices == ["cogsync-lua: map runs 8 items at once, but client 1 sends at most 4 requests at once "
                       "(maxInFlight); the others wait their turn. Raise maxInFlight in cognitosync.new{} to send "
                       "more."], run.stderr
