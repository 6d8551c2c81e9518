"""IAM Identity Center stand-ins for the SSO tests: the AWS CLI's token cache, a portal answering
GetRoleCredentials, SSO OIDC answering CreateToken, and botocore run in a subprocess against the same HOME."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.parse

START_URL = "https://d-9067642ac7.awsapps.com/start"
ACCOUNT = "111122223333"
ROLE = "ReadOnly"
ROLE_KEY = "ASIASSOROLE"
ROLE_SECRET = "sso-role-secret"
ROLE_TOKEN = "sso-role-session-token"


def cache_path(home, name):
    """Where the AWS CLI caches the token of an sso-session name or a legacy start URL."""
    return os.path.join(home, ".aws", "sso", "cache", hashlib.sha1(name.encode()).hexdigest() + ".json")


def utc(seconds_from_now):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_token(home, name, access_token, expires_in, refreshable=True, region="us-east-1"):
    """A token file as `aws sso login` leaves it; with `refreshable`, the client registration too."""
    token = {"startUrl": START_URL, "region": region, "accessToken": access_token, "expiresAt": utc(expires_in)}
    if refreshable:
        token.update(clientId="client-id-1", clientSecret="client-secret-1", registrationExpiresAt=utc(90 * 86400),
                     refreshToken="refresh-token-1")
    path = cache_path(home, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(token, f)
    return path


def session_config(endpoint_lines=""):
    return """[profile prod]
sso_session = corp
sso_account_id = %s
sso_role_name = %s
region = us-east-1
%s
[sso-session corp]
sso_start_url = %s
sso_region = us-east-1
sso_registration_scopes = sso:account:access
""" % (ACCOUNT, ROLE, endpoint_lines, START_URL)


LEGACY_CONFIG = """[profile prod]
sso_start_url = %s
sso_region = us-east-1
sso_account_id = %s
sso_role_name = %s
region = us-east-1
""" % (START_URL, ACCOUNT, ROLE)


def role_credentials_body(key=ROLE_KEY, secret=ROLE_SECRET, token=ROLE_TOKEN):
    expiration = int((time.time() + 3600) * 1000)
    return json.dumps({"roleCredentials": {"accessKeyId": key, "secretAccessKey": secret, "sessionToken": token,
                                           "expiration": expiration}})


def portal(expected_token):
    """A GetRoleCredentials stand-in: the role's credentials for the expected bearer token and role, else 401."""
    def reply(index, request):
        url = urllib.parse.urlsplit(request.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if (request.method, url.path) != ("GET", "/federation/credentials") or \
                query != {"account_id": ACCOUNT, "role_name": ROLE}:
            return 404, [("x-amzn-ErrorType", "ResourceNotFoundException")], '{"message":"no such role"}'
        if request.header("x-amz-sso_bearer_token") != expected_token:
            return 401, [("x-amzn-ErrorType", "UnauthorizedException")], '{"message":"Session token not found"}'
        return 200, [("Content-Type", "application/json")], role_credentials_body()
    return reply


def oidc(new_token, new_refresh="refresh-token-2", expires_in=3600):
    """A CreateToken stand-in that grants `new_token` for the cached registration's refresh token."""
    def reply(index, request):
        body = json.loads(request.body or b"{}")
        if request.path != "/token" or body != {"grantType": "refresh_token", "clientId": "client-id-1",
                                                "clientSecret": "client-secret-1",
                                                "refreshToken": "refresh-token-1"}:
            return 400, [("x-amzn-ErrorType", "InvalidGrantException")], '{"error":"invalid_grant"}'
        return 200, [("Content-Type", "application/json")], json.dumps(
            {"accessToken": new_token, "tokenType": "Bearer", "expiresIn": expires_in, "refreshToken": new_refresh})
    return reply


BOTO_CREDENTIALS = """
import json, boto3
frozen = boto3.Session(profile_name="prod").get_credentials().get_frozen_credentials()
print(json.dumps([frozen.access_key, frozen.secret_key, frozen.token]))
"""


def botocore_credentials(environment):
    """The frozen credentials boto3 finds for profile `prod` with this environment (HOME, config, endpoints)."""
    done = subprocess.run([sys.executable, "-c", BOTO_CREDENTIALS], capture_output=True, text=True,
                          env=environment, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
