"""Runs cogsync-lua scripts against cogsync-local, with boto3 as the independent client and a small HTTP proxy
that counts what actually goes over the wire."""

import http.client
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer
from pathlib import Path

from testkit import ACCESS_KEY, REGION, REPO, SECRET, LoopbackServer, QuietHandler, binary

LUA_DIR = Path(__file__).resolve().parent / "lua"
MARK = "@@"
ANY = object()


def _operation_patterns():
    model = json.loads((REPO / "models" / "cognito-sync-2014-06-30.service.json").read_text())
    patterns = []
    for name, operation in model["operations"].items():
        uri = operation["http"]["requestUri"]
        regex = "^" + re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", re.escape(uri)) + "$"
        patterns.append((operation["http"]["method"], re.compile(regex), name))
    return patterns


OPERATIONS = _operation_patterns()


def operation_of(method, target, amz_target=None):
    """The operation name of a request: Cognito Identity's from its X-Amz-Target header, Cognito Sync's from the
    request line and the routes in the service model."""
    if amz_target:
        return amz_target.rpartition(".")[2]
    path = urllib.parse.urlsplit(target).path
    for verb, regex, name in OPERATIONS:
        if verb == method and regex.match(path):
            return name
    return "%s %s" % (method, path)


class Exchange:
    """One request the proxy forwarded, when it arrived, the access key that signed it, and the status it answered
    (None: the upstream dropped it)."""

    def __init__(self, method, target, body, status, arrived=None, key=None, amz_target=None):
        self.method, self.target, self.body, self.status = method, target, body, status
        self.arrived, self.key = arrived, key
        self.operation = operation_of(method, target, amz_target)

    def __repr__(self):
        return "<%s %s -> %s>" % (self.operation, self.target, self.status)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"
    HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}

    def do_GET(self):
        self.server.proxy.forward(self)

    do_POST = do_DELETE = do_PUT = do_GET


