"""Bounded memory and connections: back-pressure on pipelined requests, bodies refused before they are read, idle
connections closed, no spinning at the descriptor limit, 431 for oversized heads."""

import json
import resource
import socket
import time

import pytest

from localsync import wait_until
from rawhttp import connect, cpu_seconds, read_response_head, read_until_closed, rss_kib, signed_head

MIB = 1024 * 1024


def test_pipelined_requests_whose_answers_are_never_read_hold_memory_bounded(endpoint):
    request = signed_head(endpoint, "GET", "/identitypools?maxResults=1")
    batch = request * 200
    pid = endpoint.process.pid
    before = rss_kib(pid)
    sent = 0
    with connect(endpoint, timeout=2) as sock:
        # Sending stops when the endpoint stops reading; without back-pressure it would read all 400 MB.
        while sent < 400 * MIB:
            try:
                sock.sendall(batch)
            except socket.timeout:
                break
            sent += len(batch)
        during = rss_kib(pid)
    assert sent < 400 * MIB, "the endpoint kept reading requests whose answers were not read"
    assert during - before < 64 * 1024, (before, during)
    assert endpoint.client().list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert rss_kib(pid) - before < 64 * 1024


def test_a_request_without_authorization_is_refused_before_its_body(endpoint):
    with connect(endpoint) as sock:
        sock.sendall(b"POST /identitypools/x/events HTTP/1.1\r\nHost: h\r\nContent-Length: 16777215\r\n\r\n")
        head = read_response_head(sock)
        assert head.startswith(b"http/1.1 403 forbidden\r\n")
        assert b"x-amzn-errortype: missingauthenticationtokenexception:" in head
        assert b"connection: close" in head
        read_until_closed(sock)
    assert endpoint.process.poll() is None


def test_a_malformed_authorization_is_refused_before_its_body(endpoint):
    with connect(endpoint) as sock:
        sock.sendall(b"POST /identitypools/x/events HTTP/1.1\r\nHost: h\r\nAuthorization: AWS4-HMAC-SHA256 x\r\n"
                     b"X-Amz-Date: 20240101T000000Z\r\nContent-Length: 16777215\r\n\r\n")
        head = read_response_head(sock)
        assert head.startswith(b"http/1.1 400 bad request\r\n")
        assert b"x-amzn-errortype: incompletesignatureexception:" in head


def test_many_unsigned_large_bodies_do_not_pin_memory(endpoint):
    pid = endpoint.process.pid
    before = rss_kib(pid)
    head = b"POST /identitypools/x/events HTTP/1.1\r\nHost: h\r\nContent-Length: 16777215\r\n\r\n"
    chunk = b"x" * MIB
    sockets = [connect(endpoint) for _ in range(50)]
    try:
        for sock in sockets:
            sock.sendall(head)
            assert read_response_head(sock).startswith(b"http/1.1 403 ")
            try:
                for _ in range(4):
                    sock.sendall(chunk)
            except OSError:
                pass
        assert rss_kib(pid) - before < 64 * 1024
    finally:
        for sock in sockets:
            sock.close()


def test_a_declared_body_over_the_cap_is_413_before_it_is_sent(endpoint, ids):
    path = "/identitypools/%s/events" % ids[0]
    with connect(endpoint) as sock:
        sock.sendall(signed_head(endpoint, "POST", path, content_length=8 * MIB + 1))
        head = read_response_head(sock)
        assert head.startswith(b"http/1.1 413 ")
        assert b"x-amzn-errortype: requestentitytoolargeexception:" in head


def test_expect_continue_with_a_body_over_the_cap_gets_413_not_100(endpoint, ids):
    path = "/identitypools/%s/events" % ids[0]
    with connect(endpoint) as sock:
        sock.sendall(signed_head(endpoint, "POST", path, content_length=50_000_000, extra={"Expect": "100-continue"}))
        head = read_response_head(sock)
        assert head.startswith(b"http/1.1 413 "), head
        assert b"100 continue" not in read_until_closed(sock).lower()


