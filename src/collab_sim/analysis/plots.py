"""Figures of a sweep, drawn with seaborn from its ``results.parquet`` (PNG and SVG).

* a scenario sweep (or any sweep of one categorical key, e.g. ``power``): each outcome by
  option, point estimates with 95% CIs over replicates;
* one swept numeric parameter: each outcome against it, mean with a 95% CI band;
* two swept numeric parameters: a heatmap of each outcome's mean over the grid.

The outcomes and their labels come from the outcome registry
(:mod:`collab_sim.outputs.outcomes`).

Written next to ``results.parquet`` by the end-of-sweep callback and by
``collab-sim-aggregate``.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no screen

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from collab_sim.outputs import outcomes as registry
from collab_sim.outputs.files import write_bytes

#: Outcomes drawn for every sweep (entries of the outcome registry, labelled from it).
OUTCOMES: tuple[registry.Outcome, ...] = registry.select(
    "approvals", "early_ending_share", "nonprofit_participation", "value_gini", "mean_trust"
)
SCENARIO_KEY = "config.scenario_name"
#: seaborn bootstraps its CIs; a fixed seed makes a sweep's figures the same bytes every time.
BOOTSTRAP_SEED = 0


def save_figure(fig: plt.Figure, out: Path, name: str) -> list[Path]:
    """Write ``fig`` as ``name.png`` and ``name.svg`` in ``out``, atomically, and close it.

    The SVG has a fixed hash salt and no date, so the same figure gives the same bytes.
    """
    paths = [Path(out) / f"{name}.png", Path(out) / f"{name}.svg"]
    with plt.rc_context({"svg.hashsalt": "collab-sim"}):
        for path in paths:
            buffer = io.BytesIO()
            metadata = {"Date": None} if path.suffix == ".svg" else None
            fig.savefig(
                buffer, format=path.suffix[1:], dpi=120, bbox_inches="tight", metadata=metadata
            )
            write_bytes(buffer.getvalue(), path)
    plt.close(fig)
    return paths


def sweep_figures(table: pd.DataFrame, out: str | Path) -> list[Path]:
    """Draw the figures that suit the sweep's swept keys; return the files written."""
    out = Path(out)
    drawn = [o for o in OUTCOMES if o.name in table.columns and table[o.name].notna().any()]
    outcomes = [o.name for o in drawn]
    label = {o.name: o.label for o in drawn}
    keys = [c for c in table.columns if c.startswith("config.")]
    numeric = [k for k in keys if pd.api.types.is_numeric_dtype(table[k])]
    categorical = [k for k in keys if k not in numeric]
    single = categorical[0] if len(categorical) == 1 and len(keys) == 1 else None
    by = SCENARIO_KEY if SCENARIO_KEY in keys else single
    written: list[Path] = []
    sns.set_theme(style="whitegrid")
    if by is not None and by in categorical:
        order = sorted(table[by].unique(), key=lambda s: (s != "baseline", s))
        fig, axes = plt.subplots(1, len(outcomes), figsize=(4 * len(outcomes), 5), sharey=True)
        for ax, outcome in zip(axes if len(outcomes) > 1 else [axes], outcomes, strict=True):
            sns.pointplot(
                data=table, y=by, x=outcome, order=order, errorbar=("ci", 95),
                seed=BOOTSTRAP_SEED, linestyle="none", ax=ax,
            )  # fmt: skip
            ax.set_xlabel(label[outcome])
            ax.set_ylabel("")
        name = by.removeprefix("config.")
        fig.suptitle(f"By {name} (means, 95% CIs over replicates)")
        written += save_figure(
            fig, out, "scenario_comparison" if by == SCENARIO_KEY else f"by_{name}"
        )
    elif len(numeric) == 1:
        key = numeric[0]
        fig, axes = plt.subplots(1, len(outcomes), figsize=(4 * len(outcomes), 3.5))
        for ax, outcome in zip(axes if len(outcomes) > 1 else [axes], outcomes, strict=True):
            sns.lineplot(
                data=table, x=key, y=outcome, errorbar=("ci", 95), seed=BOOTSTRAP_SEED,
                marker="o", ax=ax,
            )  # fmt: skip
            ax.set_xlabel(key.removeprefix("config."))
            ax.set_ylabel(label[outcome])
        fig.suptitle("Mean with 95% CI band over replicates")
        written += save_figure(
            fig, out, "outcomes_vs_" + key.removeprefix("config.").replace(".", "_")
        )
    elif len(numeric) == 2:
        x, y = numeric
        for outcome in outcomes:
            grid = table.pivot_table(index=y, columns=x, values=outcome, aggfunc="mean")
            fig, ax = plt.subplots(figsize=(6, 4.5))
            sns.heatmap(grid, annot=True, fmt=".2f", cmap="viridis", ax=ax)
            ax.set_xlabel(x.removeprefix("config."))
            ax.set_ylabel(y.removeprefix("config."))
            ax.set_title(f"{label[outcome]} (mean over replicates)")
            written += save_figure(fig, out, f"heatmap_{outcome}")
    return written
