"""The Lua half of the module is kept as Lua files under Sources/CognitoSyncLua/lua and compiled into the binary as
precompiled chunks: each file compiles with luac5.4 -p, and the binary runs what the file says, under the file's chunk
name and with its line numbers (a change to the file changes what the binary loads once it is rebuilt)."""

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


def line_of(name, prefix):
    path = ROOT / "Sources" / "CognitoSyncLua" / "lua" / name
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(prefix))


def source_and_line(lua_bin, expression):
    done = subprocess.run([lua_bin, "-e", f'local i = debug.getinfo({expression}, "S") print(i.source, i.linedefined)'],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_binary_carries_the_module_source(lua_bin):
    # A function defined in the file is the one the binary's module holds: its source is the embedded chunk.
    assert source_and_line(lua_bin, 'require("cognitosync").spawn') == [
        "=cognitosync", str(line_of("cognitosync.lua", "function M.spawn("))]


def test_the_binary_carries_the_scheduler_source(lua_bin):
    # The scheduler is loaded when the Lua state starts; a task's methods come from its file.
    task = 'getmetatable(require("cognitosync").spawn(function() end)).wait'
    assert source_and_line(lua_bin, task) == ["=cognitosync.tasks", str(line_of("tasks.lua", "function Task:wait("))]
