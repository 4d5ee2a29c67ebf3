"""The policy report's statistics: each scenario's effect against the baseline, with a CI.

For each scenario and each outcome of :data:`OUTCOMES`, the effect is the scenario's mean
minus the baseline's over replicate runs:

* **paired** when the scenario's runs and the baseline's have the same seeds (a sweep with
  ``seeds=paired``, the default: common random numbers): the mean of the per-seed
  differences, with a t interval on those differences (:func:`paired_comparison`);
* **independent** otherwise: Welch's t interval on the two groups (:func:`welch_comparison`).

Across all of a report's comparisons, p-values are adjusted by the Benjamini-Hochberg
procedure (false discovery rate 5%, statsmodels ``multipletests(method="fdr_bh")``), and
each interval is widened to the false-coverage-rate level of Benjamini and Yekutieli
(2005, JASA 100:71): with R of m comparisons selected, level ``1 - R * 0.05 / m``, so an
adjusted interval excludes zero exactly when its comparison is selected
(:func:`adjust`). A :func:`verdict` is read from the adjusted interval and the outcome's
better direction (from :mod:`collab_sim.outputs.outcomes`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


#: False discovery rate of the Benjamini-Hochberg adjustment.
FDR = 1.0 - CONFIDENCE
#: Power at which the report states the smallest detectable effect.
POWER = 0.8
#: How the report names the adjustment.
ADJUSTMENT = "Benjamini-Hochberg"


@dataclass(frozen=True)
class Comparison:
    """A scenario's difference from the baseline on one outcome, before adjustment.

    Attributes:
        difference: Mean difference (paired: mean of per-seed differences).
        se: Its standard error (NaN with fewer than two values in a group).
        df: Degrees of freedom of its t distribution.
        n_scenario: Values of the scenario used (paired: pairs).
        n_baseline: Values of the baseline used (paired: pairs).
        sd: Standard deviation of the per-seed differences (paired) or pooled over the
            groups (independent); what :func:`replicates_needed` plans with.
    """

    difference: float
    se: float
    df: float
    n_scenario: int
    n_baseline: int
    sd: float

    def interval(self, confidence: float = CONFIDENCE) -> tuple[float, float]:
        """The two-sided t interval at ``confidence`` (NaN bounds without one)."""
        from scipy import stats

        if math.isnan(self.se):
            return math.nan, math.nan
        if self.se == 0.0:
            return self.difference, self.difference
        half = float(stats.t.ppf(0.5 + confidence / 2.0, self.df)) * self.se
        return self.difference - half, self.difference + half

    def p_value(self) -> float:
        """Two-sided p-value of a zero difference (NaN without an interval)."""
        from scipy import stats

        if math.isnan(self.se):
            return math.nan
        if self.se == 0.0:
            return 1.0 if self.difference == 0.0 else 0.0
        return float(2.0 * stats.t.sf(abs(self.difference) / self.se, self.df))

    def detectable(self, power: float = POWER, confidence: float = CONFIDENCE) -> float:
        """Smallest true difference found with probability ``power`` at this precision."""
        from scipy import stats

        if math.isnan(self.se):
            return math.nan
        z = stats.t.ppf(0.5 + confidence / 2.0, self.df) + stats.t.ppf(power, self.df)
        return float(z * self.se)


def paired_comparison(scenario: np.ndarray, baseline: np.ndarray) -> Comparison:
    """Mean of per-seed differences ``scenario[i] - baseline[i]`` (aligned arrays).

    Args:
        scenario: The scenario's values, one per seed.
        baseline: The baseline's values for the same seeds, in the same order.

    Returns:
        The comparison; its ``se`` is ``sd(d) / sqrt(n)`` with ``n - 1`` degrees of freedom.
    """
    d = np.asarray(scenario, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    n = d.size
    if n == 0:
        return Comparison(math.nan, math.nan, math.nan, 0, 0, math.nan)
    sd = float(d.std(ddof=1)) if n > 1 else math.nan
    return Comparison(float(d.mean()), sd / math.sqrt(n), n - 1.0, n, n, sd)


def welch_comparison(scenario: np.ndarray, baseline: np.ndarray) -> Comparison:
    """Difference of means of two independent groups, Welch's t (unequal variances).

    The degrees of freedom are Welch-Satterthwaite's, as in
    ``scipy.stats.ttest_ind(equal_var=False)``.
    """
    a = np.asarray(scenario, dtype=np.float64)
    b = np.asarray(baseline, dtype=np.float64)
    if a.size == 0 or b.size == 0:
        return Comparison(math.nan, math.nan, math.nan, int(a.size), int(b.size), math.nan)
    diff = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return Comparison(diff, math.nan, math.nan, int(a.size), int(b.size), math.nan)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)) if se > 0 else 1.0
    sd = math.sqrt(a.var(ddof=1) + b.var(ddof=1))  # of a difference of two runs
    return Comparison(diff, se, float(df), int(a.size), int(b.size), sd)


def welch_interval(
    scenario: Sequence[float] | np.ndarray,
    baseline: Sequence[float] | np.ndarray,
    confidence: float = CONFIDENCE,
) -> tuple[float, float, float]:
    """Difference of means with Welch's t interval: ``(difference, low, high)``.

    The bounds are NaN when a group has fewer than two values, and equal the difference
    when both groups are constant.
    """
    c = welch_comparison(np.asarray(scenario), np.asarray(baseline))
    return (c.difference, *c.interval(confidence))


def adjust(p_values: Sequence[float], fdr: float = FDR) -> tuple[np.ndarray, float]:
    """Benjamini-Hochberg adjusted p-values and the false-coverage-rate interval level.

    Args:
        p_values: One per comparison; NaN (no interval) is left out of the family.
        fdr: The false discovery rate controlled.

    Returns:
        ``(adjusted, confidence)``: adjusted p-values (NaN where the input is) and the
        confidence level of the adjusted intervals, ``1 - max(R, 1) * fdr / m`` with R of
        the m comparisons selected (Benjamini and Yekutieli 2005; with none selected the
        Bonferroni level ``1 - fdr / m``, whose intervals all contain zero).
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=np.float64)
    adjusted = np.full(p.shape, math.nan)
    known = ~np.isnan(p)
    m = int(known.sum())
    if m == 0:
        return adjusted, 1.0 - fdr
    reject, corrected, _, _ = multipletests(p[known], alpha=fdr, method="fdr_bh")
    adjusted[known] = corrected
    return adjusted, 1.0 - max(int(reject.sum()), 1) * fdr / m


