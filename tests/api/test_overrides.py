"""configure(): the command line's config, its strictness and its errors, without Hydra."""

import pytest

import collab_sim
from collab_sim.config.schema import ConfigError


@pytest.mark.parametrize(
    "overrides",
    [
        {"power": "equal", "bottlenecks.role_ambiguity": 0.8, "seed": 3},
        {"scenario": "all_remedies", "remedies.co_credit": 0.5},
        ["funding=microgrants", "funding.microgrants.max_grant=0.2", "steps=36"],
        {"population.types.large_pharma.count": 5, "trust": "reputation"},
    ],
)
def test_configure_gives_the_config_hydra_composes(overrides):
    strings = (
        [f"{k}={v}" for k, v in overrides.items()] if isinstance(overrides, dict) else overrides
    )
    assert collab_sim.configure(overrides) == collab_sim.make_config(strings)


@pytest.mark.parametrize(
    ("overrides", "key", "allowed"),
    [
        ({"steps": 2.5}, "steps", "must be an integer"),
        ({"steps": 2.0}, "steps", "must be an integer"),  # a float is refused, not truncated
        ({"bottlenecks.role_ambiguity": True}, "bottlenecks.role_ambiguity", "must be a number"),
        ({"bottlenecks.role_ambiguity": 1.5}, "bottlenecks.role_ambiguity", "<= 1.0"),
        ({"bottlenecks.role_ambguity": 0.5}, "bottlenecks.role_ambguity", "not a config key"),
        ({"power.rule": "fair"}, "power.rule", "allowed"),
        ({"power": "fair"}, "power", "fair"),
        (["steps"], "override", "KEY=VALUE"),
    ],
)
def test_bad_overrides_are_the_command_lines_errors(overrides, key, allowed):
    with pytest.raises(ConfigError) as err:
        collab_sim.configure(overrides)
    assert err.value.key == key and allowed in str(err.value)


def test_a_float_for_an_integer_key_is_refused_by_the_command_line_too(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("collab-sim"))
    proc = subprocess.run(
        [exe, "steps=2.0", f"hydra.run.dir={tmp_path / 'run'}"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "steps='2.0': must be an integer" in proc.stderr


@pytest.mark.parametrize(
    "override",
    [
        "steps=2.0",
        "steps=2.5",
        "bottlenecks.role_ambiguity=true",
        "bottlenecks.role_ambiguity=1.5",
        "remedies.co_credit=-0.1",
        "deals.types.licensing.upfront_months=1e9",  # a number to Hydra, text to YAML
        "population.types.large_pharma.count=-1",
        "power.rule=fair",
        "power=fair",
        "trust.experience.loss=abc",
    ],
)
def test_configure_refuses_what_the_command_lines_composition_refuses(override):
    """The command line composes with Hydra (make_config); configure refuses the same."""
    errors = []
    for build in (collab_sim.configure, collab_sim.make_config):
        with pytest.raises(ConfigError) as err:
            build([override])
        errors.append(err.value)
    assert errors[0].key == errors[1].key == override.partition("=")[0]
    assert str(errors[0]).split(": ", 1)[1] == str(errors[1]).split(": ", 1)[1]


def test_string_overrides_are_read_with_the_command_lines_grammar():
    strings = ["deals.types.licensing.upfront_months=1e1", "funding=microgrants", "steps=1_2"]
    assert collab_sim.configure(strings) == collab_sim.make_config(strings)
