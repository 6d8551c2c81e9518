"""bench/curl_floor.c, the libcurl-alone figure beside W2 in scripts/bench client: it builds with the compiler the
benchmark uses, replays a signed request as many times as asked against the real local endpoint, counting every body
byte, and fails, naming the answer, when a response is not a 200, so a run of failures is never reported as a
figure."""

import re
import shutil
import subprocess

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from testkit import ACCESS_KEY, REGION, REPO, SECRET, new_id


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("clang")
    assert compiler, "no C compiler: the Swift toolchain brings clang"
    out = tmp_path_factory.mktemp("floor") / "curl_floor"
    subprocess.run([compiler, "-O2", "-Wall", "-Werror", "-o", str(out), str(REPO / "bench" / "curl_floor.c"),
                    "-lcurl"], check=True)
    return out


def signed_list(endpoint, pool, identity, dataset, secret=SECRET):
    path = "/identitypools/%s/identities/%s/datasets/%s/records" % (
        pool.replace(":", "%3A"), identity.replace(":", "%3A"), dataset)
    request = AWSRequest(method="GET", url=endpoint.url + path)
    SigV4Auth(Credentials(ACCESS_KEY, secret), "cognito-sync", REGION).add_auth(request)
    return endpoint.url + path, ["%s: %s" % kv for kv in request.headers.items()]


def test_it_replays_the_signed_request_as_often_as_asked(floor, start_endpoint):
    endpoint = start_endpoint()
    pool, identity = new_id(), new_id()
    client = endpoint.client()
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", SyncSessionToken=token,
                          RecordPatches=[{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}])
    url, headers = signed_list(endpoint, pool, identity, "d")
    path = url[len(endpoint.url):]
    status, _, body = endpoint.raw("GET", path)
    assert status == 200 and b'"Key":"k"' in body
    result = subprocess.run([str(floor), url, "25", "4", *headers], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Every response the page itself: the bodies differ only by a few bytes of their SyncSessionToken.
    made, received = (int(v) for v in re.fullmatch(r"requests=(\d+) bytes=(\d+)\n", result.stdout).groups())
    assert made == 25
    assert abs(received / 25 - len(body)) <= 0.05 * len(body), (received, len(body))


def test_a_refused_request_fails_the_run_and_names_the_answer(floor, start_endpoint):
    endpoint = start_endpoint()
    url, headers = signed_list(endpoint, new_id(), new_id(), "d", secret="not-the-secret")
    result = subprocess.run([str(floor), url, "5", "2", *headers], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "request 1 failed" in result.stderr and "HTTP status 403" in result.stderr
    assert "SignatureDoesNotMatch" in result.stderr or "signature" in result.stderr.lower()


def test_a_url_without_a_path_is_refused_before_anything_is_sent(floor):
    result = subprocess.run([str(floor), "http://127.0.0.1:1", "5", "2"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "absolute URL with a path" in result.stderr
