"""The requests cogsync-lua sends, captured by a loopback server, against botocore's serialiser and signer.

For every operation of Cognito Sync (rest-json) and Cognito Identity (AWS JSON 1.1), with awkward values, the
captured method, path, query, headers and JSON body must equal what botocore serialises for the same params, and
the Authorization header must be the signature botocore's SigV4 code computes for the captured request. The
operations the model sends without auth (GetId, ...) carry no signature, as botocore's own client sends them.
"""

import json
import os
import subprocess
import sys
import urllib.parse
from collections import Counter

import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import botocore_requests  # noqa: E402
from testkit import LoopbackServer, QuietHandler, binary  # noqa: E402

POOL = "us-east-1:0a1b2c3d-0000-4000-8000-00000000abcd"
IDENTITY = "eu-west-1:ffffffff-1111-2222-3333-444444444444"
AKID, SECRET, TOKEN = "AKIDWIRETEST", "wire/secret+key=", "session token/with+odd=chars"
HUGE = 2**53 + 1

CASES = [
    ("BulkPublish", {"IdentityPoolId": POOL}),
    ("DeleteDataset", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "a.b:c-d_e"}),
    ("DescribeDataset", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings"}),
    ("DescribeIdentityPoolUsage", {"IdentityPoolId": POOL}),
    ("DescribeIdentityUsage", {"IdentityPoolId": POOL, "IdentityId": IDENTITY}),
    ("GetBulkPublishDetails", {"IdentityPoolId": POOL}),
    ("GetCognitoEvents", {"IdentityPoolId": POOL}),
    ("GetIdentityPoolConfiguration", {"IdentityPoolId": POOL}),
    ("ListDatasets", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "MaxResults": 7,
                      "NextToken": "a+b/c= d"}),
    ("ListIdentityPoolUsage", {"MaxResults": 3, "NextToken": "tok en+/="}),
    ("ListIdentityPoolUsage", {}),
    ("ListRecords", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings",
                     "LastSyncCount": HUGE, "MaxResults": 1024, "NextToken": "n+/=x y",
                     "SyncSessionToken": "s e+s/s=="}),
    ("RegisterDevice", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "Platform": "APNS_SANDBOX",
                        "Token": "ab cd+/="}),
    ("SetCognitoEvents", {"IdentityPoolId": POOL,
                          "Events": {"SyncTrigger": "arn:aws:lambda:us-east-1:123456789012:function:f"}}),
    ("SetCognitoEvents", {"IdentityPoolId": POOL, "Events": {}}),
    ("SetIdentityPoolConfiguration", {
        "IdentityPoolId": POOL,
        "PushSync": {"ApplicationArns": ["arn:aws:sns:us-east-1:123456789012:app/GCM/my_app"],
                     "RoleArn": "arn:aws:iam::123456789012:role/push"},
        "CognitoStreams": {"StreamName": "stream", "RoleArn": "arn:aws:iam::123456789012:role/s",
                           "StreamingStatus": "DISABLED"}}),
    ("SetIdentityPoolConfiguration", {"IdentityPoolId": POOL, "PushSync": {"ApplicationArns": []}}),
    ("SubscribeToDataset", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings",
                            "DeviceId": "device id/with+odd=chars"}),
    ("UnsubscribeFromDataset", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings",
                                "DeviceId": "d-1"}),
    ("UpdateRecords", {
        "IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings",
        "DeviceId": "device-ü", "ClientContext": "eyJjbGllbnQiOiAieCJ9",
        "SyncSessionToken": "tok+/= en",
        "RecordPatches": [
            {"Op": "replace", "Key": "ключ ✓", "Value": "värde \"quoted\" \\ slash\n", "SyncCount": HUGE,
             "DeviceLastModifiedDate": 1700000000.75},
            {"Op": "remove", "Key": "gone", "SyncCount": 0},
            {"Op": "replace", "Key": "empty", "Value": "", "SyncCount": 2**62},
        ]}),
    ("UpdateRecords", {"IdentityPoolId": POOL, "IdentityId": IDENTITY, "DatasetName": "settings",
                       "SyncSessionToken": "t", "RecordPatches": []}),
]


