"""--rate-limit: a token bucket per access key (and per operation) answers 429 TooManyRequestsException over the rate.

Rates of 0.001 per second give a bucket of one token that does not refill during a test, so nothing here depends
on how fast the machine is; the flood test checks the rate from counts and the time it took.
"""

import json
import subprocess
import threading
import time

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put
from testkit import binary

ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"


def assert_throttled(call):
    with pytest.raises(ClientError) as excinfo:
        call()
    assert error_of(excinfo) == ("TooManyRequestsException", 429, "Rate exceeded")


def test_over_the_rate_is_429_too_many_requests(start_endpoint):
    endpoint = start_endpoint("--rate-limit", "0.001")
    client = endpoint.client()
    client.list_identity_pool_usage()
    assert_throttled(client.list_identity_pool_usage)
    status, headers, body = endpoint.raw("GET", "/identitypools")
    assert status == 429
    assert headers["x-amzn-errortype"] == "TooManyRequestsException" + ERROR_TYPE_SUFFIX
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"message": "Rate exceeded"}


def test_the_answer_is_the_one_of_the_throttle_fault(start_endpoint):
    limited = start_endpoint("--rate-limit", "0.001")
    limited.raw("GET", "/identitypools")
    faulty = start_endpoint("--fault", "throttle=1")
    answers = [endpoint.raw("GET", "/identitypools") for endpoint in (limited, faulty)]
    shown = [(status, headers["x-amzn-errortype"], body) for status, headers, body in answers]
    assert shown[0] == shown[1]


def test_a_refused_request_is_not_run(start_endpoint, ids):
    pool, identity = ids
    endpoint = start_endpoint("--rate-limit", "UpdateRecords=0.001")
    client = endpoint.client()
    put(client, pool, identity, "d", {"k": "first"})
    assert_throttled(lambda: put(client, pool, identity, "d", {"k": "second"}))
    page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
    assert [(r["Key"], r["Value"], r["SyncCount"]) for r in page["Records"]] == [("k", "first", 1)]


def test_each_access_key_has_its_own_bucket(start_endpoint):
    endpoint = start_endpoint(
        "--rate-limit", "0.001", "--credentials", "AKIDA:secret-a", "--credentials", "AKIDB:secret-b"
    )
    first = endpoint.client(key="AKIDA", secret="secret-a")
    second = endpoint.client(key="AKIDB", secret="secret-b")
    first.list_identity_pool_usage()
    assert_throttled(first.list_identity_pool_usage)
    second.list_identity_pool_usage()
    assert_throttled(second.list_identity_pool_usage)


def test_unsigned_requests_and_unknown_keys_share_one_anonymous_bucket(start_endpoint):
    endpoint = start_endpoint("--rate-limit", "0.001")
    status, headers, _ = endpoint.raw("GET", "/identitypools", sign=False)
    assert (status, headers["x-amzn-errortype"].split(":")[0]) == (403, "MissingAuthenticationTokenException")
    status, headers, _ = endpoint.raw("GET", "/identitypools", key="AKIDMADEUP", secret="x")
    assert (status, headers["x-amzn-errortype"].split(":")[0]) == (429, "TooManyRequestsException")
    endpoint.client().list_identity_pool_usage()


def test_a_bad_signature_still_counts_against_the_key_it_names(start_endpoint):
    endpoint = start_endpoint("--rate-limit", "0.001")
    status, headers, _ = endpoint.raw("GET", "/identitypools", secret="wrong")
    assert (status, headers["x-amzn-errortype"].split(":")[0]) == (403, "InvalidSignatureException")
    assert_throttled(endpoint.client().list_identity_pool_usage)


def test_the_query_credential_names_the_key(start_endpoint):
    endpoint = start_endpoint("--rate-limit", "0.001")
    path = "/identitypools?X-Amz-Credential=AKIDLOCAL%2F20240102%2Fus-east-1%2Fcognito-sync%2Faws4_request"
    status, _, _ = endpoint.raw("GET", path, sign=False)
    assert status == 403
    assert_throttled(endpoint.client().list_identity_pool_usage)


def test_an_operation_limit_leaves_other_operations_alone(start_endpoint, ids):
    pool, identity = ids
    client = start_endpoint("--rate-limit", "UpdateRecords=0.001").client()
    put(client, pool, identity, "d", {"k": "v"})
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    assert_throttled(
        lambda: client.update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "w", "SyncCount": 1}],
        )
    )
    for _ in range(5):
        client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")
        client.list_datasets(IdentityPoolId=pool, IdentityId=identity)


def test_an_operation_limit_and_the_global_one_both_apply(start_endpoint, ids):
    pool, identity = ids
    client = start_endpoint("--rate-limit", "ListDatasets=0.001", "--rate-limit", "0.001").client()
    client.list_datasets(IdentityPoolId=pool, IdentityId=identity)
    assert_throttled(client.list_identity_pool_usage)
    assert_throttled(lambda: client.list_datasets(IdentityPoolId=pool, IdentityId=identity))


def test_the_rate_limit_comes_before_faults(start_endpoint):
    client = start_endpoint("--rate-limit", "0.001", "--fault", "error=1").client()
    with pytest.raises(ClientError) as excinfo:
        client.list_identity_pool_usage()
    assert error_of(excinfo)[:2] == ("InternalErrorException", 500)
    assert_throttled(client.list_identity_pool_usage)


def test_a_flood_is_held_to_the_rate(start_endpoint):
    # 200 requests take well under 200 / 20 seconds even on a loaded machine, so some must be refused.
    rate, burst, requests, workers = 20, 2, 200, 4
    endpoint = start_endpoint("--rate-limit", str(rate))
    clients = [endpoint.client() for _ in range(workers)]
    outcomes = []
    lock = threading.Lock()

    def flood(client):
        for _ in range(requests // workers):
            try:
                client.list_identity_pool_usage()
                outcome = "ok"
            except ClientError as error:
                outcome = error.response["Error"]["Code"]
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=flood, args=(client,)) for client in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    admitted = outcomes.count("ok")
    assert admitted + outcomes.count("TooManyRequestsException") == requests
    assert admitted < requests
    # Every admitted request arrived within `elapsed`, so at most the burst plus what that time earned got in.
    assert admitted <= burst + rate * elapsed + 2


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "--rate-limit: 'abc' is not a rate in requests per second"),
        ("0", "--rate-limit: '0' is not a rate in requests per second"),
        ("-5", "--rate-limit: '-5' is not a rate in requests per second"),
        ("inf", "--rate-limit: 'inf' is not a rate in requests per second"),
        ("nan", "--rate-limit: 'nan' is not a rate in requests per second"),
        ("UpdateRecords=", "--rate-limit: '' is not a rate in requests per second"),
        ("UpdateRecords=fast", "--rate-limit: 'fast' is not a rate in requests per second"),
        ("UpdateRecord=5", "--rate-limit: unknown operation 'UpdateRecord' (expected one of BulkPublish,"),
    ],
)
def test_a_bad_rate_limit_is_a_usage_error(value, message):
    result = subprocess.run(
        [str(binary("cogsync-local")), "--port", "0", "--rate-limit", value], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("cogsync-local: " + message)


def test_a_rate_limit_needs_a_value():
    result = subprocess.run([str(binary("cogsync-local")), "--rate-limit"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("cogsync-local: --rate-limit needs a value")


def test_help_describes_the_rate_limit():
    result = subprocess.run([str(binary("cogsync-local")), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "--rate-limit [OP=]RATE" in result.stdout and "max(1, RATE/10)" in result.stdout
