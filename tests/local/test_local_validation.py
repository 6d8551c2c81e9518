"""Input validation: the service's patterns, lengths and enums give 400 InvalidParameterException."""

import pytest
from botocore.exceptions import ClientError

from localsync import error_of
from testkit import new_id


@pytest.fixture
def loose(endpoint):
    """A client that sends whatever it is given, so the endpoint's own validation is what answers."""
    return endpoint.client(validate=False)


def token_for(client, pool, identity, dataset):
    return client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset)["SyncSessionToken"]


def expect_invalid(call, *fragments):
    with pytest.raises(ClientError) as excinfo:
        call()
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterException", 400), message
    for fragment in fragments:
        assert fragment in message
    return message


def test_identity_ids_must_match_the_pattern(loose, ids):
    pool, identity = ids
    message = expect_invalid(
        lambda: loose.list_records(IdentityPoolId="no-colon", IdentityId=identity, DatasetName="d"),
        "1 validation error detected: Value 'no-colon' at 'identityPoolId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    )
    assert message.startswith("1 validation error detected")
    expect_invalid(
        lambda: loose.describe_identity_usage(IdentityPoolId=pool, IdentityId="us-east-1:ABCDEF"), "identityId"
    )
    expect_invalid(lambda: loose.describe_identity_pool_usage(IdentityPoolId="us-east-1:" + "a" * 50), "length")


def test_several_violations_are_listed_together(loose):
    message = expect_invalid(
        lambda: loose.describe_dataset(IdentityPoolId="bad", IdentityId="worse", DatasetName="no spaces"),
        "3 validation errors detected",
    )
    assert message.count("failed to satisfy constraint") == 3


def test_dataset_name_pattern_and_length(loose, ids):
    pool, identity = ids
    expect_invalid(
        lambda: loose.describe_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="a" * 129),
        "Member must have length less than or equal to 128",
    )
    expect_invalid(
        lambda: loose.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="bad/name"),
    )
    page = loose.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="a-b_c.d:e")
    assert page["DatasetExists"] is False


def test_record_patch_constraints(loose, ids):
    pool, identity = ids
    token = token_for(loose, pool, identity, "d")

    def update(patches, **extra):
        return lambda: loose.update_records(
            IdentityPoolId=pool, IdentityId=identity, DatasetName="d", RecordPatches=patches, **extra
        )

    expect_invalid(update([{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}]), "syncSessionToken")
    expect_invalid(
        update([{"Op": "upsert", "Key": "k", "Value": "v", "SyncCount": 0}], SyncSessionToken=token),
        "recordPatches.1.member.op",
        "enum value set: [replace, remove]",
    )
    expect_invalid(update([{"Op": "replace", "Value": "v", "SyncCount": 0}], SyncSessionToken=token), "key")
    expect_invalid(update([{"Op": "replace", "Key": "k", "Value": "v"}], SyncSessionToken=token), "syncCount")
    expect_invalid(
        update([{"Op": "replace", "Key": "k" * 1025, "Value": "v", "SyncCount": 0}], SyncSessionToken=token),
        "less than or equal to 1024",
    )
    expect_invalid(
        update([{"Op": "replace", "Key": "k", "Value": "v" * 1048576, "SyncCount": 0}], SyncSessionToken=token),
        "less than or equal to 1048575",
    )
    expect_invalid(update([{"Op": "replace", "Key": "k", "SyncCount": 0}], SyncSessionToken=token), "Value")
    expect_invalid(
        update([{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": 0}], SyncSessionToken=token, DeviceId=""),
        "deviceId",
    )
    expect_invalid(
        lambda: loose.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", LastSyncCount=-1),
        "lastSyncCount",
    )


def test_wrong_json_types_are_serialization_errors(loose, ids):
    pool, identity = ids
    token = token_for(loose, pool, identity, "d")
    with pytest.raises(ClientError) as excinfo:
        loose.update_records(
            IdentityPoolId=pool,
            IdentityId=identity,
            DatasetName="d",
            SyncSessionToken=token,
            RecordPatches=[{"Op": "replace", "Key": "k", "Value": "v", "SyncCount": "zero"}],
        )
    assert error_of(excinfo)[:2] == ("SerializationException", 400)


def test_configuration_constraints(loose, ids):
    pool = ids[0]
    expect_invalid(
        lambda: loose.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"RoleArn": "not-a-role-arn-at-all"}
        ),
        "pushSync.roleArn",
    )
    expect_invalid(
        lambda: loose.set_identity_pool_configuration(
            IdentityPoolId=pool, PushSync={"ApplicationArns": ["arn:aws:sns:us-east-1:123:topic/x"]}
        ),
        "pushSync.applicationArns.1.member",
    )
    expect_invalid(
        lambda: loose.set_identity_pool_configuration(
            IdentityPoolId=pool, CognitoStreams={"StreamName": "s", "StreamingStatus": "ON"}
        ),
        "enum value set: [ENABLED, DISABLED]",
    )
    expect_invalid(
        lambda: loose.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={"StreamName": ""}),
        "cognitoStreams.streamName",
    )
    expect_invalid(
        lambda: loose.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": "a", "Other": "b"}),
        "events",
    )
    expect_invalid(lambda: loose.set_cognito_events(IdentityPoolId=pool, Events={"Unknown": "arn"}), "event type")
    expect_invalid(
        lambda: loose.register_device(IdentityPoolId=pool, IdentityId=new_id(), Platform="WINDOWS", Token="t"),
        "platform",
    )
    expect_invalid(
        lambda: loose.list_identity_pool_usage(MaxResults=0), "maxResults", "greater than or equal to 1"
    )
