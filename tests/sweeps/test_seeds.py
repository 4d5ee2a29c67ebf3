"""Replicate seeds: paired across a sweep's points by default, independent on request."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from collab_sim.analysis.effects import compute_effects
from collab_sim.sweeps.seeds import replicate_seeds

EXE = str(Path(sys.executable).with_name("collab-sim"))


def test_paired_seeds_are_the_same_at_every_point_and_differ_across_replicates():
    a = replicate_seeds(7, ["power=equal", "replicates=5"], 5)
    assert len(set(a)) == 5
    assert a == replicate_seeds(7, ["power=resource_weighted"], 5)
    assert a == replicate_seeds(7, ["scenario=microgrants", "seeds=paired"], 5, "paired")
    assert a != replicate_seeds(8, ["power=equal"], 5)
    assert replicate_seeds(7, ["power=equal"], 1) == [7]


def test_independent_seeds_are_derived_from_the_point_as_before_pairing():
    a = replicate_seeds(7, ["power=equal", "replicates=5"], 5, "independent")
    assert a == replicate_seeds(7, ["replicates=5", "power=equal", "seed=7"], 5, "independent")
    assert a == replicate_seeds(7, ["power=equal", "seeds=independent"], 5, "independent")
    assert len(set(a)) == 5
    assert a != replicate_seeds(7, ["power=resource_weighted"], 5, "independent")
    assert a != replicate_seeds(7, ["power=equal"], 5, "paired")
    # the seeds every sweep used before the paired scheme existed (kept for old sweeps)
    assert a[:2] == [394736841, 2131092550]


@pytest.mark.parametrize("scheme", ["paired", "independent"])
def test_more_replicates_keep_the_seeds_of_fewer(scheme):
    few = replicate_seeds(3, ["power=equal"], 4, scheme)
    assert replicate_seeds(3, ["power=equal"], 9, scheme)[:4] == few


def test_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="seeds='common'"):
        replicate_seeds(0, [], 3, "common")


def test_a_sweep_pairs_its_points_and_a_scenario_equal_to_the_baseline_has_zero_effects(
    tmp_path,
):
    import subprocess

    out = tmp_path / "sweep"
    args = [
        EXE, "-m", "scenario_name=baseline,same", "replicates=3", "steps=36",
        "population=small", f"hydra.sweep.dir={out}",
    ]  # fmt: skip
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(out / "results.parquet")
    by = table.groupby("config.scenario_name")["seed"].apply(sorted)
    assert by["baseline"] == by["same"] and len(set(by["baseline"])) == 3
    effects = compute_effects(table)
    assert set(effects.design) == {"paired"}
    known = effects.dropna(subset=["ci_low"])  # outcomes defined in at least two pairs
    assert len(known) >= 5
    assert (known.difference == 0).all()
    assert (known.ci_low_adjusted == 0).all() and (known.ci_high_adjusted == 0).all()
    assert set(known.verdict) == {"no clear effect"}
    assert (effects.difference.dropna() == 0).all()
