"""The report's statistics: paired differences, Welch, Benjamini-Hochberg, planning."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

from collab_sim.analysis.effects import (
    adjust,
    compute_effects,
    paired_comparison,
    replicates_needed,
    welch_comparison,
)


def test_a_paired_comparison_is_scipys_paired_t_test():
    rng = np.random.default_rng(1)
    b = rng.normal(50, 6, 30)
    a = b + 1.5 + rng.normal(0, 2, 30)  # shared noise cancels in the difference
    c = paired_comparison(a, b)
    test = stats.ttest_rel(a, b)
    ci = test.confidence_interval(0.95)
    assert c.difference == pytest.approx(float(np.mean(a - b)), rel=1e-12)
    assert c.interval() == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert c.p_value() == pytest.approx(test.pvalue, rel=1e-10)
    # the same values compared as independent groups: a much wider interval
    low, high = welch_comparison(a, b).interval()
    assert (high - low) > 2 * (ci.high - ci.low)


def test_welch_matches_scipy_and_constant_groups_are_exact():
    a, b = np.array([3.0, 5.0, 4.0, 6.0, 7.0]), np.array([1.0, 2.0, 2.5, 0.5])
    test = stats.ttest_ind(a, b, equal_var=False)
    ci = test.confidence_interval(0.95)
    c = welch_comparison(a, b)
    assert c.interval() == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert c.p_value() == pytest.approx(test.pvalue, rel=1e-10)
    same = paired_comparison(np.array([2.0, 4.0]), np.array([2.0, 4.0]))
    assert (same.difference, *same.interval(), same.p_value()) == (0.0, 0.0, 0.0, 1.0)


def test_benjamini_hochberg_matches_statsmodels_and_selection_matches_the_intervals():
    rng = np.random.default_rng(7)
    rows = {}
    for k in range(12):  # four real effects among twelve comparisons
        b = rng.normal(10, 2, 20)
        rows[f"s{k}"] = b + (1.5 if k < 4 else 0.0) + rng.normal(0, 1.5, 20), b
    comps = [paired_comparison(a, b) for a, b in rows.values()]
    p = np.array([c.p_value() for c in comps])
    adjusted, level = adjust(p)
    reject, corrected, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    assert adjusted == pytest.approx(corrected, rel=1e-12)
    assert level == pytest.approx(1 - reject.sum() * 0.05 / 12)
    assert 0 < reject.sum() < 12
    for c, selected in zip(comps, reject, strict=True):
        low, high = c.interval(level)
        wide_low, wide_high = c.interval()
        assert low < wide_low and high > wide_high  # adjusted intervals are wider
        assert (not low <= 0 <= high) == selected  # clear after adjustment <=> selected


def test_without_any_selection_the_intervals_are_bonferroni_and_contain_zero():
    adjusted, level = adjust([0.3, 0.6, float("nan"), 0.9])
    assert level == pytest.approx(1 - 0.05 / 3)  # NaN is no comparison
    assert math.isnan(adjusted[2]) and (adjusted[[0, 1, 3]] >= 0.3).all()


def test_the_report_pairs_runs_by_seed_and_reads_verdicts_after_adjustment():
    rng = np.random.default_rng(3)
    seeds = np.arange(20)
    base = rng.normal(50, 6, 20)
    table = pd.DataFrame(
        {
            "scenario": ["baseline"] * 20 + ["microgrants"] * 20 + ["co_credit"] * 20,
            "seed": np.concatenate([seeds, seeds[::-1], seeds]),
            "approvals": np.concatenate([base, base[::-1] + 2.0, base + rng.normal(0, 0.1, 20)]),
        }
    )
    effects = compute_effects(table).set_index("scenario")
    grant = effects.loc["microgrants"]
    assert grant.design == "paired"  # same seeds, in another order
    assert grant.difference == pytest.approx(2.0) and grant.ci_low == pytest.approx(2.0)
    assert grant.relative == pytest.approx(2.0 / base.mean())
    assert grant.verdict == "better"
    assert effects.loc["co_credit", "verdict"] == "no clear effect"
    table.loc[table.scenario == "co_credit", "seed"] += 100  # seeds of their own
    assert compute_effects(table).set_index("scenario").loc["co_credit", "design"] == (
        "independent"
    )


@pytest.mark.parametrize("d", [0.3, 0.5, 1.0])
def test_replicates_needed_agrees_with_statsmodels_power(d):
    n = replicates_needed(sd=1.0, change=d)
    exact = TTestPower().solve_power(effect_size=d, alpha=0.05, power=0.8)
    assert math.ceil(exact) - 1 <= n <= math.ceil(exact) + 1
    assert replicates_needed(sd=2.0, change=d) > n  # noisier outcomes need more
