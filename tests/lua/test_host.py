"""The host command line: the stock `lua` flags and environment, error reporting, and the long options."""

import os
import re
import signal
import subprocess
import time

from lua.processes import wait_until_polling


USAGE_LINE = "usage: cogsync-lua [options] [script [args]]"
VERSION_RE = re.compile(r"^cogsync-lua \S+ \(Lua 5\.4\.\d+, libcurl [\d.]+\)$")


def test_script_args_and_arg_table(run_lua, lua_bin, tmp_path):
    status, out, err = run_lua(r"""
local script = arg[0]
assert(script:match("script%.lua$"), script)
assert(arg[-1] == os.getenv("LUA_BIN"), tostring(arg[-1]))
assert(arg[-2] == nil)
assert(#arg == 3 and arg[1] == "one" and arg[2] == "two words" and arg[3] == "-x")
local a, b, c = ...
assert(a == "one" and b == "two words" and c == "-x", "varargs are the script arguments")
assert(select("#", ...) == 3)
print("ok")
""", "one", "two words", "-x", prelude=False, env={"LUA_BIN": lua_bin})
    assert status == 0, err
    assert out == "ok\n"


def test_negative_arg_indices_hold_the_options(run_lua, lua_bin):
    status, out, err = run_lua(r"""
assert(arg[-1] == "x = 1" and arg[-2] == "-e" and arg[-3] == os.getenv("LUA_BIN") and arg[-4] == nil)
assert(x == 1)
print("ok", arg[1])
""", "a", flags=["-e", "x = 1"], prelude=False, env={"LUA_BIN": lua_bin})
    assert status == 0, err
    assert out == "ok\ta\n"


def test_e_runs_chunks_in_order(run_lua):
    status, out, err = run_lua(None, flags=["-e", "x = 20", "-e", "print(x + 1)", "-e",
                                            'print(require("cognitosync").operations[1])'])
    assert status == 0, err
    assert out == "21\nbulkPublish\n"


def test_l_requires_into_a_global(run_lua, tmp_path):
    (tmp_path / "mymod.lua").write_text('return {answer = 42, name = ...}')
    status, out, err = run_lua(None, flags=["-l", "mymod", "-l", "cs=cognitosync", "-l", "s=string", "-e",
                                            "print(mymod.answer, mymod.name, type(cs.new), s.rep('ab', 2))"],
                               env={"LUA_PATH": str(tmp_path / "?.lua") + ";;"})
    assert status == 0, err
    assert out == "42\tmymod\tfunction\tabab\n"


def test_l_with_a_dotted_module_sets_the_global_of_that_exact_name(run_lua, tmp_path):
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "util.lua").write_text('return {answer = 42}')
    status, out, err = run_lua(None, flags=["-l", "ops.util", "-e", "print(_G['ops.util'].answer, ops)"],
                               env={"LUA_PATH": str(tmp_path / "?.lua") + ";;"})
    assert status == 0, err
    assert out == "42\tnil\n"


def test_l_with_missing_module_fails(run_lua):
    status, out, err = run_lua(None, flags=["-l", "no_such_module_here", "-e", "print('not reached')"])
    assert status == 1
    assert out == ""
    assert err.startswith("cogsync-lua: ") and "no_such_module_here" in err


def test_interactive_repl_reads_stdin(run_lua):
    lines = "\n".join([
        "x = 41",
        "x + 1",
        "print('hi')",
        "return 'a', 2",
        "for i = 1, 2 do",
        "  print('loop', i)",
        "end",
        "error('oops')",
        "local cs = require('cognitosync'); print(#cs.operations)",
        "y = ",
        "5",
        "y * 2",
    ]) + "\n"
    status, out, err = run_lua(None, flags=["-i"], stdin=lines)
    assert status == 0, err
    values = [line.lstrip("> ").strip() for line in out.splitlines()]
    values = [value for value in values if value and not value.startswith("cogsync-lua ")]
    assert values == ["42", "hi", "a\t2", "loop\t1", "loop\t2", "17", "10"], out
    assert "oops" in err


def test_interactive_after_script_sees_its_globals(run_lua):
    status, out, err = run_lua("counter = 7\nprint('script ran')\n", flags=["-i"], stdin="counter * 6\n",
                               prelude=False)
    assert status == 0, err
    lines = out.splitlines()
    assert VERSION_RE.match(lines[0]), "-i implies -v: the banner comes before the script runs"
    assert lines[1] == "script ran"
    assert "42" in lines[2]


