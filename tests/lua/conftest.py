"""Fixtures for the end-to-end tests of `cogsync-lua`: the built binaries, one `cogsync-local` for the session,
a loopback HTTP server that records requests and answers what a test tells it, and `run_lua`.

Most assertions live in the Lua scripts themselves (`assert`), so a failing script exits 1 and its stderr,
which names the failed assertion, is part of the pytest failure.
"""

import json
import os
import socket
import subprocess
import threading
import time

import pytest

from testkit import ACCESS_KEY, SECRET, LocalEndpoint, LoopbackServer, QuietHandler, binary, new_id

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# Prepended to scripts run with prelude=True. Kept on one line so script line numbers move by one only.
PRELUDE = (
    'local cognitosync = require("cognitosync"); '
    'POOL, ID, ID2 = os.getenv("TEST_POOL"), os.getenv("TEST_IDENTITY"), os.getenv("TEST_IDENTITY2"); '
    "local cs = cognitosync.new(); "
    "function expect_error(f, ...) local ok, e = pcall(f, ...); "
    'assert(not ok, "expected an error, the call succeeded"); return e end; '
    "function check_error(e, code, path) "
    'assert(type(e) == "table", "error is not a table: " .. tostring(e)); '
    'assert(e.code == code, ("expected code %s, got %s"):format(code, tostring(e))); '
    'if path ~= nil then assert(e.path == path, ("expected path %s, got %s"):format(path, tostring(e.path))) end; '
    "return e end\n"
)


@pytest.fixture(scope="session")
def lua_bin():
    return str(binary("cogsync-lua"))


@pytest.fixture(scope="session")
def local_endpoint():
    """One cogsync-local for the session; bulk publishes finish in 0.2 s so their tests stay short."""
    endpoint = LocalEndpoint("--bulk-publish-seconds", "0.2")
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ids():
    """A fresh identity pool id and two identity ids, so tests sharing one endpoint never see each other."""
    return {"TEST_POOL": new_id(), "TEST_IDENTITY": new_id(), "TEST_IDENTITY2": new_id("eu-west-1")}


@pytest.fixture
def base_env(local_endpoint, tmp_path, ids):
    """An environment with no ambient AWS, Lua or proxy settings: HOME and the shared files point into tmp_path,
    and the AWS variables point at the session's cogsync-local."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AWS_", "LUA_")) and not key.lower().endswith("_proxy")}
    env.update({
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "AWS_ENDPOINT_URL": local_endpoint.url,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    env.update(ids)
    return env


@pytest.fixture
def run_lua(lua_bin, base_env, tmp_path):
    """run_lua(script_text, *args, env=None, stdin=None, flags=(), prelude=True, name="script.lua", cwd=None,
    timeout=60) -> (exit code, stdout, stderr).

    The script is written to tmp_path/name and run as `cogsync-lua [flags] script [args]`. `env` overrides
    base_env; a value of None removes the variable. With prelude=True the script starts with PRELUDE (the
    `cognitosync` local, a default client `cs`, the ids POOL, ID, ID2 and the helpers expect_error and
    check_error). script_text=None runs `cogsync-lua [flags] [args]` with no script file.
    """

    def run(script_text, *args, env=None, stdin=None, flags=(), prelude=True, name="script.lua", cwd=None,
            timeout=60):
        full_env = dict(base_env)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        command = [lua_bin, *flags]
        if script_text is not None:
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text((PRELUDE if prelude else "") + script_text)
            command.append(str(path))
        command.extend(args)
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, errors="replace", env=full_env,
                              cwd=cwd or str(tmp_path), timeout=timeout)
        return done.returncode, done.stdout, done.stderr

    return run


class RecordedRequest:
    def __init__(self, method, path, headers, body, when):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.when = when

    def json(self):
        return json.loads(self.body) if self.body else None


class Recorder:
    """A loopback HTTP/1.1 server that records every request and answers with `respond(request)`, a function
    returning (status, headers dict, body bytes or str), or None to drop the connection without an answer.
    The default answers 200 with `{}`."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.respond = lambda request: (200, {"Content-Type": "application/json"}, "{}")
        recorder = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = RecordedRequest(self.command, self.path, dict(self.headers.items()), body, time.monotonic())
                with recorder.lock:
                    recorder.requests.append(request)
                answer = recorder.respond(request)
                if answer is None:
                    # Drop the connection without answering.
                    self.close_connection = True
                    return
                status, headers, payload = answer
                if isinstance(payload, str):
                    payload = payload.encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = do_PUT = do_CONNECT = _handle

        self.loopback = LoopbackServer(Handler)
        self.url = self.loopback.url

    def answer(self, status, body="", headers=None):
        """Answer every request with this status, body and headers."""
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        self.respond = lambda request: (status, all_headers, body)

    def count(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.loopback.stop()


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.close()


@pytest.fixture
def dead_url():
    """An http URL on loopback where nothing listens (a port bound and closed again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
