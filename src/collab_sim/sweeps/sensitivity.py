"""Global sensitivity analysis with SALib: Sobol or Morris designs run in chunks.

    collab-sim -m experiment=sensitivity                 # design, runs, indices
    collab-sim-sensitivity multirun/2026-11-23/10-00-00  # indices of any such sweep again

``conf/experiment/sensitivity.yaml`` declares the parameters and their ranges, the outputs and
the design (``sensitivity.*`` in :class:`collab_sim.config.schema.SensitivityConfig`), and sweeps
``sensitivity.chunk`` over ``0..chunks-1``. Every job builds the same design (SALib's
sampler with ``design_seed``), runs the points of its chunk one after another in its own
process (no Hydra job per point) and writes each point as an ordinary run, in
``<job>/point_00012`` (``.../replicate_0000`` when ``replicates`` > 1). All points use the
same seeds (common random numbers), so differences between points come from the
parameters, not from the seeds. At the end of the sweep the runs are aggregated, each
point's outputs averaged over its replicates, and SALib's analysis writes first-order and
total indices (Sobol) or mu* and sigma (Morris) as ``sensitivity.csv``, ``sensitivity.md``
and a figure ``sensitivity.png``/``.svg`` in the sweep directory, and whether the indices
are about the parameters or the noise: each output's replicate noise share and the
indices on growing prefixes of the design (``sensitivity_convergence.csv``/``.png``;
:mod:`collab_sim.sweeps.convergence`).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from collab_sim.config.keys import replace_key
from collab_sim.config.schema import ConfigError, SensitivityConfig, SimConfig
from collab_sim.config.validation import validate
from collab_sim.outputs.files import run_complete, write_parquet, write_text
from collab_sim.outputs.locking import locked

DESIGN_FILE = "sensitivity_design.yaml"
POINT = re.compile(r"(?:^|/)point_(\d+)(?:/|$)")


# --------------------------------------------------------------------------- design


def problem(spec: SensitivityConfig) -> dict[str, Any]:
    """SALib's problem definition: the parameter names and their bounds."""
    names = list(spec.parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [[float(v) for v in spec.parameters[n]] for n in names],
    }


def design(spec: SensitivityConfig) -> np.ndarray:
    """Every point of the design, one row per point, one column per parameter."""
    from SALib.sample import morris, sobol

    prob = problem(spec)
    if spec.method == "sobol":
        return sobol.sample(prob, spec.samples, calc_second_order=False, seed=spec.design_seed)
    return morris.sample(prob, spec.samples, num_levels=4, seed=spec.design_seed)


def chunk_points(spec: SensitivityConfig, n_points: int) -> np.ndarray:
    """Indices of the design points run by chunk ``spec.chunk`` (contiguous blocks)."""
    return np.array_split(np.arange(n_points), spec.chunks)[spec.chunk]


def _numeric(key: str, value: float) -> Any:
    """The leaf of a design parameter: a numeric field gets ``value`` (rounded for ints)."""

    def leaf(current: Any) -> Any:
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise ConfigError(
                f"sensitivity.parameters.{key}", current, "must name a numeric config key"
            )
        return round(value) if isinstance(current, int) else value

    return leaf


def point_config(base: SimConfig, names: list[str], x: np.ndarray) -> SimConfig:
    """The run config of one design point: ``base`` with each parameter set, validated."""
    cfg = dataclasses.replace(base, sensitivity=None, replicates=1)
    for name, value in zip(names, x, strict=True):
        cfg = replace_key(
            cfg, name, _numeric(name, float(value)), error_key=f"sensitivity.parameters.{name}"
        )
    return validate(cfg)


