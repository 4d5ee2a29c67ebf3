"""What each bottleneck and remedy does to innovation output, on paired seeds.

    collab-sim-effects                       # 100 paired replicates, results/effects.csv
    collab-sim-effects --replicates 20 --out /tmp/fx

For each bottleneck, the baseline with that bottleneck at strength 1 against the same
baseline with it at 0; for each remedy, the baseline with the remedy adopted by every new
partnership (adoption 1) against the baseline (0). Both arms of a comparison run the same
seeds (replicate r uses seed ``first_seed + r`` in both: common random numbers, so the
initial ecosystem and pipeline are shared and cancel in the difference). Outcomes:
approvals, months from phase 1 to approval (runs where it is defined in both arms) and
patient reach. Each row gives the mean paired difference, its 95% t interval, the
difference as a share of the reference arm's mean, and whether the interval excludes 0.

Runs are made in process, the model and its pipeline summary only (no tables or files),
in parallel with joblib. The CSV is written atomically, then the table between
``<!-- effects:begin -->`` and ``<!-- effects:end -->`` in ``docs/ODD.md`` is rendered
from it (``--odd PATH`` to write another file, ``--no-odd`` to leave it alone).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from collab_sim.analysis.effects import paired_comparison
from collab_sim.config.composition import make_config
from collab_sim.config.schema import ConfigError, SimConfig
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.files import write_text
from collab_sim.outputs.summary import pipeline_summary
from collab_sim.vocabulary import REMEDIES

BOTTLENECKS = (
    "role_ambiguity",
    "cultural_mismatch",
    "data_friction",
    "transactional_mindset",
    "power_imbalance",
)
#: Outcomes compared, and the direction a bottleneck is expected to move them.
OUTCOMES = {
    "approvals": "down",
    "mean_months_phase1_to_approval": "up",
    "patient_reach": "down",
}
BEGIN, END = "<!-- effects:begin -->", "<!-- effects:end -->"


@dataclass(frozen=True)
class Comparison:
    """One lever: the arm with it (``treated``) against the arm without (``reference``)."""

    lever: str
    kind: str  # "bottleneck" or "remedy"
    treated: dict[str, float]
    reference: dict[str, float]


def comparisons() -> list[Comparison]:
    """Every bottleneck at 1 against 0, every remedy at 1 against the baseline's 0."""
    out = [
        Comparison(b, "bottleneck", {f"bottlenecks.{b}": 1.0}, {f"bottlenecks.{b}": 0.0})
        for b in BOTTLENECKS
    ]
    out += [Comparison(r, "remedy", {f"remedies.{r}": 1.0}, {}) for r in REMEDIES]
    return out


def _run_seeds(cfg: SimConfig, seeds: list[int]) -> list[dict[str, float]]:
    rows = []
    for seed in seeds:
        model = EcosystemModel(dataclasses.replace(cfg, seed=seed))
        model.run()
        s = pipeline_summary(model.projects)
        rows.append({k: np.nan if s[k] is None else float(s[k]) for k in OUTCOMES})
    return rows


def run_arms(arms: dict[str, SimConfig], seeds: list[int], jobs: int) -> dict[str, pd.DataFrame]:
    """Outcomes of every arm on ``seeds``: one frame per arm, one row per seed."""
    chunks = [seeds[i : i + 10] for i in range(0, len(seeds), 10)]
    tasks = [(name, chunk) for name in arms for chunk in chunks]
    results = Parallel(n_jobs=jobs)(delayed(_run_seeds)(arms[n], c) for n, c in tasks)
    frames: dict[str, list[dict[str, float]]] = {name: [] for name in arms}
    for (name, _), rows in zip(tasks, results, strict=True):
        frames[name] += rows
    return {name: pd.DataFrame(rows, index=seeds) for name, rows in frames.items()}


def paired_effect(treated: pd.Series, reference: pd.Series) -> dict[str, float]:
    """Mean paired difference, its 95% t interval and the relative effect."""
    both = treated.notna() & reference.notna()
    c = paired_comparison(treated[both].to_numpy(), reference[both].to_numpy())
    low, high = c.interval()
    n = c.n_scenario
    ref = float(reference[both].mean()) if n else np.nan
    return {
        "n": n,
        "reference_mean": ref,
        "difference": c.difference,
        "ci_low": low,
        "ci_high": high,
        "relative": c.difference / ref if ref else np.nan,
    }


