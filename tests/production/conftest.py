"""Fixtures for the production-behaviour tests; everything a test starts is stopped after it."""

import pytest

from prodkit import LuaRunner, RecordingProxy, ScriptedServer
from testkit import LocalEndpoint


@pytest.fixture
def lua(tmp_path):
    return LuaRunner(tmp_path)


@pytest.fixture
def start_local():
    started = []

    def start(*args):
        endpoint = LocalEndpoint(*args)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


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
