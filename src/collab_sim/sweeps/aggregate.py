"""Aggregating a sweep: one ``results.parquet`` row per completed run.

    collab-sim -m seed=0,1,2 power=equal,resource_weighted    # aggregates when it ends
    collab-sim-aggregate multirun/2026-11-23/10-00-00          # any sweep directory

A run counts when its directory holds ``summary.json`` (written last, atomically), so an
interrupted sweep or one with failed jobs aggregates what completed and nothing
half-written. Each row has the run's directory, every scalar of ``summary.json`` (objects
such as ``dissolutions_by_cause`` are flattened to ``dissolutions_by_cause.completed``),
and, from its ``config.yaml``, the configuration keys that differ between the runs (the
swept parameters) plus ``seed``: the key the rows are sorted by. Figures of the sweep
(:mod:`collab_sim.analysis.plots`) are written next to it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import pandas as pd


RESULTS = "results.parquet"


class AggregationError(RuntimeError):
    """A sweep's runs could not be collected: the message names the file and the cause."""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C parser: 7x faster per run
CONFIG_PREFIX = "config."
_SEED_LINE = re.compile(r"^seed: (\d+)\n", re.M)


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= _flatten(value, name + ".")
        elif not isinstance(value, list):
            out[name] = value
    return out


def _read_config(path: Path, parsed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A run's flattened ``config.yaml``, parsing each configuration once per sweep.

    The replicates of a job differ only in their top-level ``seed:`` line, and parsing
    YAML costs ~5 ms a file, most of a sweep's aggregation: the text without that line
    is the cache key, and the seed is read from its line.
    """
    text = path.read_text()
    seed = _SEED_LINE.search(text)
    key = text[: seed.start()] + text[seed.end() :] if seed else text
    if key not in parsed:
        parsed[key] = _flatten(yaml.load(text, Loader=_Loader))
    row = dict(parsed[key])
    if seed:
        row["seed"] = int(seed[1])
    return row


def completed_runs(sweep_dir: Path) -> list[Path]:
    """Run directories under ``sweep_dir`` whose outputs are complete, in path order.

    The same directories as ``Path(sweep_dir).rglob("summary.json")`` (symlinked
    directories not followed, as Python 3.12's ``**``), found with ``os.scandir``: one
    directory read per directory and no ``stat`` per entry, where ``rglob`` builds and
    matches a ``Path`` for every file. The progress bar counts a sweep's runs with this
    every second and a sweep's end lists them three times, so on a 2,000-run sweep the
    difference is CPU the sweep's process shares with its workers.
    """
    found: list[Path] = []
    stack = [Path(sweep_dir)]
    while stack:
        here = stack.pop()
        try:
            entries = os.scandir(here)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue  # as rglob: an unreadable or vanished directory holds no run
        with entries:
            for entry in entries:
                if entry.name == "summary.json":
                    found.append(here)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(here / entry.name)
    return sorted(found)


def aggregate(sweep_dir: str | Path) -> pd.DataFrame:
    """Collect every completed run under ``sweep_dir`` into one table and write it.

    Returns:
        The table written to ``sweep_dir/results.parquet``.

    Raises:
        FileNotFoundError: if ``sweep_dir`` holds no completed run.
        AggregationError: if a run's summary or config cannot be read (the message names
            the file).
    """
    from collab_sim.analysis.plots import sweep_figures
    from collab_sim.outputs.durable import sync_directory
    from collab_sim.outputs.files import write_parquet
    from collab_sim.outputs.locking import locked

    sweep = Path(sweep_dir)
    if not completed_runs(sweep):  # checked before locking, which would create the directory
        raise FileNotFoundError(f"{sweep}: no completed run (no summary.json) found")
    with locked(sweep, waiting=_notice):  # one aggregation of a sweep directory at a time
        table = _collect(sweep, completed_runs(sweep))
        write_parquet(table, sweep / RESULTS)
        figures = sweep_figures(table, sweep)
        sync_directory(sweep, [RESULTS, *(f.name for f in figures if f.parent == sweep)])
    return table


def _notice(message: str) -> None:
    print(f"collab-sim: {message}", file=sys.stderr, flush=True)


def _collect(sweep: Path, runs: list[Path]) -> pd.DataFrame:
    """The table of ``runs``: one row each, sorted by the swept keys and the seed."""
    import pandas as pd

    from collab_sim.outputs.files import damaged_file

    summaries, configs = [], []
    parsed: dict[str, dict[str, Any]] = {}
    for run in runs:
        config_file = run / "config.yaml"
        damaged = damaged_file(run)
        if damaged is not None:  # summary.json is written last: this is damage, not a kill
            raise AggregationError(f"{run / damaged}: missing or not whole (rerun the sweep)")
        try:
            summaries.append(_flatten(json.loads((run / "summary.json").read_text())))
            configs.append(_read_config(config_file, parsed) if config_file.exists() else {})
        except (OSError, ValueError, yaml.YAMLError) as exc:  # JSONDecodeError is a ValueError
            raise AggregationError(f"{run}: cannot be read ({type(exc).__name__}: {exc})") from exc
    config_frame = pd.DataFrame(configs)
    swept = [
        c for c in config_frame.columns if config_frame[c].astype(str).nunique(dropna=False) > 1
    ]
    keys = config_frame[[c for c in swept if c != "seed"]].add_prefix(CONFIG_PREFIX)
    table = pd.concat([keys, pd.DataFrame(summaries)], axis=1)
    table.insert(0, "run_dir", [str(r.relative_to(sweep)) for r in runs])
    order = [*keys.columns, "seed"] if "seed" in table.columns else list(keys.columns)
    return table.sort_values(order or ["run_dir"], kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``collab-sim-aggregate SWEEP_DIR``."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-aggregate", description="Collect a sweep's runs into results.parquet."
    )
    parser.add_argument("sweep_dir")
    args = parser.parse_args(argv)
    try:
        table = aggregate(args.sweep_dir)
    except FileNotFoundError as err:
        print(f"collab-sim-aggregate: error: sweep_dir={args.sweep_dir!r}: {err}", file=sys.stderr)
        sys.exit(2)
    except AggregationError as err:
        print(f"collab-sim-aggregate: error: {err}", file=sys.stderr)
        sys.exit(1)
    except OSError as err:  # writing the table or a figure: a full disk, no permission
        with contextlib.suppress(OSError):  # no table rather than a stale one
            (Path(args.sweep_dir) / RESULTS).unlink(missing_ok=True)
        where = err.filename or args.sweep_dir
        print(f"collab-sim-aggregate: error: {where}: cannot be written ({err.strerror})",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
    print(f"aggregated {len(table)} runs: {Path(args.sweep_dir) / RESULTS}")
