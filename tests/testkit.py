"""What every end-to-end suite needs: the built binaries, a cogsync-local process on a free loopback port, a boto3
client for it, and fresh ids."""

import http.client
import os
import signal
import ssl
import subprocess
import tempfile
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parents[1]
ACCESS_KEY = "AKIDLOCAL"
SECRET = "cogsync-local-secret"
REGION = "us-east-1"


def binary(name):
    """The built binary `name`: from COGSYNC_BIN_DIR (scripts/test sets it), else the debug build."""
    folders = [Path(os.environ["COGSYNC_BIN_DIR"])] if os.environ.get("COGSYNC_BIN_DIR") else []
    folders += [REPO / ".build" / "debug", REPO / ".build-local" / "debug"]
    for folder in folders:
        path = folder / name
        if path.is_file() and os.access(path, os.X_OK):
            return path.resolve()
    pytest.fail("%s is not built (looked in %s)" % (name, ", ".join(str(f) for f in folders)))


def new_id(region=REGION):
    return "%s:%s" % (region, uuid.uuid4())


def boto_client(url, key=ACCESS_KEY, secret=SECRET, attempts=1, validate=True, service="cognito-sync", **config):
    """A boto3 client of `service` (cognito-sync, cognito-identity) for `url` that makes `attempts` attempts per
    call (1: every error is seen)."""
    config.setdefault("retries", {"total_max_attempts": attempts, "mode": "standard"})
    return boto3.client(service, endpoint_url=url, region_name=REGION, aws_access_key_id=key,
                        aws_secret_access_key=secret, config=Config(parameter_validation=validate, **config))


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing."""

    def log_message(self, *args):
        pass


class LoopbackServer:
    """A threaded HTTP server (`server_class`) for `handler` on a free loopback port, with TLS when `tls` is a
    (certificate file, key file) pair, serving until stop()."""

    def __init__(self, handler, tls=None, server_class=ThreadingHTTPServer):
        self.server = server_class(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class LocalEndpoint:
    """One cogsync-local process (`--port 0` plus `args`); its stderr goes to a file read only on failure."""

    def __init__(self, *args):
        self.args = list(args)
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen([str(binary("cogsync-local")), "--port", "0", *self.args],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            self.process.wait()
            self.log.seek(0)
            raise RuntimeError("cogsync-local did not start: %r %s" % (self.url, self.log.read()))
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port = parsed.hostname, parsed.port

    def client(self, key=ACCESS_KEY, secret=SECRET, attempts=1, validate=True, service="cognito-sync", **config):
        return boto_client(self.url, key, secret, attempts, validate, service, **config)

    def stop(self, sig=signal.SIGTERM):
        """Stops the process with `sig` (killing it if it does not end) and returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.log.close()
        return self.process.returncode

    def raw(self, method, path, body=b"", headers=None, sign=True, key=ACCESS_KEY, secret=SECRET,
            service="cognito-sync"):
        """Sends one request exactly as given (path unnormalised), signed for `service` unless `sign` is false, and
        returns (status, headers, body)."""
        headers = dict(headers or {})
        if sign:
            request = AWSRequest(method=method, url=self.url + path, data=body, headers=headers)
            SigV4Auth(Credentials(key, secret), service, REGION).add_auth(request)
            headers = dict(request.headers.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


@pytest.fixture
def start_endpoint():
    """Starts cogsync-local processes (arguments as for LocalEndpoint); every one is stopped after the test."""
    started = []

    def start(*args):
        endpoint = LocalEndpoint(*args)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()