def test_repl_banner_precedes_first_prompt(run_lua):
    # lua.c prints the version banner (flushed) before the first prompt; cogsync-lua writes "> " ahead of it
    # when no script runs first, so stdout starts "> cogsync-lua 0.1.0 ...".
    status, out, err = run_lua(None, flags=["-i"], stdin="print('a')\n")
    assert status == 0, err
    assert VERSION_RE.match(out.splitlines()[0]), repr(out)


def test_v_prints_version(run_lua):
    status, out, err = run_lua(None, flags=["-v"])
    assert status == 0, err
    assert VERSION_RE.match(out.strip()), out
    status, out2, _ = run_lua(None, flags=["-v", "-e", "print('after')"])
    assert out2 == out + "after\n"


def test_dash_runs_stdin_with_args(run_lua):
    status, out, err = run_lua(None, "-", "p", "q",
                               stdin="print('stdin', arg[0], ...)\nprint(require('cognitosync').operations[17])\n")
    assert status == 0, err
    assert out == "stdin\t-\tp\tq\nupdateRecords\n"


def test_double_dash_stops_options(run_lua, tmp_path):
    (tmp_path / "-e").write_text("print('a script named -e', ...)\n")
    status, out, err = run_lua(None, "--", "-e", "-v", cwd=str(tmp_path))
    assert status == 0, err
    assert out == "a script named -e\t-v\n"


def test_lua_init_code_and_file(run_lua, tmp_path):
    init = tmp_path / "init.lua"
    init.write_text("from_file = 'file'\n")
    status, out, err = run_lua(None, flags=["-e", "print(from_init)"], env={"LUA_INIT": "from_init = 'code'"})
    assert (status, out) == (0, "code\n"), err
    status, out, err = run_lua(None, flags=["-e", "print(from_file)"], env={"LUA_INIT": "@" + str(init)})
    assert (status, out) == (0, "file\n"), err
    status, out, err = run_lua(None, flags=["-e", "print(v)"],
                               env={"LUA_INIT": "v = 'plain'", "LUA_INIT_5_4": "v = 'versioned'"})
    assert (status, out) == (0, "versioned\n"), err


def test_lua_init_error_fails(run_lua):
    status, out, err = run_lua(None, flags=["-e", "print('not reached')"], env={"LUA_INIT": "error('init failed')"})
    assert status == 1
    assert out == ""
    assert "cogsync-lua: " in err and "init failed" in err


def test_E_ignores_lua_init_and_lua_path(run_lua):
    env = {"LUA_INIT": "print('init ran')", "LUA_PATH": "/nowhere/?.lua;;", "LUA_CPATH": "/nowhere/?.so;;"}
    status, out, err = run_lua(None, flags=["-E", "-e", "print(package.path:find('/nowhere', 1, true), "
                                                        "package.cpath:find('/nowhere', 1, true))"], env=env)
    assert status == 0, err
    assert out == "nil\tnil\n"
    status, out, err = run_lua(None, flags=["-e", "print(package.path:find('/nowhere', 1, true) == 1)"], env=env)
    assert out == "init ran\ntrue\n", err


def test_lua_path_and_cpath_with_double_semicolon(run_lua, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "pathmod.lua").write_text("return 'found via LUA_PATH'")
    status, out, err = run_lua(None, flags=["-e", r"""
print((require('pathmod')))
assert(package.path:find(os.getenv('LIB') .. '/?.lua;', 1, true) == 1)
assert(package.path:find('/usr/share/lua/5.4/?.lua', 1, true), 'the default path replaces ;;')
assert(not package.path:find(';;', 1, true))
assert(package.cpath:find('/custom/?.so;', 1, true) == 1)
assert(package.cpath:find('/usr/lib/x86_64-linux-gnu/lua/5.4/?.so', 1, true) or package.cpath:find('lua/5.4/?.so'))
"""], env={"LUA_PATH": str(lib / "?.lua") + ";;", "LUA_CPATH": "/custom/?.so;;", "LIB": str(lib)})
    assert status == 0, err
    assert out == "found via LUA_PATH\n"
    status, out, err = run_lua(None, flags=["-e", "print(package.path)"],
                               env={"LUA_PATH_5_4": "/v54/?.lua", "LUA_PATH": "/plain/?.lua"})
    assert out == "/v54/?.lua\n", err


