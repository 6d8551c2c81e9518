"""Push sync, RegisterDevice, subscriptions, Cognito streams, bulk publish and Cognito events."""

import time

import pytest
from botocore.exceptions import ClientError

from localsync import client_clock_offset, error_of, put, wait_until
from testkit import new_id

ROLE = "arn:aws:iam::123456789012:role/CognitoSyncPush"
APNS = "arn:aws:sns:us-east-1:123456789012:app/APNS/my-app"
GCM = "arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"


def test_configuration_round_trip_and_partial_updates(client, ids):
    pool = ids[0]
    with pytest.raises(ClientError) as excinfo:
        client.get_identity_pool_configuration(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    result = client.set_identity_pool_configuration(
        IdentityPoolId=pool, PushSync={"ApplicationArns": [APNS], "RoleArn": ROLE}
    )
    assert result["IdentityPoolId"] == pool
    assert result["PushSync"] == {"ApplicationArns": [APNS], "RoleArn": ROLE}
    assert "CognitoStreams" not in result

    streams = {"StreamName": "sync-stream", "RoleArn": ROLE, "StreamingStatus": "ENABLED"}
    result = client.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams=streams)
    assert result["PushSync"] == {"ApplicationArns": [APNS], "RoleArn": ROLE}
    assert result["CognitoStreams"] == streams

    client.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={"StreamingStatus": "DISABLED"})
    config = client.get_identity_pool_configuration(IdentityPoolId=pool)
    assert config["IdentityPoolId"] == pool
    assert config["CognitoStreams"] == dict(streams, StreamingStatus="DISABLED")
    assert config["PushSync"]["ApplicationArns"] == [APNS]


def test_register_device_needs_push_sync(client, ids):
    pool, identity = ids
    with pytest.raises(ClientError) as excinfo:
        client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="APNS", Token="abc")
    assert error_of(excinfo)[:2] == ("InvalidConfigurationException", 400)

    put(client, pool, identity, "d", {"k": "v"})
    with pytest.raises(ClientError) as excinfo:
        client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="APNS", Token="abc")
    assert error_of(excinfo)[:2] == ("InvalidConfigurationException", 400)

    client.set_identity_pool_configuration(IdentityPoolId=pool, PushSync={"ApplicationArns": [APNS], "RoleArn": ROLE})
    first = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="APNS", Token="abc")["DeviceId"]
    again = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="APNS", Token="abc")["DeviceId"]
    other = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="APNS", Token="def")["DeviceId"]
    assert first == again != other
    assert len(first) == 36

    with pytest.raises(ClientError) as excinfo:
        client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="abc")
    assert error_of(excinfo)[:2] == ("InvalidConfigurationException", 400)


def test_subscribe_and_unsubscribe(client, ids):
    pool, identity = ids
    with pytest.raises(ClientError) as excinfo:
        client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId="x")
    assert error_of(excinfo)[:2] == ("InvalidConfigurationException", 400)

    client.set_identity_pool_configuration(
        IdentityPoolId=pool, PushSync={"ApplicationArns": [APNS, GCM], "RoleArn": ROLE}
    )
    device = client.register_device(IdentityPoolId=pool, IdentityId=identity, Platform="GCM", Token="t")["DeviceId"]

    with pytest.raises(ClientError) as excinfo:
        client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId="unknown")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=new_id(), DatasetName="d", DeviceId=device)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    response = client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    client.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    with pytest.raises(ClientError) as excinfo:
        client.unsubscribe_from_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    client.set_identity_pool_configuration(IdentityPoolId=pool, PushSync={"ApplicationArns": [APNS]})
    with pytest.raises(ClientError) as excinfo:
        client.subscribe_to_dataset(IdentityPoolId=pool, IdentityId=identity, DatasetName="d", DeviceId=device)
    assert error_of(excinfo)[:2] == ("InvalidConfigurationException", 400)


