"""Careless and hostile peers of the client (issue 16): a customBackoff that answers no delay, and a server whose
response body is far larger than Cognito Sync ever sends (the client must stop reading it and stay small)."""

import os
import socket
import subprocess
import threading

import pytest

from prodkit import client_options, error_reply
from testkit import binary

BACKOFF = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 3, retryMode = "%s",
  retryDelayOptions = { customBackoff = function(retryCount, err) %s end } }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
print(ok, err.code, err.retryable, err.retryCount)
print(err.message)
"""

REFUSALS = [
    ("return -1", "returned -1"),
    ("return 0/0", "returned nan"),
    ('return "10"', 'returned a string ("10")'),
    ("return {}", "returned a table"),
    ("return true", "returned a boolean"),
    ('error("backoff broke", 0)', "failed: backoff broke"),
]


@pytest.mark.parametrize("mode", ["standard", "batch"])
@pytest.mark.parametrize("body, problem", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_custom_backoff_that_answers_no_delay_fails_the_call_saying_what_it_returned(lua, start_server, mode, body,
                                                                                    problem):
    server = start_server(lambda i, r: error_reply(429, "TooManyRequestsException", message="slow down"))
    done = lua.run(BACKOFF % (client_options(server.url), mode, body))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "false\tInvalidParameter\tfalse\t0",
        "retryDelayOptions.customBackoff %s; it must return milliseconds >= 0, or nil to stop retrying "
        "(while retrying TooManyRequestsException: slow down)" % problem]
    assert len(server.received()) == 1


class OversizedServer:
    """Answers every request on loopback with a body far over the client's limit: `announce` sends a 1 GiB
    Content-Length, otherwise the body is chunked with no length at all. Either way it streams until the client hangs
    up (or 2 GiB, so a client that never stops cannot hang the test)."""

    LIMIT = 2 << 30

    def __init__(self, announce):
        self.announce = announce
        self.requests = 0
        self.sent = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.answer(connection)

    def answer(self, connection):
        head = b""
        while b"\r\n\r\n" not in head:
            data = connection.recv(65536)
            if not data:
                return
            head += data
        self.requests += 1
        framing = b"Content-Length: %d\r\n" % (1 << 30) if self.announce else b"Transfer-Encoding: chunked\r\n"
        piece = b"x" * 65536
        chunk = piece if self.announce else b"%x\r\n%s\r\n" % (len(piece), piece)
        try:
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + framing + b"\r\n")
            while self.sent < self.LIMIT:
                connection.sendall(chunk)
                self.sent += len(piece)
        except OSError:
            pass

    def stop(self):
        self.listener.close()


SCRIPT = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s, maxRetries = 2, retryMode = "standard" }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
print(ok, err.code, err.retryable, err.retryCount)
print(err.message)
"""


@pytest.mark.parametrize("announce", [True, False], ids=["content-length-1GiB", "chunked-endless"])
def test_an_oversized_response_is_refused_with_bounded_memory(lua, tmp_path, announce):
    server = OversizedServer(announce)
    try:
        script = tmp_path / "oversized.lua"
        script.write_text(SCRIPT % client_options(server.url))
        with open(tmp_path / "out", "w+") as out, open(tmp_path / "err", "w+") as err:
            process = subprocess.Popen([binary("cogsync-lua"), str(script)], stdout=out, stderr=err,
                                       env=lua.environment())
            # os.wait4 gives this process's own peak memory; the watchdog only ends a client that never stops.
            watchdog = threading.Timer(120, process.kill)
            watchdog.start()
            _, status, usage = os.wait4(process.pid, 0)
            watchdog.cancel()
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
    finally:
        server.stop()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, stderr
    what = "announces a body of more than 16 MiB" if announce else "body passed 16 MiB"
    assert stdout.splitlines() == [
        "false\tResponseTooLarge\tfalse\t0",
        "the response %s, far more than Cognito Sync ever sends; the transfer was stopped (is the endpoint, or a "
        "proxy on the way, not the service?)" % what], stderr
    assert server.requests == 1, "not retried"
    # ru_maxrss is in KiB on Linux: the whole process peaked under 200 MB.
    assert usage.ru_maxrss < 200 * 1024, usage.ru_maxrss
    assert server.sent < 256 << 20, server.sent
