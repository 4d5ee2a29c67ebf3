"""Where Hydra meets the schema: registration on import, and the conf/ tree it composes."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from collab_sim.config.groups import conf_dir, group_options

ROOT = Path(__file__).resolve().parents[2]


def _fresh_python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter on this checkout's sources."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_schema_and_validation_load_without_hydra():
    done = _fresh_python(
        "import sys, collab_sim.config.schema, collab_sim.config.validation\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'hydra', 'omegaconf'}))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_importing_composition_registers_the_schema_before_anything_composes():
    done = _fresh_python(
        "import collab_sim.config.composition\n"
        "from hydra.core.config_store import ConfigStore\n"
        "print(type(ConfigStore.instance().load('schema.yaml').node).__name__)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DictConfig"


def test_experiments_are_a_config_group_folder_packaged_with_conf():
    folder = ROOT / "conf" / "experiment"
    assert folder.is_dir() and not folder.is_symlink()
    assert conf_dir() == ROOT / "conf"
    assert group_options("experiment") == [
        "bottleneck_strength", "policy_comparison", "population_scale", "sensitivity",
        "trust_threshold",
    ]  # fmt: skip
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]
    assert wheel["targets"]["wheel"]["force-include"]["conf"] == "collab_sim/conf"


def test_several_values_without_multirun_and_an_empty_group_option_are_one_line_errors():
    import pytest

    from collab_sim.config.composition import make_config
    from collab_sim.config.schema import ConfigError

    with pytest.raises(ConfigError) as err:
        make_config(["steps=24,48"])
    assert (err.value.key, err.value.value) == ("steps", "24,48")
    assert "--multirun" in err.value.allowed
    with pytest.raises(ConfigError) as err:
        make_config(["power="])
    assert err.value.key == "power" and "resource_weighted" in err.value.allowed


def test_a_scenario_that_sets_the_run_or_is_not_yaml_is_a_one_line_error(tmp_path):
    import pytest

    from collab_sim.config.composition import make_config
    from collab_sim.config.schema import ConfigError

    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "long.yaml").write_text(
        "# @package _global_\nscenario_name: long\nsteps: 12\n"
    )
    (tmp_path / "scenario" / "broken.yaml").write_text(
        "# @package _global_\nbottlenecks: {role_ambiguity: 0.3\n"
    )
    search = f"hydra.searchpath=[file://{tmp_path}]"
    with pytest.raises(ConfigError) as err:  # conf/config.yaml would silently win
        make_config(["scenario=long", search])
    assert err.value.key == "scenario.long" and err.value.value == "steps: 12"
    with pytest.raises(ConfigError) as err:
        make_config(["scenario=broken", search])
    assert "broken.yaml, line" in err.value.value and "not valid YAML" in err.value.allowed
