"""``replicates=auto``: run a sweep in batches until its paired effects are precise enough.

    collab-sim -m experiment=policy_comparison replicates=auto
    collab-sim -m remedies.partnership_managers=0,1 replicates=auto precision.target=0.01

The sweep runs with ``precision.first`` replicates per point, then, as long as some point's
paired difference from the reference point has a 95% interval wider than
``precision.target`` of the reference's mean on one of ``precision.outcomes``, again with
more replicates, planned from the spread measured so far (at least half as many again, at
most four times as many, at most ``precision.max_replicates``). The reference point is the
``baseline`` scenario when the sweep has one, else the sweep's first point (job 0).

Each batch is the ordinary sweep with ``replicates=R``: replicate seeds are a prefix
sequence and a replicate's ``config.yaml`` does not depend on ``R``, so a batch redoes
nothing the previous one finished, and a sweep killed at any moment resumes when the same
command is run again (each run counts once, :func:`collab_sim.outputs.files.run_complete`).
The batches' history is written to ``precision.json`` in the sweep directory.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from collab_sim.config.schema import ConfigError
from collab_sim.sweeps.directory import held_replicates
from collab_sim.sweeps.stopping import Stopped

if TYPE_CHECKING:
    import pandas as pd

    from collab_sim.config.precision import PrecisionConfig

AUTO = "auto"
HISTORY = "precision.json"
#: How much a batch may grow the replicates: at least this factor ...
MIN_GROWTH = 1.5
#: ... and at most this one (an early estimate of the spread is itself noisy).
MAX_GROWTH = 4.0


def wants_auto(args: list[str]) -> bool:
    """Whether the command line asks for ``replicates=auto``."""
    return f"replicates={AUTO}" in args


def point_of(table: pd.DataFrame) -> pd.Series:
    """Each run's sweep point: its job, the first part of ``run_dir`` (``3/replicate_0001``: 3)."""
    return table["run_dir"].astype(str).str.split("/", n=1).str[0]


def reference_point(table: pd.DataFrame, points: pd.Series) -> str:
    """The ``baseline`` scenario's point when the sweep has one, else job ``0``'s."""
    for column in ("scenario_name", "config.scenario_name"):
        if column in table.columns and (table[column] == "baseline").any():
            return str(points[table[column] == "baseline"].iloc[0])
    return str(sorted(points.unique(), key=lambda p: (len(p), p))[0])


@dataclass(frozen=True)
class Spread:
    """One point's paired difference from the reference on one outcome.

    Attributes:
        point: The point (job).
        outcome: The summary column.
        pairs: Seeds with a value in both.
        reference_mean: The reference's mean over those seeds.
        half_width: Half-width of the difference's 95% t interval (NaN below two pairs).
        sd: Standard deviation of the per-seed differences.
    """

    point: str
    outcome: str
    pairs: int
    reference_mean: float
    half_width: float
    sd: float

    @property
    def relative(self) -> float:
        """The half-width as a share of the reference's mean (inf when the mean is 0)."""
        if math.isnan(self.half_width):
            return math.inf
        if self.reference_mean == 0:
            return 0.0 if self.half_width == 0 else math.inf
        return self.half_width / abs(self.reference_mean)


def spreads(table: pd.DataFrame, outcomes: list[str]) -> list[Spread]:
    """Every point's paired spread against the reference point, on each outcome."""
    from collab_sim.analysis.effects import paired_comparison, values_compared

    points = point_of(table)
    reference = reference_point(table, points)
    found = []
    for point in sorted(set(points) - {reference}, key=lambda p: (len(p), p)):
        for outcome in outcomes:
            a, b = values_compared(table, points, point, outcome, True, reference)
            c = paired_comparison(a, b)
            low, high = c.interval()
            mean = float(b.mean()) if b.size else math.nan
            found.append(Spread(point, outcome, int(b.size), mean, (high - low) / 2, c.sd))
    return found


def next_replicates(found: list[Spread], target: float, current: int, cap: int) -> int | None:
    """Replicates of the next batch, or None when every spread is within ``target`` (or at the cap).

    Each spread's half-width falls as 1 / sqrt(n), so ``n * (relative / target) ** 2`` pairs
    would reach the target; the next batch asks for the largest such n, grown at least
    :data:`MIN_GROWTH` and at most :data:`MAX_GROWTH` times, and at most ``cap``.
    """
    worst = max((s.relative / target for s in found), default=0.0)
    if worst <= 1.0 or current >= cap:
        return None
    need = current * worst**2 if math.isfinite(worst) else current * MAX_GROWTH
    grown = min(max(need, current * MIN_GROWTH), current * MAX_GROWTH)
    return int(min(cap, math.ceil(grown)))