def effects_table(
    overrides: list[str], replicates: int, first_seed: int, jobs: int
) -> pd.DataFrame:
    """The effect table: one row per lever and outcome.

    Args:
        overrides: Config overrides every arm starts from (e.g. ``["steps=120"]``).
        replicates: Paired replicates per comparison.
        first_seed: Seed of the first replicate.
        jobs: Worker processes.
    """
    arms: dict[str, SimConfig] = {}
    comps = comparisons()
    for c in comps:
        for arm, values in (("treated", c.treated), ("reference", c.reference)):
            key = f"{c.lever}:{arm}" if values else "baseline"
            if key not in arms:
                arms[key] = make_config([*overrides, *(f"{k}={v}" for k, v in values.items())])
    seeds = list(range(first_seed, first_seed + replicates))
    frames = run_arms(arms, seeds, jobs)
    rows = []
    for c in comps:
        treated = frames[f"{c.lever}:treated"]
        reference = frames[f"{c.lever}:reference" if c.reference else "baseline"]
        for outcome, bad in OUTCOMES.items():
            e = paired_effect(treated[outcome], reference[outcome])
            expected = bad if c.kind == "bottleneck" else ("up" if bad == "down" else "down")
            clear = e["ci_low"] > 0 or e["ci_high"] < 0
            direction = "up" if e["difference"] > 0 else "down"
            rows.append(
                {"lever": c.lever, "kind": c.kind, "outcome": outcome, **e,
                 "expected": expected, "clear": clear,
                 "as_expected": bool(clear and direction == expected)}
            )  # fmt: skip
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame, replicates: int, first_seed: int, steps: int) -> str:
    """The table as docs/ODD.md shows it."""
    last = first_seed + replicates - 1
    lines = [
        f"Paired runs: {replicates} replicates (seeds {first_seed}..{last}, the same seeds in "
        f"both arms), {steps} months, baseline otherwise; written by `collab-sim-effects` "
        "(`make effects`) to `results/effects.csv`. Difference = lever at 1 minus lever at "
        "0, mean over pairs, with its 95% t interval and as a share of the arm without "
        "the lever; **bold**: the interval excludes 0.",
        "",
        "| lever | approvals | months phase 1 to approval | patient reach |",
        "|---|---|---|---|",
    ]
    for lever, rows in table.groupby("lever", sort=False):
        cells = []
        for _, r in rows.iterrows():
            text = (
                f"{r.difference:+.1f} ({r.ci_low:+.1f} to {r.ci_high:+.1f}; "
                f"{100 * r.relative:+.1f}%)"
            )
            cells.append(f"**{text}**" if r.clear else text)
        kind = rows.kind.iloc[0]
        lines.append(f"| {lever} ({kind}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_into(path: Path, block: str) -> str:
    """``path``'s text with the effects block replaced by ``block``."""
    text = path.read_text()
    head, rest = text.split(BEGIN + "\n", 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + "\n" + block + END + tail


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-effects",
        description="Effects of each bottleneck and remedy on innovation output, paired seeds.",
    )
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--out", default="results", help="directory for effects.csv/.md")
    parser.add_argument("--odd", default="docs/ODD.md", help="file whose effects block is set")
    parser.add_argument("--no-odd", action="store_true", help="leave the ODD file alone")
    parser.add_argument("overrides", nargs="*", help="config overrides, e.g. steps=120")
    args = parser.parse_args(argv)
    if args.replicates < 2:
        print(f"collab-sim-effects: error: --replicates={args.replicates}: must be >= 2",
              file=sys.stderr)  # fmt: skip
        sys.exit(2)
    try:
        base = make_config(args.overrides)
    except ConfigError as err:
        print(f"collab-sim-effects: error: {err}", file=sys.stderr)
        sys.exit(2)
    table = effects_table(args.overrides, args.replicates, args.seed, args.jobs)
    block = to_markdown(table, args.replicates, args.seed, base.steps)
    print(block, end="")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_text(table.to_csv(index=False, float_format="%.6g"), out / "effects.csv")
    write_text(block, out / "effects.md")
    if not args.no_odd:
        odd = Path(args.odd)
        write_text(render_into(odd, block), odd)
    print(f"written: {out / 'effects.csv'}, {out / 'effects.md'}")


if __name__ == "__main__":
    main()
