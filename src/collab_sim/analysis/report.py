"""The policy report: every scenario of a sweep against the baseline, with 95% CIs.

    collab-sim -m experiment=policy_comparison hydra.sweep.dir=multirun/policy
    collab-sim-report multirun/policy                 # report.md, report.html, CSV, figures
    collab-sim-report multirun/policy --out reports/  # written elsewhere

For each scenario and each outcome of :data:`OUTCOMES`, the effect is the difference
between the scenario's mean and the baseline's mean over replicate runs, with a 95%
Welch's t interval (:func:`welch_interval`). The report says each effect in a plain
sentence, tabulates them (``report_effects.csv`` too) and draws them as a forest plot
(``report_effects.png`` and ``.svg``). ``report.html`` is ``report.md`` rendered with
Python-Markdown, with the figure embedded, so it is one self-contained file.

The same sweep gives byte-identical files (Markdown, HTML, CSV, PNG and SVG): no
timestamps, and the SVG's ids and metadata are fixed.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from collab_sim.outputs.files import write_text

BASELINE = "baseline"
#: Columns that may name a run's scenario, in order of preference: the summary's scalar
#: (present in every run), then the swept config key (present when scenarios differ).
SCENARIO_COLUMNS = ("scenario_name", "scenario", "config.scenario_name")
CONFIDENCE = 0.95
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
EFFECTS_CSV = "report_effects.csv"
FIGURE = "report_effects"
SWEEP_HINT = "run collab-sim -m experiment=policy_comparison"
MINUS = "\N{MINUS SIGN}"


class ReportError(ValueError):
    """A sweep that cannot be reported on (no runs, no baseline, nothing to compare)."""


@dataclass(frozen=True)
class Outcome:
    """One outcome the report compares, and how to talk about it.

    Attributes:
        column: Column of ``results.parquet`` (a scalar of ``summary.json``).
        family: The outcome family it belongs to (a column group of the report).
        label: Plain-language name, e.g. ``"nonprofit participation"``.
        unit: Unit of the displayed difference, e.g. ``"percentage points"``; ``""`` if none.
        up: Sentence fragment for a rise; ``{x}`` is the size of the change.
        down: Sentence fragment for a fall; ``{x}`` is the size of the change.
        better: ``"higher"`` or ``"lower"`` when that direction is better, else ``None``.
        scale: Displayed value = raw value x ``scale`` (100 turns shares into percentage
            points); ``report_effects.csv`` keeps raw values.
        decimals: Decimals shown in the report.
        note: Why the direction is (not) judged, or what the outcome means; optional.
    """

    column: str
    family: str
    label: str
    unit: str
    up: str
    down: str
    better: str | None = None
    scale: float = 1.0
    decimals: int = 1
    note: str = ""

    def show(self, value: float, *, sign: bool = False, decimals: int | None = None) -> str:
        """Format a raw value (or difference) in display units."""
        return _number(
            value * self.scale, self.decimals if decimals is None else decimals, sign=sign
        )

    def precision(self, *values: float) -> int:
        """Decimals that show every non-zero value as non-zero (up to two more than usual)."""
        shown = [abs(v) * self.scale for v in values if not math.isnan(v) and v != 0]
        decimals = self.decimals
        while decimals < self.decimals + 2 and any(round(v, decimals) == 0 for v in shown):
            decimals += 1
        return decimals


PP = "percentage points"

#: What the report compares, family by family. Add an :class:`Outcome` to extend it.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "approvals", "innovation output", "approvals", "per run",
        up="leads to {x} more approvals per run", down="leads to {x} fewer approvals per run",
        better="higher",
    ),
    Outcome(
        "loa_phase1", "innovation output", "likelihood of approval from phase 1", PP,
        up="raises the likelihood of approval from phase 1 by {x} percentage points",
        down="lowers the likelihood of approval from phase 1 by {x} percentage points",
        better="higher", scale=100.0,
    ),
    Outcome(
        "mean_partnership_duration_months", "partnership survival",
        "mean partnership duration", "months",
        up="makes partnerships last {x} months longer on average",
        down="makes partnerships end {x} months sooner on average",
        note="not better in itself: a partnership that completes its milestone ends",
    ),
    Outcome(
        "early_ending_share", "partnership survival",
        "share of partnerships ending early", PP,
        up="raises the share of partnerships ending early (not completed) by {x} "
        "percentage points",
        down="lowers the share of partnerships ending early (not completed) by {x} "
        "percentage points",
        better="lower", scale=100.0,
        note="ended by failure, conflict, a member's exit or running out of money",
    ),
    Outcome(
        "nonprofit_participation", "nonprofit participation", "nonprofit participation", PP,
        up="raises nonprofit participation by {x} percentage points",
        down="lowers nonprofit participation by {x} percentage points",
        better="higher", scale=100.0,
        note="share of nonprofits in a partnership during the last 12 months",
    ),
    Outcome(
        "value_gini", "equity", "inequality of value (Gini)", "",
        up="raises the inequality of value (Gini) by {x}",
        down="lowers the inequality of value (Gini) by {x}",
        better="lower", decimals=3,
        note="over organisations' value received; 0 is equal, 1 all to one",
    ),
    Outcome(
        "value_share_by_sector.nonprofit", "equity", "nonprofits' share of value", PP,
        up="raises the nonprofits' share of value by {x} percentage points",
        down="lowers the nonprofits' share of value by {x} percentage points",
        scale=100.0, note="the fair share depends on what nonprofits contribute",
    ),
)  # fmt: skip

VERDICT_COLORS = {
    "better": "#1b9e77",
    "worse": "#d95f02",
    "clear change (no better direction)": "#7570b3",
    "no clear effect": "#8c8c8c",
}


# --------------------------------------------------------------------------- statistics


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
    """Classify an effect: ``better``, ``worse``, ``clear change``, ``no clear effect`` or n/a."""
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
    present = [o for o in outcomes if o.column in table.columns]
    rows = []
    for name in others:
        for outcome in present:
            values = pd.to_numeric(table[outcome.column], errors="coerce")
            a = values[names == name].dropna().to_numpy(dtype=np.float64)
            b = values[names == BASELINE].dropna().to_numpy(dtype=np.float64)
            diff, low, high = welch_interval(a, b)
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome.column,
                    "family": outcome.family,
                    "label": outcome.label,
                    "unit": _raw_unit(outcome),
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


def _raw_unit(outcome: Outcome) -> str:
    if outcome.scale == 100.0:
        return "share (0-1)"
    return outcome.unit or "index"


# --------------------------------------------------------------------------- wording


def _number(x: float, decimals: int, *, sign: bool = False) -> str:
    if x is None or math.isnan(x):
        return "n/a"
    text = f"{abs(x):.{decimals}f}"
    if float(text) == 0:
        return text
    if x < 0:
        return MINUS + text
    return "+" + text if sign else text


def scenario_title(name: str) -> str:
    """Plain-language name of a scenario: ``high_power_imbalance`` -> ``high power imbalance``."""
    return name.replace("_", " ")


def sentence(
    name: str,
    outcome: Outcome,
    effect: pd.Series | dict,
    runs: tuple[int, int] | None = None,
) -> str:
    """One plain-language sentence for a scenario's effect on one outcome.

    Args:
        name: The scenario.
        outcome: The outcome.
        effect: A row of :func:`compute_effects`.
        runs: Runs of the scenario and of the baseline; the sentence names n when the
            outcome has fewer values (runs without one are left out). ``None``: always.
    """
    diff, low, high = effect["difference"], effect["ci_low"], effect["ci_high"]
    who = f"The {scenario_title(name)} scenario"
    kind = effect["verdict"]
    unit = f" {outcome.unit}" if outcome.unit else ""
    if kind == "n/a":
        if math.isnan(diff):
            return f"{who}: no runs with a value for {outcome.label}."
        return (
            f"{who} changes {outcome.label} by {outcome.show(diff, sign=True)}{unit}; no "
            "confidence interval (fewer than two runs in a group)."
        )
    n = _n_note(effect, runs)
    d = outcome.precision(diff, low, high)
    if kind == "no clear effect":
        return (
            f"{who} has no clear effect on {outcome.label} (difference "
            f"{outcome.show(diff, sign=True, decimals=d)}{unit}, 95% CI "
            f"{outcome.show(low, sign=True, decimals=d)} to "
            f"{outcome.show(high, sign=True, decimals=d)}{n})."
        )
    up = diff > 0
    lo, hi = (low, high) if up else (-high, -low)
    phrase = (outcome.up if up else outcome.down).format(x=outcome.show(abs(diff), decimals=d))
    judged = {"better": ", which is better", "worse": ", which is worse"}.get(kind, "")
    return (
        f"{who} {phrase} (95% CI {outcome.show(lo, decimals=d)} to "
        f"{outcome.show(hi, decimals=d)}{n}) against the baseline{judged}."
    )


def _n_note(effect: pd.Series | dict, runs: tuple[int, int] | None) -> str:
    n = (int(effect["n_scenario"]), int(effect["n_baseline"]))
    if runs is not None and n == tuple(runs):
        return ""
    return f"; n = {n[0]} vs {n[1]} runs with a value"


def scenario_description(name: str) -> str | None:
    """The policy a scenario stands for: the leading comment of ``conf/scenario/NAME.yaml``."""
    from collab_sim.config.groups import conf_dir

    if not re.fullmatch(r"[\w-]+", name):
        return None
    try:
        path = conf_dir() / "scenario" / f"{name}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        if "@package" not in line:
            comment.append(line.lstrip("#").strip())
    return " ".join(c for c in comment if c) or None


def _summary_line(rows: pd.DataFrame) -> str:
    parts = []
    kinds = {
        "better": "better on",
        "worse": "worse on",
        "clear change (no better direction)": "a clear change, with no better direction, in",
    }
    for kind, words in kinds.items():
        labels = rows.loc[rows.verdict == kind, "label"].tolist()
        if labels:
            parts.append(f"{words} {len(labels)} ({'; '.join(labels)})")
    unclear = int((rows.verdict == "no clear effect").sum())
    parts.append(f"no clear effect on {unclear} of {len(rows)} outcomes")
    return "In short: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- report text


def _cell(outcome: Outcome, effect: pd.Series) -> str:
    values = effect["difference"], effect["ci_low"], effect["ci_high"]
    d = outcome.precision(*values)
    diff, low, high = (outcome.show(v, sign=True, decimals=d) for v in values)
    kind = effect["verdict"]
    mark = {"better": " ✓", "worse": " ✗"}.get(kind, "")
    if kind in ("no clear effect", "n/a"):
        return f"{diff} ({low} to {high})"
    return f"**{diff}** ({low} to {high}){mark}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _outcome_line(outcome: Outcome) -> str:
    better = {"higher": "higher is better", "lower": "lower is better"}
    judged = better.get(outcome.better or "", "neither direction is called better")
    note = f" ({outcome.note})" if outcome.note else ""
    unit = f", {outcome.unit}" if outcome.unit else ""
    return f"{outcome.family}: {outcome.label} (`{outcome.column}`{unit}); {judged}{note}."


def _header_unit(outcome: Outcome) -> str:
    unit = f", {outcome.unit.replace(PP, 'pp')}" if outcome.unit else ""
    better = f"; {outcome.better} is better" if outcome.better else ""
    return f"{outcome.label}{unit}{better}"


def _runs_table(table: pd.DataFrame, names: pd.Series) -> list[str]:
    lines = ["| scenario | runs | seeds |", "|---|---|---|"]
    for name in [BASELINE, *sorted(set(names) - {BASELINE})]:
        group = table[names == name]
        seeds = ""
        if "seed" in group.columns:
            seeds = ", ".join(str(int(s)) for s in sorted(group["seed"].dropna()))
        lines.append(f"| `{name}` | {len(group)} | {seeds} |")
    return lines


def _distinct(table: pd.DataFrame, column: str) -> str:
    if column not in table.columns:
        return "n/a"
    values = sorted({int(v) for v in pd.to_numeric(table[column], errors="coerce").dropna()})
    return ", ".join(str(v) for v in values) or "n/a"


def _pooled_keys(table: pd.DataFrame, names: pd.Series) -> list[str]:
    """Swept config keys that vary within a scenario (pooled by the comparison)."""
    keys = [c for c in table.columns if c.startswith("config.") and c != "config.scenario_name"]
    return [k for k in keys if table[k].astype(str).groupby(names.to_numpy()).nunique().max() > 1]


def render_markdown(
    table: pd.DataFrame,
    effects: pd.DataFrame,
    sweep_label: str,
    outcomes: Sequence[Outcome] = OUTCOMES,
    figure: str | None = FIGURE + ".png",
) -> str:
    """The report as Markdown.

    Args:
        table: The runs (``results.parquet``).
        effects: Their effects, from :func:`compute_effects`.
        sweep_label: How the report names the sweep.
        outcomes: The outcomes compared.
        figure: Relative path of the forest plot, or ``None``.
    """
    names = table[scenario_column(table)].astype(str)
    others = sorted(set(names) - {BASELINE})
    present = [o for o in outcomes if o.column in table.columns]
    missing = [o.column for o in outcomes if o.column not in table.columns]
    counts = names.value_counts()
    runs = sorted({int(counts[s]) for s in counts.index})
    per = str(runs[0]) if len(runs) == 1 else f"{runs[0]} to {runs[-1]}"
    out = [
        "# Policy report: scenarios against the baseline",
        "",
        f"Sweep `{sweep_label}`: {len(table)} runs of {len(counts)} scenarios "
        f"(`{BASELINE}` and {_plural(len(others), 'other')}), {per} runs per scenario; "
        f"{_distinct(table, 'steps')} months per run, "
        f"{_distinct(table, 'n_organisations')} organisations. "
        "Seeds per scenario are listed at the end.",
        "",
    ]
    description = scenario_description(BASELINE)
    if description:
        out += [f"Baseline: {description.removeprefix('Baseline: ')}", ""]
    out += [
        "## Method",
        "",
        "Each effect is the difference between a scenario's mean and the baseline's mean "
        "over replicate runs (independent seeds), with a 95% confidence interval from "
        "Welch's t interval, which does not assume equal variances (`scipy.stats.ttest_ind` "
        "with `equal_var=False`); n is the number of runs per group. An effect is called "
        "clear when its interval excludes zero. The intervals are per comparison, not "
        f"adjusted for multiple comparisons: with {_plural(len(others), 'scenario')} and "
        f"{_plural(len(present), 'outcome')}, about one in twenty comparisons where the scenario "
        "truly changes nothing will still look clear. The intervals measure the model's "
        "run-to-run variation, not uncertainty in its assumptions.",
        "",
        "Outcomes (shares are shown in percentage points; "
        f"`{EFFECTS_CSV}` holds the same effects in raw units, shares from 0 to 1):",
        "",
        *[f"- {_outcome_line(o)}" for o in present],
        "",
    ]
    if missing:
        out += [f"Not in this sweep's results, so left out: {', '.join(missing)}.", ""]
    pooled = _pooled_keys(table, names)
    if pooled:
        out += [
            "Also varied within scenarios, and pooled by the comparison: "
            + ", ".join(f"`{k}`" for k in pooled)
            + ".",
            "",
        ]
    out += [
        "## Summary of effects",
        "",
        "Difference from the baseline (95% CI); pp: percentage points. **Bold**: the "
        "interval excludes zero; ✓ better, ✗ worse.",
        "",
        "| scenario | " + " | ".join(_header_unit(o) for o in present) + " |",
        "|---|" + "---|" * len(present),
    ]
    for name in others:
        rows = effects[effects.scenario == name].set_index("outcome")
        out.append(
            f"| `{name}` | " + " | ".join(_cell(o, rows.loc[o.column]) for o in present) + " |"
        )
    out.append("")
    if figure:
        out += [
            f"![Effects of each scenario against the baseline, 95% CIs]({figure})",
            "",
            f"Figure: effects against the baseline with 95% CIs (also `{Path(figure).stem}.svg`).",
            "",
        ]
    out += ["## Effects by scenario", ""]
    for name in others:
        rows = effects[effects.scenario == name]
        by = rows.set_index("outcome")
        runs = (int(counts[name]), int(counts[BASELINE]))
        out += [f"### `{name}`", ""]
        description = scenario_description(name)
        if description:
            out += [f"Policy: {description}", ""]
        out += [f"Runs: {runs[0]} of this scenario, {runs[1]} of the baseline.", ""]
        out += [f"- {sentence(name, o, by.loc[o.column], runs)}" for o in present]
        out += ["", _summary_line(rows), ""]
    out += [
        "## Baseline levels",
        "",
        "| outcome | unit | mean | standard deviation | runs |",
        "|---|---|---|---|---|",
    ]
    for o in present:
        values = pd.to_numeric(table.loc[names == BASELINE, o.column], errors="coerce").dropna()
        mean = values.mean() if len(values) else math.nan
        sd = values.std(ddof=1) if len(values) > 1 else math.nan
        unit = "%" if o.unit == PP else o.unit
        out.append(f"| {o.label} | {unit} | {o.show(mean)} | {o.show(sd)} | {len(values)} |")
    out += ["", "## Runs", "", *_runs_table(table, names), ""]
    return "\n".join(out)


HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #f3f3f3; }
img { max-width: 100%; }
code { background: #f6f6f6; padding: 0 0.2rem; }
"""