def test_shebang_first_line_is_skipped(run_lua, tmp_path, lua_bin):
    status, out, err = run_lua("#!/usr/bin/env cogsync-lua\nprint('shebang ok', ...)\n", "x", prelude=False)
    assert status == 0, err
    assert out == "shebang ok\tx\n"
    # Executed directly through the kernel's #! handling, with the binary's folder on PATH.
    script = tmp_path / "direct.lua"
    script.write_text("#!/usr/bin/env cogsync-lua\nprint(#require('cognitosync').operations)\n")
    script.chmod(0o755)
    env = dict(os.environ, PATH=os.path.dirname(lua_bin) + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "17\n"


def test_script_folder_is_searched_first(run_lua, tmp_path):
    folder = tmp_path / "repo" / "scripts"
    (folder / "shared").mkdir(parents=True)
    (folder / "common.lua").write_text("return {name = 'common'}")
    (folder / "shared" / "init.lua").write_text("return {name = 'shared init'}")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "common.lua").write_text("return {name = 'from LUA_PATH'}")
    status, out, err = run_lua(r"""
print(require('common').name, require('shared').name)
print(package.path == os.getenv('LUA_PATH'), package.cpath == os.getenv('LUA_CPATH'))
""", prelude=False, name="repo/scripts/job.lua", cwd="/",
        env={"LUA_PATH": str(lib / "?.lua"), "LUA_CPATH": str(lib / "?.so")})
    assert status == 0, err
    assert out == "common\tshared init\ntrue\ttrue\n", "the folder wins, through a searcher: the paths are untouched"


def test_require_cjson_loads_debian_c_module(run_lua):
    status, out, err = run_lua(r"""
local cjson = require("cjson")
local text = cjson.encode({a = {1, 2, 3}})
assert(text == '{"a":[1,2,3]}', text)
assert(cjson.decode('{"k":"v"}').k == "v")
print("cjson ok")
""", prelude=False)
    assert status == 0, err
    assert out == "cjson ok\n"


def test_failing_script_prints_message_and_traceback(run_lua):
    status, out, err = run_lua("print('before')\nlocal function inner() error('kaput') end\ninner()\n",
                               prelude=False)
    assert status == 1
    assert out == "before\n"
    lines = err.splitlines()
    assert re.match(r"^cogsync-lua: .*script\.lua:2: kaput$", lines[0]), err
    assert lines[1] == "stack traceback:"
    assert any("in local 'inner'" in line or "in function 'inner'" in line for line in lines), err
    assert any("in main chunk" in line for line in lines), err


def test_error_object_with_tostring_gets_traceback(run_lua):
    status, out, err = run_lua(
        "local obj = setmetatable({}, {__tostring = function() return 'custom error object' end})\n"
        "local function raise() error(obj) end\nraise()\n", prelude=False)
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == "cogsync-lua: custom error object", err
    assert lines[1] == "stack traceback:"
    assert "in main chunk" in err


def test_service_error_object_gets_traceback(run_lua):
    status, out, err = run_lua(
        "cs:describeDataset{IdentityPoolId = POOL, IdentityId = ID, DatasetName = 'missing'}\n")
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith("cogsync-lua: ResourceNotFoundException: "), err
    assert "HTTP 404" in lines[0] and "DescribeDataset" in lines[0]
    assert lines[1] == "stack traceback:"
    assert "script.lua:2" in err


def test_table_error_without_tostring(run_lua):
    status, out, err = run_lua("error({code = 1})\n", prelude=False)
    assert status == 1
    assert err.startswith("cogsync-lua: (error object is a table value)")


def test_os_exit_codes(run_lua):
    assert run_lua(None, flags=["-e", "os.exit(3)"])[0] == 3
    assert run_lua(None, flags=["-e", "os.exit(0)"])[0] == 0
    assert run_lua(None, flags=["-e", "os.exit(false)"])[0] == 1
    assert run_lua(None, flags=["-e", "os.exit(true)"])[0] == 0
    status, out, _ = run_lua("io.write('buffered'); os.exit(5, true)\n", prelude=False)
    assert (status, out) == (5, "buffered")


