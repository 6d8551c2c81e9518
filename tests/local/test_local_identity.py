"""Cognito Identity on cogsync-local: boto3's cognito-identity client through every emulated operation, its limits and
errors, the state it shares with Cognito Sync, and what it refuses to emulate."""

import json
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put
from rawhttp import connect, read_response_head
from testkit import new_id

SERVICE = "cognito-identity"
ACCOUNT = "000000000000"
ROLE = "arn:aws:iam::123456789012:role/r"
FACEBOOK = "graph.facebook.com"
ERROR_SUFFIX = ":http://internal.amazon.com/coral/com.amazonaws.cognito.identity.model/"
# The statuses the service's API reference documents for its errors (the others are 400), and the endpoint's own.
STATUS = {"InternalErrorException": 500, "NotImplementedException": 501}


@pytest.fixture
def identity(endpoint):
    return endpoint.client(service=SERVICE)


def make_pool(client, name="pool", unauthenticated=True, **options):
    return client.create_identity_pool(
        IdentityPoolName=name, AllowUnauthenticatedIdentities=unauthenticated, **options
    )["IdentityPoolId"]


def arn(pool):
    return "arn:aws:cognito-identity:%s:%s:identitypool/%s" % (pool.split(":")[0], ACCOUNT, pool)


def fails(call, code, status=None, **kwargs):
    """Calls `call(**kwargs)`, expects the error `code` with `status` (by default the service's for that code), and
    returns its message."""
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    got_code, got_status, message = error_of(excinfo)
    assert (got_code, got_status) == (code, status or STATUS.get(code, 400)), message
    return message


def target(endpoint, operation, body, sign=True, service=SERVICE):
    """A raw AWS JSON 1.1 request to `operation`; returns (status, headers, parsed body)."""
    status, headers, raw = endpoint.raw(
        "POST", "/", json.dumps(body).encode(), sign=sign, service=service,
        headers={"X-Amz-Target": "AWSCognitoIdentityService." + operation,
                 "Content-Type": "application/x-amz-json-1.1"})
    return status, headers, json.loads(raw) if raw else None


def test_pool_lifecycle(identity):
    created = identity.create_identity_pool(
        IdentityPoolName="Game players", AllowUnauthenticatedIdentities=False, DeveloperProviderName="login.game",
        SupportedLoginProviders={FACEBOOK: "1234"}, IdentityPoolTags={"team": "a"})
    pool = created["IdentityPoolId"]
    assert pool.startswith("us-east-1:")
    assert created["AllowClassicFlow"] is False
    described = identity.describe_identity_pool(IdentityPoolId=pool)
    del described["ResponseMetadata"], created["ResponseMetadata"]
    assert described == created

    # An update replaces the configuration: what it leaves out returns to its default; the tags are kept.
    updated = identity.update_identity_pool(
        IdentityPoolId=pool, IdentityPoolName="renamed", AllowUnauthenticatedIdentities=True,
        DeveloperProviderName="login.game", AllowClassicFlow=True)
    assert updated["IdentityPoolName"] == "renamed" and updated["AllowClassicFlow"] is True
    assert "SupportedLoginProviders" not in updated
    assert updated["IdentityPoolTags"] == {"team": "a"}
    assert identity.describe_identity_pool(IdentityPoolId=pool)["IdentityPoolName"] == "renamed"

    message = fails(identity.update_identity_pool, "InvalidParameterException", IdentityPoolId=pool,
                    IdentityPoolName="x", AllowUnauthenticatedIdentities=True, DeveloperProviderName="other")
    assert "cannot be changed" in message

    # Pool names need not be unique.
    twin = make_pool(identity, name="renamed")
    assert twin != pool

    identity.delete_identity_pool(IdentityPoolId=pool)
    assert "not found" in fails(identity.describe_identity_pool, "ResourceNotFoundException", IdentityPoolId=pool)
    fails(identity.delete_identity_pool, "ResourceNotFoundException", IdentityPoolId=pool)
    fails(identity.update_identity_pool, "ResourceNotFoundException", IdentityPoolId=pool, IdentityPoolName="x",
          AllowUnauthenticatedIdentities=True)