def render_html(markdown_text: str, images: dict[str, bytes]) -> str:
    """Self-contained HTML of the Markdown report, PNG figures embedded as data URIs.

    Args:
        markdown_text: The report.
        images: PNG bytes by the relative path the Markdown uses for them.
    """
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"], output_format="html")
    for name, data in images.items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        body = body.replace(f'src="{html.escape(name)}"', f'src="{uri}"')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Policy report: scenarios against the baseline</title>\n"
        f"<style>{HTML_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- figure


def forest_figure(
    effects: pd.DataFrame, out: Path, outcomes: Sequence[Outcome] = OUTCOMES
) -> list[Path]:
    """Forest plot of the effects: one panel per outcome, scenarios on the y axis.

    Points are differences from the baseline, bars their 95% CIs, coloured by verdict;
    a vertical line marks zero (no effect). Written as PNG and SVG, deterministically.

    Returns:
        The two files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    from collab_sim.analysis.plots import save_figure

    present = [o for o in outcomes if o.column in set(effects.outcome)]
    scenarios = sorted(effects.scenario.unique())
    y = {name: len(scenarios) - 1 - k for k, name in enumerate(scenarios)}
    ncols = min(4, len(present))
    nrows = math.ceil(len(present) / ncols)
    rc = {"svg.fonttype": "path"}
    with plt.rc_context(rc), sns.axes_style("whitegrid"), sns.plotting_context("notebook"):
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(4.4 * ncols, 1.0 + nrows * (1.4 + 0.32 * len(scenarios))),
            sharey=True, squeeze=False, layout="constrained",
        )  # fmt: skip
        for ax, outcome in zip(axes.flat, present, strict=False):
            rows = effects[effects.outcome == outcome.column]
            for _, row in rows.iterrows():
                pos = y[row.scenario]
                color = VERDICT_COLORS.get(row.verdict, VERDICT_COLORS["no clear effect"])
                if not math.isnan(row.ci_low):
                    ax.hlines(pos, row.ci_low * outcome.scale, row.ci_high * outcome.scale,
                              color=color, linewidth=2)  # fmt: skip
                ax.plot(row.difference * outcome.scale, pos, "o", color=color, markersize=6)
            ax.axvline(0, color="black", linewidth=1)
            better = {"higher": " (higher is better)", "lower": " (lower is better)"}
            ax.set_title(outcome.label + better.get(outcome.better or "", ""), fontsize=11)
            unit = f" ({outcome.unit})" if outcome.unit else ""
            ax.set_xlabel(f"difference vs baseline{unit}", fontsize=10)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
            ax.set_yticks(list(y.values()), list(y.keys()))
            ax.set_ylim(-0.7, len(scenarios) - 0.3)
        for ax in list(axes.flat)[len(present) :]:
            ax.set_visible(False)
        handles = [
            Line2D([], [], color=c, marker="o", linewidth=2, label=k)
            for k, c in VERDICT_COLORS.items()
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                   frameon=False)  # fmt: skip
        fig.suptitle("Effects against the baseline: difference of means over replicates, "
                     "95% CI (Welch's t)")  # fmt: skip
        return save_figure(fig, out, FIGURE)


# --------------------------------------------------------------------------- the command


def _scenarios_of_runs(sweep: Path) -> list[str]:
    """Scenario of every completed run, read from ``summary.json`` (no file written)."""
    from collab_sim.sweeps.aggregate import completed_runs

    names = []
    for run in completed_runs(sweep):
        summary = json.loads((run / "summary.json").read_text())
        name = next((summary[k] for k in SCENARIO_COLUMNS if k in summary), None)
        names.append(str(name))
    return names


def load_results(sweep_dir: str | Path) -> pd.DataFrame:
    """The sweep's ``results.parquet``, built first when missing.

    A missing table is built with :func:`collab_sim.aggregate.aggregate`, after checking
    that the runs hold a baseline and another scenario (so a bad sweep writes nothing).

    Raises:
        ReportError: if there is no sweep, no completed run, no baseline or nothing else.
    """
    from collab_sim.sweeps.aggregate import RESULTS, aggregate

    sweep = Path(sweep_dir)
    if not sweep.is_dir():
        raise ReportError("no such directory")
    if not (sweep / RESULTS).exists():
        names = _scenarios_of_runs(sweep)
        if not names:
            raise ReportError(f"no {RESULTS} and no completed run (summary.json); {SWEEP_HINT}")
        check_scenarios(names)
        return aggregate(sweep)
    try:
        return pd.read_parquet(sweep / RESULTS)
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
        raise ReportError(f"{RESULTS} cannot be read ({err})") from err


def write_report_files(sweep_dir: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Write the report of a sweep and return every file written, ``report.md`` first.

    Args:
        sweep_dir: A sweep directory (``results.parquet``, or completed runs to build it).
        out_dir: Where to write; default ``sweep_dir``.

    Raises:
        ReportError: if the sweep cannot be reported on; nothing is written then.
    """
    table = load_results(sweep_dir)
    effects = compute_effects(table)
    out = Path(sweep_dir if out_dir is None else out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = forest_figure(effects, out)
    label = Path(os.path.normpath(sweep_dir)).as_posix()
    text = render_markdown(table, effects, label, figure=figures[0].name)
    png = figures[0].read_bytes()
    paths = [out / REPORT_MD, out / REPORT_HTML, out / EFFECTS_CSV]
    write_text(text, paths[0])
    write_text(render_html(text, {figures[0].name: png}), paths[1])
    write_text(effects.to_csv(index=False, lineterminator="\n"), paths[2])
    return [*paths, *figures]


def write_report(sweep_dir: str | Path, out_dir: str | Path | None = None) -> Path:
    """Write the policy report of a sweep (see :func:`write_report_files`).

    Args:
        sweep_dir: A sweep directory.
        out_dir: Where to write; default ``sweep_dir``.

    Returns:
        The path of ``report.md``.
    """
    return write_report_files(sweep_dir, out_dir)[0]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``collab-sim-report SWEEP_DIR [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-report",
        description="Compare every scenario of a sweep with the baseline: effect sizes with "
        "95% CIs as report.md, report.html, report_effects.csv and a forest plot.",
    )
    parser.add_argument("sweep_dir", metavar="SWEEP_DIR")
    parser.add_argument("--out", metavar="DIR", help="write the report here (default SWEEP_DIR)")
    args = parser.parse_args(argv)
    try:
        paths = write_report_files(args.sweep_dir, args.out)
    except ReportError as err:
        _fail(f"SWEEP_DIR={args.sweep_dir}: {err}")
    except OSError as err:
        where = f"--out={args.out}" if args.out else f"SWEEP_DIR={args.sweep_dir}"
        _fail(f"{where}: cannot write the report ({err.strerror or err})")
    for path in paths:
        print(path)


def _fail(message: str) -> None:
    print(f"collab-sim-report: error: {message}", file=sys.stderr)
    sys.exit(2)


def summary_block(report_markdown: str) -> str:
    """The summary table of a report (its legend line and table), as the README shows it."""
    section = report_markdown.split("## Summary of effects\n", 1)[1]
    lines = [line for line in section.split("\n![", 1)[0].strip().splitlines() if line]
    return "\n\n".join([lines[0], "\n".join(lines[1:])]) + "\n"


if __name__ == "__main__":
    main()
