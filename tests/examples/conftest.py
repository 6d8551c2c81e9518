"""Fixtures for running the example scripts and documented snippets against cogsync-local, checked with boto3."""

import os
import signal
import subprocess
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ACCESS_KEY = "AKIDLOCAL"
SECRET = "cogsync-local-secret"
REGION = "us-east-1"


def binary(name):
    folder = Path(os.environ.get("COGSYNC_BIN_DIR") or ROOT / ".build" / "debug").resolve()
    path = folder / name
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail("%s is not built (looked in %s)" % (name, folder))
    return path


def new_id():
    return "%s:%s" % (REGION, uuid.uuid4())


class Local:
    """One cogsync-local process on a free port, with a boto3 client and a way to run cogsync-lua against it."""

    def __init__(self, home, *args):
        self.home = home
        self.process = subprocess.Popen([str(binary("cogsync-local")), "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            raise RuntimeError("cogsync-local did not start: %r" % self.url)
        self.boto = boto3.client("cognito-sync", endpoint_url=self.url, region_name=REGION,
                                 aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET,
                                 config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    def env(self, **extra):
        """The environment a user would set to point cogsync-lua at this endpoint (no profile files)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=str(self.home), AWS_ENDPOINT_URL_COGNITO_SYNC=self.url, AWS_ACCESS_KEY_ID=ACCESS_KEY,
                   AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION=REGION)
        env.update(extra)
        return env

    def command(self, script, *args, options=()):
        return [str(binary("cogsync-lua")), *options, str(EXAMPLES / script), *[str(a) for a in args]]

    def run(self, script, *args, options=(), env=None, timeout=60, check=True):
        done = subprocess.run(self.command(script, *args, options=options), capture_output=True, text=True,
                              env=self.env(**(env or {})), timeout=timeout, cwd=str(self.home))
        if check:
            assert done.returncode == 0, "exit %d\n%s\n%s" % (done.returncode, done.stdout, done.stderr)
        return done

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()

    # boto3 helpers: the independent view of the endpoint's state.

    def put(self, pool, identity, dataset, values, remove=()):
        """Sets `values` (key -> value) and removes `remove` in one UpdateRecords with the current sync counts."""
        listing = self.records(pool, identity, dataset, raw=True)
        counts = {r["Key"]: r["SyncCount"] for r in listing["Records"]}
        patches = [{"Op": "replace", "Key": k, "Value": v, "SyncCount": counts.get(k, 0)} for k, v in values.items()]
        patches += [{"Op": "remove", "Key": k, "SyncCount": counts.get(k, 0)} for k in remove]
        self.boto.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset,
                                 SyncSessionToken=listing["SyncSessionToken"], RecordPatches=patches)

    def records(self, pool, identity, dataset, raw=False):
        """Every record of a dataset (tombstones included), all pages; `raw` also returns the last page's fields."""
        records, token, page = [], None, None
        while True:
            kwargs = {"NextToken": token} if token else {}
            page = self.boto.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset, **kwargs)
            records += page.get("Records", [])
            token = page.get("NextToken")
            if not token:
                break
        if raw:
            return dict(page, Records=records)
        return records

    def live(self, pool, identity, dataset):
        """key -> record for the records that hold a value."""
        return {r["Key"]: r for r in self.records(pool, identity, dataset) if "Value" in r}

    def datasets(self, pool, identity):
        names, token = [], None
        while True:
            kwargs = {"NextToken": token} if token else {}
            page = self.boto.list_datasets(IdentityPoolId=pool, IdentityId=identity, **kwargs)
            names += [d["DatasetName"] for d in page.get("Datasets", [])]
            token = page.get("NextToken")
            if not token:
                break
        return sorted(names)


@pytest.fixture(scope="session")
def local(tmp_path_factory):
    """One endpoint shared by the tests that work on pools of their own."""
    endpoint = Local(tmp_path_factory.mktemp("home"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def start_local(tmp_path):
    """Starts endpoints with extra arguments (faults, timings); each is stopped at the end of the test."""
    started = []

    def start(*args):
        endpoint = Local(tmp_path, *args)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()
