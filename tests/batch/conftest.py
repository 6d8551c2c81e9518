"""Fixtures for the batch helper tests: endpoints, proxies and the cogsync-lua runner, each stopped after the
test that started it."""

import pytest

from batchkit import LuaRunner, Proxy
from testkit import LocalEndpoint, new_id


@pytest.fixture
def start_endpoint():
    started = []

    def start(*args):
        endpoint = LocalEndpoint(*args)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


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