def test_os_exit_from_a_task_and_a_coroutine(run_lua):
    status, out, _ = run_lua("cognitosync.spawn(function() cognitosync.sleep(0.01); os.exit(4) end):wait()\n"
                             "print('not reached')\n")
    assert (status, out) == (4, "")
    status, out, _ = run_lua("coroutine.wrap(function() os.exit(6) end)()\nprint('not reached')\n", prelude=False)
    assert (status, out) == (6, "")


def test_syntax_error_exits_1(run_lua):
    status, out, err = run_lua("print('never')\nlocal = 5\n", prelude=False)
    assert status == 1
    assert out == ""
    assert err.startswith("cogsync-lua: ") and "script.lua:2:" in err
    status, out, err = run_lua(None, flags=["-e", "x = = 1"])
    assert status == 1 and "(command line):1:" in err


def test_missing_script_file(run_lua):
    status, out, err = run_lua(None, "/nonexistent/script.lua")
    assert status == 1
    assert err.startswith("cogsync-lua: cannot open /nonexistent/script.lua")


def test_W_turns_warnings_on(run_lua):
    # lua.c prints "Lua warning: hello" to stderr with -W (or after warn("@on")).
    status, out, err = run_lua(None, flags=["-W", "-e", "warn('hello')"])
    assert status == 0
    assert "Lua warning: hello" in err, repr(err)
    status, out, err = run_lua(None, flags=["-e", "warn('@on'); warn('again')"])
    assert "Lua warning: again" in err, repr(err)
    status, out, err = run_lua(None, flags=["-e", "warn('silent')"])
    assert "silent" not in err


def test_unknown_option_prints_usage_and_exits_1(run_lua):
    for option in ("--bogus", "-z", "--regoin"):
        status, out, err = run_lua(None, option)
        assert status == 1, option
        assert f"'{option}'" in err.splitlines()[0]
        assert USAGE_LINE in err
        assert out == ""


def test_option_missing_its_value(run_lua):
    for option in ("--region", "--profile", "--endpoint-url", "--max-retries", "-e", "-l"):
        status, out, err = run_lua(None, option)
        assert status == 1, option
        assert err.startswith("cogsync-lua: "), (option, err)
    status, out, err = run_lua(None, "--max-retries", "lots", "-e", "print(1)")
    assert status == 1 and "lots" in err and out == ""


def test_help_and_version(run_lua):
    status, out, err = run_lua(None, "--help")
    assert status == 0
    assert out.startswith(USAGE_LINE)
    for option in ("--region", "--profile", "--endpoint-url", "--debug", "--max-retries", "--describe", "--version",
                   "-e stat", "-l mod", "-i", "-v", "-E"):
        assert option in out, option
    status, out, err = run_lua(None, "--version")
    assert status == 0
    assert VERSION_RE.match(out.strip()), out


def test_describe_lists_operations(run_lua):
    status, out, err = run_lua(None, "--describe")
    assert status == 0, err
    listed = re.findall(r"^\s+([a-z][A-Za-z]+)\s+(GET|POST|DELETE)\s+(/\S*)$", out, re.M)
    names = [name for name, _, _ in listed]
    assert len(names) == 17
    assert "updateRecords" in names and "listIdentityPoolUsage" in names
    assert ("listRecords", "GET",
            "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/records") in listed
    # Cognito Identity's operations follow, each named by its X-Amz-Target.
    identity = re.findall(r"^\s+([a-z][A-Za-z]+)\s+POST\s+/ AWSCognitoIdentityService\.([A-Za-z]+)$", out, re.M)
    assert len(identity) == 23
    assert ("listIdentities", "ListIdentities") in identity and ("getId", "GetId") in identity
    assert out.index("Amazon Cognito Sync") < out.index("Amazon Cognito Identity (API 2014-06-30), 23 operations")


