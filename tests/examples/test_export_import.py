"""export.lua and import.lua: a migration from one pool to another, checked record by record with boto3."""

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import urllib.parse

from testkit import LoopbackServer, QuietHandler, binary, new_id


def seed(local, pool, count):
    """`count` identities with two or three datasets each, a tombstone, and values that need escaping."""
    identities = [new_id() for _ in range(count)]
    for i, identity in enumerate(identities):
        local.put(pool, identity, "settings", {"theme": "dark" if i % 2 else "light", "visits": str(i),
                                               "quote\"d\\key": "line\nbreak \u00e9 \U0001F600"})
        local.put(pool, identity, "profile", {"name": "user %d" % i, "old": "x"})
        local.put(pool, identity, "profile", {}, remove=["old"])
        if i % 3 == 0:
            local.put(pool, identity, "extra.data", {"k%d" % j: "v" * j for j in range(1, 6)})
    return identities


def expected_records(local, pool, identities):
    """What an export must hold, in order: by identity (file order), dataset, key; live records only."""
    rows = []
    for identity in identities:
        for dataset in local.datasets(pool, identity):
            for key, record in sorted(local.live(pool, identity, dataset).items()):
                rows.append({"pool": pool, "identity": identity, "dataset": dataset, "key": key,
                             "value": record["Value"], "syncCount": record["SyncCount"],
                             "lastModifiedBy": record["LastModifiedBy"],
                             "lastModifiedDate": record["LastModifiedDate"].timestamp()})
    return rows


def read_ndjson(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def comparable(rows):
    return [dict(r, lastModifiedDate=round(r["lastModifiedDate"], 3)) for r in rows]


def test_export_writes_every_live_record_in_identity_order(local, tmp_path):
    pool = new_id()
    identities = seed(local, pool, 12)
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("# identities to export\n" + "\n".join(reversed(identities)) + "\n\n")
    out = tmp_path / "out.ndjson"
    done = local.run("export.lua", pool, ids_file, out, "--concurrency", "4")
    rows = read_ndjson(out)
    assert comparable(rows) == comparable(expected_records(local, pool, list(reversed(identities))))
    assert len(rows) == 12 * 4 + 4 * 5
    assert "exported %d records of 12 identities (12 deleted records left out)" % len(rows) in done.stderr

    # The same export again is byte for byte the same file.
    again = tmp_path / "again.ndjson"
    local.run("export.lua", pool, ids_file, again)
    assert again.read_bytes() == out.read_bytes()


def test_export_reads_list_identities_json_and_works_without_cjson(local, tmp_path):
    pool = new_id()
    identities = seed(local, pool, 5)
    # Two pages as `aws cognito-identity list-identities` prints them, saved one after the other.
    pages = [{"IdentityPoolId": pool, "Identities": [{"IdentityId": i, "Logins": []} for i in identities[:3]],
              "NextToken": "t"},
             {"IdentityPoolId": pool, "Identities": [{"IdentityId": i} for i in identities[3:]]}]
    ids_file = tmp_path / "identities.json"
    ids_file.write_text(json.dumps(pages[0], indent=2) + "\n" + json.dumps(pages[1]))
    with_cjson, without = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    local.run("export.lua", pool, ids_file, with_cjson)
    local.run("export.lua", pool, ids_file, without, env={"LUA_CPATH": str(tmp_path / "none" / "?.so")})
    assert comparable(read_ndjson(with_cjson)) == comparable(expected_records(local, pool, identities))
    assert comparable(read_ndjson(without)) == comparable(read_ndjson(with_cjson))


def test_export_then_import_into_a_new_pool(local, tmp_path):
    pool, target = new_id(), new_id()
    identities = seed(local, pool, 8)
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(identities))
    out = tmp_path / "out.ndjson"
    local.run("export.lua", pool, ids_file, out)

    dry = local.run("import.lua", out, "--pool", target, options=["--dry-run"])
    assert "dry run: checked" in dry.stderr
    assert all(local.datasets(target, identity) == [] for identity in identities)

    done = local.run("import.lua", out, "--pool", target)
    assert "imported 47 records in 19 datasets" in done.stderr
    for identity in identities:
        assert local.datasets(target, identity) == local.datasets(pool, identity)
        for dataset in local.datasets(pool, identity):
            source = {k: r["Value"] for k, r in local.live(pool, identity, dataset).items()}
            imported = local.live(target, identity, dataset)
            assert {k: r["Value"] for k, r in imported.items()} == source
            assert {r["SyncCount"] for r in imported.values()} == {1}

    # Everything is checkpointed: a second run sends nothing.
    again = local.run("import.lua", out, "--pool", target, options=["--stats"])
    assert "resuming: 19 of 19 datasets already imported" in again.stderr
    assert "UpdateRecords" not in again.stderr and "ListRecords" not in again.stderr