IDENTITY_POOL = "eu-west-1:0a1b2c3d-0000-4000-8000-00000000abcd"
POOL_ARN = "arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/" + IDENTITY_POOL
ROLE = "arn:aws:iam::123456789012:role/Cognito_Unauth+=,.@-"
PROVIDERS = {"graph.facebook.com": "app id/1", "login.dev": "ünïcode-\"quoted\""}
IDENTITY_CASES = [
    ("CreateIdentityPool", {
        "IdentityPoolName": "pool name+=,.@-", "AllowUnauthenticatedIdentities": True, "AllowClassicFlow": False,
        "SupportedLoginProviders": {"graph.facebook.com": "123;456/7", "accounts.google.com": "a.b_c"},
        "DeveloperProviderName": "login.dev_x-1",
        "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:oidc-provider/server.example.com"],
        "CognitoIdentityProviders": [{"ProviderName": "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab",
                                      "ClientId": "client_1", "ServerSideTokenCheck": True}],
        "SamlProviderARNs": [], "IdentityPoolTags": {"team": "ops", "empty": ""}}),
    ("CreateIdentityPool", {"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": False}),
    ("DeleteIdentities", {"IdentityIdsToDelete": [IDENTITY, "us-east-1:00000000-0000-0000-0000-000000000001"]}),
    ("DeleteIdentityPool", {"IdentityPoolId": IDENTITY_POOL}),
    ("DescribeIdentity", {"IdentityId": IDENTITY}),
    ("DescribeIdentityPool", {"IdentityPoolId": IDENTITY_POOL}),
    ("GetCredentialsForIdentity", {"IdentityId": IDENTITY, "Logins": PROVIDERS, "CustomRoleArn": ROLE}),
    ("GetId", {"IdentityPoolId": IDENTITY_POOL}),
    ("GetId", {"AccountId": "123456789012", "IdentityPoolId": IDENTITY_POOL, "Logins": PROVIDERS}),
    ("GetIdentityPoolRoles", {"IdentityPoolId": IDENTITY_POOL}),
    ("GetOpenIdToken", {"IdentityId": IDENTITY, "Logins": {"cognito-identity.amazonaws.com": "tok.en/+="}}),
    ("GetOpenIdTokenForDeveloperIdentity", {
        "IdentityPoolId": IDENTITY_POOL, "IdentityId": IDENTITY, "Logins": {"login.dev": "user 1/+="},
        "PrincipalTags": {"department": "ops ✓"}, "TokenDuration": 86400}),
    ("GetPrincipalTagAttributeMap", {"IdentityPoolId": IDENTITY_POOL, "IdentityProviderName": "login.dev"}),
    ("ListIdentities", {"IdentityPoolId": IDENTITY_POOL, "MaxResults": 60, "NextToken": "n+/=x", "HideDisabled": True}),
    ("ListIdentities", {"IdentityPoolId": IDENTITY_POOL, "MaxResults": 1}),
    ("ListIdentityPools", {"MaxResults": 60, "NextToken": "tok+/="}),
    ("ListTagsForResource", {"ResourceArn": POOL_ARN}),
    ("LookupDeveloperIdentity", {"IdentityPoolId": IDENTITY_POOL, "IdentityId": IDENTITY,
                                 "DeveloperUserIdentifier": "user ü/1", "MaxResults": 2, "NextToken": "t"}),
    ("MergeDeveloperIdentities", {"SourceUserIdentifier": "a", "DestinationUserIdentifier": "b",
                                  "DeveloperProviderName": "login.dev", "IdentityPoolId": IDENTITY_POOL}),
    ("SetIdentityPoolRoles", {
        "IdentityPoolId": IDENTITY_POOL, "Roles": {"authenticated": ROLE, "unauthenticated": ROLE},
        "RoleMappings": {"graph.facebook.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"},
                         "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab:client_1": {
                             "Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
                             "RulesConfiguration": {"Rules": [
                                 {"Claim": "custom:dept", "MatchType": "Equals", "Value": "ops", "RoleARN": ROLE},
                                 {"Claim": "ünï", "MatchType": "StartsWith", "Value": "x", "RoleARN": ROLE}]}}}}),
    ("SetPrincipalTagAttributeMap", {"IdentityPoolId": IDENTITY_POOL, "IdentityProviderName": "login.dev",
                                     "UseDefaults": False, "PrincipalTags": {"dept": "custom:dept"}}),
    ("TagResource", {"ResourceArn": POOL_ARN, "Tags": {"team": "ops", "cost centre": ""}}),
    ("UnlinkDeveloperIdentity", {"IdentityId": IDENTITY, "IdentityPoolId": IDENTITY_POOL,
                                 "DeveloperProviderName": "login.dev", "DeveloperUserIdentifier": "user 1"}),
    ("UnlinkIdentity", {"IdentityId": IDENTITY, "Logins": PROVIDERS, "LoginsToRemove": ["graph.facebook.com"]}),
    ("UntagResource", {"ResourceArn": POOL_ARN, "TagKeys": ["team", "cost centre"]}),
    ("UpdateIdentityPool", {"IdentityPoolId": IDENTITY_POOL, "IdentityPoolName": "renamed",
                            "AllowUnauthenticatedIdentities": False, "SupportedLoginProviders": {},
                            "IdentityPoolTags": {"a": "b"}}),
]
ALL_CASES = [("cognito-sync",) + case for case in CASES] + [("cognito-identity",) + case for case in IDENTITY_CASES]
MODULES = {"cognito-sync": "cognitosync", "cognito-identity": "cognitoidentity"}


