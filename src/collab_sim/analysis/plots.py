"""Figures of a sweep, drawn with seaborn from its ``results.parquet`` (PNG and SVG).

* a scenario sweep (or any sweep of one categorical key, e.g. ``power``): each outcome by
  option, point estimates with 95% CIs over replicates; when the options' runs share their
  seeds (``seeds=paired``), also each option's paired difference from the reference (the
  baseline, or the first option), mean of per-seed differences with a 95% CI
  (``*_differences``);
* one swept numeric parameter: each outcome against it, mean with a 95% CI band (and,
  paired, the per-seed difference from the lowest value);
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


def paired_differences(table: pd.DataFrame, by: str, outcomes: list[str]) -> pd.DataFrame | None:
    """Per-seed differences of every option of ``by`` from the reference option.

    The reference is ``baseline`` when it is an option, else the first option in sort
    order. None unless every option has the same seeds, once each (a paired sweep).

    Returns:
        One row per option and seed (the reference left out): ``by``, ``seed`` and each
        outcome's difference from the reference's run of that seed.
    """
    if "seed" not in table.columns:
        return None
    groups = {k: g.set_index("seed") for k, g in table.groupby(by, sort=True)}
    seeds = [set(g.index) for g in groups.values()]
    if len(groups) < 2 or any(not g.index.is_unique for g in groups.values()):
        return None
    if any(s != seeds[0] for s in seeds) or len(seeds[0]) < 2:
        return None
    reference = "baseline" if "baseline" in groups else sorted(groups)[0]
    base = groups[reference][outcomes].apply(pd.to_numeric, errors="coerce")
    frames = []
    for name, g in groups.items():
        if name == reference:
            continue
        d = g[outcomes].apply(pd.to_numeric, errors="coerce") - base.reindex(g.index)
        frames.append(d.assign(**{by: name}).reset_index())
    differences = pd.concat(frames, ignore_index=True)
    differences.attrs["reference"] = reference
    return differences


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
        stem = "scenario_comparison" if by == SCENARIO_KEY else f"by_{name}"
        written += save_figure(fig, out, stem)
        diffs = paired_differences(table, by, outcomes)
        if diffs is not None:
            written += _difference_figure(diffs, by, outcomes, label, out, stem)
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
        stem = "outcomes_vs_" + key.removeprefix("config.").replace(".", "_")
        written += save_figure(fig, out, stem)
        diffs = paired_differences(table, key, outcomes)
        if diffs is not None:
            written += _difference_figure(diffs, key, outcomes, label, out, stem, numeric=True)
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


def _difference_figure(
    diffs: pd.DataFrame,
    by: str,
    outcomes: list[str],
    label: dict[str, str],
    out: Path,
    stem: str,
    numeric: bool = False,
) -> list[Path]:
    """Paired differences from the reference option, one panel per outcome."""
    reference = diffs.attrs["reference"]
    name = by.removeprefix("config.")
    if numeric:
        fig, axes = plt.subplots(1, len(outcomes), figsize=(4 * len(outcomes), 3.5))
    else:
        fig, axes = plt.subplots(1, len(outcomes), figsize=(4 * len(outcomes), 5), sharey=True)
    order = sorted(diffs[by].unique(), key=str)
    for ax, outcome in zip(axes if len(outcomes) > 1 else [axes], outcomes, strict=True):
        if numeric:
            sns.lineplot(
                data=diffs, x=by, y=outcome, errorbar=("ci", 95), seed=BOOTSTRAP_SEED,
                marker="o", ax=ax,
            )  # fmt: skip
            ax.axhline(0, color="black", linewidth=1)
            ax.set_xlabel(name)
            ax.set_ylabel(f"{label[outcome]}: difference")
        else:
            sns.pointplot(
                data=diffs, y=by, x=outcome, order=order, errorbar=("ci", 95),
                seed=BOOTSTRAP_SEED, linestyle="none", ax=ax,
            )  # fmt: skip
            ax.axvline(0, color="black", linewidth=1)
            ax.set_xlabel(f"{label[outcome]}: difference")
            ax.set_ylabel("")
    fig.suptitle(
        f"Difference from {name} = {reference}, paired by seed "
        "(mean of per-seed differences, 95% CIs)"
    )
    return save_figure(fig, out, f"{stem}_differences")
