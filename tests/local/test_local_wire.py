"""The wire format: routes, raw and escaped `:` in labels, headers, the error shape, unknown routes, bad JSON."""

import json
import socket

from localsync import put


def test_raw_and_escaped_colons_reach_the_same_dataset(endpoint, client, ids):
    pool, identity = ids
    put(client, pool, identity, "my:set", {"k": "v"})
    for path in [
        "/identitypools/%s/identities/%s/datasets/my:set" % (pool, identity),
        "/identitypools/%s/identities/%s/datasets/my%%3Aset" % (pool.replace(":", "%3A"), identity.replace(":", "%3a")),
    ]:
        status, headers, body = endpoint.raw("GET", path)
        assert status == 200, body
        assert json.loads(body)["Dataset"]["DatasetName"] == "my:set"


def test_success_headers(endpoint, ids):
    pool = ids[0]
    seen = set()
    for _ in range(3):
        status, headers, body = endpoint.raw("GET", "/identitypools")
        assert status == 200
        assert headers["content-type"] == "application/json"
        assert int(headers["content-length"]) == len(body)
        assert headers["date"].endswith(" GMT")
        seen.add(headers["x-amzn-requestid"])
    assert len(seen) == 3
    status, headers, body = endpoint.raw(
        "POST", "/identitypools/%s/events" % pool, body=json.dumps({"Events": {"SyncTrigger": "arn:x"}}).encode()
    )
    assert (status, body) == (200, b"")


def test_error_wire_shape(endpoint, ids):
    status, headers, body = endpoint.raw("GET", "/identitypools/%s" % ids[0])
    assert status == 404
    assert headers["x-amzn-errortype"] == (
        "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognito.sync.model/"
    )
    assert headers["content-type"] == "application/json"
    assert "x-amzn-requestid" in headers
    payload = json.loads(body)
    assert list(payload) == ["message"] and payload["message"]


def test_unknown_route(endpoint):
    for method, path in [("GET", "/nothing"), ("PUT", "/identitypools"), ("GET", "/identitypools/a/b/c/d/e/f/g/h/i")]:
        status, headers, body = endpoint.raw(method, path)
        assert status == 404
        assert headers["x-amzn-errortype"].startswith("UnknownOperationException:")


def test_malformed_json_body(endpoint, ids):
    pool, identity = ids
    path = "/identitypools/%s/identities/%s/datasets/d" % (pool, identity)
    status, headers, body = endpoint.raw("POST", path, body=b"{not json")
    assert status == 400
    assert headers["x-amzn-errortype"].startswith("SerializationException:")


def test_big_integers_keep_every_digit(endpoint, client, ids):
    pool, identity = ids
    token = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["SyncSessionToken"]
    path = "/identitypools/%s/identities/%s/datasets/d" % (pool, identity)
    body = (
        '{"SyncSessionToken": "%s", "RecordPatches": [{"Op": "replace", "Key": "k", "Value": "v", '
        '"SyncCount": 9223372036854775807}]}' % token
    ).encode()
    status, headers, payload = endpoint.raw("POST", path, body=body)
    assert status == 409
    assert json.loads(payload)["message"] == "Current SyncCount for: k is: 0 not: 9223372036854775807"


def test_keep_alive_and_expect_continue(endpoint, ids):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    pool = ids[0]
    path = "/identitypools/%s/events" % pool
    body = json.dumps({"Events": {"SyncTrigger": "arn:x"}}).encode()
    request = AWSRequest(method="POST", url=endpoint.url + path, data=body, headers={"Expect": "100-continue"})
    SigV4Auth(Credentials("AKIDLOCAL", "cogsync-local-secret"), "cognito-sync", "us-east-1").add_auth(request)
    head = "POST %s HTTP/1.1\r\n" % path + "".join("%s: %s\r\n" % kv for kv in request.headers.items())
    head += "Host: %s:%d\r\nContent-Length: %d\r\n\r\n" % (endpoint.host, endpoint.port, len(body))
    with socket.create_connection((endpoint.host, endpoint.port), timeout=5) as sock:
        sock.sendall(head.encode())
        interim = sock.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n")
        sock.sendall(body)
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"connection: keep-alive" in reply.lower()
        get = AWSRequest(method="GET", url=endpoint.url + "/identitypools/%s/events" % pool)
        SigV4Auth(Credentials("AKIDLOCAL", "cogsync-local-secret"), "cognito-sync", "us-east-1").add_auth(get)
        second = "GET /identitypools/%s/events HTTP/1.1\r\n" % pool
        second += "".join("%s: %s\r\n" % kv for kv in get.headers.items())
        second += "Host: %s:%d\r\n\r\n" % (endpoint.host, endpoint.port)
        sock.sendall(second.encode())
        reply = b""
        while b"arn:x" not in reply:
            chunk = sock.recv(4096)
            assert chunk
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 200 OK\r\n")


def test_every_operation_is_routed(endpoint, client, ids):
    pool, identity = ids
    role = "arn:aws:iam::123456789012:role/r"
    put(client, pool, identity, "d", {"k": "v"})
    client.set_identity_pool_configuration(
        IdentityPoolId=pool,
        PushSync={"ApplicationArns": ["arn:aws:sns:us-east-1:123456789012:app/GCM/a"], "RoleArn": role},
        CognitoStreams={"StreamName": "s", "RoleArn": role, "StreamingStatus": "ENABLED"},
    )
    device = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="t")["DeviceId"]
    calls = {
        "BulkPublish": lambda: client.bulk_publish(IdentityPoolId=pool),
        "GetBulkPublishDetails": lambda: client.get_bulk_publish_details(IdentityPoolId=pool),
        "DescribeDataset": lambda: client.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d"),
        "DescribeIdentityPoolUsage": lambda: client.describe_identity_pool_usage(IdentityPoolId=pool),
        "DescribeIdentityUsage": lambda: client.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity),
        "GetCognitoEvents": lambda: client.get_cognito_events(IdentityPoolId=pool),
        "SetCognitoEvents": lambda: client.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": "arn:f"}),
        "GetIdentityPoolConfiguration": lambda: client.get_identity_pool_configuration(IdentityPoolId=pool),
        "ListDatasets": lambda: client.list_datasets(IdentityPoolId=pool, IdentityId=identity),
        "ListIdentityPoolUsage": lambda: client.list_identity_pool_usage(),
        "ListRecords": lambda: client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d"),
        "SubscribeToDataset": lambda: client.subscribe_to_dataset(
            IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device
        ),
        "UnsubscribeFromDataset": lambda: client.unsubscribe_from_dataset(
            IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device
        ),
        "UpdateRecords": lambda: put(client, pool, identity, "d", {"k": "w"}),
        "DeleteDataset": lambda: client.delete_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d"),
    }
    for name, call in calls.items():
        assert call()["ResponseMetadata"]["HTTPStatusCode"] == 200, name
    usage = client.describe_identity_usage(IdentityPoolId=pool, IdentityId=identity)["IdentityUsage"]
    assert usage["DatasetCount"] == 0
