"""Shared fixtures: small, fast configurations and cached baseline runs."""

from __future__ import annotations

import functools

import pytest

import collab_sim


@functools.cache
def cached_run(**overrides):
    """Run once per distinct set of overrides in this test session."""
    return collab_sim.run(collab_sim.make_config(overrides))


@pytest.fixture(scope="session")
def baseline():
    """The baseline scenario, seed 0, 240 months."""
    return cached_run(seed=0)


# ----------------------------------------------------------------------- test tiers
# `make test` runs everything; `make test-fast` leaves out the markers below (see
# pyproject.toml's markers). Marked here by file and test name, so a test keeps its tier
# when its file moves between folders; `slow` is marked on each test in its module.
TIER_FILES = {"test_launchers.py": "launcher", "test_guides.py": "guide"}


def pytest_collection_modifyitems(config, items):
    """Mark the launcher and guide tests by file, the browser tests by name."""
    for item in items:
        name = item.path.name
        if name in TIER_FILES:
            item.add_marker(TIER_FILES[name])
        if "browser" in item.name:  # tests/app/test_page.py's *_in_browser tests
            item.add_marker("browser")
