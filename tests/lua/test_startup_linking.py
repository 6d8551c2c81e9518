"""cogsync-lua stays position-independent (ASLR) with its relative relocations packed (DT_RELR), which keeps the
relocation table the loader reads at every start at a few kilobytes instead of two megabytes, and exports none of its
own Swift symbols, whose table the Swift runtime's start-up walks (`dladdr`). Lua C modules still load: they take the
Lua API from liblua5.4 (tests/lua/test_host.py loads Debian's cjson)."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dynamic_section(binary):
    done = subprocess.run(["readelf", "--dynamic", binary], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_binary_is_position_independent_with_packed_relative_relocations(lua_bin):
    dynamic = dynamic_section(lua_bin)
    assert "PIE" in dynamic
    assert "(RELR)" in dynamic


def test_the_binary_exports_none_of_its_own_symbols(lua_bin):
    done = subprocess.run(["readelf", "--dyn-syms", "--wide", lua_bin], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    symbols = [row for row in rows if len(row) >= 8 and row[0].rstrip(":").isdigit()]
    # The table is read as it should be: the Lua API the binary imports is there, undefined.
    assert any(row[7].startswith("lua_pushinteger") and row[6] == "UND" for row in symbols), done.stdout[:2000]
    defined = [row[7] for row in symbols if row[6] != "UND"]
    assert not [name for name in defined if name.startswith("$s")], defined[:10]
    assert len(defined) < 100, f"{len(defined)} symbols exported, e.g. {defined[:10]}"


def test_the_shipped_link_hides_the_binarys_symbols():
    # Only a link with the static Swift runtime (scripts/install, scripts/bench) exports the binary's symbols, through
    # the runtime's link options; the tests run the debug build, which never did. So the package itself must ask for
    # them to be hidden, after those options.
    done = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    target = next(t for t in json.loads(done.stdout)["targets"] if t["name"] == "cogsync-lua")
    flags = [flag for setting in target["settings"] if setting["tool"] == "linker"
             for flag in setting["kind"].get("unsafeFlags", {}).get("_0", [])]
    assert "--no-export-dynamic" in flags, flags
    assert flags[flags.index("--no-export-dynamic") - 1] == "-Xlinker", flags
