"""--fault: each kind is seen by boto3 as the right status or exception; --seed reproduces the sequence."""

import socket
import subprocess
import time

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from localsync import error_of, list_all
from testkit import binary


def test_throttle(start_endpoint, ids):
    client = start_endpoint("--fault", "throttle=1").client()
    with pytest.raises(ClientError) as excinfo:
        client.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert error_of(excinfo)[:2] == ("TooManyRequestsException", 429)


def test_internal_error(start_endpoint, ids):
    client = start_endpoint("--fault", "error=1").client()
    with pytest.raises(ClientError) as excinfo:
        client.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert error_of(excinfo)[:2] == ("InternalErrorException", 500)


def test_reset(start_endpoint, ids):
    endpoint = start_endpoint("--fault", "reset=1")
    with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
        endpoint.client().list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    request = "GET /identitypools HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    with socket.create_connection((endpoint.host, endpoint.port), timeout=5) as sock:
        sock.sendall(request)
        with pytest.raises(ConnectionResetError):
            while sock.recv(4096):
                pass


def test_lost_applies_the_write_then_drops_the_connection(start_endpoint, ids, tmp_path):
    data = str(tmp_path / "state.db")
    pool, identity = ids
    setup = start_endpoint("--data", data)
    token = setup.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    setup.stop()

    lossy = start_endpoint("--data", data, "--fault", "lost=1")
    with pytest.raises(ConnectionClosedError):
        lossy.client().update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "landed", "SyncCount": 0}],
        )
    lossy.stop()

    check = start_endpoint("--data", data)
    page = list_all(check.client(), pool, identity, "d")
    assert [(r["Key"], r["Value"], r["SyncCount"]) for r in page["Records"]] == [("k", "landed", 1)]


def answered(call, attempts=50):
    """The answer of a call repeated while `lost` drops it (a dropped read changed nothing)."""
    for _ in range(attempts):
        try:
            return call()
        except ConnectionClosedError:
            continue
    pytest.fail("no answer in %d attempts" % attempts)


def test_lost_in_memory_keeps_the_write(start_endpoint, ids):
    endpoint = start_endpoint("--fault", "lost=0.5", "--seed", "7")
    client = endpoint.client()
    pool, identity = ids
    acknowledged = lost = 0
    for n in range(12):
        token = answered(lambda: client.list_records(IdentityPoolId=pool, IdentityId=identity,
                                                     DatasetName="d"))["SyncSessionToken"]
        # Each write is sent once: a dropped answer is a write the client never hears about.
        try:
            client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", SyncSessionToken=token,
                                  RecordPatches=[{"Op": "replace", "Key": "k%d" % n, "Value": "v", "SyncCount": 0}])
            acknowledged += 1
        except ConnectionClosedError:
            lost += 1
    assert acknowledged > 0 and lost > 0, "seed 7 drops some of the twelve answers and not all"
    page = answered(lambda: list_all(client, pool, identity, "d"))
    # Every write was applied, acknowledged or not, once and in order: the n-th took the dataset to sync count n.
    assert sorted((r["SyncCount"], r["Key"], r["Value"]) for r in page["Records"]) == \
        [(n + 1, "k%d" % n, "v") for n in range(12)]
    assert page["DatasetSyncCount"] == 12


def test_latency(start_endpoint, ids):
    # The window is wide, so a loaded machine cannot make a prompt answer look delayed.
    slow = start_endpoint("--fault", "latency=3s").client()
    started = time.monotonic()
    slow.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert time.monotonic() - started >= 3
    fast = start_endpoint("--fault", "latency=0").client()
    fast.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    started = time.monotonic()
    fast.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert time.monotonic() - started < 3


def outcomes(endpoint, count):
    client = endpoint.client()
    seen = []
    for _ in range(count):
        try:
            client.list_identity_pool_usage()
            seen.append("ok")
        except ClientError as error:
            seen.append(error.response["Error"]["Code"])
    return seen


def test_seed_reproduces_the_fault_sequence(start_endpoint):
    spec = "throttle=0.3,error=0.3"
    first = outcomes(start_endpoint("--fault", spec, "--seed", "42"), 30)
    second = outcomes(start_endpoint("--fault", spec, "--seed", "42"), 30)
    other = outcomes(start_endpoint("--fault", spec, "--seed", "43"), 30)
    assert first == second
    assert first != other
    assert {"ok", "TooManyRequestsException", "InternalErrorException"} == set(first)


@pytest.mark.parametrize(
    "spec", ["throttle=2", "throttle=0.6,error=0.6", "bogus=0.1", "latency=fast", "throttle"]
)
def test_bad_fault_spec_is_a_usage_error(spec):
    result = subprocess.run([str(binary("cogsync-local")), "--port", "0", "--fault", spec], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--fault" in result.stderr


def test_usage_and_help():
    result = subprocess.run([str(binary("cogsync-local")), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--credentials AKID:SECRET" in result.stdout
    result = subprocess.run([str(binary("cogsync-local")), "--no-such-flag"], capture_output=True, text=True)
    assert result.returncode == 2 and "unknown option" in result.stderr


def test_sigterm_and_sigint_stop_cleanly(start_endpoint):
    import signal

    for sig in (signal.SIGTERM, signal.SIGINT):
        endpoint = start_endpoint()
        assert endpoint.stop(sig) == 0


def test_writing_to_a_closed_pipe_is_not_fatal():
    import os

    for args, expected in [(["--no-such-flag"], 2), (["--help"], 0)]:
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            result = subprocess.run([str(binary("cogsync-local")), *args], stdout=write_end, stderr=write_end, timeout=10)
        finally:
            os.close(write_end)
        assert result.returncode == expected
