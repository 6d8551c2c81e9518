"""The cognitoidentity module against the local endpoint: paging, unsigned operations without credentials, dry run,
validation before sending, error objects, retries under a rate limit, shared defaults and statistics; boto3's
cognito-identity client checks what was written."""

from testkit import boto_client


def identity_client(url):
    return boto_client(url, service="cognito-identity")


def new_pool(url, name="pool", unauthenticated=True):
    return identity_client(url).create_identity_pool(
        IdentityPoolName=name, AllowUnauthenticatedIdentities=unauthenticated)["IdentityPoolId"]


def test_items_and_pages_follow_next_token_through_list_identities(endpoint, start_proxy, lua):
    pool = new_pool(endpoint.url)
    boto = identity_client(endpoint.url)
    made = {boto.get_id(IdentityPoolId=pool)["IdentityId"] for _ in range(130)}
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
        local ci = require("cognitoidentity").new{ params = { IdentityPoolId = ... } }
        local ids, pages = {}, 0
        for identity, page in ci:items("listIdentities", { MaxResults = 60 }) do
          ids[#ids + 1] = identity.IdentityId
          assert(page.IdentityPoolId == ...)
        end
        for page in ci:pages("listIdentities", { MaxResults = 60 }) do pages = pages + 1 end
        local ok, err = pcall(ci.pages, ci, "describeIdentity", {})
        emit("ids", ids)
        emit("pages", pages)
        emit("bad", err)
        """, args=[pool])
    assert run.returncode == 0, run
    assert sorted(run["ids"]) == sorted(made)
    assert run["pages"] == 3
    assert "listIdentities, listIdentityPools, lookupDeveloperIdentity expected" in run["bad"]
    assert proxy.count("ListIdentities") == 6


def test_unsigned_operations_need_no_credentials(endpoint, lua):
    pool = new_pool(endpoint.url)
    run = lua(endpoint.url, """
        local ci = require("cognitoidentity").new{}
        emit("id", ci:getId{ IdentityPoolId = ... }.IdentityId)
        local ok, err = pcall(ci.describeIdentityPool, ci, { IdentityPoolId = ... })
        emit("signed", { ok, err.code })
        """, args=[pool], env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    assert run.returncode == 0, run
    assert run["signed"] == [False, "CredentialsError"]
    listed = identity_client(endpoint.url).list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"]
    assert [i["IdentityId"] for i in listed] == [run["id"]]


def test_dry_run_holds_back_writes_and_sends_reads(endpoint, lua):
    pool = new_pool(endpoint.url, "kept")
    run = lua(endpoint.url, """
        local ci = require("cognitoidentity").new{}
        local created = ci:createIdentityPool{ IdentityPoolName = "never", AllowUnauthenticatedIdentities = true }
        local id = ci:getId{ IdentityPoolId = ... }
        local described = ci:describeIdentityPool{ IdentityPoolId = ... }
        emit("results", { created.DryRun, created.Operation, id.DryRun, id.Operation, described.IdentityPoolName })
        emit("stats", require("cognitosync").stats().dryRuns)
        """, "--dry-run", args=[pool])
    assert run.returncode == 0, run
    assert run["results"] == [True, "CreateIdentityPool", True, "GetId", "kept"]
    assert run["stats"] == 2
    boto = identity_client(endpoint.url)
    assert [p["IdentityPoolName"] for p in boto.list_identity_pools(MaxResults=60)["IdentityPools"]] == ["kept"]
    assert boto.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"] == []


def test_bad_params_fail_before_anything_is_sent(endpoint, start_proxy, lua):
    proxy = start_proxy(endpoint.url)
    run = lua(proxy.url, """
        local ci = require("cognitoidentity").new{}
        local cases = {
          { "listIdentities", { IdentityPoolId = "us-east-1:0a", MaxResults = 61 } },
          { "createIdentityPool", { IdentityPoolName = "p", AllowUnauthenticatedIdentities = "yes" } },
          { "setIdentityPoolRoles", { IdentityPoolId = "us-east-1:0a", Roles = { authenticated = "short" } } },
          { "getId", { IdentityPoolId = "no colon" } },
          { "listIdentityPools", { MaxResult = 5 } },
        }
        local out = {}
        for i, case in ipairs(cases) do
          local ok, err = pcall(ci[case[1]], ci, case[2])
          out[i] = { err.code, err.path }
        end
        emit("errors", out)
        """)
    assert run.returncode == 0, run
    assert run["errors"] == [
        ["MaxRangeError", "params.MaxResults"],
        ["InvalidParameterType", "params.AllowUnauthenticatedIdentities"],
        ["MinLengthError", 'params.Roles["authenticated"]'],
        ["PatternMatchError", "params.IdentityPoolId"],
        ["UnexpectedParameter", "params.MaxResult"],
    ]
    assert proxy.count() == 0


def test_service_errors_are_error_objects(endpoint, lua):
    run = lua(endpoint.url, """
        local ci = require("cognitoidentity").new{}
        local ok, err = pcall(ci.describeIdentityPool, ci,
          { IdentityPoolId = "us-east-1:00000000-0000-4000-8000-000000000000" })
        emit("error", { ok, err.code, err.statusCode, err.operation, err.requestId ~= nil, err.retryable })
        """)
    assert run.returncode == 0, run
    assert run["error"] == [False, "ResourceNotFoundException", 400, "DescribeIdentityPool", True, False]


def test_throttled_identity_calls_are_retried_until_they_succeed(start_endpoint, lua):
    endpoint = start_endpoint("--rate-limit", "20")
    pool = new_pool(endpoint.url)
    run = lua(endpoint.url, """
        local cognitosync, cognitoidentity = require("cognitosync"), require("cognitoidentity")
        local ci = cognitoidentity.new{ params = { IdentityPoolId = ... } }
        local n = {}
        for i = 1, 80 do n[i] = i end
        local ids = cognitosync.map(n, function() return ci:getId{}.IdentityId end, { concurrency = 16 })
        local stats = cognitosync.stats()
        emit("result", { #ids, stats.operations.GetId.calls, stats.operations.GetId.errors })
        emit("throttled", stats.throttles > 0)
        """, args=[pool], timeout=120)
    assert run.returncode == 0, run
    assert run["result"] == [80, 80, 0]
    assert run["throttled"] is True
    listed = identity_client(endpoint.url).list_identities(IdentityPoolId=pool, MaxResults=60)
    assert len(listed["Identities"]) == 60 and listed.get("NextToken")


def test_defaults_are_shared_with_cognitosync(endpoint, lua):
    run = lua(endpoint.url, """
        local cognitosync, cognitoidentity = require("cognitosync"), require("cognitoidentity")
        assert(cognitoidentity.config == cognitosync.config)
        cognitosync.configure{ region = "eu-central-1" }
        emit("client", tostring(cognitoidentity.new{}))
        emit("own", tostring(cognitoidentity.new{ region = "us-west-2" }))
        local ok, err = pcall(cognitoidentity.new, { apiVersion = "2014-06-29" })
        emit("version", err.message)
        emit("describe", cognitoidentity.describe("listIdentityPools"):match("^[^\\n]+\\n[^\\n]+"))
        """)
    assert run.returncode == 0, run
    assert run["client"].startswith("cognitoidentity.client (eu-central-1, ")
    assert run["own"].startswith("cognitoidentity.client (us-west-2, ")
    assert run["version"] == 'options.apiVersion: only "2014-06-30" (or "latest") is supported'
    assert run["describe"] == ("listIdentityPools (ListIdentityPools)\n"
                               "POST / (X-Amz-Target: AWSCognitoIdentityService.ListIdentityPools)")
