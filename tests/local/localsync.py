"""Helpers for driving cogsync-local with boto3, the independent client."""

import contextlib
import datetime
import time
from unittest import mock

import botocore.auth


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
