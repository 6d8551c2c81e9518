"""Fixtures that run the built cogsync-local binary; each endpoint started in a test is stopped after it."""

import pytest

from testkit import new_id, start_endpoint  # noqa: F401 (start_endpoint is a fixture)


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