def test_bodies_buffered_at_once_are_capped_across_connections(endpoint, ids):
    path = "/identitypools/%s/events" % ids[0]
    body = json.dumps({"Events": {"SyncTrigger": "arn:x"}}).encode()

    def announce(sock, length):
        sock.sendall(signed_head(endpoint, "POST", path, body=body, content_length=length,
                                 extra={"Expect": "100-continue"}))
        return read_response_head(sock)

    held = [connect(endpoint) for _ in range(8)]
    try:
        for sock in held:
            assert announce(sock, 8 * MIB).startswith(b"http/1.1 100 continue"), "8 x 8 MiB fit in the budget"
        with connect(endpoint) as extra:
            head = announce(extra, 1)
            assert head.startswith(b"http/1.1 503 ")
            assert b"x-amzn-errortype: serviceunavailableexception:" in head
        held.pop().close()

        def admitted():
            with connect(endpoint) as sock:
                return announce(sock, len(body)).startswith(b"http/1.1 100 continue")

        assert wait_until(admitted), "a closed connection gives its bytes back"
    finally:
        for sock in held:
            sock.close()


def test_a_large_escaped_body_within_the_quota_is_accepted(endpoint, client, ids):
    pool, identity = ids
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    value = "\u00e9" * (512 * 1024 - 1)  # 1 MiB of UTF-8, 3 MiB as botocore escapes it
    client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", SyncSessionToken=token,
                          RecordPatches=[{"Op": "replace", "Key": "k", "Value": value, "SyncCount": 0}])
    records = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Records"]
    assert records[0]["Value"] == value


def test_idle_connections_are_closed(start_endpoint):
    endpoint = start_endpoint("--idle-timeout", "0.2")
    with connect(endpoint) as idle, connect(endpoint) as partial:
        partial.sendall(b"GET /identitypools HTTP/1.1\r\nHost: h\r\n")
        assert read_until_closed(idle) == b""
        assert read_until_closed(partial) == b""
    client = endpoint.client()
    assert client.list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_slow_answer_is_not_cut_by_the_idle_timeout(start_endpoint):
    endpoint = start_endpoint("--idle-timeout", "0.2", "--fault", "latency=600ms")
    assert endpoint.client().list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_at_the_descriptor_limit_the_endpoint_waits_without_spinning(endpoint):
    pid = endpoint.process.pid
    import os

    in_use = len(os.listdir("/proc/%d/fd" % pid))
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (in_use + 8, in_use + 8))
    held = []
    try:
        # Connections past the limit stay in the listen backlog: the endpoint cannot accept them.
        for _ in range(16):
            held.append(connect(endpoint, timeout=2))
        # On failure: the count it started from, the descriptors now, and the exit status if the endpoint ended.
        assert wait_until(lambda: len(os.listdir("/proc/%d/fd" % pid)) >= in_use + 8), (
            in_use, sorted(os.listdir("/proc/%d/fd" % pid)), endpoint.process.poll())
        started = cpu_seconds(pid)
        time.sleep(2)
        assert cpu_seconds(pid) - started < 0.5, "the event loop spins while it cannot accept"
        for sock in held:
            sock.close()
        held = []
        client = endpoint.client(attempts=5)
        assert client.list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize("where", ["header", "uri"])
def test_a_head_over_80_kib_is_431(endpoint, where):
    filler = "a" * (100 * 1024)
    with connect(endpoint) as sock:
        if where == "header":
            sock.sendall(b"GET /identitypools HTTP/1.1\r\nHost: h\r\nX-Filler: %s\r\n\r\n" % filler.encode())
        else:
            sock.sendall(b"GET /identitypools?x=%s HTTP/1.1\r\nHost: h\r\n\r\n" % filler.encode())
        head = read_response_head(sock)
        assert head.startswith(b"http/1.1 431 request header fields too large\r\n"), head[:200]
        assert b"connection: close" in head
    assert endpoint.process.poll() is None
    assert endpoint.client().list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200
