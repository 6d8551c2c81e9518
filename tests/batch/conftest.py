"""Fixtures for the batch helper tests: endpoints, proxies and the cogsync-lua runner, each stopped after the
test that started it."""

import pytest

from batchkit import LuaRunner, Proxy
from testkit import new_id, start_endpoint  # noqa: F401 (start_endpoint is a fixture)


@pytest.fixture
def endpoint(start_endpoint):
    return start_endpoint()


@pytest.fixture
def start_proxy():
    started = []

    def start(upstream_url, **options):
        proxy = Proxy(upstream_url, **options)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.stop()


@pytest.fixture
def lua(tmp_path):
    return LuaRunner(tmp_path)


@pytest.fixture
def pool():
    return new_id()
