"""The README's five-minute tour, run as written: seed, export, dry-run import, import, report on --local-data."""

import os
import re
import subprocess

from conftest import ROOT, Local
from testkit import binary


def tour_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Five-minute tour", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", section, re.S | re.M)


def test_the_tour_rehearses_a_migration(tmp_path):
    build, steps = tour_blocks()
    assert "scripts/demo" in build            # building is left to scripts/test
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PATH="%s:%s" % (binary("cogsync-lua").parent, env["PATH"]), TMPDIR=str(tmp_path), HOME=str(tmp_path))
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", steps], capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr

    source = "us-east-1:00000000-0000-4000-8000-000000000001"
    target = "us-east-1:00000000-0000-4000-8000-000000000002"
    assert "dry run: checked 16 records in 8 datasets" in done.stderr
    assert "imported 16 records in 8 datasets" in done.stderr
    report = done.stdout.splitlines()
    assert report[-1] == "2 pools"
    rows = {line.split()[0]: line.split() for line in report if line.startswith("us-east-1:00000000")}
    assert rows[source][1] == rows[target][1] == "8"    # the same eight identities
    assert rows[source][3] == rows[target][3]           # the same bytes stored

    # The state file holds both pools; cogsync-local serves it to boto3.
    (database,) = list(tmp_path.glob("*/rehearsal.db"))
    local = Local(tmp_path, "--data", str(database))
    try:
        for n in range(1, 9):
            identity = "us-east-1:00000000-0000-4000-8000-%012d" % n
            original = {k: r["Value"] for k, r in local.live(source, identity, "settings").items()}
            copied = local.live(target, identity, "settings")
            assert original and {k: r["Value"] for k, r in copied.items()} == original
            assert {r["SyncCount"] for r in copied.values()} == {1}
    finally:
        local.stop()