def test_cognito_events(client, ids):
    pool = ids[0]
    with pytest.raises(ClientError) as excinfo:
        client.get_cognito_events(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    function = "arn:aws:lambda:us-east-1:123456789012:function:sync-trigger"
    response = client.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": function})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.get_cognito_events(IdentityPoolId=pool)["Events"] == {"SyncTrigger": function}
    client.set_cognito_events(IdentityPoolId=pool, Events={})
    assert client.get_cognito_events(IdentityPoolId=pool)["Events"] == {"SyncTrigger": function}
    client.set_cognito_events(IdentityPoolId=pool, Events={"SyncTrigger": ""})
    assert client.get_cognito_events(IdentityPoolId=pool)["Events"] == {}


def test_bulk_publish_lifecycle(start_endpoint, ids):
    endpoint = start_endpoint("--bulk-publish-seconds", "2")
    client = endpoint.client()
    pool, identity = ids
    with pytest.raises(ClientError) as excinfo:
        client.bulk_publish(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)

    put(client, pool, identity, "d", {"k": "v"})
    details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishStatus"] == "NOT_STARTED"
    assert "BulkPublishStartTime" not in details

    client.set_identity_pool_configuration(
        IdentityPoolId=pool, CognitoStreams={"StreamName": "s", "RoleArn": ROLE, "StreamingStatus": "ENABLED"}
    )
    assert client.bulk_publish(IdentityPoolId=pool)["IdentityPoolId"] == pool
    details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishStatus"] == "IN_PROGRESS"
    assert "BulkPublishStartTime" in details and "BulkPublishCompleteTime" not in details
    with pytest.raises(ClientError) as excinfo:
        client.bulk_publish(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("DuplicateRequestException", 400)

    done = wait_until(
        lambda: client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"] == "SUCCEEDED", timeout=5
    )
    assert done
    details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["BulkPublishCompleteTime"] > details["BulkPublishStartTime"]
    assert "FailureMessage" not in details
    with pytest.raises(ClientError) as excinfo:
        client.bulk_publish(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("AlreadyStreamedException", 400)


def test_bulk_publish_fails_when_streaming_is_disabled(start_endpoint, ids):
    endpoint = start_endpoint("--bulk-publish-seconds", "1")
    client = endpoint.client()
    pool, identity = ids
    client.set_identity_pool_configuration(
        IdentityPoolId=pool, CognitoStreams={"StreamName": "s", "RoleArn": ROLE, "StreamingStatus": "DISABLED"}
    )
    client.bulk_publish(IdentityPoolId=pool)
    failed = wait_until(
        lambda: client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"] == "FAILED", timeout=5
    )
    assert failed
    details = client.get_bulk_publish_details(IdentityPoolId=pool)
    assert details["FailureMessage"]
    assert "BulkPublishCompleteTime" not in details
    client.set_identity_pool_configuration(IdentityPoolId=pool, CognitoStreams={"StreamingStatus": "ENABLED"})
    client.bulk_publish(IdentityPoolId=pool)
    assert client.get_bulk_publish_details(IdentityPoolId=pool)["BulkPublishStatus"] == "IN_PROGRESS"


def test_already_streamed_lasts_24_hours(start_endpoint, ids, tmp_path):
    data = str(tmp_path / "state.db")
    pool, identity = ids
    endpoint = start_endpoint("--data", data, "--bulk-publish-seconds", "0.1")
    client = endpoint.client()
    client.set_identity_pool_configuration(
        IdentityPoolId=pool, CognitoStreams={"StreamName": "s", "RoleArn": ROLE, "StreamingStatus": "ENABLED"}
    )
    client.bulk_publish(IdentityPoolId=pool)
    time.sleep(0.2)
    endpoint.stop()

    later = start_endpoint("--data", data, "--clock-offset", str(23 * 3600))
    with client_clock_offset(23 * 3600), pytest.raises(ClientError) as excinfo:
        later.client().bulk_publish(IdentityPoolId=pool)
    assert error_of(excinfo)[:2] == ("AlreadyStreamedException", 400)
    later.stop()

    next_day = start_endpoint("--data", data, "--clock-offset", str(24 * 3600 + 60))
    with client_clock_offset(24 * 3600 + 60):
        assert next_day.client().bulk_publish(IdentityPoolId=pool)["IdentityPoolId"] == pool
