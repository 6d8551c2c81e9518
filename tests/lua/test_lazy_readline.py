"""libreadline is opened when the REPL first edits a line on a terminal, not linked: a script never loads it (the
terminal tests of test_lua_parity.py check that editing and history still work)."""

import subprocess

MAPPED = 'local f = io.open("/proc/self/maps"); print(f:read("a"):find("libreadline", 1, true) ~= nil); f:close()'


def test_the_binary_does_not_link_readline(lua_bin):
    done = subprocess.run(["ldd", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "liblua5.4" in done.stdout
    assert "libreadline" not in done.stdout


def test_a_script_does_not_load_it(run_lua):
    assert run_lua(MAPPED, prelude=False) == (0, "false\n", "")
