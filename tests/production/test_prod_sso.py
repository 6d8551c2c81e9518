"""IAM Identity Center credentials end to end: sso-session and legacy profiles take role credentials from a portal
stand-in with the AWS CLI's cached token, an expired token is refreshed through an SSO OIDC stand-in and written
back as the AWS CLI writes it, every failure tells the operator what to run, and the same HOME works for botocore
and for cogsync-lua in both directions."""

import json
import os
import re
import stat
import time

from botocore.tokens import _sso_json_dumps

from prodkit import lua_string, unused_port
from ssokit import (ACCOUNT, LEGACY_CONFIG, ROLE, ROLE_KEY, ROLE_SECRET, ROLE_TOKEN, START_URL, botocore_credentials,
                    cache_path, oidc, portal, session_config, write_token)

CALL = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ endpoint = %s, region = "us-east-1" }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
if ok then print("OK") else print(err.code) print(err.message) end
"""

SECRETS = ["sso-access-token", "refresh-token-1", "client-secret-1", ROLE_SECRET, ROLE_TOKEN]


def setup(lua, config, **env):
    """The environment of a run: profile `prod` of `config` in the runner's private HOME."""
    path = lua.tmp_path / "config"
    path.write_text(config)
    return dict({"AWS_CONFIG_FILE": str(path), "AWS_PROFILE": "prod"}, **env)


def call(lua, endpoint, env):
    done = lua.run(CALL % lua_string(endpoint), env=env)
    assert done.returncode == 0, done.stderr
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr
    return done.stdout.splitlines()


def stand_ins(start_server, token, granted="sso-refreshed-token"):
    return start_server(portal(token)), start_server(oidc(granted))


def endpoints(sso, oidc_server):
    return {"AWS_ENDPOINT_URL_SSO": sso.url, "AWS_ENDPOINT_URL_SSO_OIDC": oidc_server.url}