def test_list_identity_pools_pages_and_bounds(endpoint, identity):
    pools = sorted(make_pool(identity, name="p%d" % n) for n in range(5))
    seen, token = [], None
    while True:
        page = identity.list_identity_pools(MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["IdentityPools"]) <= 2
        seen += page["IdentityPools"]
        token = page.get("NextToken")
        if not token:
            break
    assert [p["IdentityPoolId"] for p in seen] == pools
    assert {p["IdentityPoolName"] for p in seen} == {"p%d" % n for n in range(5)}

    unchecked = endpoint.client(validate=False, service=SERVICE)
    for bad in (0, 61):
        message = fails(unchecked.list_identity_pools, "InvalidParameterException", MaxResults=bad)
        assert "at 'maxResults' failed to satisfy constraint" in message
    fails(identity.list_identity_pools, "InvalidParameterException", MaxResults=5, NextToken="garbage")


def test_pool_quota_is_a_thousand(identity):
    for n in range(1000):
        make_pool(identity, name="p%d" % n)
    assert "maximum of 1000" in fails(identity.create_identity_pool, "LimitExceededException",
                                      IdentityPoolName="one-too-many", AllowUnauthenticatedIdentities=True)


def test_input_is_checked_against_the_model(endpoint):
    unchecked = endpoint.client(validate=False, service=SERVICE)
    message = fails(unchecked.create_identity_pool, "InvalidParameterException", IdentityPoolName="bad/name",
                    AllowUnauthenticatedIdentities=True)
    assert message.startswith("1 validation error detected: Value 'bad/name' at 'identityPoolName'")
    message = fails(unchecked.create_identity_pool, "InvalidParameterException", IdentityPoolName="x")
    assert "'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null" in message
    fails(unchecked.describe_identity_pool, "InvalidParameterException", IdentityPoolId="no-colon")


def test_tags(identity):
    pool = make_pool(identity, IdentityPoolTags={"a": "1"})
    identity.tag_resource(ResourceArn=arn(pool), Tags={"b": "2", "a": "3"})
    assert identity.list_tags_for_resource(ResourceArn=arn(pool))["Tags"] == {"a": "3", "b": "2"}
    identity.untag_resource(ResourceArn=arn(pool), TagKeys=["a", "missing"])
    assert identity.list_tags_for_resource(ResourceArn=arn(pool))["Tags"] == {"b": "2"}
    assert identity.describe_identity_pool(IdentityPoolId=pool)["IdentityPoolTags"] == {"b": "2"}

    fails(identity.list_tags_for_resource, "ResourceNotFoundException", ResourceArn=arn(new_id()))
    other_account = arn(pool).replace(ACCOUNT, "123456789012")
    fails(identity.tag_resource, "ResourceNotFoundException", ResourceArn=other_account, Tags={"c": "3"})
    fails(identity.tag_resource, "InvalidParameterException", ResourceArn="arn:aws:s3:::some-bucket", Tags={"c": "3"})
    message = fails(identity.tag_resource, "InvalidParameterException", ResourceArn=arn(pool),
                    Tags={"k%d" % n: "v" for n in range(50)})
    assert "at most 50 tags" in message


def test_roles_and_role_mappings(identity):
    pool = make_pool(identity)
    assert identity.get_identity_pool_roles(IdentityPoolId=pool)["Roles"] == {}
    mappings = {
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client": {
            "Type": "Rules", "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {"Rules": [{"Claim": "group", "MatchType": "Equals", "Value": "admin",
                                              "RoleARN": ROLE}]}},
        FACEBOOK: {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"},
    }
    identity.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": ROLE, "unauthenticated": ROLE},
                                     RoleMappings=mappings)
    roles = identity.get_identity_pool_roles(IdentityPoolId=pool)
    assert roles["Roles"] == {"authenticated": ROLE, "unauthenticated": ROLE}
    assert roles["RoleMappings"] == mappings

    message = fails(identity.set_identity_pool_roles, "InvalidParameterException", IdentityPoolId=pool,
                    Roles={}, RoleMappings={FACEBOOK: {"Type": "Rules"}})
    assert "RulesConfiguration is required" in message
    fails(identity.set_identity_pool_roles, "ResourceNotFoundException", IdentityPoolId=new_id(), Roles={})
    fails(identity.get_identity_pool_roles, "ResourceNotFoundException", IdentityPoolId=new_id())


def test_principal_tag_attribute_map(identity):
    pool = make_pool(identity)
    default = identity.get_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName=FACEBOOK)
    assert default["UseDefaults"] is True and "PrincipalTags" not in default
    identity.set_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName=FACEBOOK,
                                             UseDefaults=False, PrincipalTags={"user": "sub"})
    stored = identity.get_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName=FACEBOOK)
    assert (stored["UseDefaults"], stored["PrincipalTags"]) == (False, {"user": "sub"})
    fails(identity.get_principal_tag_attribute_map, "ResourceNotFoundException", IdentityPoolId=new_id(),
          IdentityProviderName=FACEBOOK)


