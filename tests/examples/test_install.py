"""scripts/install puts the binaries on PATH and the annotations and examples beside them.

The release build itself is slow, so the test installs the binaries under test (--from); the build step is the
same `swift build` that scripts/test runs, with -c release."""

import os
import re
import subprocess

from conftest import ROOT
from testkit import binary


def install(*args):
    return subprocess.run([str(ROOT / "scripts" / "install"), *args], capture_output=True, text=True, timeout=120)


def test_install_into_a_prefix_and_run_from_path(tmp_path):
    prefix = tmp_path / "prefix"
    done = install("--from", str(binary("cogsync-lua").parent), str(prefix))
    assert done.returncode == 0, done.stderr
    assert re.match(r"^cogsync-lua \d+\.\d+\.\d+ \(Lua 5\.4\.\d+, libcurl \d+\.\d+\.\d+\)$", done.stdout.strip())
    assert "add %s/bin to PATH" % prefix in done.stderr
    for name in ("cogsync-lua", "cogsync-local"):
        assert os.access(prefix / "bin" / name, os.X_OK)
    share = prefix / "share" / "cogsync-lua"
    for name in ("cognitosync.lua", "cognitosync-api.lua", "cognitoidentity.lua"):
        assert (share / "types" / name).read_text() == (ROOT / "types" / name).read_text()
    assert (share / "examples" / "lib" / "args.lua").is_file()

    env = dict(os.environ, PATH="%s:%s" % (prefix / "bin", os.environ["PATH"]), HOME=str(tmp_path))
    version = subprocess.run(["cogsync-lua", "--version"], capture_output=True, text=True, env=env)
    assert version.stdout == done.stdout
    # An installed example runs from anywhere: its lib/ modules are found beside it.
    report = subprocess.run(["cogsync-lua", "--local", str(share / "examples" / "pools-report.lua")],
                            capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60)
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[-1] == "0 pools"


def test_install_refuses_bad_arguments(tmp_path):
    assert install("--bogus").returncode == 2
    assert install("a", "b").returncode == 2
    missing = install("--from", str(tmp_path), str(tmp_path / "p"))
    assert missing.returncode == 1 and "cogsync-lua not found" in missing.stderr
    assert install("--help").stdout.startswith("Builds cogsync-lua and cogsync-local for release")