def test_describe_update_records(run_lua):
    status, out, err = run_lua(None, "--describe", "updateRecords")
    assert status == 0, err
    assert out.startswith("updateRecords")
    assert "POST /identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}" in out
    lines = {line.strip().split(":")[0]: line.strip() for line in out.splitlines() if ":" in line}
    assert "required" in lines["DatasetName"] and "1..128" in lines["DatasetName"]
    assert "[a-zA-Z0-9_.:-]+" in lines["DatasetName"]
    assert "required" in lines["IdentityPoolId"] and "55" in lines["IdentityPoolId"]
    assert "list" in lines["RecordPatches"]
    assert "replace" in lines["Op"] and "remove" in lines["Op"] and "required" in lines["Op"]
    assert "integer" in lines["SyncCount"] and "64" in lines["SyncCount"]
    assert "timestamp" in lines["DeviceLastModifiedDate"]
    assert "1048575" in lines["Value"]
    assert "x-amz-Client-Context" in lines["ClientContext"]
    assert "ResourceConflictException" in out


def test_describe_every_operation_and_unknown(run_lua):
    status, out, _ = run_lua(None, flags=["-e", "for _, m in ipairs{'cognitosync', 'cognitoidentity'} do "
                                                "for _, op in ipairs(require(m).operations) do print(op) end end"])
    assert len(out.split()) == 17 + 23
    for op in out.split():
        status, text, err = run_lua(None, "--describe", op)
        assert status == 0 and text.startswith(op), (op, err)
    status, text, err = run_lua(None, "--describe=noSuchOperation")
    assert status == 1
    assert "noSuchOperation" in err


def _scope(request):
    match = re.search(r"Credential=([^/]+)/\d{8}/([^/]+)/cognito-sync/aws4_request", request.headers["Authorization"])
    return match.group(1), match.group(2)


def test_endpoint_url_region_and_max_retries_flags(run_lua, recorder):
    recorder.answer(500, "", {})
    status, out, err = run_lua(r"""
local e = expect_error(cs.listIdentityPoolUsage, cs, {})
print(e.code, e.retryCount)
local explicit = cognitosync.new{region = "sa-east-1", maxRetries = 0}
e = expect_error(explicit.listIdentityPoolUsage, explicit, {})
print(e.code, e.retryCount)
""", flags=["--endpoint-url", recorder.url, "--region", "ap-south-1", "--max-retries", "2"],
        env={"AWS_REGION": None})
    assert status == 0, err
    assert out == "Http500\t2\nHttp500\t0\n"
    assert recorder.count() == 4
    assert [_scope(request)[1] for request in recorder.requests] == ["ap-south-1"] * 3 + ["sa-east-1"]
    assert all(request.path == "/identitypools" for request in recorder.requests)


def test_region_flag_beats_the_environment(run_lua, recorder):
    status, out, err = run_lua("cs:listIdentityPoolUsage{}\nprint('ok')\n",
                               flags=["--endpoint-url", recorder.url, "--region", "eu-north-1"],
                               env={"AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-west-1"})
    assert status == 0, err
    assert _scope(recorder.requests[0])[1] == "eu-north-1"


def test_default_endpoint_follows_the_region(run_lua, recorder):
    # No endpoint configured: the request goes to https://cognito-sync.<region>.amazonaws.com. The recorder acts
    # as an HTTPS proxy and refuses the CONNECT, so the target host is observed without leaving the machine.
    recorder.answer(403, "")
    status, out, err = run_lua(r"""
local c = cognitosync.new{maxRetries = 0, httpOptions = {proxy = os.getenv("RECORDER")}}
local e = expect_error(c.listIdentityPoolUsage, c, {})
print(e.code)
""", flags=["--region", "eu-west-3"], env={"AWS_ENDPOINT_URL": None, "RECORDER": recorder.url})
    assert status == 0, err
    assert out == "NetworkingError\n"
    assert [(r.method, r.path) for r in recorder.requests] == [("CONNECT", "cognito-sync.eu-west-3.amazonaws.com:443")]


def test_profile_flag_and_aws_profile(run_lua, recorder, base_env):
    with open(base_env["AWS_SHARED_CREDENTIALS_FILE"], "w") as f:
        f.write("[ops]\naws_access_key_id = AKIDOPSPROFILE\naws_secret_access_key = ops-secret\n"
                "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n")
    with open(base_env["AWS_CONFIG_FILE"], "w") as f:
        f.write("[profile ops]\nregion = eu-west-2\n[profile other]\nregion = ca-central-1\n")
    env = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_REGION": None}
    status, out, err = run_lua("cs:listIdentityPoolUsage{}\nprint('ok')\n",
                               flags=["--profile", "ops", "--endpoint-url", recorder.url], env=env)
    assert status == 0, err
    assert _scope(recorder.requests[-1]) == ("AKIDOPSPROFILE", "eu-west-2")
    status, out, err = run_lua("cs:listIdentityPoolUsage{}\nprint('ok')\n", flags=["--endpoint-url", recorder.url],
                               env=dict(env, AWS_PROFILE="other"))
    assert status == 0, err
    assert _scope(recorder.requests[-1]) == ("AKIDOTHER", "ca-central-1")
    status, out, err = run_lua("cs:listIdentityPoolUsage{}\n", flags=["--profile", "absent",
                                                                      "--endpoint-url", recorder.url], env=env)
    assert status == 1 and "absent" in err


