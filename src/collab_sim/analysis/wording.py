"""The policy report's words: numbers in display units, sentences, table cells, names.

Every function returns text for :mod:`collab_sim.analysis.report` to place; how an
outcome is named, its unit and its better direction come from the outcome registry
(:mod:`collab_sim.outputs.outcomes`).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from collab_sim.outputs.outcomes import PP, Outcome

MINUS = "\N{MINUS SIGN}"
#: How the report says which direction is better.
JUDGED = {"higher": "higher is better", "lower": "lower is better"}


# --------------------------------------------------------------------------- numbers


def number(x: float | None, decimals: int, *, sign: bool = False) -> str:
    """A number with ``decimals`` decimals, a true minus sign, ``+`` when ``sign``.

    Zero (after rounding) has no sign; NaN and ``None`` are ``n/a``.
    """
    if x is None or math.isnan(x):
        return "n/a"
    text = f"{abs(x):.{decimals}f}"
    if float(text) == 0:
        return text
    if x < 0:
        return MINUS + text
    return "+" + text if sign else text


def show(outcome: Outcome, value: float, *, sign: bool = False, decimals: int | None = None) -> str:
    """Format a raw value (or difference) of ``outcome`` in display units."""
    shown = outcome.decimals if decimals is None else decimals
    return number(value * outcome.scale, shown, sign=sign)


def precision(outcome: Outcome, *values: float) -> int:
    """Decimals that show every non-zero value as non-zero (up to two more than usual)."""
    shown = [abs(v) * outcome.scale for v in values if not math.isnan(v) and v != 0]
    decimals = outcome.decimals
    while decimals < outcome.decimals + 2 and any(round(v, decimals) == 0 for v in shown):
        decimals += 1
    return decimals


def plural(n: int, word: str) -> str:
    """``1 scenario``, ``2 scenarios``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- names


def scenario_title(name: str) -> str:
    """Plain-language name of a scenario: ``high_power_imbalance`` -> ``high power imbalance``."""
    return name.replace("_", " ")


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


def outcome_line(outcome: Outcome) -> str:
    """The report's description of an outcome: family, label, column, unit, direction, note."""
    judged = JUDGED.get(outcome.better or "", "neither direction is called better")
    note = f" ({outcome.note})" if outcome.note else ""
    unit = f", {outcome.unit}" if outcome.unit else ""
    return f"{outcome.family}: {outcome.label} (`{outcome.name}`{unit}); {judged}{note}."


def header(outcome: Outcome) -> str:
    """Column header of the summary table: label, short unit and the better direction."""
    unit = f", {outcome.unit.replace(PP, 'pp')}" if outcome.unit else ""
    better = f"; {outcome.better} is better" if outcome.better else ""
    return f"{outcome.label}{unit}{better}"


def level_unit(outcome: Outcome) -> str:
    """Unit of the baseline levels table: ``%`` for shares, else the outcome's unit."""
    return "%" if outcome.unit == PP else outcome.unit


# --------------------------------------------------------------------------- effects


def cell(outcome: Outcome, effect: pd.Series) -> str:
    """Summary-table cell of an effect: ``diff (low to high)``, bold and marked when clear."""
    values = effect["difference"], effect["ci_low_adjusted"], effect["ci_high_adjusted"]
    d = precision(outcome, *values)
    diff, low, high = (show(outcome, v, sign=True, decimals=d) for v in values)
    kind = effect["verdict"]
    mark = {"better": " ✓", "worse": " ✗"}.get(kind, "")
    rel = relative(effect)
    if kind in ("no clear effect", "n/a"):
        return f"{diff}{rel} ({low} to {high})"
    return f"**{diff}**{rel} ({low} to {high}){mark}"


def relative(effect: pd.Series | dict) -> str:
    """`` [+12%]``: the difference as a share of the baseline's mean (empty for shares).

    Shares are compared in percentage points, where a percentage of a percentage would
    read as a second, different difference; so they get none.
    """
    if effect["unit"] == "share (0-1)":
        return ""
    rel = effect["relative"]
    if rel is None or math.isnan(rel) or math.isinf(rel):
        return ""
    return f" [{number(100 * rel, 0 if abs(rel) >= 0.095 else 1, sign=True)}%]"


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
        effect: A row of :func:`collab_sim.analysis.effects.compute_effects`.
        runs: Runs of the scenario and of the baseline; the sentence names n when the
            outcome has fewer values (runs without one are left out). ``None``: always.

    Returns:
        The sentence, ending with a full stop.
    """
    diff, low, high = effect["difference"], effect["ci_low_adjusted"], effect["ci_high_adjusted"]
    who = f"The {scenario_title(name)} scenario"
    kind = effect["verdict"]
    unit = f" {outcome.unit}" if outcome.unit else ""
    if kind == "n/a":
        if math.isnan(diff):
            return f"{who}: no runs with a value for {outcome.label}."
        return (
            f"{who} changes {outcome.label} by {show(outcome, diff, sign=True)}{unit}; no "
            "confidence interval (fewer than two runs in a group)."
        )
    n = _n_note(effect, runs)
    d = precision(outcome, diff, low, high)
    if kind == "no clear effect":
        return (
            f"{who} has no clear effect on {outcome.label} (difference "
            f"{show(outcome, diff, sign=True, decimals=d)}{unit}, adjusted CI "
            f"{show(outcome, low, sign=True, decimals=d)} to "
            f"{show(outcome, high, sign=True, decimals=d)}{n})."
        )
    up = diff > 0
    lo, hi = (low, high) if up else (-high, -low)
    phrase = (outcome.up if up else outcome.down).format(x=show(outcome, abs(diff), decimals=d))
    judged = {"better": ", which is better", "worse": ", which is worse"}.get(kind, "")
    return (
        f"{who} {phrase}{relative(effect)} (adjusted CI {show(outcome, lo, decimals=d)} to "
        f"{show(outcome, hi, decimals=d)}{n}) against the baseline{judged}."
    )


def _n_note(effect: pd.Series | dict, runs: tuple[int, int] | None) -> str:
    n = (int(effect["n_scenario"]), int(effect["n_baseline"]))
    if runs is not None and n == tuple(runs):
        return ""
    return f"; n = {n[0]} vs {n[1]} runs with a value"


def summary_line(rows: pd.DataFrame) -> str:
    """A scenario's effects in one line: better on, worse on, clear changes, unclear."""
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
