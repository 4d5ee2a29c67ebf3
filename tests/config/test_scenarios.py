"""The scenario library: every file loads, runs, and says what policy it stands for."""

import pytest

import collab_sim
from collab_sim.config.groups import conf_dir, group_options
from collab_sim.config.schema import ConfigError

SCENARIOS = group_options("scenario")
REQUIRED = {
    "baseline", "co_credit", "partnership_managers", "joint_onboarding", "learning_loops",
    "high_role_ambiguity", "high_cultural_mismatch", "high_data_friction",
    "high_transactional_mindset", "high_power_imbalance",
}  # fmt: skip


def test_library_has_the_required_scenarios():
    assert set(SCENARIOS) >= REQUIRED


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_loads_runs_and_explains_itself(name):
    text = (conf_dir() / "scenario" / f"{name}.yaml").read_text()
    comments = [
        line for line in text.splitlines() if line.startswith("#") and "@package" not in line
    ]
    assert comments, f"{name}.yaml must say in a comment what policy it stands for"
    cfg = collab_sim.make_config(scenario=name, population="small", steps=24)
    assert cfg.scenario_name == name
    result = collab_sim.run(cfg)
    assert result.summary["scenario"] == name
    assert result.summary["partnerships_formed"] > 0


def test_scenarios_change_what_they_say():
    assert collab_sim.make_config(scenario="co_credit").remedies.co_credit == 1.0
    assert collab_sim.make_config(scenario="high_data_friction").bottlenecks.data_friction == 1.0


def test_unknown_scenario_is_a_one_line_error():
    with pytest.raises(ConfigError) as info:
        collab_sim.make_config(scenario="utopia")
    assert "scenario='utopia'" in str(info.value) and "baseline" in str(info.value)