class Proxy:
    """A forwarding HTTP/1.1 proxy on loopback. Records every exchange and the peak number of requests in progress
    at once (a request stops counting before its answer is sent back, so the count never exceeds what the client has
    in flight), and can hold each request for `delay` seconds, until a number of them have gathered (`gather`), or
    run `before(method, target, body)` before forwarding it."""

    def __init__(self, upstream_url, delay=0.0, before=None):
        parsed = urllib.parse.urlsplit(upstream_url)
        self.upstream = (parsed.hostname, parsed.port)
        self.delay, self.before = delay, before
        self.lock = threading.Lock()
        self.exchanges = []
        self.in_flight = self.peak = 0
        self.gathering, self.gathered = 0, threading.Event()
        self.gathered.set()
        self.loopback = LoopbackServer(_Handler, server_class=_Server)
        self.loopback.server.proxy = self
        self.url = self.loopback.url

    def stop(self):
        self.gathered.set()
        self.loopback.stop()

    def gather(self, count):
        """Holds requests from now on until `count` are in progress at once, then lets every request through: the
        peak reaches `count` whenever the client can have that many on the wire, however slowly it sends them."""
        with self.lock:
            self.peak = 0
            self.gathering = count
            self.gathered.clear()

    def forward(self, handler):
        arrived = time.monotonic()
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if self.in_flight >= self.gathering:
                self.gathered.set()
        counted = True

        def done():
            nonlocal counted
            if counted:
                counted = False
                with self.lock:
                    self.in_flight -= 1

        try:
            # A client that never gets that many on the wire is let through after a while, and its peak tells.
            self.gathered.wait(30)
            if self.delay:
                time.sleep(self.delay)
            if self.before:
                self.before(handler.command, handler.path, body)
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in _Handler.HOP_BY_HOP}
            # A new upstream connection per request: a failure then always means the endpoint dropped this
            # request, never that a kept-alive connection had gone stale.
            upstream = http.client.HTTPConnection(*self.upstream, timeout=30)
            try:
                upstream.request(handler.command, handler.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                # The endpoint dropped the request (a `lost` or `reset` fault): drop ours the same way.
                self._record(handler, body, None, arrived)
                handler.close_connection = True
                return
            finally:
                upstream.close()
            self._record(handler, body, response.status, arrived)
            done()
            handler.send_response_only(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _Handler.HOP_BY_HOP and key.lower() != "content-length":
                    handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            handler.wfile.flush()
        finally:
            done()

    def _record(self, handler, body, status, arrived):
        key = re.search(r"Credential=([^/]+)/", handler.headers.get("Authorization") or "")
        with self.lock:
            self.exchanges.append(Exchange(handler.command, handler.path, body, status, arrived,
                                           key.group(1) if key else None, handler.headers.get("X-Amz-Target")))

    def count(self, operation=None, status=ANY):
        """Exchanges of `operation` (any when None) that answered `status` (None: dropped unanswered)."""
        with self.lock:
            return sum(1 for e in self.exchanges
                       if (operation is None or e.operation == operation) and (status is ANY or e.status == status))

    def operations(self):
        with self.lock:
            return sorted({e.operation for e in self.exchanges})


class Run:
    """The outcome of one cogsync-lua run: exit status, output, and the values the script emitted."""

    def __init__(self, done):
        self.returncode, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr
        self.values = {}
        self.lines = []
        for line in done.stdout.splitlines():
            if line.startswith(MARK):
                name, _, payload = line[len(MARK):].partition(" ")
                self.values[name] = json.loads(payload)
            else:
                self.lines.append(line)

    def __getitem__(self, name):
        return self.values[name]

    def __repr__(self):
        return "<exit %d\nstdout:\n%s\nstderr:\n%s>" % (self.returncode, self.stdout, self.stderr)


class LuaRunner:
    """Runs script text with cogsync-lua pointed at an endpoint through the environment, with an empty HOME and
    no other AWS settings. `emit(name, value)` (from the `testout` module) sends a value back as JSON."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.home = self.folder / "home"
        self.home.mkdir(exist_ok=True)
        self.scripts = 0

    def env(self, url):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("LUA_")}
        env.update(HOME=str(self.home), AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID=ACCESS_KEY,
                   AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION=REGION, LUA_PATH="%s/?.lua;;" % LUA_DIR)
        return env

    def __call__(self, url, source, *flags, args=(), timeout=90, stderr=subprocess.PIPE, env=None):
        self.scripts += 1
        script = self.folder / ("script%d.lua" % self.scripts)
        script.write_text("local emit = require('testout').emit\n" + source)
        done = subprocess.run([str(binary("cogsync-lua")), *flags, str(script), *args],
                              env=dict(self.env(url), **(env or {})),
                              stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=timeout)
        return Run(done)


def list_records(client, pool, identity, dataset):
    """Every record of a dataset, following NextToken; returns (records by key, last page)."""
    records, token = {}, None
    while True:
        extra = {"NextToken": token} if token else {}
        page = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset, **extra)
        for record in page["Records"]:
            assert record["Key"] not in records, "record %s listed twice" % record["Key"]
            records[record["Key"]] = record
        token = page.get("NextToken")
        if not token:
            return records, page


def write(client, pool, identity, dataset, values):
    """Writes key -> value with the current sync counts (boto3); returns the UpdateRecords response."""
    current, page = list_records(client, pool, identity, dataset)
    patches = [{"Op": "replace", "Key": k, "Value": v, "SyncCount": current[k]["SyncCount"] if k in current else 0}
               for k, v in values.items()]
    return client.update_records(IdentityPoolId=pool, IdentityId=identity, DatasetName=dataset,
                                 SyncSessionToken=page["SyncSessionToken"], RecordPatches=patches)


def lua_string(value):
    return json.dumps(value)


class STSStandIn:
    """AssumeRole on loopback. `answer(n)` (n counts the requests from 0) gives the credentials of the n-th answer as
    (access key, secret, session token, expiration datetime), or None for a 504; it may block, which makes a slow
    STS. Records when each request arrived and when its answer went back."""

    def __init__(self, answer):
        self.calls = []
        self.arrivals = []
        sts = self

        class Handler(QuietHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                started = time.monotonic()
                sts.arrivals.append(started)
                credentials = answer(len(sts.arrivals) - 1)
                if credentials is None:
                    self.send_error(504, "the stand-in gave no credentials")
                    return
                key, secret, token, expiration = credentials
                body = ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId>"
                        "<SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken>"
                        "<Expiration>%s</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"
                        % (key, secret, token, expiration.strftime("%Y-%m-%dT%H:%M:%SZ"))).encode()
                sts.calls.append((started, time.monotonic()))
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.loopback = LoopbackServer(Handler)
        self.url = self.loopback.url

    def stop(self):
        self.loopback.stop()
