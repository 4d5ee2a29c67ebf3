"""The ``collab-sim`` command: one run, configured by Hydra.

    collab-sim seed=7 steps=240 trust=experience power=equal hydra.run.dir=out/run7

Bad input -- an unknown key or group option, a wrong type, a value out of range, an
output directory that cannot be written -- ends with one line on stderr naming the key,
the value and what is allowed, exit status 2, and no output files. A sweep whose runs
finished but whose end failed (collecting them into ``results.parquet``, e.g. a run's
summary that cannot be read) says why in one line and exits with status 1, leaving no
``results.parquet`` behind (not even one from an earlier sweep into the same directory).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from collab_sim.config.composition import make_config, make_config_and_grid, to_schema
from collab_sim.config.groups import conf_dir
from collab_sim.config.hydra_errors import config_error_from
from collab_sim.config.schema import ConfigError, SimConfig

if TYPE_CHECKING:
    from collab_sim.simulation import RunResult
from collab_sim.sweeps import warm
from collab_sim.sweeps.directory import claim_sweep_dir
from collab_sim.sweeps.seeds import replicate_seeds
from collab_sim.sweeps.stopping import Stopped, message, stop_on_signals
from collab_sim.sweeps.teardown import freeze_at_exit

# The simulation itself (Mesa, numba, the kernels) is imported where a run needs it: a
# sweep's launching process, --help and a bad-input error never pay for it.

EXIT_BAD_INPUT = 2
#: A multirun whose runs finished but whose end (aggregation into results.parquet) failed.
EXIT_SWEEP_FAILED = 1


def format_summary(result: RunResult, out: Path | None) -> str:
    """A few lines a person can read at a glance after a run."""
    s = result.summary
    agent_steps = s["n_organisations"] * s["steps"]
    rate = agent_steps / result.wall_seconds if result.wall_seconds > 0 else float("inf")
    causes = ", ".join(f"{k} {v}" for k, v in s["dissolutions_by_cause"].items() if v)
    shares = ", ".join(f"{k} {v:.2f}" for k, v in s["value_share_by_sector"].items())
    stages = ", ".join(f"{k} {v}" for k, v in s["candidates_by_stage"].items())
    lines = [
        f"collab-sim: scenario {s['scenario']}, seed {s['seed']}, {s['steps']} months, "
        f"{s['n_organisations']} organisations; {result.wall_seconds:.2f} s "
        f"({rate:,.0f} agent-steps/s)",
        f"  partnerships formed {s['partnerships_formed']}, dissolved "
        f"{s['partnerships_dissolved']} ({causes or 'none'})",
        f"  mean duration {_num(s['mean_partnership_duration_months'], 1)} months; nonprofit "
        f"participation {_num(s['nonprofit_participation'])}; value Gini "
        f"{_num(s['value_gini'])}; mean trust {_num(s['mean_trust'])}",
        f"  value share by sector: {shares}",
        f"  R&D: {s['approvals']} approvals, LOA from phase 1 {_pct(s['loa_phase1'])}, "
        f"{s['projects_started']} projects started; candidates now: {stages}",
    ]
    if out is not None:
        from collab_sim.outputs.files import FILES_OF_MODE

        files = FILES_OF_MODE[result.config.outputs]
        lines.append(f"outputs: {out.resolve()} ({', '.join(files)})")
    return "\n".join(lines)


def _num(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


@hydra.main(version_base="1.3", config_path=str(conf_dir()), config_name="config")
def app(cfg: DictConfig) -> None:
    """Hydra task: validate, run each replicate, write its outputs, print a summary.

    Replicates run in this process one after another (no process and no config
    composition per replicate). A replicate whose outputs are already complete is skipped,
    so rerunning an interrupted sweep into the same directory resumes it.

    A single run whose outputs cannot be written (a full disk) ends with the one-line
    error, exit status 2, here: raised, it would get a line of Hydra's first. A sweep's
    job raises it, and Hydra's line names the job.
    """
    sweep = HydraConfig.get().mode == RunMode.MULTIRUN
    try:
        _job(cfg, sweep)
    except OSError as exc:
        if sweep or exc.filename is None:
            raise
        _fail(_unwritable(exc))


def _unwritable(exc: OSError) -> ConfigError:
    return ConfigError("output", str(exc.filename), f"cannot be written ({exc.strerror})")


def _job(cfg: DictConfig, sweep: bool) -> None:
    """The Hydra task's work: each replicate checked, run and written under its lock."""
    from collab_sim.outputs.files import run_complete
    from collab_sim.outputs.locking import locked
    from collab_sim.simulation import config_yaml_by_seed, run
    from collab_sim.sweeps.sensitivity import run_chunk

    sim = to_schema(cfg)
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    if sim.sensitivity is not None:  # a chunk of a SALib design: same seeds at every point
        seeds = replicate_seeds(sim.seed, [], sim.replicates)
        sweep_dir = Path(hydra_cfg.sweep.dir) if sweep else out
        made = run_chunk(sim, out, sweep_dir, seeds)
        if not sweep:
            print(f"sensitivity chunk {sim.sensitivity.chunk}: {made} runs in {out}", flush=True)
        return
    seeds = replicate_seeds(sim.seed, list(hydra_cfg.overrides.task), sim.replicates, sim.seeds)
    # one run: its config.yaml reproduces it alone, whatever the sweep's replicate count
    # (so a sweep extended to more replicates redoes none of those it has)
    single = dataclasses.replace(sim, replicates=1)
    text_of = config_yaml_by_seed(single)
    for r, seed in enumerate(seeds):
        replicate = dataclasses.replace(single, seed=seed)
        target = out if sim.replicates == 1 else out / f"replicate_{r:04d}"
        text = text_of(seed)
        # checked, run and written under the directory's lock: a second writer (another
        # sweep or run into the same directory) waits, then finds the run complete
        with locked(target, waiting=None if sweep else _notice):
            if run_complete(target, text):
                if not sweep:
                    print(f"complete already, skipped: {target}", flush=True)
                continue
            result = run(replicate, progress=not sweep)
            result.save(target, text)
        if sweep:  # the sweep's progress bar (collab_sim.sweeps.progress) reports runs
            continue
        try:
            if sim.replicates == 1:
                print(format_summary(result, target), flush=True)
            else:
                print(f"replicate {r + 1}/{sim.replicates} (seed {seed}): {target}", flush=True)
        except BrokenPipeError:  # output piped into e.g. `head`: the run is saved, stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _notice(message: str) -> None:
    print(f"collab-sim: {message}", file=sys.stderr, flush=True)


