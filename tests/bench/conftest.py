"""Fixtures for the benchmark helpers' tests: each cogsync-local started in a test is stopped after it."""

from testkit import start_endpoint  # noqa: F401 (a fixture)
