"""SigV4 verification: AWS's errors for a bad signature, an unknown key, a stale date and no signature."""

import email.utils
import json
import time

import pytest
from botocore.exceptions import ClientError

from localsync import client_clock_offset, error_of

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details."
)


def test_wrong_secret_is_a_signature_mismatch(endpoint, ids):
    client = endpoint.client(secret="wrong-secret")
    with pytest.raises(ClientError) as excinfo:
        client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")
    assert error_of(excinfo) == ("InvalidSignatureException", 403, MISMATCH)


def test_unknown_access_key(endpoint, ids):
    client = endpoint.client(key="AKIDUNKNOWN")
    with pytest.raises(ClientError) as excinfo:
        client.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert error_of(excinfo) == (
        "UnrecognizedClientException",
        403,
        "The security token included in the request is invalid.",
    )


def test_stale_date_is_expired(endpoint, ids):
    client = endpoint.client()
    for offset, prefix in [(-20 * 60, "Signature expired: "), (20 * 60, "Signature not yet current: ")]:
        with client_clock_offset(offset), pytest.raises(ClientError) as excinfo:
            client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")
        code, status, message = error_of(excinfo)
        assert (code, status) == ("InvalidSignatureException", 403)
        assert message.startswith(prefix)
    with client_clock_offset(-14 * 60):
        client.list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")


def test_missing_signature(endpoint):
    status, headers, body = endpoint.raw("GET", "/identitypools", sign=False)
    assert status == 403
    assert headers["x-amzn-errortype"].split(":")[0] == "MissingAuthenticationTokenException"
    assert json.loads(body) == {"message": "Missing Authentication Token"}


def test_incomplete_signature(endpoint):
    status, headers, body = endpoint.raw(
        "GET", "/identitypools", sign=False, headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/x"}
    )
    assert status == 400
    assert headers["x-amzn-errortype"].split(":")[0] == "IncompleteSignatureException"
    assert json.loads(body)["message"]


def test_tampered_body_is_rejected(endpoint, ids):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import http.client

    path = "/identitypools/%s/events" % ids[0]
    body = json.dumps({"Events": {"SyncTrigger": "arn:a"}}).encode()
    request = AWSRequest(method="POST", url=endpoint.url + path, data=body)
    SigV4Auth(Credentials("AKIDLOCAL", "cogsync-local-secret"), "cognito-sync", "us-east-1").add_auth(request)
    connection = http.client.HTTPConnection(endpoint.host, endpoint.port)
    connection.request("POST", path, body=body.replace(b"arn:a", b"arn:b"), headers=dict(request.headers.items()))
    response = connection.getresponse()
    assert response.status == 403
    assert json.loads(response.read())["message"] == MISMATCH
    connection.close()


def test_configured_credentials_replace_the_default_pair(start_endpoint, ids):
    endpoint = start_endpoint("--credentials", "AKIDONE:secret-one", "--credentials", "AKIDTWO:secret-two")
    with pytest.raises(ClientError) as excinfo:
        endpoint.client().list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    assert error_of(excinfo)[0] == "UnrecognizedClientException"
    for key, secret in [("AKIDONE", "secret-one"), ("AKIDTWO", "secret-two")]:
        assert endpoint.client(key=key, secret=secret).list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])[
            "Datasets"
        ] == []


def test_clock_offset_skews_date_header_and_expiry(start_endpoint, ids):
    endpoint = start_endpoint("--clock-offset", "3600")
    client = endpoint.client()
    with pytest.raises(ClientError) as excinfo:
        client.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidSignatureException", 403) and message.startswith("Signature expired")
    served = email.utils.parsedate_to_datetime(excinfo.value.response["ResponseMetadata"]["HTTPHeaders"]["date"])
    assert abs(served.timestamp() - (time.time() + 3600)) < 5
    with client_clock_offset(3600):
        client.list_datasets(IdentityPoolId=ids[0], IdentityId=ids[1])
