"""Every ```lua block of docs/lua-api.md and README.md runs against cogsync-local, after the documented preamble."""

import json
import re
import subprocess

import pytest

from conftest import ROOT, Local
from testkit import binary, new_id

DOCUMENTS = ["docs/lua-api.md", "README.md"]

PREAMBLE = """local cognitosync = require("cognitosync")
local cs = cognitosync.new{{}}
local pool = "{pool}"
local id = "{id}"
local identities = {{ "{a}", "{b}", "{c}" }}
local slow_url = "{slow}"
local throttled_url = "{throttled}"
local broken_url = "{broken}"
"""


def blocks(document):
    """(line number, source) of every ```lua block."""
    text = (ROOT / document).read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```lua\n(.*?)^```$", text, re.S | re.M):
        found.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


ALL_BLOCKS = [(doc, line, code) for doc in DOCUMENTS for line, code in blocks(doc)]


def test_the_documents_have_lua_examples():
    per_document = {doc: sum(1 for d, _, _ in ALL_BLOCKS if d == doc) for doc in DOCUMENTS}
    assert per_document["docs/lua-api.md"] >= 40
    assert per_document["README.md"] >= 1


def test_the_preamble_is_the_documented_one():
    """The preamble the doc shows (a ```text block) names the same variables, in order, as the one run here."""
    text = (ROOT / "docs/lua-api.md").read_text(encoding="utf-8")
    shown = re.search(r"^```text\n(local cognitosync.*?)^```$", text, re.S | re.M).group(1)
    names = lambda source: re.findall(r"^local (\w+) =", source, re.M)
    assert names(shown) == names(PREAMBLE)


def test_every_function_operation_and_error_code_is_used_in_an_example():
    """The examples exercise the whole API: names are looked for in the code of the reference's lua blocks."""
    code = "\n".join(source for doc, _, source in ALL_BLOCKS if doc == "docs/lua-api.md")
    model = json.loads((ROOT / "models" / "cognito-sync-2014-06-30.service.json").read_text())
    for operation in model["operations"]:
        assert re.search(r"\b%s%s\b" % (operation[0].lower(), operation[1:]), code), operation
    for name in ("new", "spawn", "sleep", "map", "progress", "stats", "describe", "operations", "_VERSION", "Client",
                 "config", "configure"):
        assert "cognitosync.%s" % name in code, name
    for method in ("makeRequest", "makeUnauthenticatedRequest", "on", "pages", "items", "patchRecords", "waitFor",
                   "wait", "cancel", "update", "finish"):
        assert re.search(r":%s\b|\.%s\b" % (method, method), code), method
    never_local = {"NotAuthorizedException", "ConcurrentModificationException", "InvalidLambdaFunctionOutputException",
                   "LambdaThrottledException"}
    service = {e["shape"] for op in model["operations"].values() for e in op.get("errors", [])} - never_local
    client = {"MissingRequiredParameter", "UnexpectedParameter", "InvalidParameterType", "MinLengthError",
              "MaxLengthError", "MinRangeError", "MaxRangeError", "PatternMatchError", "EnumError",
              "UriParameterError", "InvalidHeaderValue", "UnknownOperation", "InvalidParameter", "ConfigError",
              "CredentialsError", "NetworkingError", "TimeoutError", "InvalidResponse", "Http", "WaiterFailed",
              "ResourceNotReady", "InvalidSignatureException", "UnrecognizedClientException", "Cancelled",
              "ReentrantCall"}
    for code_name in service | client:
        assert '"%s' % code_name in code, code_name


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    (home / ".aws").mkdir()
    (home / ".aws" / "config").write_text("[profile rehearsal]\naws_access_key_id = AKIDLOCAL\n"
                                          "aws_secret_access_key = cogsync-local-secret\n")
    # A bulk publish lasts long enough for the blocks that find one running to do so on a loaded machine.
    started = {"main": Local(home, "--bulk-publish-seconds", "2"), "slow": Local(home, "--fault", "latency=2s"),
               "throttled": Local(home, "--fault", "throttle=1"), "broken": Local(home, "--fault", "error=1")}
    yield started
    for endpoint in started.values():
        endpoint.stop()


@pytest.mark.parametrize("document,line,code", ALL_BLOCKS, ids=["%s:%d" % (d, n) for d, n, _ in ALL_BLOCKS])
def test_block_runs(endpoints, tmp_path, document, line, code):
    preamble = PREAMBLE.format(pool=new_id(), id=new_id(), a=new_id(), b=new_id(), c=new_id(),
                               slow=endpoints["slow"].url, throttled=endpoints["throttled"].url,
                               broken=endpoints["broken"].url)
    script = tmp_path / "block.lua"
    # The block's own line numbers stay right in error messages: the preamble shares one line.
    script.write_text(preamble.replace("\n", " ") + "\n" + code, encoding="utf-8")
    done = subprocess.run([str(binary("cogsync-lua")), str(script)], capture_output=True, text=True, timeout=60,
                          env=endpoints["main"].env(), cwd=str(tmp_path))
    assert done.returncode == 0, "%s:%d failed (line N of block.lua is line %d+N of the document):\n%s%s" % (
        document, line, line - 1, done.stdout, done.stderr)
