"""Calibration of the R&D pipeline against published clinical development figures.

    collab-sim-calibrate                      # 40 baseline replicates, table to results/
    collab-sim-calibrate --replicates 80 --out /tmp/cal power=equal
    collab-sim-calibrate --fit 6              # refit the stage parameters, print them

Targets: BIO, Informa Pharma Intelligence and QLS Advisors, *Clinical Development Success
Rates 2011-2020* (2021): phase transition success 52.0%, 28.9%, 57.8%, 90.6%; likelihood
of approval (LOA) from phase 1 7.9%, 17.0% for rare diseases; 10.5 years from phase 1 to
approval (2.3, 3.6, 3.3 and 1.3 years in phases 1, 2, 3 and regulatory review).

Simulated figures pool the projects of all replicates (as the report pools programmes).
Confidence intervals are 95% percentile bootstrap intervals over replicates (runs are
the independent units), so they include between-run variation.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from collab_sim.analysis import patterns
from collab_sim.config.composition import make_config
from collab_sim.config.schema import ConfigError, SimConfig
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.files import write_text
from collab_sim.outputs.summary import loa, phase_months, transition_counts
from collab_sim.vocabulary import TRANSITIONS

SOURCE = "BIO/Informa/QLS, Clinical Development Success Rates 2011-2020"
PUBLISHED_RATES = {
    "phase1_to_phase2": 0.520,
    "phase2_to_phase3": 0.289,
    "phase3_to_submission": 0.578,
    "submission_to_approval": 0.906,
}
PUBLISHED_LOA = 0.079
PUBLISHED_LOA_RARE = 0.170
PUBLISHED_PHASE_YEARS = {
    "phase1_to_phase2": 2.3,
    "phase2_to_phase3": 3.6,
    "phase3_to_submission": 3.3,
    "submission_to_approval": 1.3,
}
PUBLISHED_YEARS = 10.5
BOOTSTRAP = 1000


@dataclass
class RunStats:
    """What one replicate contributes: transition counts and months spent per phase."""

    counts: dict[str, list[int]]
    rare: dict[str, list[int]]
    months: dict[str, list[int]]


def replicate(cfg: SimConfig) -> RunStats:
    """Run one replicate and extract its pipeline statistics."""
    model = EcosystemModel(cfg).run()
    pr = model.projects
    return RunStats(
        transition_counts(pr),
        transition_counts(pr, pr.rare[: pr.count]),
        phase_months(pr),
    )


def run_replicates(base: SimConfig, replicates: int, seed: int) -> list[RunStats]:
    """``replicates`` runs of ``base`` with seeds ``seed, seed+1, ...``."""
    from dataclasses import replace

    return [replicate(replace(base, seed=seed + r)) for r in range(replicates)]


def _pool(runs: list[RunStats], attr: str) -> dict[str, list[int]]:
    pooled = {name: [0, 0] for name in TRANSITIONS}
    for run in runs:
        for name, (a, b) in getattr(run, attr).items():
            pooled[name][0] += a
            pooled[name][1] += b
    return pooled


def _metrics(runs: list[RunStats]) -> dict[str, float]:
    counts = _pool(runs, "counts")
    out = {}
    for name, (a, b) in counts.items():
        out[name] = a / (a + b) if a + b else math.nan
    for key, value in (
        ("loa_phase1", loa(counts)),
        ("loa_phase1_rare_disease", loa(_pool(runs, "rare"))),
    ):
        out[key] = math.nan if value is None else value
    years = 0.0
    for name in TRANSITIONS:
        months = [m for run in runs for m in run.months[name]]
        out[f"years_{name}"] = np.mean(months) / 12 if months else math.nan
        years += out[f"years_{name}"]
    out["years_phase1_to_approval"] = years
    return out


def calibration_table(runs: list[RunStats], seed: int) -> pd.DataFrame:
    """Simulated vs published, with 95% bootstrap CIs over replicates."""
    point = _metrics(runs)
    rng = np.random.default_rng(seed)
    boots = [
        _metrics([runs[i] for i in rng.integers(0, len(runs), len(runs))]) for _ in range(BOOTSTRAP)
    ]
    published = (
        PUBLISHED_RATES
        | {"loa_phase1": PUBLISHED_LOA, "loa_phase1_rare_disease": PUBLISHED_LOA_RARE}
        | {f"years_{k}": v for k, v in PUBLISHED_PHASE_YEARS.items()}
        | {"years_phase1_to_approval": PUBLISHED_YEARS}
    )
    counts = _pool(runs, "counts")
    rows = []
    for metric, target in published.items():
        values = np.array([b[metric] for b in boots])
        low, high = np.nanpercentile(values, [2.5, 97.5])
        n = sum(counts[metric]) if metric in counts else None
        rows.append(
            {
                "metric": metric,
                "published": target,
                "simulated": point[metric],
                "ci95_low": low,
                "ci95_high": high,
                "n_projects": n,
            }
        )
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame, replicates: int, seed: int, steps: int) -> str:
    """The table as Markdown, with how it was made."""
    lines = [
        f"Pipeline calibration: {replicates} baseline replicates (seeds {seed}.."
        f"{seed + replicates - 1}, {steps} months each) against {SOURCE}.",
        "Simulated figures pool all replicates; 95% CIs are percentile bootstrap intervals"
        " over replicates.",
        "",
        "| metric | published | simulated | 95% CI | projects |",
        "|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        pct = not row.metric.startswith("years")
        fmt = (lambda x: f"{100 * x:.1f}%") if pct else (lambda x: f"{x:.2f} y")
        n = "" if pd.isna(row.n_projects) else f"{int(row.n_projects):,}"
        lines.append(
            f"| {row.metric} | {fmt(row.published)} | {fmt(row.simulated)} | "
            f"{fmt(row.ci95_low)} - {fmt(row.ci95_high)} | {n} |"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- fitting


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def fit(base: SimConfig, iterations: int, replicates: int, seed: int) -> SimConfig:
    """Refit phase success, phase durations and the rare-disease shift to the targets.

    Each iteration moves each phase's reference log-odds by the gap between published and
    simulated log-odds, scales each phase's months by published/simulated, and moves the
    rare-disease shift by the log-ratio of the LOAs spread over the four phases; moves
    after the first are halved, because replicate noise would otherwise make them jitter.
    """
    from dataclasses import replace

    cfg = base
    for it in range(iterations):
        m = _metrics(run_replicates(cfg, replicates, seed))
        pc = cfg.pipeline
        step = 1.0 if it == 0 else 0.5  # damped after the first move: runs are noisy
        success, months = list(pc.stage_success), list(pc.stage_months)
        for name, s in TRANSITIONS.items():
            gap = _logit(PUBLISHED_RATES[name]) - _logit(min(max(m[name], 1e-3), 1 - 1e-3))
            success[s] = round(float(min(0.995, _expit(_logit(success[s]) + step * gap))), 4)
            ratio = PUBLISHED_PHASE_YEARS[name] / m[f"years_{name}"]
            months[s] = round(float(months[s] * ratio**step), 2)
        spread = sum(1 - PUBLISHED_RATES[n] for n in TRANSITIONS)
        rare = m["loa_phase1_rare_disease"]
        gap = math.log(PUBLISHED_LOA_RARE / max(rare, 1e-4)) / spread
        shift = pc.rare_disease_log_odds + step * gap
        pipeline = replace(
            pc,
            stage_success=success,
            stage_months=months,
            rare_disease_log_odds=round(float(shift), 4),
        )
        cfg = replace(cfg, pipeline=pipeline)
        print(
            f"fit {it + 1}/{iterations}: "
            + ", ".join(f"{k} {m[k]:.3f}" for k in PUBLISHED_RATES)
            + f", LOA {m['loa_phase1']:.3f}, rare LOA {rare:.3f}, "
            f"years {m['years_phase1_to_approval']:.2f}",
            file=sys.stderr,
        )
    return cfg


# --------------------------------------------------------------------------- command


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-calibrate", description="Simulated vs published pipeline figures."
    )
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="results", help="directory for calibration.md/.csv")
    parser.add_argument("--fit", type=int, default=0, metavar="N", help="refit N iterations")
    parser.add_argument("overrides", nargs="*", help="config overrides, e.g. power=equal")
    args = parser.parse_args(argv)
    try:
        base = make_config(args.overrides)
    except ConfigError as err:
        print(f"collab-sim-calibrate: error: {err}", file=sys.stderr)
        sys.exit(2)
    if args.fit:
        cfg = fit(base, args.fit, args.replicates, args.seed)
        pc = cfg.pipeline
        print(f"pipeline.stage_success: {pc.stage_success}")
        print(f"pipeline.stage_months: {pc.stage_months}")
        print(f"pipeline.rare_disease_log_odds: {pc.rare_disease_log_odds}")
        return
    runs = run_replicates(base, args.replicates, args.seed)
    table = calibration_table(runs, args.seed)
    text = to_markdown(table, args.replicates, args.seed, base.steps)
    print(text, end="")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_text(text, out / "calibration.md")
    write_text(table.to_csv(index=False, float_format="%.6g"), out / "calibration.csv")
    values = patterns.measure(args.overrides, args.replicates, args.seed)
    found = patterns.patterns_table(values, args.seed)
    found_text = patterns.to_markdown(found, args.replicates, args.seed)
    print("\n" + found_text, end="")
    write_text(found_text, out / "patterns.md")
    write_text(found.to_csv(index=False, float_format="%.6g"), out / "patterns.csv")
    print(
        f"written: {out / 'calibration.md'}, {out / 'calibration.csv'}, "
        f"{out / 'patterns.md'}, {out / 'patterns.csv'}"
    )