def test_get_id(identity):
    pool = make_pool(identity, SupportedLoginProviders={FACEBOOK: "app"})
    first = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    second = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    assert first != second and first.startswith("us-east-1:")

    linked = identity.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token-1"})["IdentityId"]
    assert identity.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token-1"})["IdentityId"] == linked
    assert identity.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token-2"})["IdentityId"] != linked
    assert identity.describe_identity(IdentityId=linked)["Logins"] == [FACEBOOK]

    fails(identity.get_id, "NotAuthorizedException", IdentityPoolId=pool, Logins={"accounts.google.com": "t"})
    fails(identity.get_id, "ResourceNotFoundException", IdentityPoolId=new_id())
    closed = make_pool(identity, unauthenticated=False)
    message = fails(identity.get_id, "NotAuthorizedException", IdentityPoolId=closed)
    assert "Unauthenticated access is not supported" in message


def test_list_and_describe_identities(endpoint, identity):
    pool = make_pool(identity)
    ids = sorted(identity.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(5))
    seen, token = [], None
    while True:
        page = identity.list_identities(IdentityPoolId=pool, MaxResults=2, **({"NextToken": token} if token else {}))
        assert page["IdentityPoolId"] == pool
        seen += page["Identities"]
        token = page.get("NextToken")
        if not token:
            break
    assert [i["IdentityId"] for i in seen] == ids
    described = identity.describe_identity(IdentityId=ids[0])
    assert described["IdentityId"] == ids[0] and described["Logins"] == []
    assert described["CreationDate"] == described["LastModifiedDate"]

    fails(identity.describe_identity, "ResourceNotFoundException", IdentityId=new_id())
    fails(identity.list_identities, "ResourceNotFoundException", IdentityPoolId=new_id(), MaxResults=10)
    unchecked = endpoint.client(validate=False, service=SERVICE)
    for bad in (0, 61):
        fails(unchecked.list_identities, "InvalidParameterException", IdentityPoolId=pool, MaxResults=bad)
    fails(unchecked.list_identities, "InvalidParameterException", IdentityPoolId=pool)


def test_delete_identities_reports_unknown_ids(endpoint, identity, client):
    pool = make_pool(identity)
    doomed = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    kept = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    put(client, pool, doomed, "d", {"k": "v"})
    unknown = new_id()
    answer = identity.delete_identities(IdentityIdsToDelete=[doomed, unknown])
    assert answer["UnprocessedIdentityIds"] == [{"IdentityId": unknown, "ErrorCode": "AccessDenied"}]
    assert [i["IdentityId"] for i in identity.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]] == [
        kept]
    # The identity's Cognito Sync data went with it.
    fails(client.describe_identity_usage, "ResourceNotFoundException", 404, IdentityPoolId=pool, IdentityId=doomed)
    unchecked = endpoint.client(validate=False, service=SERVICE)
    fails(unchecked.delete_identities, "InvalidParameterException", IdentityIdsToDelete=[new_id() for _ in range(61)])