class HoldingRelay:
    """Relays requests to an endpoint one connection each, and keeps the answer to the `hold`-th UpdateRecords
    (counting from 1) after the endpoint has applied that write: the write is done and the client never hears of
    it. `held` is set, with `held_path` the write's path, once that answer is being kept."""

    WRITE = re.compile(r"/identitypools/[^/]+/identities/[^/]+/datasets/[^/]+")

    def __init__(self, upstream, hold):
        target = urllib.parse.urlsplit(upstream)
        relay = self
        self.writes, self.hold, self.held_path = 0, hold, None
        self.held, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                # The Host header the client signed goes through unchanged.
                upstream.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
                response = upstream.getresponse()
                data = response.read()
                upstream.close()
                with relay.lock:
                    if self.command == "POST" and relay.WRITE.fullmatch(self.path) and response.status == 200:
                        relay.writes += 1
                        keep = relay.writes == relay.hold
                    else:
                        keep = False
                if keep:
                    relay.held_path = self.path
                    relay.held.set()
                    relay.release.wait()
                    self.close_connection = True
                    return
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = relay

        self.loopback = LoopbackServer(Handler)
        self.url = self.loopback.url

    def stop(self):
        self.release.set()
        self.loopback.stop()


def test_import_killed_halfway_resumes_and_writes_every_record_once(start_local, tmp_path):
    local = start_local()
    target = new_id()
    identities = [new_id() for _ in range(50)]
    with open(tmp_path / "in.ndjson", "w") as f:
        for n, identity in enumerate(identities):
            for dataset in ("settings", "profile"):
                for key in ("a", "b", "c"):
                    f.write(json.dumps({"pool": "us-east-1:00000000-0000-4000-8000-00000000dead",
                                        "identity": identity, "dataset": dataset, "key": key,
                                        "value": "%s-%s-%d" % (dataset, key, n)}) + "\n")
    checkpoint = tmp_path / "progress.txt"
    concurrency, hold = 4, 30
    command = local.command("import.lua", tmp_path / "in.ndjson", "--pool", target, "--checkpoint", checkpoint,
                            "--concurrency", concurrency)
    # The import is killed while the answer to its 30th write is kept from it: that dataset is written and not
    # checkpointed, the case where a resumed run must not write again.
    relay = HoldingRelay(local.url, hold)
    try:
        process = subprocess.Popen(command, env=local.env(AWS_ENDPOINT_URL_COGNITO_SYNC=relay.url),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert relay.held.wait(60), "the import did not make %d writes" % hold
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        relay.stop()
    # Complete lines only: a line cut short by the kill does not count, as for import.lua.
    checkpointed = set(checkpoint.read_text().split("\n")[:-1])
    done_before = len(checkpointed)
    # The writes before the held one, less those of the other workers still in progress, were checkpointed.
    assert hold - concurrency <= done_before < 100, done_before
    written = {"%s %s %s" % (target, identity, dataset) for identity in identities
               for dataset in ("settings", "profile") if local.records(target, identity, dataset)}
    held_identity, held_dataset = [urllib.parse.unquote(part) for part in relay.held_path.split("/")[4::2]]
    held = "%s %s %s" % (target, held_identity, held_dataset)
    assert held in written and held not in checkpointed
    assert checkpointed < written

    rerun = subprocess.run(command, env=local.env(), capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming: %d of 100 datasets already imported" % done_before in rerun.stderr
    assert len(set(checkpoint.read_text().split("\n")) - {""}) == 100

    for n, identity in enumerate(identities):
        for dataset in ("settings", "profile"):
            listing = local.records(target, identity, dataset, raw=True)
            # One write per dataset, ever: the dataset's and every record's sync count is 1.
            assert listing["DatasetSyncCount"] == 1
            assert sorted((r["Key"], r["Value"], r["SyncCount"]) for r in listing["Records"]) == [
                (key, "%s-%s-%d" % (dataset, key, n), 1) for key in ("a", "b", "c")]


def test_import_removes_keys_without_value_and_reports_bad_lines(local, tmp_path):
    pool, identity = new_id(), new_id()
    local.put(pool, identity, "settings", {"keep": "1", "drop": "2"})
    source = tmp_path / "patch.ndjson"
    source.write_text(json.dumps({"pool": pool, "identity": identity, "dataset": "settings", "key": "drop"}) + "\n"
                      + json.dumps({"pool": pool, "identity": identity, "dataset": "settings", "key": "new",
                                    "value": "3"}) + "\n")
    local.run("import.lua", source)
    assert {k: r["Value"] for k, r in local.live(pool, identity, "settings").items()} == {"keep": "1", "new": "3"}

    bad = tmp_path / "bad.ndjson"
    bad.write_text(json.dumps({"identity": identity, "dataset": "settings", "key": "x", "value": "y"}) + "\nnot json\n")
    failed = local.run("import.lua", bad, check=False)
    assert failed.returncode == 1
    assert "bad.ndjson:1: pool missing (use --pool)" in failed.stderr
    assert not os.path.exists(str(bad) + ".checkpoint")


def test_export_all_finds_every_identity_of_a_pool_through_cognito_identity(local, tmp_path):
    """A pool and 500 identities made with boto3's cognito-identity client, datasets written by a Lua script that
    loops over the pool's identities, then `export.lua POOL --all` pages through ListIdentities (60 a page) and
    exports every identity's records, as boto3 reads them back."""
    identity = local.client(service="cognito-identity")
    pool = identity.create_identity_pool(IdentityPoolName="migration", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"]
    identities = sorted(identity.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(500))
    assert len(set(identities)) == 500

    writer = tmp_path / "write.lua"
    writer.write_text(
        'local cognitosync, cognitoidentity = require("cognitosync"), require("cognitoidentity")\n'
        'local pool = ...\n'
        'local cs, ci = cognitosync.new{ params = { IdentityPoolId = pool } }, cognitoidentity.new{}\n'
        'local ids = {}\n'
        'for found in ci:items("listIdentities", { IdentityPoolId = pool, MaxResults = 60 }) do\n'
        '  ids[#ids + 1] = found.IdentityId\n'
        'end\n'
        'cognitosync.map(ids, function(id)\n'
        '  cs:patchRecords{ IdentityId = id, DatasetName = "profile", set = { owner = id, plan = "basic" } }\n'
        'end, { concurrency = 32, failFast = true })\n'
        'print(#ids)\n')
    done = subprocess.run([str(binary("cogsync-lua")), str(writer), pool], capture_output=True, text=True,
                          env=local.env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["500"]

    out = tmp_path / "all.ndjson"
    exported = local.run("export.lua", pool, "--all", out, timeout=120)
    assert "exported 1000 records of 500 identities" in exported.stderr
    rows = read_ndjson(out)
    assert [r["identity"] for r in rows[::2]] == identities
    assert comparable(rows) == comparable(expected_records(local, pool, identities))
    assert {r["value"] for r in rows if r["key"] == "owner"} == set(identities)