def replicates_needed(
    sd: float, change: float, power: float = POWER, confidence: float = CONFIDENCE
) -> float:
    """Replicates (pairs, or runs per group) to detect a true ``change`` with ``power``.

    Solves ``(t_{1-a/2} + t_power) * sd / sqrt(n) <= change`` for the smallest n (t on
    n - 1 degrees of freedom), at the unadjusted level. NaN when ``sd`` is unknown.
    """
    from scipy import stats

    if math.isnan(sd) or math.isnan(change) or change == 0.0:
        return math.nan
    if sd == 0.0:
        return 2.0
    n = 2
    while n < 1_000_000:
        z = stats.t.ppf(0.5 + confidence / 2.0, n - 1) + stats.t.ppf(power, n - 1)
        if z * sd / math.sqrt(n) <= abs(change):
            return float(n)
        n = n + 1 if n < 100 else int(n * 1.05) + 1
    return math.inf


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


def paired_seeds(table: pd.DataFrame, names: pd.Series, scenario: str) -> bool:
    """Whether a scenario's runs pair with the baseline's: the same seeds, once each."""
    if "seed" not in table.columns:
        return False
    mine = table.loc[names == scenario, "seed"]
    base = table.loc[names == BASELINE, "seed"]
    return (
        len(mine) > 1
        and mine.is_unique
        and base.is_unique
        and set(mine.tolist()) == set(base.tolist())
    )


