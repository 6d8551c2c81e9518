"""The demo script runs end to end against the in-process local endpoint (`--local`)."""

import os
import subprocess

from testkit import binary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_runs_against_local_endpoint(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    done = subprocess.run([str(binary("cogsync-lua")), "--local", os.path.join(ROOT, "examples", "demo.lua")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len([line for line in lines if "wrote 2  sync count 1" in line]) == 8
    assert "theme=dark visits=20" in done.stdout
    assert lines[-1] == "stale write:\tfalse\tResourceConflictException"
