"""libsqlite3 is opened when the local endpoint (--local) first opens its data file, not linked: a script never
loads it (test_host.py runs --local with a data file)."""

import subprocess

MAPPED = 'local f = io.open("/proc/self/maps"); print(f:read("a"):find("libsqlite3", 1, true) ~= nil); f:close()'


def test_the_binary_does_not_link_sqlite(lua_bin):
    done = subprocess.run(["ldd", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "liblua5.4" in done.stdout
    assert "libsqlite3" not in done.stdout


def test_a_script_does_not_load_it(run_lua):
    assert run_lua(MAPPED, prelude=False) == (0, "false\n", "")
