"""Fixtures for the production-behaviour tests; everything a test starts is stopped after it."""

import pytest

from prodkit import LuaRunner, RecordingProxy, ScriptedServer
from testkit import start_endpoint  # noqa: F401 (a fixture)


@pytest.fixture
def lua(tmp_path):
    return LuaRunner(tmp_path)


@pytest.fixture
def start_local(start_endpoint):
    return start_endpoint


@pytest.fixture
def start_server():
    started = []

    def start(reply, tls=None):
        server = ScriptedServer(reply, tls=tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def proxy():
    recording = RecordingProxy()
    yield recording
    recording.stop()
