"""Shared fixtures of the app's tests: a short run of the app's model, the presets."""

from __future__ import annotations

import pytest

from collab_sim.app import model as app_model
from collab_sim.app import presets


@pytest.fixture(scope="module")
def short_run():
    """The app's model (baseline, seed 0) after 36 months."""
    model = app_model.ClassroomModel(seed=0, draw=False)
    model.run(36)
    return model


@pytest.fixture(scope="module")
def book():
    return presets.load_presets()