def _settings(args: list[str]) -> PrecisionConfig:
    from collab_sim.config.composition import make_config
    from collab_sim.outputs import outcomes as registry

    given = [a for a in args if a.lstrip("+~").startswith("precision.")]
    settings = make_config(given).precision
    known = set(registry.names())
    for name in settings.outcomes:
        if name not in known:
            raise ConfigError(
                "precision.outcomes", name, "must name summary outcomes (docs/ODD.md 7.14)"
            )
    if settings.max_replicates < settings.first:
        raise ConfigError(
            "precision.max_replicates",
            settings.max_replicates,
            f"must be at least precision.first ({settings.first})",
        )
    return settings


def _sweep_dir(args: list[str]) -> tuple[Path, list[str]]:
    """The sweep directory (Hydra's default pattern, resolved once), and the arguments naming it."""
    for a in args:
        key, _, value = a.partition("=")
        if key == "hydra.sweep.dir":
            return Path(value), args
    now = datetime.now()
    sweep = Path("multirun") / now.strftime("%Y-%m-%d") / now.strftime("%H-%M-%S")
    return sweep, [*args, f"hydra.sweep.dir={sweep}"]


def _run_batch(command: list[str]) -> int:
    """Run one batch's sweep; a signal that stops this process stops it the same way.

    The batch then stops its own workers and says so (:mod:`collab_sim.sweeps.stopping`);
    its exit status is returned.
    """
    child = subprocess.Popen(command)
    try:
        return child.wait()
    except Stopped as stop:
        child.send_signal(stop.signum)
        return child.wait()


def run_auto(args: list[str]) -> int:
    """Run the sweep of ``args`` (with ``replicates=auto``) in batches; return the exit status.

    Raises:
        ConfigError: without ``-m``, or with bad ``precision.*`` settings (before any run).
    """
    if not any(a in ("-m", "--multirun") for a in args):
        raise ConfigError("replicates", AUTO, "runs a sweep in batches: add -m")
    settings = _settings(args)
    sweep, args = _sweep_dir(args)
    replicates = max(settings.first, min(held_replicates(sweep), settings.max_replicates))
    history = []
    while True:
        batch = [f"replicates={replicates}" if a == f"replicates={AUTO}" else a for a in args]
        print(f"collab-sim: replicates=auto: batch of {replicates} per point", flush=True)
        status = _run_batch([sys.executable, "-m", "collab_sim.sweeps.cli", *batch])
        if status != 0:
            return status
        found = _measure(sweep, settings)
        worst = max(found, key=lambda s: s.relative, default=None)
        history.append(_entry(replicates, worst))
        following = next_replicates(found, settings.target, replicates, settings.max_replicates)
        reached = worst is None or worst.relative <= settings.target
        _write_history(sweep, settings, history, replicates, reached)
        if worst is not None:
            print(
                f"collab-sim: replicates=auto: {replicates} per point, widest: "
                f"{worst.outcome} of point {worst.point} +-{100 * worst.relative:.1f}% of the "
                f"reference (target +-{100 * settings.target:g}%)",
                flush=True,
            )
        if following is None:
            if not reached:
                print(
                    f"collab-sim: replicates=auto: stopped at precision.max_replicates="
                    f"{settings.max_replicates} before reaching the target",
                    flush=True,
                )
            return 0
        replicates = following


def _measure(sweep: Path, settings: PrecisionConfig) -> list[Spread]:
    import pandas as pd

    from collab_sim.sweeps.aggregate import RESULTS

    table = pd.read_parquet(sweep / RESULTS)
    missing = [o for o in settings.outcomes if o not in table.columns]
    if missing:
        raise ConfigError("precision.outcomes", missing[0], "is not in this sweep's results")
    return spreads(table, list(settings.outcomes))


def _entry(replicates: int, worst: Spread | None) -> dict:
    if worst is None:
        return {"replicates": replicates}
    return {
        "replicates": replicates,
        "widest": {
            "point": worst.point,
            "outcome": worst.outcome,
            "relative_half_width": worst.relative,
            "pairs": worst.pairs,
        },
    }


def _write_history(
    sweep: Path, settings: PrecisionConfig, history: list[dict], replicates: int, reached: bool
) -> None:
    from collab_sim.outputs.files import write_text

    record = {
        "outcomes": list(settings.outcomes),
        "target": settings.target,
        "max_replicates": settings.max_replicates,
        "replicates": replicates,
        "reached": reached,
        "batches": history,
    }
    write_text(json.dumps(record, indent=2) + "\n", sweep / HISTORY)
