"""Fixtures that run the built cogsync-local binary; each endpoint started in a test is stopped after it."""

import pytest

from testkit import LocalEndpoint, new_id


@pytest.fixture
def start_endpoint():
    """Starts endpoints with the given arguments; every one is stopped at the end of the test."""
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
def client(endpoint):
    return endpoint.client()


@pytest.fixture
def ids():
    """A fresh identity pool id and identity id."""
    return new_id(), new_id()
