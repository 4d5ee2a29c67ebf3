"""The model the app steps: pictures after each step, Reset, headless runs."""

from __future__ import annotations

import dataclasses

import pytest
import solara
from mesa.visualization.solara_viz import _build_model_init_kwargs

from collab_sim.app import charts, settings
from collab_sim.app import model as app_model
from collab_sim.config.schema import ConfigError


def test_pictures_are_drawn_after_each_step_not_when_shown():
    model = app_model.ClassroomModel(seed=0, population="small")
    pictures = model.pictures
    assert pictures.month == 0 and len(pictures.chart_pngs) == len(charts.chart_specs())
    first = (pictures.network_png, list(pictures.chart_pngs))
    model.step()
    assert pictures.month == 1
    assert pictures.network_png != first[0] and pictures.chart_pngs[0] != first[1][0]
    assert all(png[:4] == b"\x89PNG" for png in pictures.chart_pngs)
    headless = app_model.ClassroomModel(seed=0, population="small", draw=False)
    headless.step()
    assert headless.pictures is None


def test_reset_builds_the_model_from_the_session_settings():
    """Mesa's Reset passes the fixed parameter ``session``; the model reads it then."""
    session = solara.reactive(settings.Setup(settings=settings.scenario_settings("baseline")))
    kwargs = _build_model_init_kwargs(
        app_model.ClassroomModel(seed=1, draw=False),
        {"session": session},
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    assert kwargs == {"session": session}  # no Mesa scenario is added
    setup = session.value
    session.set(dataclasses.replace(setup, settings={**setup.settings, "co_credit": 0.4}))
    model = app_model.ClassroomModel(**kwargs, draw=False)
    assert model.config.remedies.co_credit == 0.4
    assert model.settings["co_credit"] == 0.4


def test_run_headless_matches_the_app_model(book):
    preset = book.get("culture_clash")
    frame = app_model.run_headless(preset.settings, 24)
    model = app_model.ClassroomModel(**preset.settings, draw=False)
    model.run(24)
    assert frame.equals(model.datacollector.get_model_vars_dataframe())
    with pytest.raises(ConfigError, match="cannot run"):
        app_model.run_headless({**preset.settings, "seed": "x"}, 3)
