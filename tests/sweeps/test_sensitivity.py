"""Sensitivity analysis: SALib designs run in chunks, indices that name what matters."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from collab_sim import make_config
from collab_sim.config.schema import ConfigError, SensitivityConfig
from collab_sim.sweeps.sensitivity import (
    check,
    chunk_points,
    design,
    indices,
    point_config,
    point_outputs,
)

EXE = str(Path(sys.executable).with_name("collab-sim"))


def _spec(**kwargs):
    base = {"parameters": {"bottlenecks.cultural_mismatch": [0.0, 1.0],
                           "funding.microgrants.max_grant": [0.05, 0.5]},
            "outputs": ["conflicts"], "samples": 8}  # fmt: skip
    return SensitivityConfig(**(base | kwargs))


def test_the_experiment_file_declares_a_valid_design():
    cfg = make_config(experiment="sensitivity")
    spec = check(cfg)
    assert spec.method == "sobol" and len(spec.parameters) >= 4
    assert len(design(spec)) == spec.samples * (len(spec.parameters) + 2)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"parameters": {"collaboration.no_such_key": [0, 1]}}, "collaboration.no_such_key"),
        ({"parameters": {"bottlenecks.cultural_mismatch": [1.0, 0.0]}}, "cultural_mismatch"),
        ({"parameters": {"bottlenecks.cultural_mismatch": [0.0, 2.0]}}, "<= 1.0"),
        ({"parameters": {"trust.rule": [0, 1]}}, "numeric"),
        ({"samples": 6}, "power of 2"),
        ({"chunk": 8, "chunks": 8}, "sensitivity.chunk"),
    ],
)
def test_a_bad_design_is_one_error_naming_the_key(change, key):
    import dataclasses

    cfg = dataclasses.replace(make_config(), sensitivity=_spec(**change))
    with pytest.raises(ConfigError) as err:
        check(cfg)
    assert key in str(err.value) and "sensitivity." in str(err.value)


def test_a_point_sets_nested_values_and_rounds_integer_keys():
    base = make_config()
    cfg = point_config(base, ["bottlenecks.data_friction", "population.types.large_pharma.count"],
                       np.array([0.25, 12.6]))  # fmt: skip
    assert cfg.bottlenecks.data_friction == 0.25
    assert cfg.population.types["large_pharma"].count == 13
    assert base == make_config()  # the base config is not changed


def test_chunks_cover_every_point_exactly_once():
    spec = _spec(chunks=3)
    n = len(design(spec))
    points = np.concatenate([chunk_points(SensitivityConfig(**{**spec.__dict__, "chunk": c}), n)
                             for c in range(3)])  # fmt: skip
    assert sorted(points.tolist()) == list(range(n))


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_indices_attribute_a_synthetic_output_to_the_parameter_it_depends_on(method):
    spec = _spec(method=method, samples=64 if method == "sobol" else 20)
    x = design(spec)
    y = pd.DataFrame({"conflicts": 5 * x[:, 0]})  # depends on cultural mismatch only
    table = indices(spec, y).set_index("parameter")
    col = "ST" if method == "sobol" else "mu_star"
    assert table.loc["bottlenecks.cultural_mismatch", col] > 0.8 * (1 if col == "ST" else 5)
    assert abs(table.loc["funding.microgrants.max_grant", col]) < 0.05


def test_missing_points_are_named_in_the_error():
    table = pd.DataFrame({"run_dir": ["0/point_00000", "0/point_00002"], "conflicts": [1, 2]})
    with pytest.raises(ValueError, match="1 of 3 design points have no complete run"):
        point_outputs(table, ["conflicts"], 3)


TINY = """# @package _global_
sensitivity:
  samples: 8
  chunks: 2
  parameters:
    bottlenecks.cultural_mismatch: [0.0, 1.0]
    funding.microgrants.max_grant: [0.05, 0.5]
  outputs: [conflicts, approvals]
hydra:
  sweeper:
    params:
      sensitivity.chunk: range(0,2)
"""


@pytest.mark.slow
def test_a_sensitivity_sweep_finds_the_mechanism_that_drives_conflicts(tmp_path):
    # an experiment of one's own, outside the repository, found through Hydra's search path
    (tmp_path / "conf" / "experiment").mkdir(parents=True)
    (tmp_path / "conf" / "experiment" / "tiny_sensitivity.yaml").write_text(TINY)
    out = tmp_path / "sweep"
    args = ["-m", "experiment=tiny_sensitivity", "steps=60", "population=small",
            f"hydra.searchpath=[file://{tmp_path / 'conf'}]", f"hydra.sweep.dir={out}"]  # fmt: skip
    proc = subprocess.run([EXE, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert len(list(out.rglob("summary.json"))) == 8 * (2 + 2)  # Sobol: N (D + 2) points
    table = pd.read_csv(out / "sensitivity.csv").set_index(["output", "parameter"])
    # funding.microgrants.* is not read under the subcontract rule: exactly no effect
    assert table.loc[("conflicts", "funding.microgrants.max_grant"), "ST"] == 0
    assert table.loc[("conflicts", "bottlenecks.cultural_mismatch"), "ST"] > 0.5
    for suffix in ("md", "png", "svg"):
        assert (out / f"sensitivity.{suffix}").stat().st_size > 500


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_indices_and_their_confidence_intervals_repeat_exactly(method):
    spec = _spec(method=method, samples=16)
    x = design(spec)
    rng = np.random.default_rng(1)
    y = pd.DataFrame({"conflicts": x[:, 0] + rng.normal(0, 0.3, len(x))})
    pd.testing.assert_frame_equal(indices(spec, y), indices(spec, y))