def test_sso_session_profile_signs_with_the_role_credentials(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    sso, oidc_server = stand_ins(start_server, "sso-access-token")
    token_file = write_token(str(lua.home), "corp", "sso-access-token", 3600)
    before = open(token_file).read()
    env = setup(lua, session_config(), **endpoints(sso, oidc_server))
    assert call(lua, local.url, env) == ["OK"]
    [request] = sso.received()
    assert request.path == "/federation/credentials?account_id=%s&role_name=%s" % (ACCOUNT, ROLE)
    assert request.header("x-amz-sso_bearer_token") == "sso-access-token"
    assert request.header("Authorization") is None, "GetRoleCredentials is unsigned"
    assert oidc_server.received() == [], "a fresh token is not refreshed"
    assert open(token_file).read() == before


def test_legacy_profile_sends_the_role_session_token(lua, start_server):
    seen = []

    def cognito(index, request):
        seen.append(request)
        return 200, [("Content-Type", "application/json")], '{"IdentityPoolUsages":[],"Count":0,"MaxResults":60}'

    endpoint = start_server(cognito)
    sso = start_server(portal("sso-access-token"))
    write_token(str(lua.home), START_URL, "sso-access-token", 3600, refreshable=False)
    env = setup(lua, LEGACY_CONFIG, AWS_ENDPOINT_URL_SSO=sso.url)
    assert call(lua, endpoint.url, env) == ["OK"]
    [request] = seen
    assert request.header("x-amz-security-token") == ROLE_TOKEN
    assert "Credential=%s/" % ROLE_KEY in request.header("Authorization")
    assert len(sso.received()) == 1


def test_expired_token_is_refreshed_through_services_endpoints_and_written_back(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    sso, oidc_server = stand_ins(start_server, "sso-refreshed-token")
    token_file = write_token(str(lua.home), "corp", "sso-access-token", -60)
    # The profile's services section routes both clients, with botocore's keys (sso, sso_oidc).
    services = "services = standins\n[services standins]\nsso =\n  endpoint_url = %s\nsso_oidc =\n  endpoint_url = %s\n"
    env = setup(lua, session_config(services % (sso.url, oidc_server.url)))
    started = time.time()
    assert call(lua, local.url, env) == ["OK"]
    finished = time.time()
    [refresh] = oidc_server.received()
    assert (refresh.method, refresh.path) == ("POST", "/token")
    assert refresh.header("Content-Type") == "application/json"
    assert json.loads(refresh.body) == {"grantType": "refresh_token", "clientId": "client-id-1",
                                        "clientSecret": "client-secret-1", "refreshToken": "refresh-token-1"}
    assert sso.received()[0].header("x-amz-sso_bearer_token") == "sso-refreshed-token"

    text = open(token_file).read()
    written = json.loads(text)
    assert list(written) == ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret",
                             "registrationExpiresAt", "refreshToken"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", written["expiresAt"])
    expires = time.mktime(time.strptime(written["expiresAt"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert int(started) + 3600 <= expires <= finished + 3600
    original_registration = written["registrationExpiresAt"]
    assert written == {"startUrl": START_URL, "region": "us-east-1", "accessToken": "sso-refreshed-token",
                       "expiresAt": written["expiresAt"], "clientId": "client-id-1",
                       "clientSecret": "client-secret-1", "registrationExpiresAt": original_registration,
                       "refreshToken": "refresh-token-2"}
    assert text == _sso_json_dumps(written), "byte for byte what botocore writes"
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert os.listdir(os.path.dirname(token_file)) == [os.path.basename(token_file)], "no temporary file left"
    # botocore reads the same services section and the written token: the portal again, no second refresh.
    assert botocore_credentials(lua.environment(**env)) == [ROLE_KEY, ROLE_SECRET, ROLE_TOKEN]
    assert len(sso.received()) == 2 and len(oidc_server.received()) == 1


def test_botocore_reads_the_token_cogsync_lua_refreshed(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    sso, oidc_server = stand_ins(start_server, "sso-refreshed-token")
    write_token(str(lua.home), "corp", "sso-access-token", -60)
    env = setup(lua, session_config(), **endpoints(sso, oidc_server))
    assert call(lua, local.url, env) == ["OK"]
    assert len(oidc_server.received()) == 1
    assert botocore_credentials(lua.environment(**env)) == [ROLE_KEY, ROLE_SECRET, ROLE_TOKEN]
    assert len(oidc_server.received()) == 1, "botocore found the refreshed token fresh"
    assert [r.header("x-amz-sso_bearer_token") for r in sso.received()] == ["sso-refreshed-token"] * 2


def test_cogsync_lua_reads_the_token_botocore_refreshed(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    sso, oidc_server = stand_ins(start_server, "sso-botocore-token", granted="sso-botocore-token")
    token_file = write_token(str(lua.home), "corp", "sso-access-token", -60)
    env = setup(lua, session_config(), **endpoints(sso, oidc_server))
    assert botocore_credentials(lua.environment(**env)) == [ROLE_KEY, ROLE_SECRET, ROLE_TOKEN]
    assert json.load(open(token_file))["accessToken"] == "sso-botocore-token"
    assert call(lua, local.url, env) == ["OK"]
    assert len(oidc_server.received()) == 1, "only botocore refreshed"
    assert [r.header("x-amz-sso_bearer_token") for r in sso.received()] == ["sso-botocore-token"] * 2


def test_every_failure_names_the_profile_and_the_command(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    home = str(lua.home)
    refusing_oidc = start_server(lambda index, request: (
        400, [("x-amzn-ErrorType", "InvalidGrantException")], '{"error":"invalid_grant"}'))
    portals = {
        "good": start_server(portal("sso-access-token")).url,
        "forbidding": start_server(lambda index, request: (
            403, [("x-amzn-ErrorType", "ForbiddenException")], '{"message":"No access"}')).url,
        "unauthorized": start_server(lambda index, request: (
            401, [("x-amzn-ErrorType", "UnauthorizedException")], '{"message":"Session token not found"}')).url,
        "failing": start_server(lambda index, request: (500, [], '{"message":"boom"}')).url,
        "absent": "http://127.0.0.1:%d" % unused_port(),
    }
    session_file, legacy_file = cache_path(home, "corp"), cache_path(home, START_URL)
    role = "role '%s' in account '%s' for profile 'prod'" % (ROLE, ACCOUNT)

    def fresh_session():
        write_token(home, "corp", "sso-access-token", 3600)

    def fresh_legacy():
        write_token(home, START_URL, "sso-access-token", 3600, refreshable=False)

    def expired_at(path):
        return json.load(open(path))["expiresAt"]

    def garbled():
        os.makedirs(os.path.dirname(session_file), exist_ok=True)
        with open(session_file, "w") as f:
            f.write('{"accessToken": "sso-access-token"}')

    cases = [
        ("no token, sso-session", session_config(), lambda: None, "good", lambda:
         "sso-session 'corp' (profile 'prod') has no cached IAM Identity Center token (%s); "
         "run aws sso login --sso-session corp" % session_file),
        ("no token, legacy", LEGACY_CONFIG, lambda: None, "good", lambda:
         "profile 'prod' has no cached IAM Identity Center token (%s); run aws sso login --profile prod"
         % legacy_file),
        ("unusable token file", session_config(), garbled, "good", lambda:
         "the cached IAM Identity Center token of sso-session 'corp' (profile 'prod') is unusable: %s has no "
         "accessToken or expiresAt; run aws sso login --sso-session corp" % session_file),
        ("expired, refresh refused", session_config(),
         lambda: write_token(home, "corp", "sso-access-token", -60), "good", lambda:
         "the IAM Identity Center token of sso-session 'corp' (profile 'prod') expired at %s and cannot be "
         "refreshed: the refresh through SSO OIDC failed (HTTP 400 invalid_grant); "
         "run aws sso login --sso-session corp" % expired_at(session_file)),
        ("expired, legacy", LEGACY_CONFIG,
         lambda: write_token(home, START_URL, "sso-access-token", -60, refreshable=False), "good", lambda:
         "the IAM Identity Center token of profile 'prod' expired at %s and cannot be refreshed: a profile with "
         "sso_start_url and no sso_session cannot refresh its token; run aws sso login --profile prod"
         % expired_at(legacy_file)),
        ("role forbidden", session_config(), fresh_session, "forbidding", lambda:
         "IAM Identity Center refused %s (ForbiddenException: the role is not assigned to the signed-in user); "
         "check sso_account_id and sso_role_name, or run aws sso login --sso-session corp" % role),
        ("token rejected", LEGACY_CONFIG, fresh_legacy, "unauthorized", lambda:
         "IAM Identity Center refused %s (UnauthorizedException: the SSO token is no longer valid); "
         "run aws sso login --profile prod" % role),
        ("portal fails", session_config(), fresh_session, "failing", lambda:
         "IAM Identity Center GetRoleCredentials for %s failed: HTTP 500" % role),
        # curl's own detail names the address and how long the attempt took.
        ("portal unreachable", session_config(), fresh_session, "absent", lambda: re.compile(
            re.escape("IAM Identity Center GetRoleCredentials for %s failed: Couldn't connect to server: " % role)
            + r"Failed to connect to 127\.0\.0\.1 port \d+ after \d+ ms: Couldn't connect to server "
            + re.escape("(%s)" % portals["absent"]))),
    ]
    for name, config, prepare, portal_name, message in cases:
        for stale in (session_file, legacy_file):
            if os.path.exists(stale):
                os.remove(stale)
        prepare()
        env = setup(lua, config, AWS_ENDPOINT_URL_SSO=portals[portal_name],
                    AWS_ENDPOINT_URL_SSO_OIDC=refusing_oidc.url)
        code, text = call(lua, local.url, env)
        expected = message()
        assert code == "CredentialsError", name
        if isinstance(expected, re.Pattern):
            assert expected.fullmatch(text), (name, text)
        else:
            assert text == expected, name
    assert len(refusing_oidc.received()) == 1, "only the expired sso-session token tried a refresh"


def test_a_token_another_process_refreshed_meanwhile_is_used(lua, start_local, start_server):
    local = start_local("--credentials", "%s:%s" % (ROLE_KEY, ROLE_SECRET))
    home = str(lua.home)
    write_token(home, "corp", "sso-access-token", -60)

    def raced(index, request):
        # The AWS CLI refreshed first: its token is cached and the refresh token it spent is refused.
        write_token(home, "corp", "sso-other-process-token", 3600)
        return 400, [("x-amzn-ErrorType", "InvalidGrantException")], '{"error":"invalid_grant"}'

    oidc_server = start_server(raced)
    sso = start_server(portal("sso-other-process-token"))
    env = setup(lua, session_config(), **endpoints(sso, oidc_server))
    assert call(lua, local.url, env) == ["OK"]
    assert len(oidc_server.received()) == 1
    assert json.load(open(cache_path(home, "corp")))["accessToken"] == "sso-other-process-token"


STS_ANSWER = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
<AccessKeyId>ASIACHAINED</AccessKeyId><SecretAccessKey>chained-secret</SecretAccessKey>
<SessionToken>chained-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
</Credentials></AssumeRoleResult></AssumeRoleResponse>"""


def test_an_sso_profile_is_a_source_profile_for_assume_role(lua, start_local, start_server):
    local = start_local("--credentials", "ASIACHAINED:chained-secret")
    sso = start_server(portal("sso-access-token"))
    sts = start_server(lambda index, request: (200, [("Content-Type", "text/xml")], STS_ANSWER))
    write_token(str(lua.home), "corp", "sso-access-token", 3600)
    config = session_config() + "[profile admin]\nrole_arn = arn:aws:iam::%s:role/Admin\nsource_profile = prod\n" \
        % ACCOUNT
    env = setup(lua, config, AWS_PROFILE="admin", AWS_ENDPOINT_URL_SSO=sso.url, AWS_ENDPOINT_URL_STS=sts.url)
    assert call(lua, local.url, env) == ["OK"]
    [assume] = sts.received()
    assert "Credential=%s/" % ROLE_KEY in assume.header("Authorization"), "signed with the SSO role's keys"
    assert assume.header("X-Amz-Security-Token") == ROLE_TOKEN
    assert len(sso.received()) == 1


def test_a_missing_sso_session_section_is_a_config_error(lua, start_local):
    local = start_local()
    config = session_config().split("[sso-session corp]")[0]
    code, text = call(lua, local.url, setup(lua, config))
    assert code == "ConfigError"
    assert text == ("profile 'prod' names sso_session 'corp', but %s has no [sso-session corp] section"
                    % (lua.tmp_path / "config"))


def test_no_credentials_listing_names_identity_center(lua, start_local):
    local = start_local()
    code, text = call(lua, local.url, {})
    assert code == "CredentialsError"
    assert "; IAM Identity Center: profile 'default' has no sso_account_id or sso_role_name; shared credentials" in text
    assert text.index("web identity") < text.index("IAM Identity Center")
