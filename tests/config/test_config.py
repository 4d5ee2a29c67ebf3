import dataclasses

import pytest

from collab_sim.config.composition import make_config
from collab_sim.config.groups import group_options
from collab_sim.config.schema import ConfigError, SimConfig
from collab_sim.config.validation import validate


def test_defaults_compose_to_the_schema():
    cfg = make_config()
    assert isinstance(cfg, SimConfig)
    assert cfg.trust.rule == "experience"
    assert cfg.funding.rule == "subcontract"
    assert cfg.power.rule == "resource_weighted"
    assert cfg.scenario_name == "baseline"
    # the population comes only from conf/population/default.yaml
    assert set(cfg.population.types) == {
        "large_pharma", "biotech_sme", "academic_institute", "patient_advocacy",
        "community_health", "public_funder", "regulator",
    }  # fmt: skip


def test_overrides_as_kwargs_mapping_and_strings_agree():
    a = make_config(seed=3, steps=12, power="equal")
    b = make_config({"seed": 3, "steps": 12, "power": "equal"})
    c = make_config(["seed=3", "steps=12", "power=equal"])
    assert a == b == c
    assert a.power.rule == "equal" and a.steps == 12


def test_dotted_override_reaches_nested_keys():
    cfg = make_config({"population.types.biotech_sme.count": 5, "trust.experience.loss": 0.3})
    assert cfg.population.types["biotech_sme"].count == 5
    assert cfg.trust.experience.loss == 0.3


def test_group_options_list_the_yaml_files():
    assert group_options("power") == ["contribution", "equal", "resource_weighted"]
    assert "small" in group_options("population")


@pytest.mark.parametrize(
    ("override", "key", "allowed"),
    [
        ({"steps": -1}, "steps", ">= 0"),
        ({"population.types.biotech_sme.count": -3}, "population.types.biotech_sme.count", ">= 0"),
        ({"collaboration.failure_hazard": 1.5}, "collaboration.failure_hazard", "<= 1.0"),
        ({"trust.experience.gain": -0.1}, "trust.experience.gain", ">= 0.0"),
        ({"power": "nope"}, "power", "allowed: contribution, equal, resource_weighted"),
        ({"power.rule": "nope"}, "power.rule", "allowed: resource_weighted, equal, contribution"),
        ({"steps": "abc"}, "steps", "must be an integer"),
        (
            {"collaboration.failure_hazard": "high"},
            "collaboration.failure_hazard",
            "must be a number",
        ),
        ({"no_such_key": 1}, "no_such_key", "unknown key"),
        ({"population.types.biotech_sme.capability": [0.5, 0.5]}, "capability", "list of 6"),
    ],
)
def test_bad_values_name_key_value_and_allowed(override, key, allowed):
    with pytest.raises(ConfigError) as info:
        make_config(override)
    message = str(info.value)
    assert key in message
    assert allowed in message
    assert "\n" not in message
    value = next(iter(override.values()))
    assert str(value if not isinstance(value, list) else value[0]) in message


def test_relations_are_checked():
    with pytest.raises(ConfigError, match="duration_max_months"):
        make_config(
            {"collaboration.duration_min_months": 30, "collaboration.duration_max_months": 20}
        )


@pytest.mark.parametrize(
    "override, key, allowed",
    [
        ({"pipeline.discovery_milestone_months": [30.0, 12.0]}, "milestone_months", "rise"),
        ({"pipeline.discovery_milestone_months": [12.0, 60.0]}, "milestone_months", "54.0"),
        ({"pipeline.discovery_milestone_success": [0.5, 0.5]}, "milestone_success", "0.51"),
    ],
)
def test_discovery_milestones_must_fit_inside_discovery(override, key, allowed):
    with pytest.raises(ConfigError) as info:
        make_config(override)
    message = str(info.value)
    assert key in message and allowed in message and "\n" not in message


def test_validate_checks_python_built_configs_too():
    cfg = make_config()
    bad = dataclasses.replace(cfg, steps=-5)
    with pytest.raises(ConfigError, match="steps=-5"):
        validate(bad)
