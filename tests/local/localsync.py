"""Helpers for driving cogsync-local with boto3, the independent client."""

import contextlib
import datetime
import http.client
import os
import signal
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parents[2]
ACCESS_KEY = "AKIDLOCAL"
SECRET = "cogsync-local-secret"
REGION = "us-east-1"


def binary_path():
    candidates = []
    if os.environ.get("COGSYNC_BIN_DIR"):
        candidates.append(Path(os.environ["COGSYNC_BIN_DIR"]))
    candidates += [REPO / ".build-local" / "debug", REPO / ".build" / "debug"]
    for folder in candidates:
        path = folder / "cogsync-local"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail("cogsync-local is not built (looked in %s)" % ", ".join(str(c) for c in candidates))


class Endpoint:
    """One running cogsync-local process."""

    def __init__(self, *args):
        self.args = list(args)
        self.process = subprocess.Popen(
            [str(binary_path()), "--port", "0", *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            raise RuntimeError("cogsync-local did not start: %r %s" % (self.url, self.process.stderr.read()))
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname, parsed.port

    def client(self, key=ACCESS_KEY, secret=SECRET, validate=True, **config):
        config.setdefault("retries", {"total_max_attempts": 1, "mode": "standard"})
        return boto3.client(
            "cognito-sync",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            config=Config(parameter_validation=validate, **config),
        )

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode

    def raw(self, method, path, body=b"", headers=None, sign=True, key=ACCESS_KEY, secret=SECRET):
        """Sends one request exactly as given (path unnormalised) and returns (status, headers, body)."""
        headers = dict(headers or {})
        if sign:
            request = AWSRequest(method=method, url=self.url + path, data=body, headers=headers)
            SigV4Auth(Credentials(key, secret), "cognito-sync", REGION).add_auth(request)
            headers = dict(request.headers.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def new_id(region=REGION):
    return "%s:%s" % (region, uuid.uuid4())


def put(client, pool, identity, dataset, records, remove=()):
    """Writes `records` (key -> value) and removes `remove` with the current sync counts; returns the response."""
    listing = list_all(client, pool, identity, dataset)
    counts = {r["Key"]: r["SyncCount"] for r in listing["Records"]}
    patches = [
        {"Op": "replace", "Key": k, "Value": v, "SyncCount": counts.get(k, 0)} for k, v in records.items()
    ] + [{"Op": "remove", "Key": k, "SyncCount": counts.get(k, 0)} for k in remove]
    return client.update_records(
        IdentityPoolId=pool,
        IdentityId=identity,
        DatasetName=dataset,
        SyncSessionToken=listing["SyncSessionToken"],
        RecordPatches=patches,
    )


def list_all(client, pool, identity, dataset, **kwargs):
    """Follows NextToken to the end; returns the last page with every page's records."""
    records = []
    token = None
    while True:
        extra = dict(kwargs)
        if token:
            extra["NextToken"] = token
        page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset, **extra)
        records += page["Records"]
        token = page.get("NextToken")
        if not token:
            page["Records"] = records
            return page


def error_of(excinfo):
    """(code, HTTP status, message) of a botocore ClientError."""
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def wait_until(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@contextlib.contextmanager
def client_clock_offset(seconds):
    """Makes botocore sign requests as if its clock were `seconds` ahead (negative: behind)."""
    real = botocore.auth.get_current_datetime

    def shifted(*args, **kwargs):
        return real(*args, **kwargs) + datetime.timedelta(seconds=seconds)

    with mock.patch.object(botocore.auth, "get_current_datetime", shifted):
        yield
