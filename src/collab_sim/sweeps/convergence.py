"""Whether a sensitivity analysis's indices are about the parameters or about the noise.

Two checks of a sensitivity sweep (:mod:`collab_sim.sweeps.sensitivity`), written beside
its indices:

* **Replicate noise share** (:func:`noise_shares`): each design point's output is the mean
  of its replicates (paired seeds: replicate r of every point has the same seed). The
  noise left in those means is ``mean_p(var_p / R_p)`` (the variance of a point's mean over
  its replicates); divided by the variance of the point means over the design, it is the
  share of what the indices decompose that is run-to-run noise. Noise does not depend on
  the parameters, so a Sobol analysis counts it as interaction: total indices sum to about
  ``1 + share`` more than first-order ones. A share of a few percent means the indices
  describe the parameters; a large one calls for more replicates.
* **Convergence** (:func:`design_sizes`, used by
  :func:`collab_sim.sweeps.sensitivity.indices_by_size`): the indices recomputed on the
  first 1/8, 1/4, 1/2 and all of the base samples (prefixes of the design: a Saltelli
  design's base samples are blocks of D + 2 points, a Morris design's trajectories blocks
  of D + 1), with their
  bootstrap intervals, as a table and a figure (``sensitivity_convergence.png``). Stable
  indices change little over the last doublings.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from collab_sim.config.schema import SensitivityConfig

#: Fractions of the base samples the convergence table recomputes the indices on.
FRACTIONS = (0.125, 0.25, 0.5, 1.0)


def noise_shares(runs: pd.DataFrame, outputs: list[str]) -> dict[str, float]:
    """Share of the point means' variance that replicate noise explains, per output.

    Args:
        runs: One row per run with a ``point`` column (the design point) and the outputs.
        outputs: The outputs.

    Returns:
        NaN for an output without two replicates at any point or without variation.
    """
    shares = {}
    for output in outputs:
        values = pd.to_numeric(runs[output], errors="coerce")
        by = values.groupby(runs["point"])
        counts, variances, means = by.count(), by.var(ddof=1), by.mean()
        usable = counts >= 2
        total = float(means.var(ddof=1)) if len(means) > 1 else math.nan
        if not usable.any() or not total or math.isnan(total):
            shares[output] = math.nan
            continue
        noise = float((variances[usable] / counts[usable]).mean())
        shares[output] = noise / total
    return shares


def _block(spec: SensitivityConfig) -> int:
    d = len(spec.parameters)
    return d + 2 if spec.method == "sobol" else d + 1


def design_sizes(spec: SensitivityConfig) -> list[tuple[int, int]]:
    """Base samples and design points of each prefix the indices are recomputed on.

    :data:`FRACTIONS` of ``spec.samples``, at least 2 base samples each.
    """
    sizes = sorted({min(spec.samples, max(2, math.ceil(spec.samples * f))) for f in FRACTIONS})
    return [(n, n * _block(spec)) for n in sizes]


def figure(spec: SensitivityConfig, table: pd.DataFrame, out: Path) -> list[Path]:
    """Indices against base samples, one panel per output, a line per parameter."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.ticker import NullLocator

    from collab_sim.analysis.plots import save_figure

    sns.set_theme(style="whitegrid")
    value, conf, label = ("ST", "ST_conf", "total index ST")
    if spec.method != "sobol":
        value, conf, label = ("mu_star", "mu_star_conf", "mu*")
    outputs = list(dict.fromkeys(table["output"]))
    fig, axes = plt.subplots(
        1, len(outputs), figsize=(4 * len(outputs), 3.6), sharex=True, layout="constrained"
    )
    axes = np.atleast_1d(axes)
    palette = sns.color_palette(n_colors=len(spec.parameters))
    for ax, output in zip(axes, outputs, strict=True):
        rows = table[table["output"] == output]
        lines = rows.groupby("parameter", sort=False)
        for colour, (name, line) in zip(palette, lines, strict=False):
            ax.errorbar(
                line["samples"], line[value], yerr=line[conf], color=colour, marker="o",
                capsize=2, label=name,
            )  # fmt: skip
        ax.set_xscale("log", base=2)
        sizes = sorted(rows["samples"].unique())
        ax.set_xticks(sizes, [str(n) for n in sizes])  # plain numbers, not mathtext powers
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("base samples")
        ax.set_title(output)
    axes[0].set_ylabel(label)
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    fig.suptitle(f"Convergence: {label} against the design's size (95% CIs)")
    return save_figure(fig, out, "sensitivity_convergence")


def markdown(spec: SensitivityConfig, shares: dict[str, float], table: pd.DataFrame) -> str:
    """The noise and convergence section of ``sensitivity.md``."""
    value = "ST" if spec.method == "sobol" else "mu_star"
    sizes = sorted(table["samples"].unique())
    lines = [
        "## Noise and convergence",
        "",
        "Replicate noise share: the share of the design points' variance (of their means "
        "over replicates) that run-to-run noise explains; a Sobol analysis counts it as "
        "interaction. Change: the largest change of any parameter's "
        f"{value} between the last two design sizes ({sizes[-2] if len(sizes) > 1 else '-'} "
        f"and {sizes[-1]} base samples; `sensitivity_convergence.csv` and "
        "`sensitivity_convergence.png` show every size).",
        "",
        f"| output | replicate noise share | largest change of {value} |",
        "|---|---|---|",
    ]
    for output in dict.fromkeys(table["output"]):
        share = shares.get(output, math.nan)
        rows = table[table["output"] == output]
        change = math.nan
        if len(sizes) > 1:
            last = rows[rows.samples == sizes[-1]].set_index("parameter")[value]
            before = rows[rows.samples == sizes[-2]].set_index("parameter")[value]
            change = float((last - before.reindex(last.index)).abs().max())
        shown = "n/a (one replicate per point)" if math.isnan(share) else f"{100 * share:.1f}%"
        lines.append(f"| {output} | {shown} | {change:.3f} |")
    lines.append("")
    return "\n".join(lines)
