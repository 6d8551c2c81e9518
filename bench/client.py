"""Client benchmark: the same work with cogsync-lua and with boto3 against one cogsync-local.

    python3 bench/client.py [--bin-dir .build/release] [--out FILE]

W1: for each of 2,000 identities, ListRecords then UpdateRecords of 10 records; sequential and 32 in flight.
W2: 10,000 ListRecords of 10-record datasets; sequential and 32 in flight; libcurl alone replaying one request signed
    in advance, 32 in flight (bench/curl_floor.c, the part of the client's CPU that is libcurl's); and the endpoint's
    own ceiling for that request, measured with wrk and the same signed request.
W3: time from process start to the first completed request.
Export: 100,000 records (100 identities x 1,000) read back with items() at 32 in flight; peak RSS.

Every client run is a child process; its CPU time comes from getrusage and its peak RSS from GNU time. Writes a
Markdown section (figures, targets and the command behind each figure) to --out, or to standard output.
"""

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
KEY, SECRET, REGION = "AKIDLOCAL", "cogsync-local-secret", "us-east-1"
POOL = "us-east-1:00000000-0000-4000-8000-00000000beef"
IDENTITIES = int(os.environ.get("BENCH_CLIENT_IDENTITIES", "2000"))
LISTS = int(os.environ.get("BENCH_CLIENT_LISTS", "10000"))
WRK_SECONDS = int(os.environ.get("BENCH_CLIENT_WRK_SECONDS", "10"))
FIRST_RUNS = int(os.environ.get("BENCH_CLIENT_FIRST_RUNS", "20"))
# Runs of each do-nothing start-up, taking turns.
IDLE_RUNS = int(os.environ.get("BENCH_CLIENT_IDLE_RUNS", "50"))
EXPORT_IDENTITIES = int(os.environ.get("BENCH_CLIENT_EXPORT_IDENTITIES", "100"))
EXPORT_RECORDS = int(os.environ.get("BENCH_CLIENT_EXPORT_RECORDS", "1000"))
REPEAT = int(os.environ.get("BENCH_CLIENT_REPEAT", "3"))
CONCURRENCY = 32
TICKS = os.sysconf("SC_CLK_TCK")


def identity_id(i):
    return "us-east-1:00000000-0000-4000-8000-%012d" % i


def log(message):
    print("bench_client: " + message, file=sys.stderr, flush=True)


class Endpoint:
    def __init__(self, binary):
        self.process = subprocess.Popen([str(binary), "--port", "0"], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit("cogsync-local did not start")

    def cpu(self):
        fields = Path("/proc/%d/stat" % self.process.pid).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def client(self):
        return boto3.client("cognito-sync", endpoint_url=self.url, region_name=REGION, aws_access_key_id=KEY,
                            aws_secret_access_key=SECRET, config=Config(retries={"mode": "standard"}))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Measured:
    """One child run: wall seconds, CPU seconds (user + system), peak RSS in MiB, output, and the endpoint's CPU
    seconds over the same time."""

    def __init__(self, wall, cpu, rss_mib, stdout, endpoint_cpu):
        self.wall, self.cpu, self.rss, self.stdout, self.endpoint_cpu = wall, cpu, rss_mib, stdout, endpoint_cpu

    def field(self, name):
        match = re.search(r"\b%s=(\d+)" % name, self.stdout)
        return int(match.group(1)) if match else None


def measure(command, env, endpoint):
    # GNU time forks a small process of its own to exec the command, so the child's peak RSS (%M) is its own; a
    # child spawned straight from this (large) Python process would report this process's size as its peak. CPU
    # comes from this process's RUSAGE_CHILDREN, which GNU time's 10 ms figures would round away; it includes
    # GNU time's own share, well under a millisecond.
    with tempfile.NamedTemporaryFile() as usage, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = endpoint.cpu()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        child = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", usage.name, *command], stdout=out, stderr=err,
                               env=env)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        endpoint_cpu = endpoint.cpu() - before
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        if child.returncode != 0:
            raise SystemExit("%s failed (%d):\n%s%s" % (" ".join(map(str, command)), child.returncode, stdout,
                                                        stderr))
        rss_kib = int(Path(usage.name).read_text().split()[-1])
    cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    return Measured(wall, cpu, rss_kib / 1024, stdout, endpoint_cpu)


