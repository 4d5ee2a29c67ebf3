"""A sweep's launching process composes each point it checks once."""

import pytest

from collab_sim.config import composition
from collab_sim.config.composition import compose, make_config, make_config_and_grid
from collab_sim.config.schema import ConfigError
from collab_sim.sweeps import cli


@pytest.fixture
def compositions(monkeypatch):
    calls = []
    real = composition.compose

    def counted(overrides=(), *, with_hydra=False):
        calls.append(list(overrides))
        return real(overrides, with_hydra=with_hydra)

    monkeypatch.setattr(composition, "compose", counted)
    return calls


def test_the_config_and_its_grid_come_from_one_composition(compositions):
    cfg, grid = make_config_and_grid(["experiment=policy_comparison"])
    assert len(compositions) == 1
    assert cfg == make_config(["experiment=policy_comparison"])
    params = compose(["experiment=policy_comparison"], with_hydra=True).hydra.sweeper.params
    assert grid == dict(params) and grid


def test_without_an_experiment_the_grid_is_empty():
    assert make_config_and_grid(["power=equal"])[1] == {}


def test_its_errors_are_make_configs():
    with pytest.raises(ConfigError) as got:
        make_config_and_grid(["steps=-5"])
    with pytest.raises(ConfigError) as expected:
        make_config(["steps=-5"])
    assert str(got.value) == str(expected.value)


def test_a_sweeps_check_composes_each_distinct_point_once(tmp_path, compositions):
    cli._prevalidate(["-m", "power=equal,resource_weighted", f"hydra.sweep.dir={tmp_path / 's'}"])
    assert sorted(map(tuple, compositions)) == [("power=equal",), ("power=resource_weighted",)]
