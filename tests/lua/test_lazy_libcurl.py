"""libcurl is opened when the first client needs it, not linked: a script that makes no client (most one-liners in
shell loops) starts without loading it and its forty dependencies."""

import subprocess

MAPPED = 'local f = io.open("/proc/self/maps"); local loaded = f:read("a"):find("libcurl", 1, true) ~= nil; f:close() '


def test_the_binary_does_not_link_libcurl(lua_bin):
    done = subprocess.run(["ldd", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "liblua5.4" in done.stdout
    assert "libcurl" not in done.stdout


def test_a_script_that_sends_nothing_never_loads_it_and_one_that_sends_does(run_lua):
    code, out, err = run_lua('local cognitosync = require("cognitosync") ' + MAPPED + 'print(loaded) '
                             'cognitosync.sleep(0.01) ' + MAPPED + 'print(loaded)', prelude=False)
    assert (code, out, err) == (0, "false\nfalse\n", "")
    code, out, err = run_lua('cs:listDatasets{ IdentityPoolId = POOL, IdentityId = ID } ' + MAPPED + 'print(loaded)')
    assert (code, out.splitlines()[-1:]) == (0, ["true"]), err


def test_version_names_the_libcurl_it_loads(lua_bin):
    done = subprocess.run([lua_bin, "--version"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert " libcurl 7." in done.stdout or " libcurl 8." in done.stdout, done.stdout
