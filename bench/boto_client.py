"""The benchmark workloads with boto3, mirroring the Lua scripts next to this file.

    python3 boto_client.py w1 POOL DATASET IDENTITIES THREADS          (THREADS 0: a plain sequential loop)
    python3 boto_client.py w2 POOL DATASET IDENTITIES COUNT THREADS
    python3 boto_client.py first POOL IDENTITY DATASET
    python3 boto_client.py export POOL DATASET IDENTITIES THREADS OUTPUT

The endpoint and credentials come from the environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...). With THREADS > 0
the work runs on that many threads sharing one client whose pool holds as many connections.
"""

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def identity_id(i):
    return "us-east-1:00000000-0000-4000-8000-%012d" % i


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = self.errors = 0

    def add(self, requests, errors=0):
        with self.lock:
            self.requests += requests
            self.errors += errors


def client(threads):
    return boto3.client("cognito-sync", config=Config(max_pool_connections=max(threads, 10)))


def run(items, work, threads):
    """Applies `work` to every item, sequentially or on `threads` threads; returns (results, failures)."""
    results, failures = [], 0
    if threads == 0:
        for item in items:
            try:
                results.append(work(item))
            except Exception:  # noqa: BLE001 - counted and reported like the Lua side's map errors
                failures += 1
        return results, failures
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(work, item) for item in items]
        for future in futures:
            try:
                results.append(future.result())
            except Exception:  # noqa: BLE001
                failures += 1
    return results, failures


def w1(pool_id, dataset, identities, threads):
    cs = client(threads)

    def migrate(i):
        identity = identity_id(i)
        page = cs.list_records(IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset)
        counts = {r["Key"]: r["SyncCount"] for r in page["Records"]}
        patches = [{"Op": "replace", "Key": "key%d" % k, "Value": "value-%d-%d" % (k, i),
                    "SyncCount": counts.get("key%d" % k, 0)} for k in range(1, 11)]
        written = cs.update_records(IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset,
                                    SyncSessionToken=page["SyncSessionToken"], RecordPatches=patches)
        return len(written["Records"])

    results, failed = run(range(1, identities + 1), migrate, threads)
    print("requests=%d written=%d failed=%d" % (2 * identities, sum(results), failed))


def w2(pool_id, dataset, identities, count, threads):
    cs = client(threads)

    def read(n):
        page = cs.list_records(IdentityPoolId=pool_id, IdentityId=identity_id((n - 1) % identities + 1),
                               DatasetName=dataset)
        return len(page["Records"])

    results, failed = run(range(1, count + 1), read, threads)
    print("requests=%d records=%d failed=%d" % (count, sum(results), failed))


def first(pool_id, identity, dataset):
    page = boto3.client("cognito-sync").list_records(IdentityPoolId=pool_id, IdentityId=identity,
                                                     DatasetName=dataset)
    sys.stdout.write("done %d\n" % len(page["Records"]))
    sys.stdout.flush()


def export(pool_id, dataset, identities, threads, output):
    cs = client(threads)
    lock = threading.Lock()
    with open(output, "w") as out:
        def dump(i):
            identity, n, token = identity_id(i), 0, None
            while True:
                extra = {"NextToken": token} if token else {}
                page = cs.list_records(IdentityPoolId=pool_id, IdentityId=identity, DatasetName=dataset, **extra)
                lines = ["%s\t%s\t%s\t%d\n" % (identity, r["Key"], r.get("Value", ""), r["SyncCount"])
                         for r in page["Records"]]
                with lock:
                    out.writelines(lines)
                n += len(lines)
                token = page.get("NextToken")
                if not token:
                    return n

        results, failed = run(range(1, identities + 1), dump, threads)
    print("records=%d failed=%d" % (sum(results), failed))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "w1":
        w1(args[0], args[1], int(args[2]), int(args[3]))
    elif command == "w2":
        w2(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif command == "first":
        first(*args[:3])
    elif command == "export":
        export(args[0], args[1], int(args[2]), int(args[3]), args[4])
    else:
        sys.exit("unknown workload %s" % command)
