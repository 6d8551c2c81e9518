"""The service answers that the session token expired: a source that can refresh gets new credentials and the
request is sent once more, without spending retry quota; static credentials fail naming the source and when they
expired."""

import sys

from prodkit import client_options, error_reply, json_reply

PROCESS = """import json, pathlib, sys
counter = pathlib.Path(sys.argv[1])
n = int(counter.read_text()) + 1 if counter.exists() else 1
counter.write_text(str(n))
print(json.dumps({"Version": 1, "AccessKeyId": "ASIAPROC%d" % n, "SecretAccessKey": "secret-%d" % n,
                  "SessionToken": "token-%d" % n, "Expiration": "2999-01-01T00:00:00Z"}))
"""

CALL = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ endpoint = %r, region = "us-east-1" %s }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
if ok then print("OK", err.Count) else print("ERR", err.code, err.retryCount, err.message) end
local stats = cognitosync.stats()
print("STATS", stats.expiredCredentialRetries, stats.retries)
"""


def test_an_expired_token_is_refreshed_and_the_request_sent_once_more(lua, start_server, tmp_path):
    server = start_server(lambda i, r: error_reply(403, "ExpiredTokenException", "The security token included in "
                                                   "the request is expired") if i == 0 else json_reply())
    helper = tmp_path / "process.py"
    helper.write_text(PROCESS)
    config = tmp_path / "config"
    config.write_text("[default]\ncredential_process = %s %s %s\n" % (sys.executable, helper, tmp_path / "count"))
    done = lua.run(CALL % (server.url, ""), env={"AWS_CONFIG_FILE": str(config)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("OK"), lines
    assert lines[1] == "STATS\t1\t1"
    first, second = server.received()
    assert "Credential=ASIAPROC1/" in first.header("Authorization")
    assert "Credential=ASIAPROC2/" in second.header("Authorization")
    assert (tmp_path / "count").read_text() == "2"


def test_expired_static_credentials_name_their_source_and_expiry(lua, start_server):
    server = start_server(lambda i, r: error_reply(403, "ExpiredTokenException", "token expired"))
    env = {"AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
           "AWS_CREDENTIAL_EXPIRATION": "2026-11-29T08:00:00Z"}
    done = lua.run(CALL % (server.url, ""), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "ERR\tExpiredTokenException\t0\ttoken expired (signed with environment variables: static credentials that "
        "expired at 2026-11-29T08:00:00Z)")
    assert len(server.received()) == 1
    assert "env-secret" not in done.stdout + done.stderr and "env-token" not in done.stdout + done.stderr

    explicit = lua.run(CALL % (server.url, ', accessKeyId = "AKIDX", secretAccessKey = "x-secret"'))
    assert "(signed with explicit options: static credentials (their expiry is not known))" in explicit.stdout
