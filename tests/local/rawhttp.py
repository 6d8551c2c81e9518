"""Raw HTTP against cogsync-local: signed request heads written by hand, and the process's memory and CPU."""

import os
import socket

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from testkit import ACCESS_KEY, REGION, SECRET


def signed_head(endpoint, method, path, body=b"", extra=None, content_length=None):
    """The bytes of a request head signed by botocore for `body` (not included); `content_length` overrides the
    declared length, `extra` adds unsigned headers."""
    request = AWSRequest(method=method, url=endpoint.url + path, data=body)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET), "cognito-sync", REGION).add_auth(request)
    headers = dict(request.headers.items())
    headers["Host"] = "%s:%d" % (endpoint.host, endpoint.port)
    headers["Content-Length"] = str(len(body) if content_length is None else content_length)
    headers.update(extra or {})
    head = "%s %s HTTP/1.1\r\n" % (method, path) + "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
    return head.encode()


def connect(endpoint, timeout=10):
    return socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)


def read_response_head(sock):
    """Reads up to the end of one response head and returns it (lower-cased), or what came before the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.lower()


def read_until_closed(sock):
    """Everything the peer sends until it closes the connection (a reset counts as a close)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def cpu_seconds(pid):
    """User plus system CPU time the process has used."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