def test_developer_identities(identity):
    pool = make_pool(identity, unauthenticated=False, DeveloperProviderName="login.game")
    answer = identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.game": "alice"})
    alice = answer["IdentityId"]
    assert answer["Token"]
    again = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "alice"}, TokenDuration=60)
    assert again["IdentityId"] == alice

    # The token is a login of cognito-identity.amazonaws.com, as developer-authenticated clients send it to GetId.
    assert identity.get_id(IdentityPoolId=pool,
                           Logins={"cognito-identity.amazonaws.com": answer["Token"]})["IdentityId"] == alice
    fails(identity.get_id, "NotAuthorizedException", IdentityPoolId=pool,
          Logins={"cognito-identity.amazonaws.com": "forged"})

    # A second identifier linked to the same identity.
    identity.get_open_id_token_for_developer_identity(IdentityPoolId=pool, IdentityId=alice,
                                                      Logins={"login.game": "alice-2"})
    found = identity.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="alice-2")
    assert found["IdentityId"] == alice
    assert found["DeveloperUserIdentifierList"] == ["alice", "alice-2"]
    first = identity.lookup_developer_identity(IdentityPoolId=pool, IdentityId=alice, MaxResults=1)
    assert first["DeveloperUserIdentifierList"] == ["alice"]
    rest = identity.lookup_developer_identity(IdentityPoolId=pool, IdentityId=alice, MaxResults=1,
                                              NextToken=first["NextToken"])
    assert rest["DeveloperUserIdentifierList"] == ["alice-2"] and "NextToken" not in rest

    bob = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "bob"})["IdentityId"]
    fails(identity.get_open_id_token_for_developer_identity, "DeveloperUserAlreadyRegisteredException",
          IdentityPoolId=pool, IdentityId=bob, Logins={"login.game": "alice"})
    fails(identity.get_open_id_token_for_developer_identity, "NotAuthorizedException", IdentityPoolId=pool,
          Logins={"other.provider": "x"})
    fails(identity.get_open_id_token_for_developer_identity, "ResourceNotFoundException", IdentityPoolId=pool,
          IdentityId=new_id(), Logins={"login.game": "carol"})
    fails(identity.lookup_developer_identity, "ResourceNotFoundException", IdentityPoolId=pool,
          DeveloperUserIdentifier="nobody")
    fails(identity.lookup_developer_identity, "ResourceConflictException", IdentityPoolId=pool, IdentityId=bob,
          DeveloperUserIdentifier="alice")
    fails(identity.lookup_developer_identity, "InvalidParameterException", IdentityPoolId=pool)

    # Unlinking the last identifier disables the identity; the identifier then makes a new identity.
    identity.unlink_developer_identity(IdentityPoolId=pool, IdentityId=bob, DeveloperProviderName="login.game",
                                       DeveloperUserIdentifier="bob")
    fails(identity.unlink_developer_identity, "ResourceNotFoundException", IdentityPoolId=pool, IdentityId=bob,
          DeveloperProviderName="login.game", DeveloperUserIdentifier="bob")
    listed = identity.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]
    assert bob in [i["IdentityId"] for i in listed]
    shown = identity.list_identities(IdentityPoolId=pool, MaxResults=60, HideDisabled=True)["Identities"]
    assert [i["IdentityId"] for i in shown] == [alice]
    assert identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "bob"})["IdentityId"] not in (alice, bob)


def test_merge_developer_identities_moves_logins_and_datasets(identity, client):
    pool = make_pool(identity, DeveloperProviderName="login.game")
    source = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "old"})["IdentityId"]
    destination = identity.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "new"})["IdentityId"]
    put(client, pool, source, "settings", {"volume": "7"})
    merged = identity.merge_developer_identities(
        SourceUserIdentifier="old", DestinationUserIdentifier="new", DeveloperProviderName="login.game",
        IdentityPoolId=pool)
    assert merged["IdentityId"] == destination
    assert identity.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="old")[
        "IdentityId"] == destination
    fails(identity.describe_identity, "ResourceNotFoundException", IdentityId=source)
    datasets = client.list_datasets(IdentityPoolId=pool, IdentityId=destination)["Datasets"]
    assert [d["DatasetName"] for d in datasets] == ["settings." + source]
    records = client.list_records(IdentityPoolId=pool, IdentityId=destination, DatasetName="settings." + source)
    assert [(r["Key"], r["Value"]) for r in records["Records"]] == [("volume", "7")]
    fails(identity.merge_developer_identities, "ResourceNotFoundException", SourceUserIdentifier="nobody",
          DestinationUserIdentifier="new", DeveloperProviderName="login.game", IdentityPoolId=pool)


def test_unlink_identity_needs_a_login_of_the_identity(identity):
    pool = make_pool(identity, SupportedLoginProviders={FACEBOOK: "app", "accounts.google.com": "app"})
    both = {FACEBOOK: "fb-token", "accounts.google.com": "g-token"}
    linked = identity.get_id(IdentityPoolId=pool, Logins=both)["IdentityId"]
    message = fails(identity.unlink_identity, "NotAuthorizedException", IdentityId=linked,
                    Logins={FACEBOOK: "someone-else"}, LoginsToRemove=[FACEBOOK])
    assert "Logins don't match" in message
    identity.unlink_identity(IdentityId=linked, Logins={FACEBOOK: "fb-token"}, LoginsToRemove=[FACEBOOK])
    assert identity.describe_identity(IdentityId=linked)["Logins"] == ["accounts.google.com"]
    # The unlinked login now leads to a new identity.
    assert identity.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "fb-token"})["IdentityId"] != linked
    fails(identity.unlink_identity, "ResourceNotFoundException", IdentityId=new_id(), Logins={},
          LoginsToRemove=[FACEBOOK])


