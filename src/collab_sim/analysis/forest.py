"""The policy report's figure: a forest plot of every effect against the baseline.

One panel per outcome, scenarios on the y axis; points are differences from the
baseline, bars their adjusted CIs (:mod:`collab_sim.analysis.effects`), coloured by
verdict. Written as PNG and SVG with fixed ids
and no date, so the same effects give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from collab_sim.analysis.effects import OUTCOMES
from collab_sim.analysis.wording import JUDGED
from collab_sim.outputs.outcomes import Outcome

FIGURE = "report_effects"
VERDICT_COLORS = {
    "better": "#1b9e77",
    "worse": "#d95f02",
    "clear change (no better direction)": "#7570b3",
    "no clear effect": "#8c8c8c",
}


def forest_figure(
    effects: pd.DataFrame, out: Path, outcomes: Sequence[Outcome] = OUTCOMES
) -> list[Path]:
    """Forest plot of the effects: one panel per outcome, scenarios on the y axis.

    Points are differences from the baseline, bars their adjusted CIs, coloured by verdict;
    a vertical line marks zero (no effect). Written as PNG and SVG, deterministically.

    Args:
        effects: From :func:`collab_sim.analysis.effects.compute_effects`.
        out: The directory to write ``report_effects.png`` and ``.svg`` in.
        outcomes: The outcomes to draw, in panel order (those without effects left out).

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

    present = [o for o in outcomes if o.name in set(effects.outcome)]
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
            rows = effects[effects.outcome == outcome.name]
            for _, row in rows.iterrows():
                pos = y[row.scenario]
                color = VERDICT_COLORS.get(row.verdict, VERDICT_COLORS["no clear effect"])
                low, high = row.ci_low_adjusted, row.ci_high_adjusted
                if not math.isnan(low):
                    ax.hlines(pos, low * outcome.scale, high * outcome.scale,
                              color=color, linewidth=2)  # fmt: skip
                ax.plot(row.difference * outcome.scale, pos, "o", color=color, markersize=6)
            ax.axvline(0, color="black", linewidth=1)
            judged = f" ({JUDGED[outcome.better]})" if outcome.better else ""
            ax.set_title(outcome.label + judged, fontsize=11)
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
        paired = set(effects.design) == {"paired"}
        how = "mean of paired differences" if paired else "difference of means"
        level = 100 * float(effects.confidence_adjusted.iloc[0])
        title = (
            f"Effects against the baseline: {how} over replicates, CI adjusted for "
            f"{len(effects)} comparisons (Benjamini-Hochberg, {level:.2f}%)"
        )
        fig.suptitle(title)
        return save_figure(fig, out, FIGURE)