def spawn_run(command, env):
    """(wall seconds, CPU seconds) of one run of `command`, spawned and reaped directly; its output is dropped."""
    with open(os.devnull, "wb") as null:
        started = time.perf_counter()
        pid = os.posix_spawnp(command[0], command, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, null.fileno(), 1), (os.POSIX_SPAWN_DUP2, null.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit("%s failed (status %d)" % (" ".join(map(str, command)), status))
    return wall, usage.ru_utime + usage.ru_stime


def first_request(command, env):
    """Seconds from spawning `command` to the line it prints when its first request has completed."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.communicate()
    if not line.startswith(b"done") or child.returncode != 0:
        raise SystemExit("%s failed: %r" % (" ".join(command), line))
    return elapsed


def signed_list_request(url, dataset):
    path = "/identitypools/%s/identities/%s/datasets/%s/records" % (
        POOL.replace(":", "%3A"), identity_id(1).replace(":", "%3A"), dataset)
    request = AWSRequest(method="GET", url=url + path)
    SigV4Auth(Credentials(KEY, SECRET), "cognito-sync", REGION).add_auth(request)
    return url + path, ["%s: %s" % kv for kv in request.headers.items()]


def wrk(url, headers, connections):
    threads = 1 if connections == 1 else 2
    report = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % WRK_SECONDS, *headers, url],
                            capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    if bad:
        raise SystemExit("wrk got %s error responses:\n%s" % (bad.group(1), report))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    return rate, "wrk -t%d -c%d -d%ds -H <signed headers> URL/…/records" % (threads, connections, WRK_SECONDS)


def preload_export(client, dataset):
    value = "v" * 64
    for i in range(1, EXPORT_IDENTITIES + 1):
        page = client.list_records(IdentityPoolId=POOL, IdentityId=identity_id(i), DatasetName=dataset)
        patches = [{"Op": "replace", "Key": "key%05d" % k, "Value": value, "SyncCount": 0}
                   for k in range(EXPORT_RECORDS)]
        client.update_records(IdentityPoolId=POOL, IdentityId=identity_id(i), DatasetName=dataset,
                              SyncSessionToken=page["SyncSessionToken"], RecordPatches=patches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin-dir", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--out")
    options = parser.parse_args()
    bin_dir = Path(options.bin_dir).resolve()
    os.chdir(ROOT)
    lua = str(bin_dir / "cogsync-lua")
    python = sys.executable
    for tool in ("wrk",):
        if not shutil.which(tool):
            raise SystemExit("bench_client: %s is missing (apt-get install %s)" % (tool, tool))
    # The Swift toolchain brings clang; Debian's cc is taken first when it is there.
    compiler = shutil.which("cc") or shutil.which("clang")
    if not compiler:
        raise SystemExit("bench_client: no C compiler (cc or clang) to build bench/curl_floor.c")

    endpoint = Endpoint(bin_dir / "cogsync-local")
    work = Path(tempfile.mkdtemp(prefix="bench-client-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(work), AWS_ENDPOINT_URL=endpoint.url, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET,
               AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION)
    rows = []
    load = os.getloadavg()[0]
    try:
        def best(name, workload, requests, display, commands):
            """Runs each command (one per round) and keeps the fastest run; the machine is shared."""
            runs = []
            for round_number, command in enumerate(commands, 1):
                log("%s: %s, round %d of %d" % (workload, name, round_number, len(commands)))
                result = measure(command, env, endpoint)
                if result.field("failed"):
                    raise SystemExit("%s: items failed\n%s" % (name, result.stdout))
                runs.append(result)
            fastest = min(runs, key=lambda r: r.wall)
            rows.append((workload, name, requests, fastest, display))
            return fastest

        lua_w1 = [lua, "bench/w1.lua", POOL]
        boto_w1 = [python, "bench/boto_client.py", "w1", POOL]
        w1 = {}
        for name, tag, base, display, concurrency in [
            ("cogsync-lua, sequential", "lua-seq", lua_w1, "cogsync-lua bench/w1.lua POOL DATASET %d 0", 0),
            ("cogsync-lua, map 32", "lua-map", lua_w1, "cogsync-lua bench/w1.lua POOL DATASET %d 32", CONCURRENCY),
            ("boto3, sequential", "boto-seq", boto_w1, "python3 bench/boto_client.py w1 POOL DATASET %d 0", 0),
            ("boto3, 32 threads", "boto-thr", boto_w1, "python3 bench/boto_client.py w1 POOL DATASET %d 32",
             CONCURRENCY),
        ]:
            datasets = ["w1-%s-%d" % (tag, r) for r in range(1, REPEAT + 1)]
            w1[name] = best(name, "W1", 2 * IDENTITIES, display % IDENTITIES,
                            [base + [d, str(IDENTITIES), str(concurrency)] for d in datasets])
            check_written(endpoint.client(), datasets)

        source = "w1-lua-map-1"
        w2 = {}
        for name, base, display, concurrency in [
            ("cogsync-lua, sequential", [lua, "bench/w2.lua"], "cogsync-lua bench/w2.lua POOL %s %d %d 0", 0),
            ("cogsync-lua, map 32", [lua, "bench/w2.lua"], "cogsync-lua bench/w2.lua POOL %s %d %d 32", CONCURRENCY),
            ("boto3, sequential", [python, "bench/boto_client.py", "w2"],
             "python3 bench/boto_client.py w2 POOL %s %d %d 0", 0),
            ("boto3, 32 threads", [python, "bench/boto_client.py", "w2"],
             "python3 bench/boto_client.py w2 POOL %s %d %d 32", CONCURRENCY),
        ]:
            command = base + [POOL, source, str(IDENTITIES), str(LISTS), str(concurrency)]
            w2[name] = best(name, "W2", LISTS, display % (source, IDENTITIES, LISTS), [command] * REPEAT)
            records = w2[name].field("records")
            if records != 10 * LISTS:
                raise SystemExit("%s read %s records, expected %d" % (name, records, 10 * LISTS))

        url, headers = signed_list_request(endpoint.url, source)
        floor = str(work / "curl_floor")
        subprocess.run([compiler, "-O2", "-o", floor, str(BENCH / "curl_floor.c"), "-lcurl"], check=True)
        name = "libcurl alone, 32 in flight"
        display = ("%s -O2 -o curl_floor bench/curl_floor.c -lcurl && "
                   "./curl_floor URL/…/records %d %d <signed headers>"
                   % (os.path.basename(compiler), LISTS, CONCURRENCY))
        w2[name] = best(name, "W2", LISTS, display, [[floor, url, str(LISTS), str(CONCURRENCY)] + headers] * REPEAT)
        # Every answer the page itself: the bodies average the size of the same request's body fetched once here
        # (they differ only by a few bytes of their SyncSessionToken).
        body = urllib.request.urlopen(urllib.request.Request(
            url, headers=dict(h.split(": ", 1) for h in headers)), timeout=30).read()
        made, received = w2[name].field("requests"), w2[name].field("bytes")
        if made != LISTS or not received or abs(received / made - len(body)) > 0.05 * len(body):
            raise SystemExit("%s: %s, expected requests=%d and about %d bytes each"
                             % (name, w2[name].stdout.strip(), LISTS, len(body)))

        log("W2: wrk")
        ceiling = {c: wrk(url, ["-H" + h for h in headers], c) for c in (1, CONCURRENCY)}

        log("W3: first request")
        first = {}
        for name, command, display in [
            ("cogsync-lua", [lua, "bench/first.lua", POOL, identity_id(1), source],
             "cogsync-lua bench/first.lua POOL IDENTITY %s" % source),
            ("boto3", [python, "bench/boto_client.py", "first", POOL, identity_id(1), source],
             "python3 bench/boto_client.py first POOL IDENTITY %s" % source),
        ]:
            times = sorted(first_request(command, env) for _ in range(FIRST_RUNS))
            whole = measure(command, env, endpoint)
            first[name] = (times, whole, display)
        idle = {}
        commands = [
            ("cogsync-lua", [lua, "-e", ""], "cogsync-lua -e ''"),
            ("lua5.4", ["lua5.4", "-e", ""], "lua5.4 -e ''"),
            ("boto3", [python, "-c", "import boto3; boto3.client('cognito-sync')"],
             "python3 -c \"import boto3; boto3.client('cognito-sync')\""),
        ]
        # Start-up is a few milliseconds: the median of several runs, the commands taking turns so that the
        # machine's load falls on each alike, each spawned and reaped directly (GNU time in between would add its
        # own exec to every run). Peak RSS comes from one run under GNU time, as elsewhere: a child spawned
        # straight from this process would report this process's size as its own.
        spawned = {name: [] for name, _, _ in commands}
        for _ in range(IDLE_RUNS):
            for name, command, _ in commands:
                spawned[name].append(spawn_run(command, env))
        for name, command, display in commands:
            runs = sorted(spawned[name])
            wall, cpu = runs[len(runs) // 2]
            idle[name] = (Measured(wall, cpu, measure(command, env, endpoint).rss, "", 0), display)

        log("export: loading %d records" % (EXPORT_IDENTITIES * EXPORT_RECORDS))
        preload_export(endpoint.client(), "export")
        exports = {}
        out = str(work / "export.tsv")
        for name, base, display in [
            ("cogsync-lua, map 32", [lua, "bench/export.lua"], "cogsync-lua bench/export.lua POOL export %d 32 OUT"),
            ("cogsync-lua, map 8", [lua, "bench/export.lua"], "cogsync-lua bench/export.lua POOL export %d 8 OUT"),
            ("boto3, 32 threads", [python, "bench/boto_client.py", "export"],
             "python3 bench/boto_client.py export POOL export %d 32 OUT"),
        ]:
            concurrency = re.search(r"(\d+)", name.split(",")[1]).group(1)
            command = base + [POOL, "export", str(EXPORT_IDENTITIES), concurrency, out]
            runs = []
            for round_number in range(1, REPEAT + 1):
                log("export: %s, round %d of %d" % (name, round_number, REPEAT))
                runs.append(measure(command, env, endpoint))
                lines = sum(1 for _ in open(out))
                if lines != EXPORT_IDENTITIES * EXPORT_RECORDS:
                    raise SystemExit("%s exported %d records" % (name, lines))
            # The fastest run's time and CPU, and the highest peak RSS of all runs.
            fastest = min(runs, key=lambda r: r.wall)
            fastest.rss = max(r.rss for r in runs)
            exports[name] = (fastest, display % EXPORT_IDENTITIES)
    finally:
        endpoint.stop()
        shutil.rmtree(work, ignore_errors=True)

    text = report(lua, rows, w1, w2, ceiling, first, idle, exports, (load, os.getloadavg()[0]))
    if options.out:
        Path(options.out).write_text(text)
    else:
        sys.stdout.write(text)


def check_written(client, datasets):
    """Every W1 run left 10 records in each identity's dataset (a sample of identities)."""
    for dataset in datasets:
        for i in (1, IDENTITIES // 2, IDENTITIES):
            page = client.list_records(IdentityPoolId=POOL, IdentityId=identity_id(i), DatasetName=dataset)
            values = {r["Key"]: r["Value"] for r in page["Records"]}
            if values != {"key%d" % k: "value-%d-%d" % (k, i) for k in range(1, 11)}:
                raise SystemExit("W1 %s: identity %d holds %r" % (dataset, i, values))


def report(lua, rows, w1, w2, ceiling, first, idle, exports, load):
    out = []
    add = out.append
    version = subprocess.run([lua, "-v"], capture_output=True, text=True).stdout.strip().splitlines()
    add("Measured by")
    add("")
    add("    scripts/bench client        # runs python3 bench/client.py --bin-dir .build/release")
    add("")
    add("cogsync-lua is built as `scripts/install` ships it (release, `--static-swift-stdlib`).")
    add("")
    add("on %s: %d cores shared by the client, the endpoint (`cogsync-local --port 0`, release build, memory storage) "
        "and wrk, with a 1-minute load average of %.2f before the run and %.2f after it; %s; boto3 %s on Python %s. "
        "One endpoint serves the whole run. Each client command runs from the repository root with "
        "`AWS_ENDPOINT_URL=URL AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=cogsync-local-secret "
        "AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1` and an empty `HOME`. `POOL` is `%s`, identity *i* is "
        "`us-east-1:00000000-0000-4000-8000-` followed by *i* in 12 digits, and each W1 round writes a dataset of its "
        "own (`DATASET` is `w1-lua-map-1`, `w1-lua-map-2`, ...), so every round does the same work: 2 requests per "
        "identity, the UpdateRecords creating the dataset. CPU is the client process's user + system time (from "
        "`getrusage(RUSAGE_CHILDREN)` around the run) and peak RSS its maximum resident set size (from "
        "`/usr/bin/time -f %%M`, which runs it); endpoint CPU is the endpoint's own CPU time during the run. The "
        "machine is shared, so each client figure is the fastest of %d rounds."
        % (datetime.date.today().isoformat(), os.cpu_count(), load[0], load[1],
           version[0] if version else "cogsync-lua", boto3.__version__, platform.python_version(), POOL, REPEAT))
    add("")
    add("| workload | client | requests | seconds | requests/s | CPU s per 1,000 requests | peak RSS MiB "
        "| endpoint CPU s | command |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for workload, name, requests, r, display in rows:
        add("| %s | %s | %d | %.2f | %.0f | %.3f | %.1f | %.2f | `%s` |" % (
            workload, name, requests, r.wall, requests / r.wall, 1000 * r.cpu / requests, r.rss, r.endpoint_cpu,
            display))
    add("")
    add("The endpoint's own ceiling for the W2 request (one ListRecords of a 10-record dataset, signed in advance "
        "with botocore and replayed by wrk):")
    add("")
    add("| connections | requests/s | command |")
    add("|---:|---:|---|")
    for connections, (rate, display) in sorted(ceiling.items()):
        add("| %d | %.0f | `%s` |" % (connections, rate, display))
    add("")
    add("W3, time from process start to the first completed request (one ListRecords; the script prints a line "
        "when it has the answer, and the time is taken when that line arrives), %d runs each; then one whole run "
        "measured with GNU time; and processes that do nothing (wall and CPU the median of %d runs each, taking "
        "turns and spawned directly, without GNU time; `lua5.4` for scale):"
        % (FIRST_RUNS, IDLE_RUNS))
    add("")
    add("| client | median ms | min ms | max ms | whole process ms | CPU ms | peak RSS MiB | command |")
    add("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, (times, whole, display) in first.items():
        add("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | `%s` |" % (
            name, 1000 * statistics.median(times), 1000 * times[0], 1000 * times[-1], 1000 * whole.wall,
            1000 * whole.cpu, whole.rss, display))
    for name, (whole, display) in idle.items():
        add("| %s, no request | | | | %.1f | %.1f | %.1f | `%s` |" % (
            name, 1000 * whole.wall, 1000 * whole.cpu, whole.rss, display))
    add("")
    add("Export of %d records (%d identities x %d records of 64-byte values, one ListRecords page each) with "
        "`items` inside `map`, written to a file; time and CPU of the fastest of %d rounds, peak RSS the highest:"
        % (EXPORT_IDENTITIES * EXPORT_RECORDS, EXPORT_IDENTITIES, EXPORT_RECORDS, REPEAT))
    add("")
    add("| client | seconds | records/s | CPU s | peak RSS MiB | command |")
    add("|---|---:|---:|---:|---:|---|")
    for name, (r, display) in exports.items():
        add("| %s | %.2f | %.0f | %.2f | %.1f | `%s` |" % (
            name, r.wall, EXPORT_IDENTITIES * EXPORT_RECORDS / r.wall, r.cpu, r.rss, display))
    add("")

    def rate(r, requests):
        return requests / r.wall

    lua_map, boto_thr = w1["cogsync-lua, map 32"], w1["boto3, 32 threads"]
    w1_ratio = rate(lua_map, 2 * IDENTITIES) / rate(boto_thr, 2 * IDENTITIES)
    w2_ratio = rate(w2["cogsync-lua, map 32"], LISTS) / rate(w2["boto3, 32 threads"], LISTS)
    cpu_w1 = lua_map.cpu / boto_thr.cpu
    cpu_w2 = w2["cogsync-lua, map 32"].cpu / w2["boto3, 32 threads"].cpu
    first_ms = 1000 * statistics.median(first["cogsync-lua"][0])
    export_32 = exports["cogsync-lua, map 32"][0].rss * 1.048576
    export_8 = exports["cogsync-lua, map 8"][0].rss * 1.048576
    share = rate(w2["cogsync-lua, map 32"], LISTS) / ceiling[CONCURRENCY][0]
    us_w1 = 1e6 * lua_map.cpu / (2 * IDENTITIES)
    us_w2 = 1e6 * w2["cogsync-lua, map 32"].cpu / LISTS
    us_floor = 1e6 * w2["libcurl alone, 32 in flight"].cpu / LISTS
    start_ms = 1000 * idle["cogsync-lua"][0].wall
    start_ratio = idle["cogsync-lua"][0].wall / idle["lua5.4"][0].wall
    add("Targets (32 in flight unless said otherwise; the ratios compare with boto3 at 32 threads):")
    add("")
    add("| target | figure | met |")
    add("|---|---:|---|")
    for target, figure, met in [
        ("W1 requests/s ≥ 5× boto3's", "%.1f×" % w1_ratio, w1_ratio >= 5),
        ("W2 requests/s ≥ 5× boto3's", "%.1f×" % w2_ratio, w2_ratio >= 5),
        ("W1 CPU per request ≤ 1/10 of boto3's", "1/%.1f" % (1 / cpu_w1), cpu_w1 <= 0.1),
        ("W2 CPU per request ≤ 1/10 of boto3's", "1/%.1f" % (1 / cpu_w2), cpu_w2 <= 0.1),
        ("W1 CPU per request ≤ 45 µs", "%.0f µs" % us_w1, us_w1 <= 45),
        ("W2 CPU per request ≤ 30 µs", "%.0f µs (libcurl alone: %.0f µs)" % (us_w2, us_floor), us_w2 <= 30),
        ("W3 first request within 25 ms of start (median)", "%.1f ms" % first_ms, first_ms <= 25),
        ("`cogsync-lua -e ''` within 5 ms (median wall)", "%.1f ms (%.1f× lua5.4's)" % (start_ms, start_ratio),
         start_ms <= 5),
        ("export of {:,} records within 50 MB peak RSS".format(EXPORT_IDENTITIES * EXPORT_RECORDS),
         "%.1f MB" % export_32, export_32 <= 50),
        ("the same export at 8 in flight", "%.1f MB" % export_8, export_8 <= 50),
        ("W2 ≥ 70%% of the endpoint's wrk ceiling at %d connections" % CONCURRENCY, "%.0f%%" % (100 * share),
         share >= 0.7),
    ]:
        add("| %s | %s | %s |" % (target, figure, "yes" if met else "**no**"))
    add("")
    if us_w2 > us_floor:
        own = ("cogsync-lua's own part of a W2 request (the Lua call, validation, signing, reading the answer into "
               "Lua tables, the scheduler) was the other %.0f µs." % (us_w2 - us_floor))
    else:
        own = "In this run it took more than cogsync-lua's whole request: the machine was too busy to tell them apart."
    add("libcurl alone (`bench/curl_floor.c`: the W2 request signed in advance and replayed at 32 in flight through "
        "curl's multi interface, set up as cogsync-lua's transport sets up a request but with one header list made "
        "once, each body kept and not read) took %.0f µs of CPU per request in the same run: what any client that "
        "sends its requests through this libcurl spends before it signs, validates or reads anything. %s"
        % (us_floor, own))
    # wrk replays one pre-signed request and leaves most of the machine to the endpoint; a signing client shares
    # the same cores with it, so the two processes' CPU per request bounds what they can reach together.
    lua_w2 = w2["cogsync-lua, map 32"]
    client_us = 1e6 * lua_w2.cpu / LISTS
    endpoint_us = 1e6 * lua_w2.endpoint_cpu / LISTS
    cores = os.cpu_count() or 1
    bound = cores / ((client_us + endpoint_us) / 1e6)
    add("")
    add("On this machine the client (%.0f µs of CPU per W2 request) and the endpoint (%.0f µs) share %d cores, so "
        "together they can serve at most %d × 10⁶ / (%.0f + %.0f) = %.0f requests/s, %.0f%% of the wrk ceiling; "
        "W2 at 32 in flight reached %.0f%% of that bound."
        % (client_us, endpoint_us, cores, cores, client_us, endpoint_us, bound,
           100 * bound / ceiling[CONCURRENCY][0], 100 * rate(lua_w2, LISTS) / bound))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
