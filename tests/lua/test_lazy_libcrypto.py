"""libcrypto is opened when the first signature or digest needs it, not linked: a script that signs nothing starts
without loading it."""

import subprocess

MAPPED = 'local f = io.open("/proc/self/maps"); local loaded = f:read("a"):find("libcrypto", 1, true) ~= nil; f:close() '


def test_the_binary_does_not_link_libcrypto(lua_bin):
    done = subprocess.run(["ldd", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "liblua5.4" in done.stdout
    assert "libcrypto" not in done.stdout


def test_a_script_that_signs_nothing_never_loads_it_and_one_that_signs_does(run_lua):
    code, out, err = run_lua('local cognitosync = require("cognitosync") ' + MAPPED + 'print(loaded)', prelude=False)
    assert (code, out, err) == (0, "false\n", "")
    code, out, err = run_lua('cs:listDatasets{ IdentityPoolId = POOL, IdentityId = ID } ' + MAPPED + 'print(loaded)')
    assert (code, out.splitlines()[-1:]) == (0, ["true"]), err