def check(base: SimConfig) -> SensitivityConfig:
    """Check the sensitivity spec of ``base``: ranges, keys and the design size.

    Returns:
        The spec.

    Raises:
        ConfigError: naming the bad ``sensitivity.*`` key, its value and what is allowed.
    """
    spec = base.sensitivity
    assert spec is not None
    if not spec.parameters:
        raise ConfigError("sensitivity.parameters", {}, "must name at least one config key")
    for name, bounds in spec.parameters.items():
        key = f"sensitivity.parameters.{name}"
        if len(bounds) != 2 or not bounds[0] < bounds[1]:
            raise ConfigError(key, list(bounds), "must be [low, high] with low < high")
        for end in bounds:  # both ends must be values the schema allows
            try:
                point_config(base, [name], np.array([end]))
            except ConfigError as err:
                if err.key.startswith("sensitivity."):
                    raise
                raise ConfigError(key, list(bounds), f"{err.key} {err.allowed}") from None
    if not spec.outputs:
        raise ConfigError("sensitivity.outputs", [], "must name at least one summary scalar")
    if spec.method == "sobol" and spec.samples & (spec.samples - 1):
        raise ConfigError("sensitivity.samples", spec.samples, "must be a power of 2 for sobol")
    if spec.chunk >= spec.chunks:
        raise ConfigError("sensitivity.chunk", spec.chunk, f"must be < chunks ({spec.chunks})")
    return spec


def design_record(spec: SensitivityConfig, n_points: int) -> dict[str, Any]:
    """What the analysis needs to rebuild the design (chunk left out: same for all jobs)."""
    record = dataclasses.asdict(spec)
    record.pop("chunk")
    return {**record, "n_points": n_points}


# --------------------------------------------------------------------------- running a chunk


def run_chunk(base: SimConfig, job_dir: Path, sweep_dir: Path, seeds: list[int]) -> int:
    """Run this job's chunk of the design; return how many runs were made (not skipped).

    Args:
        base: The job's config, with ``sensitivity`` set.
        job_dir: Where this job's point directories go.
        sweep_dir: The sweep directory, which gets ``sensitivity_design.yaml``.
        seeds: The seeds every point runs (the same for all points).
    """
    from collab_sim.simulation import config_yaml, run

    spec = check(base)
    x = design(spec)
    record = yaml.safe_dump(design_record(spec, len(x)), sort_keys=False)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    write_text(record, sweep_dir / DESIGN_FILE)
    names = problem(spec)["names"]
    made = 0
    for i in chunk_points(spec, len(x)):
        point = point_config(base, names, x[i])
        for r, seed in enumerate(seeds):
            cfg = dataclasses.replace(point, seed=seed)
            target = job_dir / f"point_{i:05d}"
            if len(seeds) > 1:
                target /= f"replicate_{r:04d}"
            text = config_yaml(cfg)
            with locked(target):  # as collab_sim.sweeps.cli.app: check, run, write
                if run_complete(target, text):
                    continue
                run(cfg).save(target, text)
            made += 1
    return made


# --------------------------------------------------------------------------- analysis


def _read_design(sweep: Path) -> tuple[SensitivityConfig, int]:
    path = sweep / DESIGN_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: not a sensitivity sweep")
    record = yaml.safe_load(path.read_text())
    n_points = int(record.pop("n_points"))
    return SensitivityConfig(**record), n_points


