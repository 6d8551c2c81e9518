"""The libraries a script may not need are opened on first use, not linked: libcurl when the first client sends
(most one-liners in shell loops make none, and it brings forty dependencies), libcrypto when the first signature or
digest needs it, libreadline when the REPL first edits a line on a terminal (test_lua_parity.py's terminal tests check
editing and history), libsqlite3 when the local endpoint (--local) first opens its data file (test_host.py runs one).
A script that needs none of them starts without loading any."""

import subprocess

import pytest

LIBRARIES = ["libcurl", "libcrypto", "libreadline", "libsqlite3"]


def mapped(library):
    """Lua that sets `loaded` to whether `library` is mapped into the process now."""
    return ('local f = io.open("/proc/self/maps"); local loaded = f:read("a"):find("%s", 1, true) ~= nil; f:close() '
            % library)


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_binary_does_not_link_it(lua_bin, library):
    done = subprocess.run(["ldd", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "liblua5.4" in done.stdout
    assert library not in done.stdout


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_script_that_needs_none_never_loads_it(run_lua, library):
    code, out, err = run_lua('local cognitosync = require("cognitosync") ' + mapped(library) + 'print(loaded) '
                             'cognitosync.sleep(0.01) ' + mapped(library) + 'print(loaded)', prelude=False)
    assert (code, out, err) == (0, "false\nfalse\n", "")


@pytest.mark.parametrize("library", ["libcurl", "libcrypto"])
def test_a_script_that_sends_a_signed_request_loads_it(run_lua, library):
    code, out, err = run_lua('cs:listDatasets{ IdentityPoolId = POOL, IdentityId = ID } ' + mapped(library)
                             + 'print(loaded)')
    assert (code, out.splitlines()[-1:]) == (0, ["true"]), err


def test_version_names_the_libcurl_it_loads(lua_bin):
    done = subprocess.run([lua_bin, "--version"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert " libcurl 7." in done.stdout or " libcurl 8." in done.stdout, done.stdout
