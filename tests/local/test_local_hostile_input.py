"""Input that used to kill the endpoint: dates it cannot hold, option values that overflow on the first request."""

import datetime
import email.utils
import subprocess
import time

import pytest

from testkit import binary

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/cognito-sync/aws4_request, SignedHeaders=host, Signature=00"
)


@pytest.mark.parametrize("year", ["999999999999", "99999999999", "10000", "0000"])
def test_a_date_header_the_format_cannot_hold_is_an_incomplete_signature(endpoint, year):
    date = "Sun, 06 Nov %s 08:49:37 GMT" % year
    status, headers, body = endpoint.raw(
        "GET", "/identitypools", sign=False, headers={"Authorization": AUTHORIZATION, "Date": date}
    )
    assert status == 400
    assert headers["x-amzn-errortype"].startswith("IncompleteSignatureException:")
    assert body.decode() == (
        '{"message":"Date must be in ISO-8601 \'basic format\'. Got \'%s\'. See http://en.wikipedia.org/wiki/ISO_8601"}'
        % date
    )
    assert endpoint.process.poll() is None
    assert endpoint.client().list_identity_pool_usage()["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["--clock-offset", "1e30"], "--clock-offset: '1e30' is out of range (seconds between -3153600000 and 3153600000)"),
        (["--clock-offset", "-3153600001"], "--clock-offset: '-3153600001' is out of range"),
        (["--clock-offset", "nan"], "--clock-offset: 'nan' is not a number of seconds"),
        (["--bulk-publish-seconds", "1e300"], "--bulk-publish-seconds: '1e300' is out of range"),
        (["--idle-timeout", "0"], "--idle-timeout: '0' is out of range (seconds between 0.001 and 86400)"),
        (["--idle-timeout", "1e15"], "--idle-timeout: '1e15' is out of range"),
        (["--idle-timeout", "x"], "--idle-timeout: 'x' is not a number of seconds"),
        (["--fault", "latency=1e30"], "--fault: fault latency: '1e30' is longer than an hour"),
        (["--fault", "latency=1e15ms"], "--fault: fault latency: '1e15ms' is longer than an hour"),
        (["--fault", "latency=3601s"], "--fault: fault latency: '3601s' is longer than an hour"),
    ],
)
def test_numbers_out_of_range_are_refused_at_start_up(args, message):
    result = subprocess.run([str(binary("cogsync-local")), "--port", "0", *args], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("cogsync-local: " + message), result.stderr


def assert_date_near(header, expected_epoch):
    """The Date header names the moment `expected_epoch` (seconds, about 100 years away), within a minute."""
    shown = email.utils.parsedate_to_datetime(header)
    expected = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=expected_epoch)
    assert abs((shown - expected).total_seconds()) < 60, (header, expected)


def test_the_largest_clock_offset_and_latency_serve_requests(start_endpoint):
    offset = 3153600000
    ahead = start_endpoint("--clock-offset", str(offset), "--fault", "latency=1ms")
    status, headers, _ = ahead.raw("GET", "/identitypools", sign=False)
    assert status == 403
    assert_date_near(headers["date"], time.time() + offset)
    behind = start_endpoint("--clock-offset", str(-offset))
    status, headers, _ = behind.raw("GET", "/identitypools", sign=False)
    assert status == 403
    assert_date_near(headers["date"], time.time() - offset)
    assert ahead.process.poll() is None and behind.process.poll() is None
