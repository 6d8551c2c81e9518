"""Rate-limit benchmark: a migration against a rate-limited cogsync-local, cogsync-lua against boto3.

    python3 bench/throttle.py [--bin-dir .build-bench/release] [--out FILE]
    python3 bench/throttle.py boto MODE POOL IDENTITIES THREADS        (the boto3 side, run as a child)

Part 1, the migration: for each of 1,500 identities, set 3 keys of dataset "settings" to values that name the
identity (cogsync-lua: patchRecords inside map, bench/throttle.lua; boto3: ListRecords then UpdateRecords with the
session token and SyncCount 0 for each new key, on 32 threads sharing one client). Each client runs against a fresh
`cogsync-local --rate-limit 300`; afterwards every record is read back with boto3 and checked (3 records per
identity, the right values, SyncCount 1).

Part 2, the fault mix: 1,000 identities against a fresh `cogsync-local --fault throttle=0.3,error=0.1,reset=0.05,
lost=0.1 --seed 7` per client; the import is re-run (same pool, same endpoint, same client) while items fail, up to
3 times, and then every record is checked through the same faulty endpoint by a boto3 client with 20 attempts.

Every client run is a child process. Writes a Markdown section (figures, targets and the command behind each
figure) to --out, or to standard output.
"""

import os

# botocore reads this when it is imported: the AWS SDKs' retry behaviour of 2026-11 (the check in this process,
# and every boto3 child, which gets it in its environment).
os.environ["AWS_NEW_RETRIES_2026"] = "true"

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
KEY, SECRET, REGION = "AKIDLOCAL", "cogsync-local-secret", "us-east-1"
DATASET = "settings"
IDENTITIES = int(os.environ.get("BENCH_THROTTLE_IDENTITIES", "1500"))
FAULT_IDENTITIES = int(os.environ.get("BENCH_THROTTLE_FAULT_IDENTITIES", "1000"))
RATE = int(os.environ.get("BENCH_THROTTLE_RATE", "300"))
FAULTS = "throttle=0.3,error=0.1,reset=0.05,lost=0.1"
SEED = 7
RERUNS = 3
# A client run taking longer than this is stopped and shown as timed out; the benchmark goes on.
TIMEOUT = float(os.environ.get("BENCH_THROTTLE_TIMEOUT", "300"))
CONCURRENCY = 32
# Targets for cogsync-lua's default mode in part 1.
TARGET_RATE_SHARE, TARGET_THROTTLED_SHARE = 0.90, 0.05


def identity_id(i):
    return "us-east-1:00000000-0000-4000-8000-%012d" % i


def wanted(identity):
    """The 3 values the migration writes for one identity (the same as bench/throttle.lua's)."""
    return {"theme": "theme of " + identity, "lang": "lang of " + identity, "owner": identity}


def log(message):
    print("bench_throttle: " + message, file=sys.stderr, flush=True)


def error_code(error):
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code") or "HTTP%s" % error.response.get(
            "ResponseMetadata", {}).get("HTTPStatusCode")
    return type(error).__name__


# ---------------------------------------------------------------------------------------------------------------
# The boto3 side (a child process).
# ---------------------------------------------------------------------------------------------------------------

