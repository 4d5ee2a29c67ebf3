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
