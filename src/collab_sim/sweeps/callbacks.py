"""Hydra callbacks of a multirun: a progress bar over its runs, and aggregation at its end."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from collab_sim.sweeps.aggregate import RESULTS, aggregate, completed_runs
from collab_sim.sweeps.progress import SweepProgress, expected_runs

#: Why this process's multiruns failed at their end (aggregation), one line each. Hydra
#: turns an exception raised by a callback into a warning and exits 0, so the callback
#: records the failure here and ``collab-sim`` exits 1 after Hydra returns.
FAILURES: list[str] = []
#: Progress watchers of multiruns under way, stopped by :func:`stop_progress`.
_WATCHES: list[SweepProgress] = []


def stop_progress() -> None:
    """Stop watching every multirun under way (one stopped by a signal), with a last count."""
    while _WATCHES:
        _WATCHES.pop().close()


class ProgressOnMultirun(Callback):
    """Hydra callback: a progress bar (or periodic line) over the runs of a multirun."""

    def __init__(self, poll: float = 1.0, interval: float = 30.0) -> None:
        self.poll, self.interval = poll, interval
        self._watch: SweepProgress | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Launchers pickle the callbacks into each job; the watcher stays here."""
        return {**self.__dict__, "_watch": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Count the runs the sweep will make and start watching its directory."""
        params = config.hydra.sweeper.get("params")
        replicates = int(config.get("replicates", 1))
        if config.get("sensitivity") is not None:  # each job runs a chunk of design points
            from collab_sim.sweeps.sensitivity import design

            spec = OmegaConf.to_object(config.sensitivity)
            replicates *= -(-len(design(spec)) // spec.chunks)  # type: ignore[union-attr]
        total = expected_runs(
            OmegaConf.to_container(params, resolve=True) if params else {},  # type: ignore[arg-type]
            list(config.hydra.overrides.task),
            replicates,
        )
        self._watch = SweepProgress(
            Path(config.hydra.sweep.dir), total, poll=self.poll, interval=self.interval
        )
        _WATCHES.append(self._watch)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Stop watching and show the final count."""
        if self._watch is not None:
            if self._watch in _WATCHES:
                _WATCHES.remove(self._watch)
            self._watch.close()
            self._watch = None


def _preload() -> None:
    """Import what aggregating needs (pandas, pyarrow, seaborn: about 2 s).

    Any failure is left to the aggregation, which imports the same modules in the main
    thread and reports it: a sweep that fails early exits while these imports run, and an
    import that then registers an exit handler raised "can't register atexit after
    shutdown", a traceback after the sweep's one-line error.
    """
    with contextlib.suppress(Exception):
        import collab_sim.analysis.plots  # noqa: F401
        import collab_sim.outputs.files  # noqa: F401


class AggregateOnMultirunEnd(Callback):
    """Hydra callback: aggregate the sweep directory when a multirun ends.

    The sweep's own process waits while the jobs run; it imports what aggregation needs
    meanwhile, in a background thread, so that time is not added to the sweep's end.
    """

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Start importing the aggregation's libraries in the background."""
        threading.Thread(target=_preload, name="collab-sim-preload", daemon=True).start()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Write ``results.parquet`` into the sweep directory."""
        sweep = Path(config.hydra.sweep.dir)
        if completed_runs(sweep):
            try:
                table = aggregate(sweep)
            except Exception as exc:  # any cause: the sweep must not end as if it had worked
                (sweep / RESULTS).unlink(missing_ok=True)  # no stale table from an earlier run
                line = f"collab-sim: error: aggregating the sweep in {sweep} failed: {exc}"
                FAILURES.append(line)
                print(line, file=sys.stderr, flush=True)
                return
            print(f"aggregated {len(table)} runs: {sweep / RESULTS}", flush=True)
        from collab_sim.sweeps.sensitivity import DESIGN_FILE, analyse, report_line

        if (sweep / DESIGN_FILE).exists():
            try:
                print(report_line(sweep, analyse(sweep)), flush=True)
            except ValueError as err:  # points missing (failed jobs): say so, keep the runs
                print(f"collab-sim-sensitivity: not computed: {err}", file=sys.stderr)
