"""A sweep's figures: levels by option, and paired differences when runs share seeds."""

import numpy as np
import pandas as pd
import pytest

from collab_sim.analysis.plots import paired_differences, sweep_figures


def _paired(seeds_of: dict[str, list[int]]) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for option, seeds in seeds_of.items():
        for s in seeds:
            luck = 10 * s  # the seed's shared luck, which a paired difference cancels
            rows.append((option, s, luck + (3.0 if option == "b" else 0.0), rng.random()))
    return pd.DataFrame(rows, columns=["config.power.rule", "seed", "approvals", "mean_trust"])


def test_paired_differences_cancel_the_seeds_shared_luck():
    table = _paired({"a": [0, 1, 2, 3], "b": [3, 2, 1, 0]})
    d = paired_differences(table, "config.power.rule", ["approvals"])
    assert d.attrs["reference"] == "a"  # no baseline: the first option
    assert list(d["config.power.rule"].unique()) == ["b"]
    assert d.approvals.tolist() == pytest.approx([3.0] * 4)


def test_runs_with_seeds_of_their_own_have_no_paired_differences():
    assert paired_differences(_paired({"a": [0, 1], "b": [5, 6]}), "config.power.rule", []) is None


def test_a_paired_sweep_also_draws_the_differences(tmp_path):
    written = sweep_figures(_paired({"a": [0, 1, 2], "b": [0, 1, 2]}), tmp_path)
    names = [p.name for p in written]
    assert names == [
        "by_power.rule.png",
        "by_power.rule.svg",
        "by_power.rule_differences.png",
        "by_power.rule_differences.svg",
    ]
    assert all(p.stat().st_size > 1000 for p in written)