def test_operations_that_need_aws_are_not_emulated(identity):
    pool = make_pool(identity)
    identity_id = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    for call in (identity.get_credentials_for_identity, identity.get_open_id_token):
        message = fails(call, "NotImplementedException", IdentityId=identity_id)
        assert "not emulated by the local endpoint" in message


def test_unsigned_requests_only_for_the_operations_the_model_marks(endpoint, identity):
    pool = make_pool(identity)
    status, headers, body = target(endpoint, "GetId", {"IdentityPoolId": pool}, sign=False)
    assert status == 200 and body["IdentityId"].startswith("us-east-1:")
    assert headers["content-type"] == "application/x-amz-json-1.1"
    status, headers, body = target(endpoint, "CreateIdentityPool",
                                   {"IdentityPoolName": "x", "AllowUnauthenticatedIdentities": True}, sign=False)
    assert (status, body["__type"]) == (403, "MissingAuthenticationTokenException")
    assert [p["IdentityPoolId"] for p in identity.list_identity_pools(MaxResults=60)["IdentityPools"]] == [pool]
    # Identity requests must be signed for cognito-identity.
    status, _, body = target(endpoint, "ListIdentityPools", {"MaxResults": 10}, service="cognito-sync")
    assert (status, body["__type"]) == (403, "InvalidSignatureException")
    assert "'cognito-identity'" in body["message"]


def test_error_wire_format_and_unknown_targets(endpoint):
    status, headers, body = target(endpoint, "DescribeIdentityPool", {"IdentityPoolId": new_id()})
    assert status == 400
    assert body["__type"] == "ResourceNotFoundException" and "not found" in body["message"]
    assert headers["x-amzn-errortype"] == "ResourceNotFoundException" + ERROR_SUFFIX
    assert headers["x-amzn-requestid"]
    status, headers, body = target(endpoint, "FlyToTheMoon", {})
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    assert headers["x-amzn-errortype"] == "UnknownOperationException" + ERROR_SUFFIX
    status, _, raw = endpoint.raw("POST", "/", b"[1]", headers={
        "X-Amz-Target": "AWSCognitoIdentityService.ListIdentityPools"}, service=SERVICE)
    assert (status, json.loads(raw)["__type"]) == (400, "SerializationException")


def test_identities_are_shared_with_cognito_sync(identity, client):
    pool = make_pool(identity)
    # A pool made by Cognito Identity is one of Cognito Sync's pools.
    usages = client.list_identity_pool_usage()["IdentityPoolUsages"]
    assert [u["IdentityPoolId"] for u in usages] == [pool]
    assert client.describe_identity_pool_usage(IdentityPoolId=pool)["IdentityPoolUsage"]["DataStorage"] == 0

    # An identity from GetId can be synced, and one Cognito Sync creates is listed by Cognito Identity.
    from_get_id = identity.get_id(IdentityPoolId=pool)["IdentityId"]
    put(client, pool, from_get_id, "d", {"k": "v"})
    assert client.describe_identity_usage(IdentityPoolId=pool, IdentityId=from_get_id)["IdentityUsage"][
        "DatasetCount"] == 1
    from_sync = new_id()
    put(client, pool, from_sync, "d", {"k": "v"})
    listed = identity.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]
    assert sorted(i["IdentityId"] for i in listed) == sorted([from_get_id, from_sync])
    assert identity.describe_identity(IdentityId=from_sync)["Logins"] == []


def test_a_pool_only_cognito_sync_wrote_to_is_an_identity_pool(identity, client, ids):
    pool, identity_id = ids
    put(client, pool, identity_id, "d", {"k": "v"})
    described = identity.describe_identity_pool(IdentityPoolId=pool)
    assert described["IdentityPoolName"] == pool.split(":")[1]
    assert described["AllowUnauthenticatedIdentities"] is False
    assert [i["IdentityId"] for i in identity.list_identities(IdentityPoolId=pool, MaxResults=9)["Identities"]] == [
        identity_id]
    identity.delete_identity_pool(IdentityPoolId=pool)
    assert client.list_identity_pool_usage()["IdentityPoolUsages"] == []


