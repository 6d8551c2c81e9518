"""Helpers for the production-behaviour tests: the built binaries, a cogsync-lua runner with a clean environment,
and loopback stand-ins (a scripted HTTP server, a recording forward proxy, a server that never answers, a listener
whose backlog is full, a TLS server with a certificate made at test time)."""

import http.client
import json
import os
import select
import socket
import struct
import subprocess
import threading
import time
import urllib.parse

import pytest

from testkit import ACCESS_KEY, REGION, SECRET, LoopbackServer, QuietHandler, binary

POOL = "us-east-1:00000000-0000-4000-8000-00000000a001"
IDENTITY = "us-east-1:00000000-0000-4000-8000-00000000b001"


class LuaRunner:
    """Runs cogsync-lua scripts with an environment that holds nothing from the machine: a private HOME, no
    shared files, no instance metadata, no proxy; `env` adds to it."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.home = tmp_path / "home"
        self.home.mkdir(exist_ok=True)
        self.count = 0

    def environment(self, **extra):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": str(self.tmp_path / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.tmp_path / "no-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        env.update({k: v for k, v in extra.items() if v is not None})
        return env

    def run(self, source, *args, flags=(), env=None, timeout=180):
        self.count += 1
        script = self.tmp_path / ("script%d.lua" % self.count)
        script.write_text(source)
        return subprocess.run([binary("cogsync-lua"), *flags, str(script), *[str(a) for a in args]],
                              capture_output=True, text=True, env=self.environment(**(env or {})), timeout=timeout)


def lua_string(text):
    """A Lua string literal for `text`."""
    return json.dumps(text)


def client_options(endpoint, key=ACCESS_KEY, secret=SECRET, **extra):
    """The body of a `cognitosync.new{...}` table for an endpoint and a key pair, plus raw Lua fields."""
    fields = ["endpoint = %s" % lua_string(endpoint), "region = %s" % lua_string(REGION),
              "accessKeyId = %s" % lua_string(key), "secretAccessKey = %s" % lua_string(secret)]
    fields += ["%s = %s" % (name, value) for name, value in extra.items()]
    return ", ".join(fields)


class Request:
    def __init__(self, method, path, headers, body, connection):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.connection = connection
        self.time = time.monotonic()

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def signature(self):
        auth = self.header("Authorization") or ""
        return auth.split("Signature=")[-1] if "Signature=" in auth else None


class ScriptedServer:
    """An HTTP/1.1 server on loopback (optionally TLS) whose answer to the n-th request (from 0, in arrival order)
    is `reply(n, request)`: a tuple (status, headers, body), or "close" to drop the connection unanswered."""

    def __init__(self, reply, tls=None):
        self.requests = []
        self.lock = threading.Lock()
        owner = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path, list(self.headers.items()), body, id(self.connection))
                with owner.lock:
                    index = len(owner.requests)
                    owner.requests.append(request)
                answer = reply(index, request)
                if answer == "close":
                    self.close_connection = True
                    self.connection.close()
                    return
                status, headers, text = answer
                data = text.encode() if isinstance(text, str) else text
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = handle_one

        self.loopback = LoopbackServer(Handler, tls)
        self.port, self.url = self.loopback.port, self.loopback.url

    def received(self):
        with self.lock:
            return list(self.requests)

    def stop(self):
        self.loopback.stop()


USAGE_BODY = '{"IdentityPoolUsages":[],"Count":0,"MaxResults":60}'


def json_reply(body=USAGE_BODY):
    return 200, [("Content-Type", "application/json"), ("x-amzn-RequestId", "req-ok")], body


def error_reply(status, code, message="scripted", headers=()):
    return (status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code + ":http://internal/"),
                     ("x-amzn-RequestId", "req-%d" % status)] + list(headers), json.dumps({"message": message}))


class RecordingProxy:
    """A forward proxy on loopback: absolute-form requests are relayed to their origin, CONNECT is tunnelled.
    Records the request line and headers of everything it carries."""

    def __init__(self):
        self.records = []
        self.lock = threading.Lock()
        owner = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with owner.lock:
                    owner.records.append((self.command, self.path, list(self.headers.items())))
                target = urllib.parse.urlsplit(self.path)
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                path = target.path + ("?" + target.query if target.query else "")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
                try:
                    upstream.request(self.command, path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                except (http.client.HTTPException, OSError):
                    # The origin dropped the exchange; the client sees the same.
                    upstream.close()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_DELETE = do_PUT = relay

            def do_CONNECT(self):
                with owner.lock:
                    owner.records.append(("CONNECT", self.path, list(self.headers.items())))
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=30)
                self.send_response(200, "Connection established")
                self.end_headers()
                self.close_connection = True
                sockets = [self.connection, upstream]
                while True:
                    readable, _, _ = select.select(sockets, [], [], 30)
                    if not readable:
                        break
                    done = False
                    for source in readable:
                        data = source.recv(65536)
                        if not data:
                            done = True
                            break
                        (upstream if source is self.connection else self.connection).sendall(data)
                    if done:
                        break
                upstream.close()

        self.loopback = LoopbackServer(Handler)
        self.url = self.loopback.url

    def recorded(self):
        with self.lock:
            return list(self.records)

    def stop(self):
        self.loopback.stop()


class SilentServer:
    """Accepts connections and reads, but never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.accepted = []
        self.running = True
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def stop(self):
        self.running = False
        for conn in self.accepted:
            conn.close()
        # shutdown wakes the thread blocked in accept; close alone would leave the port listening.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def unused_port():
    """A loopback port nothing listens on (bound for a moment, never listened on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FullBacklogListener:
    """A listening socket that never accepts, with its accept queue (backlog 0) filled and checked full: Linux
    drops the SYN of any further connect to a listener whose accept queue is full, so that connect gets no answer
    until it gives up. Linux only (the queue is read with TCP_INFO)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.fillers = []
        while not self.is_full():
            queued = self.accept_queue()[0]
            filler = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            self.fillers.append(filler)
            # The client side of a handshake completes first; the kernel queues the connection on the listener
            # when the final ACK arrives.
            wait_for(lambda: self.accept_queue()[0] > queued, "the accept queue to take a filler connection")

    def accept_queue(self):
        """(connections waiting to be accepted, the queue's limit) as the kernel reports them for a listener."""
        info = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        # struct tcp_info: 8 one-byte fields, then rto, ato, snd_mss, rcv_mss, unacked, sacked; on a listener
        # unacked is the accept queue's length and sacked its limit.
        return struct.unpack_from("=6I", info, 8)[4:6]

    def is_full(self):
        """True when the kernel refuses new handshakes: more queued than the limit (sk_acceptq_is_full)."""
        queued, limit = self.accept_queue()
        return queued > limit

    def stop(self):
        for filler in self.fillers:
            filler.close()
        self.sock.close()


def listen_overflows():
    """How many SYNs the kernel has dropped because an accept queue was full (TcpExt ListenOverflows)."""
    with open("/proc/net/netstat", encoding="ascii") as stats:
        lines = [line.split() for line in stats if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1]))["ListenOverflows"])


def wait_for(condition, what, timeout=30):
    """Returns once `condition()` is true; fails the test naming `what` if it is still false after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("gave up waiting for " + what)
        time.sleep(0.01)


def self_signed_certificate(folder, name="server"):
    """A certificate for 127.0.0.1 signed by its own key, made with the openssl command; returns (cert, key)."""
    cert, key = folder / (name + "-cert.pem"), folder / (name + "-key.pem")
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                        "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail("openssl cannot make a test certificate (scripts/setup installs openssl): %s" % error)
    return str(cert), str(key)