def unsigned(service, operation):
    """The operations the model says botocore sends without auth."""
    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    return model.auth_type == "none" or "smithy.api#noAuth" in (model.auth or [])


# Headers the client may send beyond those botocore's serialiser puts on the request, each with a check of its value
# against the body sent.
ALLOWED_EXTRA = {
    # SigV4, as botocore's signer adds them; verify_signature checks them.
    "host": lambda value, body: True,
    "x-amz-date": lambda value, body: True,
    "x-amz-security-token": lambda value, body: value == TOKEN,
    "authorization": lambda value, body: True,
    "content-length": lambda value, body: value == str(len(body)),
}


def lua_literal(value):
    """Python value -> Lua constructor text, keeping integers integers and strings byte-exact."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(c if 32 <= b < 127 and c not in '"\\' else "\\%d" % b
                             for b in value.encode() for c in [chr(b)]) + '"'
    if isinstance(value, list):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    return "{" + ", ".join("[%s] = %s" % (lua_literal(k), lua_literal(v)) for k, v in value.items()) + "}"


class Capture(QuietHandler):
    protocol_version = "HTTP/1.1"
    captured = []

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Capture.captured.append((self.command, self.path, list(self.headers.items()), body))
        payload = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = handle_any


@pytest.fixture(scope="module")
def capture_server():
    server = LoopbackServer(Capture)
    yield server.url
    server.stop()


def lua_name(operation):
    return operation[0].lower() + operation[1:]


def run_script(script, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    done = subprocess.run([str(binary("cogsync-lua")), str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr


def client_line(service, capture_server, options=""):
    return ('local cs = require(%s).new{endpoint = %s, region = "eu-west-1", accessKeyId = %s, '
            'secretAccessKey = %s, sessionToken = %s, maxRetries = 0%s}\n'
            % (lua_literal(MODULES[service]), lua_literal(capture_server), lua_literal(AKID), lua_literal(SECRET),
               lua_literal(TOKEN), options))


def check_request(captured, capture_server, service, operation, params):
    """The captured request is the one botocore serialises for the call, signed as botocore signs it."""
    method, raw_target, headers, body = captured
    expected = botocore_requests.serialize(operation, params, service)

    raw_path, _, raw_query = raw_target.partition("?")
    assert method == expected["method"]
    assert raw_path == expected["path"]
    # The query's order carries no meaning (the signature sorts it): the same names and values, each encoded as
    # botocore encodes it.
    assert Counter(urllib.parse.parse_qsl(raw_query, keep_blank_values=True)) == \
        Counter(tuple(pair) for pair in expected["query"])
    assert sorted(raw_query.split("&")) == sorted(expected["encodedQuery"].split("&"))

    sent = {name.lower(): value for name, value in headers}
    assert len(sent) == len(headers), "a header sent twice: %s" % headers
    for name, value in expected["headers"]:
        assert sent.get(name.lower()) == value, name
    extra = set(sent) - {name.lower() for name, _ in expected["headers"]}
    refused = {name: sent[name] for name in extra if not ALLOWED_EXTRA.get(name, lambda value, body: False)(
        sent[name], body)}
    assert refused == {}, "headers beyond botocore's serialiser that are not on the allow-list"
    if expected["body"]:
        assert json.loads(body) == json.loads(expected["body"])
    else:
        assert body == b""

    if unsigned(service, operation):
        assert not {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"} & set(sent)
        return
    assert sent["x-amz-security-token"] == TOKEN
    verify_signature(method, capture_server + raw_target, headers, body, service)


@pytest.mark.parametrize("service,operation,params", ALL_CASES,
                         ids=[c[1] + str(i) for i, c in enumerate(ALL_CASES)])
def test_request_matches_botocore(capture_server, service, operation, params, tmp_path):
    script = tmp_path / "call.lua"
    script.write_text(client_line(service, capture_server) + "cs:%s(%s)\n" % (lua_name(operation), lua_literal(params)))
    Capture.captured.clear()
    run_script(script, tmp_path)
    assert len(Capture.captured) == 1
    check_request(Capture.captured[0], capture_server, service, operation, params)


@pytest.mark.parametrize("service", sorted(MODULES))
def test_calls_in_turn_on_one_connection_each_match_botocore(capture_server, service, tmp_path):
    # One request at a time: each call reuses the transfer of the one before, whatever its method (GET, POST,
    # DELETE), body and headers were, and must still go out as botocore sends it.
    cases = [case for case in ALL_CASES if case[0] == service]
    script = tmp_path / "calls.lua"
    script.write_text(client_line(service, capture_server, ", maxInFlight = 1") + "".join(
        "cs:%s(%s)\n" % (lua_name(operation), lua_literal(params)) for _, operation, params in cases))
    Capture.captured.clear()
    run_script(script, tmp_path)
    assert len(Capture.captured) == len(cases)
    for captured, (_, operation, params) in zip(Capture.captured, cases):
        check_request(captured, capture_server, service, operation, params)


def test_unsigned_operations_are_those_botocore_sends_unsigned(capture_server):
    """botocore's own client, with credentials, sends GetId without a signature and DescribeIdentity with one: the
    model's auth type is what the client follows, and the test's notion of it agrees with botocore's client."""
    client = botocore.session.get_session().create_client(
        "cognito-identity", region_name="eu-west-1", endpoint_url=capture_server, aws_access_key_id=AKID,
        aws_secret_access_key=SECRET, aws_session_token=TOKEN)
    Capture.captured.clear()
    client.get_id(IdentityPoolId=IDENTITY_POOL)
    client.describe_identity(IdentityId=IDENTITY)
    sent = [{name.lower() for name, _ in headers} for _, _, headers, _ in Capture.captured]
    assert "authorization" not in sent[0] and unsigned("cognito-identity", "GetId")
    assert "authorization" in sent[1] and not unsigned("cognito-identity", "DescribeIdentity")
    assert sorted(op for op in botocore.session.get_session().get_service_model("cognito-identity").operation_names
                  if unsigned("cognito-identity", op)) == \
        ["GetCredentialsForIdentity", "GetId", "GetOpenIdToken", "UnlinkIdentity"]


def test_every_operation_has_a_case():
    for service, cases in (("cognito-sync", CASES), ("cognito-identity", IDENTITY_CASES)):
        names = set(botocore.session.get_session().get_service_model(service).operation_names)
        assert names == {case[0] for case in cases}, service


def verify_signature(method, url, headers, body, service):
    """Recomputes the signature with botocore's SigV4 code from the request as it arrived."""
    sent = dict(headers)
    authorization = sent.pop("Authorization")
    scheme, _, fields = authorization.partition(" ")
    assert scheme == "AWS4-HMAC-SHA256"
    parts = dict(item.strip().split("=", 1) for item in fields.split(","))
    signed = parts["SignedHeaders"].split(";")
    assert {"host", "x-amz-date", "x-amz-security-token"} <= set(signed)
    request = AWSRequest(method=method, url=url, data=body,
                         headers={k: v for k, v in sent.items() if k.lower() in signed})
    request.context["timestamp"] = sent["X-Amz-Date"]
    auth = SigV4Auth(Credentials(AKID, SECRET, TOKEN), service, "eu-west-1")
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    assert parts["Signature"] == signature
    assert parts["Credential"] == "%s/%s/eu-west-1/%s/aws4_request" % (AKID, sent["X-Amz-Date"][:8], service)
