"""Fixtures for running the example scripts and documented snippets against cogsync-local, checked with boto3."""

import os
import subprocess
from pathlib import Path

import pytest

from testkit import ACCESS_KEY, REGION, SECRET, LocalEndpoint, binary

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


class Local(LocalEndpoint):
    """One cogsync-local process on a free port, with a boto3 client and a way to run cogsync-lua against it."""

    def __init__(self, home, *args):
        super().__init__(*args)
        self.home = home
        self.boto = self.client()

    def env(self, **extra):
        """The environment a user would set to point cogsync-lua at this endpoint (no profile files)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=str(self.home), AWS_ENDPOINT_URL_COGNITO_SYNC=self.url,
                   AWS_ENDPOINT_URL_COGNITO_IDENTITY=self.url, AWS_ACCESS_KEY_ID=ACCESS_KEY,
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