def point_runs(table: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """The runs of design points, with their point index (``point``).

    Raises:
        ValueError: if an output is not in the table.
    """
    missing_outputs = [o for o in outputs if o not in table.columns]
    if missing_outputs:
        raise ValueError(f"outputs not in the runs' summaries: {', '.join(missing_outputs)}")
    index = table["run_dir"].str.extract(POINT, expand=False).astype(float)
    return table.assign(point=index).dropna(subset=["point"])


def point_outputs(table: pd.DataFrame, outputs: list[str], n_points: int) -> pd.DataFrame:
    """Each design point's outputs, averaged over its replicates, in point order.

    Raises:
        ValueError: if a point has no complete run or an output is not in the table.
    """
    runs = point_runs(table, outputs)
    means = runs.groupby("point")[outputs].mean()
    missing = n_points - len(means)
    if missing:
        raise ValueError(
            f"{missing} of {n_points} design points have no complete run; rerun the same "
            "sweep command into the same hydra.sweep.dir to finish them"
        )
    means.index = means.index.astype(int)
    return means.sort_index()


def indices(spec: SensitivityConfig, y: pd.DataFrame, x: np.ndarray | None = None) -> pd.DataFrame:
    """SALib indices of every output: one row per (output, parameter).

    Sobol: first-order ``S1`` and total ``ST`` with 95% confidence half-widths. Morris:
    ``mu_star`` (mean absolute elementary effect, with its 95% half-width) and ``sigma``.
    An output that does not vary over the design gets NaN indices. ``x``: the design's
    points (default: built from ``spec``; a prefix of a larger design for convergence).
    """
    from SALib.analyze import morris, sobol

    prob = problem(spec)
    x = design(spec) if x is None else x
    # The bootstrap of the confidence intervals is seeded too; SALib's sobol.analyze treats
    # a seed of 0 as none (unseeded), hence the + 1.
    seed = spec.design_seed + 1
    rows = []
    for output in y.columns:
        values = y[output].to_numpy(dtype=float)
        if np.nanstd(values) == 0 or not np.isfinite(values).all():
            result: dict[str, Any] = {}
        elif spec.method == "sobol":
            result = sobol.analyze(prob, values, calc_second_order=False, seed=seed)
        else:
            result = morris.analyze(prob, x, values, num_levels=4, seed=seed)
        columns = (
            ("S1", "S1_conf", "ST", "ST_conf")
            if spec.method == "sobol"
            else ("mu_star", "mu_star_conf", "sigma", "mu")
        )
        for p, name in enumerate(prob["names"]):
            row = {"output": output, "parameter": name}
            row |= {c: float(result[c][p]) if c in result else np.nan for c in columns}
            rows.append(row)
    return pd.DataFrame(rows)


def indices_by_size(spec: SensitivityConfig, y: pd.DataFrame, x: np.ndarray) -> pd.DataFrame:
    """The indices on growing prefixes of the design, for the convergence check.

    Returns:
        The columns of :func:`indices` plus ``samples``, the base samples used; one block of
        rows per size of :func:`collab_sim.sweeps.convergence.design_sizes`.
    """
    from collab_sim.sweeps.convergence import design_sizes

    frames = []
    for n, rows in design_sizes(spec):
        part = dataclasses.replace(spec, samples=n)
        table = indices(part, y.iloc[:rows].reset_index(drop=True), x[:rows])
        frames.append(table.assign(samples=n))
    return pd.concat(frames, ignore_index=True)


def _markdown(spec: SensitivityConfig, table: pd.DataFrame, n_points: int) -> str:
    what = (
        "first-order (S1) and total (ST) Sobol indices, ± 95% confidence half-width"
        if spec.method == "sobol"
        else "Morris mu* (mean absolute elementary effect, ± 95% half-width) and sigma"
    )
    lines = [
        "# Sensitivity analysis",
        "",
        f"{spec.method.capitalize()} design (SALib), {spec.samples} base samples, "
        f"{len(spec.parameters)} parameters, {n_points} points; {what}.",
        "",
        "| parameter | range |",
        "|---|---|",
        *[f"| `{k}` | {v[0]:g} to {v[1]:g} |" for k, v in spec.parameters.items()],
        "",
    ]
    value_cols = [c for c in table.columns if c not in ("output", "parameter")]
    for output, rows in table.groupby("output", sort=False):
        lines += [f"## {output}", "", "| parameter | " + " | ".join(value_cols) + " |"]
        lines.append("|---|" + "---|" * len(value_cols))
        for _, row in rows.iterrows():
            cells = " | ".join(f"{row[c]:.3f}" for c in value_cols)
            lines.append(f"| `{row['parameter']}` | {cells} |")
        lines.append("")
    return "\n".join(lines)


def figure(spec: SensitivityConfig, table: pd.DataFrame, out: Path) -> list[Path]:
    """Bars of the indices per output and parameter, with 95% error bars (PNG and SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from collab_sim.analysis.plots import save_figure

    sns.set_theme(style="whitegrid")
    bars = (
        (("S1", "S1_conf", "first-order S1"), ("ST", "ST_conf", "total ST"))
        if spec.method == "sobol"
        else (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma"))
    )
    outputs = list(dict.fromkeys(table["output"]))
    names = list(spec.parameters)
    fig, axes = plt.subplots(
        1, len(outputs), figsize=(4 * len(outputs), 0.5 * len(names) + 1.5), sharey=True
    )
    axes = np.atleast_1d(axes)
    palette = sns.color_palette(n_colors=2)
    for ax, output in zip(axes, outputs, strict=True):
        rows = table[table["output"] == output].set_index("parameter").loc[names]
        pos = np.arange(len(names))
        for k, (col, conf, label) in enumerate(bars):
            ax.barh(
                pos + (k - 0.5) * 0.38,
                rows[col],
                height=0.38,
                xerr=rows[conf] if conf else None,
                color=palette[k],
                label=label,
                capsize=2,
            )
        ax.set_yticks(pos, names)
        ax.invert_yaxis()
        ax.set_title(output)
        ax.axvline(0, color="black", linewidth=0.8)
    axes[0].legend(loc="lower right", fontsize="small")
    title = "Sobol indices (95% CIs)" if spec.method == "sobol" else "Morris screening (95% CIs)"
    fig.suptitle(f"{title}: which parameters drive the outputs")
    return save_figure(fig, out, "sensitivity")


def analyse(sweep_dir: str | Path) -> pd.DataFrame:
    """Indices of a sensitivity sweep; writes sensitivity.csv/.md/.parquet and the figure.

    Raises:
        FileNotFoundError: if ``sweep_dir`` is not a sensitivity sweep or has no runs.
        ValueError: if design points are missing or an output is unknown.
    """
    from collab_sim.sweeps.aggregate import RESULTS, aggregate

    sweep = Path(sweep_dir)
    spec, n_points = _read_design(sweep)
    results = sweep / RESULTS
    table = pd.read_parquet(results) if results.exists() else aggregate(sweep)
    from collab_sim.sweeps import convergence

    outputs = list(spec.outputs)
    y = point_outputs(table, outputs, n_points)
    x = design(spec)
    result = indices(spec, y, x)
    shares = convergence.noise_shares(point_runs(table, outputs), outputs)
    steps = indices_by_size(spec, y, x)
    text = _markdown(spec, result, n_points) + "\n" + convergence.markdown(spec, shares, steps)
    write_parquet(result, sweep / "sensitivity.parquet")
    write_text(result.to_csv(index=False, float_format="%.6g"), sweep / "sensitivity.csv")
    write_text(
        steps.to_csv(index=False, float_format="%.6g"), sweep / "sensitivity_convergence.csv"
    )
    write_text(text, sweep / "sensitivity.md")
    figure(spec, result, sweep)
    convergence.figure(spec, steps, sweep)
    return result


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``collab-sim-sensitivity SWEEP_DIR``."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-sensitivity",
        description="Sobol or Morris indices of a sensitivity sweep (experiment=sensitivity).",
    )
    parser.add_argument("sweep_dir")
    args = parser.parse_args(argv)
    try:
        result = analyse(args.sweep_dir)
    except (FileNotFoundError, ValueError) as err:
        message = f"collab-sim-sensitivity: error: sweep_dir={args.sweep_dir!r}: {err}"
        print(message, file=sys.stderr)
        sys.exit(2)
    print(report_line(Path(args.sweep_dir), result))


def report_line(sweep: Path, result: pd.DataFrame) -> str:
    """One line saying what was computed and where it is."""
    outputs, parameters = result["output"].nunique(), result["parameter"].nunique()
    return (
        f"sensitivity indices of {outputs} outputs x {parameters} parameters: "
        f"{sweep / 'sensitivity.md'} (.csv, .png, .svg)"
    )