def test_debug_trace_redacts_secrets(run_lua, recorder, base_env):
    token = "SessionTokenValue/With+Odd=Chars0123456789"
    recorder.answer(200, '{"IdentityPoolUsages": [], "Count": 0, "MaxResults": 10}')
    status, out, err = run_lua("cs:listIdentityPoolUsage{MaxResults = 10}\nprint('ok')\n",
                               flags=["--debug", "--endpoint-url", recorder.url],
                               env={"AWS_SESSION_TOKEN": token})
    assert status == 0, err
    assert out == "ok\n"
    sent = recorder.requests[0]
    signature = re.search(r"Signature=([0-9a-f]{64})", sent.headers["Authorization"]).group(1)
    assert sent.headers["X-Amz-Security-Token"] == token
    assert re.search(r"^> GET http://127\.0\.0\.1:\d+/identitypools\?maxResults=10$", err, re.M), err
    assert "< HTTP 200" in err
    for secret in (base_env["AWS_SECRET_ACCESS_KEY"], token, signature):
        assert secret not in err
    assert base_env["AWS_ACCESS_KEY_ID"] in err, "the access key id is not a secret and names the caller"


def test_debug_against_local_endpoint_with_session_token(run_lua, base_env):
    token = "LocalSessionToken-abcdef-0123456789"
    status, out, err = run_lua(r"""
local ok, r = pcall(cs.listDatasets, cs, {IdentityPoolId = POOL, IdentityId = ID})
print(ok or r.code)
""", flags=["--debug"], env={"AWS_SESSION_TOKEN": token})
    assert status == 0, err
    assert "> GET " in err and "/identitypools/" in err
    assert token not in err
    assert base_env["AWS_SECRET_ACCESS_KEY"] not in err
    assert not re.search(r"Signature=[0-9a-f]{64}", err)


def test_local_and_local_data_flags(run_lua, tmp_path):
    script = r"""
local c = cognitosync.new()
local page = c:listRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d"}
c:updateRecords{IdentityPoolId = POOL, IdentityId = ID, DatasetName = "d", SyncSessionToken = page.SyncSessionToken,
  RecordPatches = {{Op = "replace", Key = "run" .. page.DatasetSyncCount, Value = "v", SyncCount = 0}}}
print(page.DatasetSyncCount)
"""
    no_env = {"AWS_ENDPOINT_URL": None, "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
    data = str(tmp_path / "state.sqlite")
    outputs = [run_lua(script, flags=["--local-data", data], env=no_env) for _ in range(2)]
    assert [(status, out) for status, out, _ in outputs] == [(0, "0\n"), (0, "1\n")], outputs
    outputs = [run_lua(script, flags=["--local"], env=no_env) for _ in range(2)]
    assert [(status, out) for status, out, _ in outputs] == [(0, "0\n"), (0, "0\n")], outputs


def test_ctrl_c_raises_interrupted_and_the_summary_still_prints(lua_bin, base_env, tmp_path):
    script = tmp_path / "long.lua"
    script.write_text('local cognitosync = require("cognitosync")\n'
                      'cognitosync.spawn(function() cognitosync.sleep(30) end)\n'
                      'print("sleeping"); io.stdout:flush()\n'
                      'cognitosync.sleep(30)\nprint("not reached")\n')
    process = subprocess.Popen([lua_bin, "--stats", str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=base_env)
    assert process.stdout.readline() == "sleeping\n"
    # Not before the script parks: Ctrl-C while Lua code runs raises where that code is, as in lua5.4.
    wait_until_polling(process.pid)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 1
    assert "not reached" not in out
    assert err.startswith("cogsync-lua: interrupted!\nstack traceback:")
    assert "wall time" in err, "--stats still reports"