def sweep_points(overrides: list[str], limit: int = 64) -> list[list[str]]:
    """Override lists that together try every value of every command-line sweep.

    The first point takes the first value of each sweep; each further point changes one
    sweep to one of its other values. So a bad value anywhere in ``a=x,y,z b=u,v`` is
    caught before any job starts, with ``1 + 2 + 1`` compositions, not ``3 x 2``. A
    numeric sweep is checked at its smallest and largest value (every range the schema
    declares is an interval), so ``seed=range(0,1000)`` costs two. Sweeps Hydra expands
    itself (``glob``) are checked by each job.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    fixed, sweeps = [], []
    for override in OverridesParser.create().parse_overrides(overrides):
        if not override.is_sweep_override():
            fixed.append(override.input_line)
            continue
        try:
            values = list(override.sweep_string_iterator())
        except Exception:  # noqa: BLE001 - e.g. glob(): only Hydra's sweeper can expand it
            continue
        sweeps.append((override.get_key_element(), _extremes(values)))
    first = fixed + [f"{key}={values[0]}" for key, values in sweeps]
    points = [first]
    for i, (key, values) in enumerate(sweeps):
        for value in values[1:]:
            point = list(first)
            point[len(fixed) + i] = f"{key}={value}"
            points.append(point)
    return points[:limit]


def _extremes(values: list[str]) -> list[str]:
    """The smallest and largest of numeric sweep values (all of them otherwise).

    If integers and non-integers are mixed, one non-integer is kept too, for the type check.
    """
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        return values
    low, high = values[numbers.index(min(numbers))], values[numbers.index(max(numbers))]
    ends = list(dict.fromkeys([low, high]))
    integers = [v.lstrip("+-").isdigit() for v in values]
    if any(integers) and not all(integers):  # e.g. seed=1,1.5,2: try a non-integer too
        ends.append(next(v for v, i in zip(values, integers, strict=True) if not i))
    return list(dict.fromkeys(ends))


def _check_output_dir(path: Path) -> None:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise ConfigError(
            "hydra.run.dir", str(path), "must be a directory that can be created and written"
        )


def _prevalidate(args: list[str]) -> None:
    """Compose and validate the config before Hydra creates any directory.

    Flags (``--help``, ``--cfg``, ``-m``) are left to Hydra.
    """
    multirun = any(a in ("-m", "--multirun") for a in args)
    flags = [a for a in args if a.startswith("-") and a not in ("-m", "--multirun")]
    if flags:
        return
    overrides = [  # hydra.* is Hydra's business, but its search path finds user configs
        a
        for a in args
        if not a.startswith("-")
        and (not a.lstrip("+~").startswith("hydra") or a.startswith("hydra.searchpath="))
    ]
    checked: set[tuple[str, ...]] = set()

    def validate(point: list[str], cfg: SimConfig | None = None) -> None:
        if tuple(point) in checked:  # each composition costs ~0.3 s of a sweep's start-up
            return
        checked.add(tuple(point))
        cfg = make_config(point) if cfg is None else cfg
        if cfg.sensitivity is not None:
            from collab_sim.sweeps.sensitivity import check

            check(cfg)

    points = [overrides]
    if multirun:  # plus an experiment's grid, unless the command line sweeps the same key
        points = sweep_points(overrides)
        first, grid = make_config_and_grid(points[0])  # one composition gives both
        validate(points[0], first)
        given = {o.partition("=")[0].lstrip("+~") for o in overrides}
        points = sweep_points(overrides + [f"{k}={v}" for k, v in grid.items() if k not in given])
    for point in points:
        validate(point)
    for a in args:
        key, _, value = a.partition("=")
        if key in ("hydra.run.dir", "hydra.sweep.dir") and not value.strip():
            # an empty directory is the current one: outputs would land among the user's files
            raise ConfigError(key, value, "must name a directory")
        if key == "hydra.run.dir":
            _check_output_dir(Path(value))
        if key == "hydra.sweep.dir" and multirun:
            claim_sweep_dir(Path(value), overrides)


def _fail(err: ConfigError) -> None:
    print(f"collab-sim: error: {err}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def _stopped(stop: Stopped | KeyboardInterrupt, multirun: bool) -> None:
    """A sweep or run stopped by a signal: its last count of runs, one line, 128 + signal."""
    callbacks = sys.modules.get("collab_sim.sweeps.callbacks")
    if callbacks is not None:
        callbacks.stop_progress()
    what = "the sweep and its workers are stopped" if multirun else "the run is stopped"
    print(message(stop, what), file=sys.stderr, flush=True)
    sys.exit(stop.exit_status if isinstance(stop, Stopped) else 128 + signal.SIGINT)


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    os.environ["HYDRA_FULL_ERROR"] = "1"  # let errors reach us, to report them in one line
    from collab_sim.sweeps.precision import run_auto, wants_auto

    multirun = any(a in ("-m", "--multirun") for a in args)
    if multirun:  # SIGTERM/SIGINT stop the workers too (collab_sim.sweeps.stopping)
        stop_on_signals()
        freeze_at_exit()  # the exit does not walk a heap of pandas and matplotlib objects
    if wants_auto(args):  # batches of ordinary sweeps, each a child process
        try:
            sys.exit(run_auto(args))
        except ConfigError as err:
            _fail(err)
        except (Stopped, KeyboardInterrupt) as stop:  # between batches (a batch says so itself)
            _stopped(stop, multirun)
    try:
        _prevalidate(args)
        warm.start(args)  # the launcher's workers load the model while Hydra composes
        app()
    except (Stopped, KeyboardInterrupt) as stop:
        _stopped(stop, multirun)
    except ConfigError as err:
        _fail(err)
    except Exception as exc:
        err = config_error_from(exc, args)
        if err is None and isinstance(exc, OSError) and exc.filename is not None:
            err = _unwritable(exc)
        if err is None and isinstance(exc, ValueError) and str(exc).startswith("Only one of"):
            err = ConfigError("flags", " ".join(a for a in args if a.startswith("-")), str(exc))
        if err is None:
            raise
        _fail(err)
    callbacks = sys.modules.get("collab_sim.sweeps.callbacks")  # imported by a multirun only
    if callbacks is not None and callbacks.FAILURES:
        sys.exit(EXIT_SWEEP_FAILED)


if __name__ == "__main__":
    main()
