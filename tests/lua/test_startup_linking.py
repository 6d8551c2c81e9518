"""cogsync-lua stays position-independent (ASLR) with its relative relocations packed (DT_RELR), which keeps the
relocation table the loader reads at every start at a few kilobytes instead of two megabytes."""

import subprocess


def dynamic_section(binary):
    done = subprocess.run(["readelf", "--dynamic", binary], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_binary_is_position_independent_with_packed_relative_relocations(lua_bin):
    dynamic = dynamic_section(lua_bin)
    assert "PIE" in dynamic
    assert "(RELR)" in dynamic