def values_compared(
    table: pd.DataFrame,
    names: pd.Series,
    scenario: str,
    column: str,
    paired: bool,
    reference: str = BASELINE,
) -> tuple[np.ndarray, np.ndarray]:
    """The scenario's and the reference's values of ``column``, runs without one left out.

    Paired: aligned by seed, a seed kept only when both runs have a value.
    """
    values = pd.to_numeric(table[column], errors="coerce")
    mine, base = names == scenario, names == reference
    if paired:
        seeds = table["seed"]
        a = pd.Series(values[mine].to_numpy(), index=seeds[mine].to_numpy())
        b = pd.Series(values[base].to_numpy(), index=seeds[base].to_numpy())
        both = pd.concat([a, b.reindex(a.index)], axis=1).dropna()
        return both.iloc[:, 0].to_numpy(np.float64), both.iloc[:, 1].to_numpy(np.float64)
    return (
        values[mine].dropna().to_numpy(dtype=np.float64),
        values[base].dropna().to_numpy(dtype=np.float64),
    )


def compute_effects(table: pd.DataFrame, outcomes: Sequence[Outcome] = OUTCOMES) -> pd.DataFrame:
    """Effects of every scenario against the baseline, one row per scenario and outcome.

    Args:
        table: One row per run (``results.parquet``), with a scenario column (and ``seed``,
            which pairs runs).
        outcomes: Outcomes to compare; those missing from the table are left out.

    Returns:
        Columns ``scenario``, ``outcome`` (the column name), ``family``, ``label``,
        ``unit`` (of the raw values: ``per run``, ``months``, ``share (0-1)``, ``index``),
        ``better`` (``higher``, ``lower`` or empty), ``design`` (``paired`` or
        ``independent``), ``n_baseline``, ``n_scenario`` (paired: both the pairs),
        ``mean_baseline``, ``mean_scenario`` (over the values compared),
        ``difference``, ``relative`` (difference over the baseline's mean),
        ``ci_low``, ``ci_high`` (95%, per comparison), ``p_value``, ``p_adjusted``
        (Benjamini-Hochberg over every row), ``ci_low_adjusted``, ``ci_high_adjusted``
        (at ``confidence_adjusted``), ``detectable`` (smallest true difference found with
        80% power at this precision, unadjusted), ``sd_difference`` and ``verdict`` (from
        the adjusted interval). Raw units throughout.

    Raises:
        ReportError: if the table has no scenario column, no baseline or nothing else.
    """
    names = table[scenario_column(table)].astype(str)
    others = check_scenarios(names)
    present = [o for o in outcomes if o.name in table.columns]
    rows = []
    for name in others:
        paired = paired_seeds(table, names, name)
        for outcome in present:
            a, b = values_compared(table, names, name, outcome.name, paired)
            c = paired_comparison(a, b) if paired else welch_comparison(a, b)
            low, high = c.interval()
            mean_b = float(b.mean()) if b.size else math.nan
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome.name,
                    "family": outcome.family,
                    "label": outcome.label,
                    "unit": outcome.raw_unit,
                    "better": outcome.better or "",
                    "design": "paired" if paired else "independent",
                    "n_baseline": c.n_baseline,
                    "n_scenario": c.n_scenario,
                    "mean_baseline": mean_b,
                    "mean_scenario": float(a.mean()) if a.size else math.nan,
                    "difference": c.difference,
                    "relative": c.difference / mean_b if mean_b else math.nan,
                    "ci_low": low,
                    "ci_high": high,
                    "p_value": c.p_value(),
                    "detectable": c.detectable(),
                    "sd_difference": c.sd,
                    "_comparison": c,
                }
            )
    frame = pd.DataFrame(rows)
    adjusted, level = adjust(frame["p_value"].to_numpy()) if rows else (np.array([]), 1.0)
    frame["p_adjusted"] = adjusted
    bounds = [c.interval(level) for c in frame.pop("_comparison")] if rows else []
    frame["confidence_adjusted"] = level
    frame["ci_low_adjusted"] = [b[0] for b in bounds]
    frame["ci_high_adjusted"] = [b[1] for b in bounds]
    by_name = {o.name: o for o in present}
    frame["verdict"] = [
        verdict(by_name[r.outcome], r.difference, r.ci_low_adjusted, r.ci_high_adjusted)
        for r in frame.itertuples()
    ]
    return frame
