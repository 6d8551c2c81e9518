"""Dry run as a script sees it: the client says so, and patchRecords plans without writing."""


def test_client_reports_dry_run_and_patch_records_plans_only(run_lua):
    code, out, err = run_lua(r"""
local real = cognitosync.new()
assert(real.dryRun == false)
real:patchRecords{ IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", set = { a = "1" } }

local dry = cognitosync.new{ dryRun = true }
assert(dry.dryRun == true)
-- the value is already there: nothing to plan, and the result still says it was a dry run
local same = dry:patchRecords{ IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", set = { a = "1" } }
assert(same.DryRun == true and #same.RecordPatches == 0)
-- a change is planned, not sent
local plan = dry:patchRecords{ IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", set = { a = "2" } }
assert(plan.DryRun == true and #plan.RecordPatches == 1 and plan.RecordPatches[1].Value == "2")
local page = real:listRecords{ IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d" }
assert(page.Records[1].Value == "1" and page.DatasetSyncCount == 1)
print("ok")
""")
    assert code == 0, err
    assert out.strip() == "ok"
    assert "[dry-run] updateRecords" in err


def test_missing_uri_member_is_refused_with_validation_off(run_lua, dead_url):
    code, out, err = run_lua(r"""
local c = cognitosync.new{ paramValidation = false, endpoint = os.getenv("DEAD_URL"), maxRetries = 0 }
local ok, e = pcall(c.listRecords, c, { IdentityPoolId = POOL, IdentityId = ID })
assert(not ok and e.code == "UriParameterError" and e.path == "params.DatasetName", tostring(e))
print("ok")
""", env={"DEAD_URL": dead_url})
    assert code == 0, err
    assert out.strip() == "ok"