def boto_migrate(mode, pool, identities, threads):
    """The migration with boto3; prints the same key=value line as bench/throttle.lua."""
    started = time.perf_counter()
    cs = boto3.client("cognito-sync", config=Config(retries={"mode": mode}, max_pool_connections=threads))
    lock = threading.Lock()
    counts = {"attempts": 0, "throttles": 0, "calls": 0, "errors": 0}

    def attempt(response=None, **_):
        # needs-retry is emitted after every attempt, the last one included; response is (http, parsed) when an
        # answer came, None when the connection failed.
        with lock:
            counts["attempts"] += 1
            if response is not None and response[0].status_code == 429:
                counts["throttles"] += 1

    cs.meta.events.register_first("needs-retry.cognito-sync", attempt)

    def call(operation, **params):
        with lock:
            counts["calls"] += 1
        try:
            return getattr(cs, operation)(**params)
        except Exception:
            with lock:
                counts["errors"] += 1
            raise

    def migrate(i):
        # As patchRecords does: read the session token and the records, write only what differs, each key with the
        # SyncCount it holds (0 for a new key, so every key of a new dataset).
        identity = identity_id(i)
        where = dict(IdentityPoolId=pool, IdentityId=identity, DatasetName=DATASET)
        page = call("list_records", **where)
        held = {r["Key"]: r for r in page["Records"]}
        patches = [{"Op": "replace", "Key": key, "Value": value,
                    "SyncCount": held[key]["SyncCount"] if key in held else 0}
                   for key, value in sorted(wanted(identity).items())
                   if key not in held or held[key].get("Value") != value]
        if patches:
            call("update_records", SyncSessionToken=page["SyncSessionToken"], RecordPatches=patches, **where)

    failures = {}
    with ThreadPoolExecutor(max_workers=threads) as executor:
        futures = [executor.submit(migrate, i) for i in range(1, identities + 1)]
        for future in futures:
            error = future.exception()
            if error is not None:
                code = error_code(error)
                failures.setdefault(code, [0, str(error)])[0] += 1
    failed = sum(n for n, _ in failures.values())
    codes = ",".join("%s:%d" % (code, failures[code][0]) for code in sorted(failures)) or "-"
    print("failed=%d codes=%s calls=%d errors=%d retries=%d throttles=%d wallTime=%.3f retryMode=%s" % (
        failed, codes, counts["calls"], counts["errors"], counts["attempts"] - counts["calls"], counts["throttles"],
        time.perf_counter() - started, mode))
    for code in sorted(failures):
        print("error %s %s" % (code, failures[code][1].replace("\n", " ")))


# ---------------------------------------------------------------------------------------------------------------
# The benchmark.
# ---------------------------------------------------------------------------------------------------------------

