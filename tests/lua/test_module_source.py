"""The Lua half of the module is kept as Lua files under Sources/CognitoSyncLua/lua and compiled into the binary:
each file compiles with luac5.4 -p, and the binary runs what the file says (a change to the file changes the
module the binary loads once it is rebuilt)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "Sources" / "CognitoSyncLua" / "lua").glob("*.lua"))


def test_there_are_lua_sources():
    assert [p.name for p in SOURCES] == ["cognitosync.lua", "tasks.lua"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_each_lua_source_compiles(path):
    luac = shutil.which("luac5.4")
    assert luac, "luac5.4 is needed (Debian package lua5.4)"
    done = subprocess.run([luac, "-p", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_binary_carries_the_module_source(lua_bin):
    # A function defined in the file is the one the binary's module holds: its source is the embedded chunk.
    module = ROOT / "Sources" / "CognitoSyncLua" / "lua" / "cognitosync.lua"
    line = next(i for i, text in enumerate(module.read_text().splitlines(), 1)
                if text.startswith("function M.spawn("))
    done = subprocess.run([lua_bin, "-e", 'local i = debug.getinfo(require("cognitosync").spawn, "S") '
                           'print(i.source, i.linedefined)'], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["=cognitosync", str(line)]
