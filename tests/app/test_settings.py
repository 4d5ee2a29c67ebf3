"""The app's settings: config overrides, one-line errors, scenarios, Mesa inputs."""

from __future__ import annotations

import pytest

from collab_sim.app import model as app_model
from collab_sim.app import settings as app_settings
from collab_sim.config.schema import ConfigError


def test_settings_become_config_overrides():
    over = app_settings.settings_overrides(
        {"seed": " 7 ", "trust": "reputation", "cultural_mismatch": 0.9, "co_credit": None}
    )
    assert over == {
        "steps": app_settings.APP_MONTHS,
        "seed": 7,
        "trust": "reputation",
        "bottlenecks.cultural_mismatch": 0.9,
    }
    with pytest.raises(ConfigError, match="seed"):
        app_settings.settings_overrides({"seed": "abc"})
    with pytest.raises(ConfigError, match="not an app setting"):
        app_settings.settings_overrides({"steps": 3})


def test_bad_settings_give_one_line_and_the_baseline():
    cfg, message = app_settings.build_config({"seed": "-1"})
    assert cfg.seed == 0 and cfg.scenario_name == "baseline"
    assert message is not None and "\n" not in message and "seed" in message
    model = app_model.ClassroomModel(seed=2, cultural_mismatch=1.5, draw=False)
    assert model.app_message is not None and "bottlenecks.cultural_mismatch" in model.app_message
    assert model.config.bottlenecks.cultural_mismatch == 0.5  # the baseline runs instead
    ok = app_model.ClassroomModel(seed="3", power_imbalance=0.2, funding="microgrants", draw=False)
    assert ok.app_message is None
    assert (ok.config.seed, ok.config.funding.rule) == (3, "microgrants")
    assert ok.config.bottlenecks.power_imbalance == 0.2


def test_scenarios_load_their_settings_and_notes():
    s = app_settings.scenario_settings("high_cultural_mismatch")
    assert s["cultural_mismatch"] == 1.0 and s["policy_scenario"] == "high_cultural_mismatch"
    assert app_settings.scenario_settings("microgrants")["funding"] == "microgrants"
    note = app_settings.scenario_note("co_credit")
    assert note.startswith("Co-branded credit") and "@package" not in note


def test_control_params_start_at_the_settings_and_build_that_model():
    settings = {**app_settings.scenario_settings("baseline"), "seed": 4, "learning_loops": 0.25}
    params = app_settings.control_params(settings)
    assert set(params) == set(app_settings.SETTING_KEYS) - {"policy_scenario"}
    assert params["learning_loops"].value == 0.25
    assert params["seed"]["value"] == "4"
    assert set(params["trust"]["values"]) == {"experience", "reputation", "structural"}
    kwargs = {k: (v.value if hasattr(v, "value") else v["value"]) for k, v in params.items()}
    model = app_model.ClassroomModel(**kwargs, draw=False)
    assert model.app_message is None
    assert model.config.remedies.learning_loops == 0.25 and model.config.seed == 4
    assert not app_settings.settings_changed(settings, model.settings)  # "4" is seed 4
    assert app_settings.settings_changed(settings, {**model.settings, "learning_loops": 0.3})
    assert app_settings.settings_changed(settings, {**model.settings, "seed": "5"})
