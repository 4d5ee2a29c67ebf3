"""The policy report's statistics: each scenario's effect against the baseline, with a CI.

For each scenario and each outcome of :data:`OUTCOMES`, the effect is the difference
between the scenario's mean and the baseline's mean over replicate runs, with a 95%
Welch's t interval (:func:`welch_interval`), and a :func:`verdict` from the interval and
the outcome's better direction (from :mod:`collab_sim.outputs.outcomes`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from collab_sim.outputs import outcomes as registry
from collab_sim.outputs.outcomes import Outcome

BASELINE = "baseline"
#: Columns that may name a run's scenario, in order of preference: the summary's scalar
#: (present in every run), then the swept config key (present when scenarios differ).
SCENARIO_COLUMNS = ("scenario_name", "scenario", "config.scenario_name")
CONFIDENCE = 0.95
SWEEP_HINT = "run collab-sim -m experiment=policy_comparison"

#: What the policy report compares, family by family (entries of the outcome registry).
OUTCOMES: tuple[Outcome, ...] = registry.select(
    "approvals",
    "loa_phase1",
    "mean_months_phase1_to_approval",
    "patient_reach",
    "mean_partnership_duration_months",
    "early_ending_share",
    "nonprofit_participation",
    "value_gini",
    "value_share_by_sector.nonprofit",
)


class ReportError(ValueError):
    """A sweep that cannot be reported on (no runs, no baseline, nothing to compare)."""


def welch_interval(
    scenario: Sequence[float] | np.ndarray,
    baseline: Sequence[float] | np.ndarray,
    confidence: float = CONFIDENCE,
) -> tuple[float, float, float]:
    """Difference of means with Welch's t interval (unequal variances).

    Args:
        scenario: Values of the scenario's runs.
        baseline: Values of the baseline's runs.
        confidence: Confidence level of the interval.

    Returns:
        ``(mean(scenario) - mean(baseline), low, high)``. The bounds are NaN when a group
        has fewer than two values, and equal the difference when both groups are constant.
    """
    from scipy import stats

    a = np.asarray(scenario, dtype=np.float64)
    b = np.asarray(baseline, dtype=np.float64)
    if a.size == 0 or b.size == 0:
        return math.nan, math.nan, math.nan
    diff = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return diff, math.nan, math.nan
    if a.var(ddof=1) / a.size + b.var(ddof=1) / b.size == 0:
        return diff, diff, diff
    with warnings.catch_warnings():  # near-constant groups: scipy warns of precision loss
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(confidence)
    return diff, float(ci.low), float(ci.high)


def verdict(outcome: Outcome, diff: float, low: float, high: float) -> str:
    """Classify an effect: ``better``, ``worse``, ``clear change``, ``no clear effect`` or n/a.

    Args:
        outcome: The outcome (its ``better`` direction decides better or worse).
        diff: The difference from the baseline.
        low: Lower bound of its confidence interval.
        high: Upper bound of its confidence interval.

    Returns:
        ``"n/a"`` without an interval, ``"no clear effect"`` when it contains zero,
        ``"clear change (no better direction)"`` when no direction is better, else
        ``"better"`` or ``"worse"``.
    """
    if math.isnan(diff) or math.isnan(low) or math.isnan(high):
        return "n/a"
    if low <= 0 <= high:
        return "no clear effect"
    if outcome.better is None:
        return "clear change (no better direction)"
    return "better" if (diff > 0) == (outcome.better == "higher") else "worse"


def scenario_column(table: pd.DataFrame) -> str:
    """The column naming each run's scenario (see :data:`SCENARIO_COLUMNS`).

    Raises:
        ReportError: if the table has none.
    """
    for column in SCENARIO_COLUMNS:
        if column in table.columns:
            return column
    raise ReportError(
        f"no scenario column (looked for {', '.join(SCENARIO_COLUMNS)}); {SWEEP_HINT}"
    )


def check_scenarios(names: Iterable[str]) -> list[str]:
    """The scenarios to compare with the baseline, sorted.

    Raises:
        ReportError: without a baseline, or with nothing but the baseline.
    """
    found = sorted(set(names))
    if BASELINE not in found:
        raise ReportError(
            f"no baseline scenario among runs (found: {', '.join(found)}); {SWEEP_HINT}"
        )
    others = [s for s in found if s != BASELINE]
    if not others:
        raise ReportError(
            f"only the baseline scenario among runs, nothing to compare; {SWEEP_HINT}"
        )
    return others


def compute_effects(table: pd.DataFrame, outcomes: Sequence[Outcome] = OUTCOMES) -> pd.DataFrame:
    """Effects of every scenario against the baseline, one row per scenario and outcome.

    Args:
        table: One row per run (``results.parquet``), with a scenario column.
        outcomes: Outcomes to compare; those missing from the table are left out.

    Returns:
        Columns ``scenario``, ``outcome`` (the column name), ``family``, ``label``,
        ``unit`` (of the raw values: ``per run``, ``months``, ``share (0-1)``, ``index``),
        ``better`` (``higher``, ``lower`` or empty),
        ``n_baseline``, ``n_scenario``, ``mean_baseline``, ``mean_scenario``,
        ``difference``, ``ci_low``, ``ci_high`` (raw units) and ``verdict``.

    Raises:
        ReportError: if the table has no scenario column, no baseline or nothing else.
    """
    names = table[scenario_column(table)].astype(str)
    others = check_scenarios(names)
    present = [o for o in outcomes if o.name in table.columns]
    rows = []
    for name in others:
        for outcome in present:
            values = pd.to_numeric(table[outcome.name], errors="coerce")
            a = values[names == name].dropna().to_numpy(dtype=np.float64)
            b = values[names == BASELINE].dropna().to_numpy(dtype=np.float64)
            diff, low, high = welch_interval(a, b)
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome.name,
                    "family": outcome.family,
                    "label": outcome.label,
                    "unit": outcome.raw_unit,
                    "better": outcome.better or "",
                    "n_baseline": int(b.size),
                    "n_scenario": int(a.size),
                    "mean_baseline": float(b.mean()) if b.size else math.nan,
                    "mean_scenario": float(a.mean()) if a.size else math.nan,
                    "difference": diff,
                    "ci_low": low,
                    "ci_high": high,
                    "verdict": verdict(outcome, diff, low, high),
                }
            )
    return pd.DataFrame(rows)
