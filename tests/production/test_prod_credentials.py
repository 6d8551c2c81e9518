"""Credentials seen from a Lua script: with nothing configured the error lists every source tried; the environment
and explicit options are used in the AWS CLI's order."""

from prodkit import lua_string

NO_CREDENTIALS = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ endpoint = %s, region = "us-east-1" }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
print(ok, err.code, err.retryable, err.retryCount, err.operation)
print(err.message)
cs:listIdentityPoolUsage{}
"""


def test_no_credentials_lists_every_source_tried(lua, start_local):
    local = start_local()
    done = lua.run(NO_CREDENTIALS % lua_string(local.url))
    assert done.returncode == 1, "the uncaught second call ends the script"
    first, message = done.stdout.splitlines()[:2]
    assert first == "false\tCredentialsError\tfalse\t0\tListIdentityPoolUsage"
    assert message.startswith("no credentials found; tried ")
    for source, reason in [
        ("explicit options", "accessKeyId and secretAccessKey not given"),
        ("environment variables", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"),
        ("assume role", "no role_arn"),
        ("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE"),
        ("shared credentials file", "no such file"),
        ("credential_process", "no credential_process"),
        ("config file", "no such file"),
        ("container credentials", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        ("EC2 instance metadata", "AWS_EC2_METADATA_DISABLED is true"),
    ]:
        assert source in message, source
        assert reason in message.split(source, 1)[1].split(";")[0], (source, message)
    assert "cogsync-lua: CredentialsError: no credentials found" in done.stderr
    assert "traceback" in done.stderr.lower()


def test_environment_and_explicit_credentials(lua, start_local):
    local = start_local("--credentials", "AKIDRIGHT:right-secret")
    source = """
local cognitosync = require("cognitosync")
local options = { endpoint = %s, region = "us-east-1" }
for k, v in pairs(load("return " .. (arg[1] or "{}"))()) do options[k] = v end
local ok, err = pcall(function() return cognitosync.new(options):listIdentityPoolUsage{} end)
print(ok and "OK" or err.code)
""" % lua_string(local.url)
    right = {"AWS_ACCESS_KEY_ID": "AKIDRIGHT", "AWS_SECRET_ACCESS_KEY": "right-secret"}
    wrong = {"AWS_ACCESS_KEY_ID": "AKIDWRONG", "AWS_SECRET_ACCESS_KEY": "wrong-secret"}
    explicit_right = '{ accessKeyId = "AKIDRIGHT", secretAccessKey = "right-secret" }'
    explicit_wrong = '{ accessKeyId = "AKIDWRONG", secretAccessKey = "wrong-secret" }'
    cases = [([], right, "OK"), ([], wrong, "UnrecognizedClientException"), ([explicit_right], wrong, "OK"),
             ([explicit_wrong], right, "UnrecognizedClientException")]
    for args, env, expected in cases:
        done = lua.run(source, *args, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == expected, (args, env)
