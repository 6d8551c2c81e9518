"""The LuaCATS annotations in types/ are valid Lua and cover the whole API: every operation, module function,
client method, task and progress method, client option and error code.

lua-language-server is in neither Debian nor PyPI, so the check is structural: each file is compiled with
luac5.4 -p (one file per run), and the names are compared with what the running module and the sources hold."""

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from testkit import binary

TYPES = [ROOT / "types" / "cognitosync.lua", ROOT / "types" / "cognitosync-api.lua", ROOT / "types" / "cognitoidentity.lua"]


def annotations():
    return "\n".join(path.read_text(encoding="utf-8") for path in TYPES)


def lua(code):
    done = subprocess.run([str(binary("cogsync-lua")), "-e", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def class_block(text, name):
    """The annotation lines of a class, from every ---@class block of that name (classes merge across files)."""
    blocks = re.findall(r"^---@class %s(?:[ :].*)?\n((?:---.*\n)*)" % re.escape(name), text, re.M)
    assert blocks, "no class " + name
    return "".join(blocks)


@pytest.mark.parametrize("path", TYPES, ids=lambda p: p.name)
def test_annotation_files_compile(path):
    luac = shutil.which("luac5.4") or shutil.which("luac")
    assert luac, "luac5.4 is needed (Debian package lua5.4)"
    done = subprocess.run([luac, "-p", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8").startswith("---@meta")


def test_every_operation_has_a_method_with_typed_params_and_result():
    model = json.loads((ROOT / "models" / "cognito-sync-2014-06-30.service.json").read_text())
    text = annotations()
    for name, operation in model["operations"].items():
        method = name[0].lower() + name[1:]
        assert re.search(r"---@param params cognitosync\.%s\n---@return \S+\nfunction Client:%s\(params\) end"
                         % (operation["input"]["shape"], method), text), method
    assert sorted(lua('for _, op in ipairs(require("cognitosync").operations) do print(op) end')) == sorted(
        n[0].lower() + n[1:] for n in model["operations"])


def test_every_cognito_identity_operation_and_module_field_is_declared():
    model = json.loads((ROOT / "models" / "cognito-identity-2014-06-30.service.json").read_text())
    text = (ROOT / "types" / "cognitoidentity.lua").read_text(encoding="utf-8")
    for name, operation in model["operations"].items():
        method = name[0].lower() + name[1:]
        assert re.search(r"---@param params cognitoidentity\.%s\n---@return \S+\nfunction Client:%s\(params\) end"
                         % (operation["input"]["shape"], method), text), method
    assert sorted(lua('for _, op in ipairs(require("cognitoidentity").operations) do print(op) end')) == sorted(
        n[0].lower() + n[1:] for n in model["operations"])
    module_fields = class_block(text, "cognitoidentity")
    for name in lua('for k in pairs(require("cognitoidentity")) do print(k) end'):
        declared = re.search(r"^function cognitoidentity\.%s\(" % re.escape(name), text, re.M) or \
            re.search(r"^---@field %s " % re.escape(name), module_fields, re.M)
        assert declared, "cognitoidentity.%s is not annotated" % name
    # Its client has every method a cognitosync client has, bar the Cognito Sync helpers; the class inherits them.
    assert "---@class cognitoidentity.Client: cognitosync.Client" in text
    generic = set(lua('for k in pairs(require("cognitoidentity").Client) do if not k:find("^__") then print(k) end end'))
    assert {"pages", "items", "on", "makeRequest", "makeUnauthenticatedRequest", "listIdentities"} <= generic
    assert not {"patchRecords", "waitFor"} & generic


def test_every_module_function_and_field_is_declared():
    text = annotations()
    names = lua('for k in pairs(require("cognitosync")) do print(k) end')
    assert len(names) >= 10
    module_fields = class_block(text, "cognitosync")
    for name in names:
        declared = re.search(r"^function cognitosync\.%s\(" % re.escape(name), text, re.M) or \
            re.search(r"^---@field %s " % re.escape(name), module_fields, re.M)
        assert declared, "cognitosync.%s is not annotated" % name


def test_every_client_task_and_progress_method_is_declared():
    text = annotations()
    client = lua('for k, v in pairs(require("cognitosync").Client) do if not k:find("^__") then print(k) end end')
    assert {"pages", "items", "patchRecords", "waitFor", "makeRequest", "listRecords"} <= set(client)
    for name in client:
        assert re.search(r"^function Client:%s\(" % name, text, re.M), "Client:%s is not annotated" % name
    task = lua('local c = require("cognitosync") for k in pairs(getmetatable(c.spawn(function() end))) do '
               'if not k:find("^__") then print(k) end end')
    progress = lua('local c = require("cognitosync") for k in pairs(getmetatable(c.progress("x", 1)).__index) do '
                   'if not k:find("^__") then print(k) end end')
    assert sorted(task) == ["cancel", "wait"] and sorted(progress) == ["finish", "update"]
    for name in task:
        assert re.search(r"^function Task:%s\(" % name, text, re.M)
    for name in progress:
        assert re.search(r"^function Progress:%s\(" % name, text, re.M)
    assert "---@field status " in class_block(text, "cognitosync.Task")


def test_every_client_option_is_declared():
    source = (ROOT / "Sources" / "CognitoSyncLua" / "LuaClientOptions.swift").read_text()
    known = re.search(r"static let known = \[(.*?)\]", source, re.S).group(1)
    options = re.findall(r'"(\w+)"', known)
    assert len(options) >= 20
    fields = re.findall(r"^---@field (\w+)\?", class_block(annotations(), "cognitosync.Options"), re.M)
    assert sorted(fields) == sorted(options)
    # Every option is documented in the reference too.
    reference = (ROOT / "docs" / "lua-api.md").read_text()
    for option in options:
        assert "`%s`" % option in reference, option


def test_every_error_code_is_declared_and_documented():
    text = annotations()
    declared = set(re.findall(r'^---\| "(\w+)"', text, re.M))
    service = {e["shape"] for file in ("cognito-sync-2014-06-30.service.json", "cognito-identity-2014-06-30.service.json")
               for op in json.loads((ROOT / "models" / file).read_text())["operations"].values()
               for e in op.get("errors", [])}
    sources = "\n".join(p.read_text() for folder in ("CognitoSync", "CognitoSyncLua")
                        for p in (ROOT / "Sources" / folder).rglob("*.swift") if "Generated" not in p.parts)
    # The documented client-side codes, and any other `code: "Name"` the sources set.
    client = {"MissingRequiredParameter", "UnexpectedParameter", "InvalidParameterType", "MinLengthError",
              "MaxLengthError", "MinRangeError", "MaxRangeError", "PatternMatchError", "EnumError",
              "UriParameterError", "InvalidHeaderValue", "UnknownOperation", "InvalidParameter", "ConfigError",
              "CredentialsError", "NetworkingError", "TimeoutError", "InvalidResponse", "WaiterFailed",
              "ResourceNotReady", "Cancelled", "TooManyErrors", "ReentrantCall"}
    client |= set(re.findall(r'\bcode: "([A-Z][A-Za-z]+)"', sources))
    assert service <= declared and client <= declared, (service | client) - declared
    reference = (ROOT / "docs" / "lua-api.md").read_text()
    for code in service | client | {"Http<status>"}:
        assert "`%s`" % code in reference, code
    for field in ("code", "message", "statusCode", "retryable", "requestId", "operation", "retryCount", "path"):
        assert re.search(r"^---@field %s\?? " % field, class_block(text, "cognitosync.Error"), re.M), field