def test_rate_limits_and_faults_apply(start_endpoint):
    limited = start_endpoint("--rate-limit", "GetId=0.001")
    client = limited.client(service=SERVICE)
    pool = make_pool(client)
    client.get_id(IdentityPoolId=pool)
    message = fails(client.get_id, "TooManyRequestsException", IdentityPoolId=pool)
    assert message == "Rate exceeded"
    client.describe_identity_pool(IdentityPoolId=pool)

    throttled = start_endpoint("--fault", "throttle=1").client(service=SERVICE)
    fails(throttled.list_identity_pools, "TooManyRequestsException", MaxResults=1)
    failing = start_endpoint("--fault", "error=1").client(service=SERVICE)
    fails(failing.list_identity_pools, "InternalErrorException", MaxResults=1)


def test_state_survives_a_restart(start_endpoint, tmp_path):
    data = str(tmp_path / "state.db")
    first = start_endpoint("--data", data)
    client = first.client(service=SERVICE)
    pool = make_pool(client, DeveloperProviderName="login.game", SupportedLoginProviders={FACEBOOK: "app"},
                     IdentityPoolTags={"t": "1"})
    client.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": ROLE})
    facebook = client.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token"})["IdentityId"]
    developer = client.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "alice"})
    unlinked = client.get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.game": "bob"})["IdentityId"]
    client.unlink_developer_identity(IdentityPoolId=pool, IdentityId=unlinked, DeveloperProviderName="login.game",
                                     DeveloperUserIdentifier="bob")
    before = client.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]
    assert first.stop() == 0

    second = start_endpoint("--data", data)
    client = second.client(service=SERVICE)
    assert client.describe_identity_pool(IdentityPoolId=pool)["IdentityPoolTags"] == {"t": "1"}
    assert client.get_identity_pool_roles(IdentityPoolId=pool)["Roles"] == {"authenticated": ROLE}
    assert client.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"] == before
    assert client.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token"})["IdentityId"] == facebook
    assert client.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="alice")[
        "IdentityId"] == developer["IdentityId"]
    # The token outlives the restart: its key is kept in the file.
    assert client.get_id(IdentityPoolId=pool, Logins={"cognito-identity.amazonaws.com": developer["Token"]})[
        "IdentityId"] == developer["IdentityId"]
    hidden = client.list_identities(IdentityPoolId=pool, MaxResults=60, HideDisabled=True)["Identities"]
    assert unlinked not in [i["IdentityId"] for i in hidden]
    client.delete_identity_pool(IdentityPoolId=pool)
    assert second.stop() == 0
    third = start_endpoint("--data", data)
    assert third.client(service=SERVICE).list_identity_pools(MaxResults=60)["IdentityPools"] == []


def test_concurrent_get_ids_with_the_same_logins_make_one_identity(endpoint, identity):
    pool = make_pool(identity, SupportedLoginProviders={FACEBOOK: "app"})
    clients = [endpoint.client(service=SERVICE) for _ in range(8)]
    with ThreadPoolExecutor(8) as executor:
        found = set(executor.map(
            lambda n: clients[n % 8].get_id(IdentityPoolId=pool, Logins={FACEBOOK: "same"})["IdentityId"],
            range(64)))
    assert len(found) == 1
    assert len(identity.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]) == 1


def test_an_unsigned_body_over_the_cap_is_413_in_the_services_format(endpoint):
    head = ("POST / HTTP/1.1\r\nHost: %s:%d\r\nX-Amz-Target: AWSCognitoIdentityService.GetId\r\n"
            "Content-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n"
            % (endpoint.host, endpoint.port, 8 * 1024 * 1024 + 1))
    with connect(endpoint) as sock:
        sock.sendall(head.encode())
        response = read_response_head(sock)
    assert response.startswith(b"http/1.1 413 ")
    assert b"content-type: application/x-amz-json-1.1" in response
    assert b"x-amzn-errortype: requestentitytoolargeexception:" in response


def test_acknowledged_identity_writes_survive_kill_9(start_endpoint, tmp_path):
    data = str(tmp_path / "state.db")
    first = start_endpoint("--data", data)
    client = first.client(service=SERVICE)
    pool = make_pool(client, SupportedLoginProviders={FACEBOOK: "app"})
    linked = client.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token"})["IdentityId"]
    first.stop(signal.SIGKILL)
    client = start_endpoint("--data", data).client(service=SERVICE)
    assert client.get_id(IdentityPoolId=pool, Logins={FACEBOOK: "token"})["IdentityId"] == linked
    assert [i["IdentityId"] for i in client.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]] == [
        linked]