class Endpoint:
    def __init__(self, binary, args):
        self.args = args
        self.process = subprocess.Popen([str(binary), "--port", "0", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            raise SystemExit("cogsync-local %s did not start" % " ".join(args))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Run:
    """One child run: its wall seconds and the figures of its key=value line."""

    def __init__(self, command, display, wall, stdout, timed_out=False):
        self.command, self.display, self.wall, self.timed_out = command, display, wall, timed_out
        self.fields, self.messages = {}, {}
        if timed_out:
            return
        lines = stdout.strip().splitlines()
        if not lines or not lines[0].startswith("failed="):
            raise SystemExit("%s printed no figures:\n%s" % (display, stdout))
        self.fields = dict(item.split("=", 1) for item in lines[0].split())
        # One message per error code of a failed item.
        for line in lines[1:]:
            if line.startswith("error "):
                code, _, message = line[len("error "):].partition(" ")
                self.messages[code] = message

    def number(self, name):
        value = self.fields.get(name, "-")
        return None if value == "-" else float(value)

    @property
    def failed(self):
        """Failed items; None when the run timed out (unknown)."""
        return None if self.timed_out else int(self.fields["failed"])

    @property
    def finished(self):
        return self.failed == 0

    @property
    def codes(self):
        return "timed out" if self.timed_out else self.fields.get("codes", "-")

    @property
    def attempts(self):
        return None if self.timed_out else int(self.fields["calls"]) + int(self.fields["retries"])

    @property
    def throttles(self):
        return None if self.timed_out else int(self.fields["throttles"])

    def failed_text(self):
        return "**timed out after %.0f s**" % self.wall if self.timed_out else "%d" % self.failed

    def throttled_text(self):
        if self.timed_out:
            return "-"
        return "%d (%s)" % (self.throttles, share(self.throttles, self.attempts))


def run_child(command, display, env):
    started = time.perf_counter()
    try:
        child = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        log("%s: stopped after %.0f s" % (display, TIMEOUT))
        return Run(command, display, time.perf_counter() - started, "", timed_out=True)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s%s" % (" ".join(command), child.returncode, child.stdout, child.stderr))
    return Run(command, display, wall, child.stdout)


def check(url, pool, identities):
    """Reads back every identity's dataset with a boto3 client of 20 attempts (reads are also repeated here, so a
    faulty endpoint or the rate limit cannot fail the check). Returns (records right, problems)."""
    cs = boto3.client("cognito-sync", endpoint_url=url, region_name=REGION, aws_access_key_id=KEY,
                      aws_secret_access_key=SECRET,
                      config=Config(retries={"mode": "standard", "max_attempts": 20}, max_pool_connections=8))

    def records(identity):
        found, token = [], None
        while True:
            for tries in range(1, 31):
                try:
                    extra = {"NextToken": token} if token else {}
                    page = cs.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=DATASET, **extra)
                    break
                except Exception:
                    if tries == 30:
                        raise
                    time.sleep(0.05 * tries)
            found += page["Records"]
            token = page.get("NextToken")
            if not token:
                return found

    def one(i):
        identity = identity_id(i)
        right, problems = 0, []
        held = {r["Key"]: r for r in records(identity) if "Value" in r}
        for key, value in wanted(identity).items():
            record = held.pop(key, None)
            if record is None:
                problems.append(("missing", "%s: %s missing" % (identity, key)))
            elif record["Value"] != value:
                problems.append(("wrong value", "%s: %s holds %r" % (identity, key, record["Value"])))
            elif record["SyncCount"] != 1:
                problems.append(("written more than once",
                                 "%s: %s has SyncCount %d" % (identity, key, record["SyncCount"])))
            else:
                right += 1
        problems += [("unexpected key", "%s: unexpected key %s" % (identity, key)) for key in held]
        return right, problems

    with ThreadPoolExecutor(max_workers=8) as executor:
        results = list(executor.map(one, range(1, identities + 1)))
    return sum(r for r, _ in results), [p for _, ps in results for p in ps]


def checked_text(right, problems, identities):
    expected = 3 * identities
    if right == expected and not problems:
        return "{:,} of {:,}, written once".format(right, expected)
    kinds = {}
    for kind, _ in problems:
        kinds[kind] = kinds.get(kind, 0) + 1
    return "**{:,} of {:,}** right: {}; e.g. {}".format(
        right, expected, ", ".join("%d %s" % (n, kind) for kind, n in sorted(kinds.items())),
        "; ".join(text for _, text in problems[:2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin-dir", default=str(ROOT / ".build-bench" / "release"))
    parser.add_argument("--out")
    options = parser.parse_args()
    bin_dir = Path(options.bin_dir).resolve()
    os.chdir(ROOT)
    lua, local = str(bin_dir / "cogsync-lua"), bin_dir / "cogsync-local"
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-throttle-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base_env.update(HOME=str(work), AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION=REGION,
                    AWS_DEFAULT_REGION=REGION)
    started = time.perf_counter()
    load = os.getloadavg()[0]

    def env_for(url, boto):
        env = dict(base_env, AWS_ENDPOINT_URL=url)
        if boto:
            env["AWS_NEW_RETRIES_2026"] = "true"
        return env

    def client_command(kind, mode, pool, identities):
        """The command of one client run, and how the report shows it."""
        if kind == "lua":
            options = ["--retry-mode", mode] if mode else []
            return ([lua, *options, "bench/throttle.lua", pool, str(identities), str(CONCURRENCY)],
                    " ".join(["cogsync-lua", *options, "bench/throttle.lua", "POOL", str(identities),
                              str(CONCURRENCY)]))
        return ([python, "bench/throttle.py", "boto", mode, pool, str(identities), str(CONCURRENCY)],
                "python3 bench/throttle.py boto %s POOL %d %d" % (mode, identities, CONCURRENCY))

    migration, faults = [], []
    try:
        # Part 1: each client against a fresh rate-limited endpoint (its bucket starts full).
        for number, (name, kind, mode) in enumerate([
            ("cogsync-lua, default (batch)", "lua", None),
            ("cogsync-lua, adaptive", "lua", "adaptive"),
            ("cogsync-lua, standard", "lua", "standard"),
            ("boto3, standard", "boto", "standard"),
            ("boto3, adaptive", "boto", "adaptive"),
        ], 1):
            pool = "us-east-1:00000000-0000-4000-8000-%012d" % (1000 + number)
            endpoint = Endpoint(local, ["--rate-limit", str(RATE)])
            try:
                command, display = client_command(kind, mode, pool, IDENTITIES)
                log("migration: %s, %d identities at %d requests/s" % (name, IDENTITIES, RATE))
                result = run_child(command, display, env_for(endpoint.url, kind == "boto"))
                log("migration: %s: %.1f s, failed %s (%s), throttles %s; checking" % (
                    name, result.wall, result.failed, result.codes, result.throttles))
                right, problems = check(endpoint.url, pool, IDENTITIES)
            finally:
                endpoint.stop()
            migration.append((name, result, checked_text(right, problems, IDENTITIES)))

        # Part 2: each client against a fresh faulty endpoint with the same seed; reruns finish the rest.
        for number, (name, kind, mode) in enumerate([
            ("cogsync-lua, default (batch)", "lua", None),
            ("boto3, standard", "boto", "standard"),
        ], 1):
            pool = "us-east-1:00000000-0000-4000-8000-%012d" % (2000 + number)
            endpoint = Endpoint(local, ["--fault", FAULTS, "--seed", str(SEED)])
            try:
                command, display = client_command(kind, mode, pool, FAULT_IDENTITIES)
                runs = []
                for attempt in range(RERUNS + 1):
                    label = "import" if attempt == 0 else "rerun %d" % attempt
                    log("fault mix: %s, %s" % (name, label))
                    result = run_child(command, display, env_for(endpoint.url, kind == "boto"))
                    log("fault mix: %s, %s: %.1f s, failed %s (%s)" % (
                        name, label, result.wall, result.failed, result.codes))
                    runs.append((label, result))
                    if result.finished:
                        break
                log("fault mix: %s: checking through the faulty endpoint" % name)
                right, problems = check(endpoint.url, pool, FAULT_IDENTITIES)
            finally:
                endpoint.stop()
            faults.append((name, runs, checked_text(right, problems, FAULT_IDENTITIES)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = report(lua, migration, faults, (load, os.getloadavg()[0]), time.perf_counter() - started)
    if options.out:
        Path(options.out).write_text(text)
    else:
        sys.stdout.write(text)


def per_second(rate):
    if rate is None:
        return "-"
    return "%.0f/s" % rate if rate >= 10 else "%.1f/s" % rate


def share(part, whole):
    return "%.0f%%" % (100 * part / whole) if whole else "-"


def messages(rows):
    """One line per client run and error code of failed items: the first message seen."""
    lines = []
    for name, run in rows:
        for code, message in sorted(run.messages.items()):
            if len(message) > 240:
                message = message[:240] + "…"
            lines.append("- %s, `%s`: %s" % (name, code, message.replace("|", "\\|")))
    return lines


def report(lua, migration, faults, load, seconds):
    out = []
    add = out.append
    version = subprocess.run([lua, "-v"], capture_output=True, text=True).stdout.strip().splitlines()
    cores = len(os.sched_getaffinity(0))
    minimum = 2 * IDENTITIES
    add("Measured by")
    add("")
    add("    scripts/bench throttle      # runs python3 bench/throttle.py --bin-dir .build-bench/release")
    add("")
    add("on %s, %s; boto3 %s on Python %s (with `AWS_NEW_RETRIES_2026=true`: botocore's retries as the AWS SDKs "
        "do them since 2026-11), 1-minute load average %.2f before the run and %.2f after it; the whole run took "
        "%.0f s. cogsync-lua and cogsync-local are release builds with `--static-swift-stdlib` (cogsync-lua as "
        "`scripts/install` ships it)." % (datetime.date.today().isoformat(), version[0] if version else "cogsync-lua",
                        boto3.__version__, platform.python_version(), load[0], load[1], seconds))
    add("")
    add("The client and the endpoint share the machine's %d cores (`nproc`)." % cores)
    add("")
    add("Each client command runs as a child process from the repository root with `AWS_ENDPOINT_URL=URL "
        "AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=cogsync-local-secret AWS_REGION=us-east-1 "
        "AWS_DEFAULT_REGION=us-east-1` (and `AWS_NEW_RETRIES_2026=true` for boto3) and an empty `HOME`; `POOL` is "
        "an identity pool id of its own per run, identity *i* is `us-east-1:00000000-0000-4000-8000-` followed by "
        "*i* in 12 digits. The work per identity: set 3 keys of dataset `settings` to values that name the "
        "identity, once. cogsync-lua runs `cs:patchRecords` inside `cognitosync.map` with concurrency %d "
        "(`bench/throttle.lua`); boto3 runs ListRecords then UpdateRecords (the session token, SyncCount 0 for "
        "each new key, as patchRecords does) on %d threads sharing one client "
        "(`Config(retries={\"mode\": MODE}, max_pool_connections=%d)`). Seconds are the wall time of the client "
        "process, boto3's start-up (about 0.2 s) included; a run still going after %.0f s is stopped and shown as "
        "timed out (`BENCH_THROTTLE_TIMEOUT`)." % (CONCURRENCY, CONCURRENCY, CONCURRENCY, TIMEOUT))
    add("")
    add("### Migration against a rate limit")
    add("")
    add("{:,} identities, each client against a fresh `cogsync-local --port 0 --rate-limit {}` (a token bucket per "
        "access key, burst {}; over it 429 `TooManyRequestsException`). Share of the rate = {:,} requests (2 per "
        "identity, the fewest that can do the work) / ({} × seconds); attempts count every request sent, retries "
        "included, and throttled = attempts answered 429 / attempts. Records checked: afterwards boto3 reads every "
        "identity's dataset and checks that it holds exactly the 3 records with the right values, each with "
        "SyncCount 1 (written once, none lost).".format(IDENTITIES, RATE, max(1, RATE // 10), minimum, RATE))
    add("")
    add("| client | failed items | seconds | share of the rate | attempts | throttled | send / allowed rate "
        "| records checked | command |")
    add("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, run, checked in migration:
        failed = run.failed_text() if run.failed in (0, None) else "**%d** (%s)" % (run.failed, run.codes)
        rates = "-"
        if run.number("sendRate") is not None or run.number("allowedRate") is not None:
            rates = "%s / %s" % tuple(per_second(run.number(k)) for k in ("sendRate", "allowedRate"))
        add("| %s | %s | %.2f | %s | %s | %s | %s | %s | `%s` |" % (
            name, failed, run.wall, share(minimum, RATE * run.wall), run.attempts or "-", run.throttled_text(),
            rates, checked, run.display))
    add("")
    name, default, _ = migration[0]
    rate_share = minimum / (RATE * default.wall)
    throttled = default.throttles / default.attempts if default.attempts else 0.0
    add("Targets for cogsync-lua's default mode (the first row):")
    add("")
    add("| target | figure | met |")
    add("|---|---:|---|")
    for target, figure, met in [
        ("0 failed items", default.failed_text(), default.failed == 0),
        ("≥ %.0f%% of the rate" % (100 * TARGET_RATE_SHARE), "%.0f%%" % (100 * rate_share),
         rate_share >= TARGET_RATE_SHARE),
        ("≤ %.0f%% of attempts throttled" % (100 * TARGET_THROTTLED_SHARE),
         "-" if default.timed_out else "%.1f%%" % (100 * throttled),
         not default.timed_out and throttled <= TARGET_THROTTLED_SHARE),
    ]:
        add("| %s | %s | %s |" % (target, figure, "yes" if met else "**no**"))
    seen = messages([(name, run) for name, run, _ in migration])
    if seen:
        add("")
        add("Why items failed (the first message of each error code):")
        add("")
        out.extend(seen)
    add("")
    add("### Fault mix")
    add("")
    add("{:,} identities, each client against a fresh `cogsync-local --port 0 --fault {} --seed {}` (no rate limit: "
        "per request, 30% answered 429, 10% 500, 5% connection reset before anything runs, 10% applied and then "
        "the connection dropped without an answer). When items fail, the same command runs again (same pool, same "
        "endpoint), up to {} times. Then a boto3 client with 20 attempts (standard mode; reads repeated until "
        "answered) reads every record back through the same faulty endpoint and checks the values and that each "
        "record has SyncCount 1: a write repeated after a lost answer would show as SyncCount 2."
        .format(FAULT_IDENTITIES, FAULTS, SEED, RERUNS))
    add("")
    add("| client | run | failed items | why (error codes, counted) | seconds | attempts | throttled | command |")
    add("|---|---|---:|---|---:|---:|---:|---|")
    for name, runs, _ in faults:
        for label, run in runs:
            add("| %s | %s | %s | %s | %.2f | %s | %s | `%s` |" % (
                name, label, run.failed_text(), run.codes.replace(",", ", ") if run.failed != 0 else "-",
                run.wall, run.attempts or "-", run.throttled_text(), run.display))
    add("")
    for name, runs, checked in faults:
        finished = runs[-1][1].finished
        reruns = len(runs) - 1
        add("- %s: %s; records checked: %s." % (
            name, ("every item written by the first run" if reruns == 0 else
                   "%d rerun%s needed to finish every item" % (reruns, "" if reruns == 1 else "s"))
            if finished else "**items still failing after %d reruns**" % reruns, checked))
    seen = messages([("%s, %s" % (name, label), run) for name, runs, _ in faults for label, run in runs])
    if seen:
        add("")
        add("Why items failed (the first message of each error code):")
        add("")
        out.extend(seen)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "boto":
        boto_migrate(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
