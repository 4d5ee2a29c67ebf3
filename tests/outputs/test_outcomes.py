"""The outcome registry: one entry per outcome, every face's outcomes in it, real keys."""

import ast
from pathlib import Path

import pytest
import yaml

import collab_sim
from collab_sim.analysis import effects, plots
from collab_sim.outputs import outcomes
from collab_sim.sweeps.aggregate import _flatten
from collab_sim.vocabulary import SECTORS

ROOT = Path(__file__).resolve().parents[2]


def test_every_outcome_has_a_unique_name():
    names = [o.name for o in outcomes.OUTCOMES]
    assert len(names) == len(set(names))
    assert outcomes.names() == tuple(names)
    assert all(outcomes.get(n).name == n for n in names)


def test_an_unknown_outcome_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="no_such_outcome"):
        outcomes.get("no_such_outcome")


def test_every_direction_is_higher_lower_or_none():
    assert outcomes.DIRECTIONS == ("higher", "lower", None)
    for o in outcomes.OUTCOMES:
        assert o.better in outcomes.DIRECTIONS, o.name


def test_every_outcome_is_described():
    for o in outcomes.OUTCOMES:
        assert o.label and o.family, o.name
        assert o.scale in (1.0, 100.0) and o.decimals >= 0, o.name
        assert (o.unit == outcomes.PP) == (o.scale == 100.0), o.name
        assert bool(o.up) == bool(o.down), o.name
        if o.up:
            assert "{x}" in o.up and "{x}" in o.down, o.name


@pytest.fixture(scope="module")
def baseline_short():
    # ten years: long enough for a candidate to go from phase 1 to approval
    return collab_sim.run(collab_sim.make_config(steps=120))


def test_every_name_is_a_real_summary_key(baseline_short):
    summary = _flatten(baseline_short.summary)
    unknown = [o.name for o in outcomes.OUTCOMES if o.name not in summary]
    assert not unknown, f"not summary keys: {unknown}"
    not_numbers = [
        o.name for o in outcomes.OUTCOMES if not isinstance(summary[o.name], (int, float))
    ]
    assert not not_numbers


def test_the_report_and_the_figures_use_registry_entries():
    for o in (*effects.OUTCOMES, *plots.OUTCOMES):
        assert outcomes.get(o.name) is o
    for o in effects.OUTCOMES:  # the report phrases every outcome it compares
        assert o.up and o.down, o.name


def test_the_sensitivity_experiment_outputs_are_registry_outcomes():
    spec = yaml.safe_load((ROOT / "conf" / "experiment" / "sensitivity.yaml").read_text())
    for name in spec["sensitivity"]["outputs"]:
        outcomes.get(name)


def test_the_app_charts_take_their_labels_from_the_registry(baseline_short):
    from collab_sim.app import charts

    labels = outcomes.chart_labels()
    assert len(set(labels.values())) == len(labels), "two chart lines with one name"
    assert {s: labels[s] for s in charts.CHART_SERIES} == charts.OUTCOME_LABELS
    columns = set(baseline_short.timeseries.columns)
    derived = {f"value_share_{sector}" for sector in SECTORS}  # computed by the app
    missing = set(charts.CHART_SERIES) - columns - derived
    assert not missing, f"chart series that are not time-series columns: {sorted(missing)}"


def test_the_registry_imports_only_the_vocabulary():
    tree = ast.parse(Path(outcomes.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    project = {m for m in imported if m and m.startswith("collab_sim")}
    assert project == {"collab_sim.vocabulary"}
