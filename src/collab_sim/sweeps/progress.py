"""Progress of long work: a tqdm bar on a terminal, a periodic line in a log file.

Used for single runs (months done) and for sweeps (runs complete, watched on disk by
:class:`SweepProgress`, so it works with every Hydra launcher: joblib, submitit, Ray).

tqdm is the bar. It is not used for logs (stderr redirected to a file, e.g. a SLURM job):
there it would write carriage-return updates that read as one garbled line, so a plain line
is printed every ``interval`` seconds instead.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm


def _format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Progress towards ``total`` units, shown only once the work has lasted ``delay`` seconds.

    Args:
        total: Units of work expected.
        unit: Name of a unit, e.g. ``"month"`` or ``"run"``.
        desc: Short label in front of the bar or line.
        initial: Units already done (e.g. runs of a resumed sweep).
        stream: Where to write; default stderr.
        delay: Seconds before anything is shown (short work stays silent).
        interval: Seconds between lines when ``stream`` is not a terminal.
        final_line: In a log, always end with a line (else only if a line was shown).
    """

    def __init__(
        self,
        total: int,
        unit: str,
        desc: str,
        *,
        initial: int = 0,
        stream: IO[str] | None = None,
        delay: float = 2.0,
        interval: float = 30.0,
        final_line: bool = False,
    ) -> None:
        self.total, self.unit, self.desc = total, unit, desc
        self.final_line = final_line
        self.done = self.initial = initial
        self.stream = stream if stream is not None else sys.stderr
        self.delay, self.interval = delay, interval
        self.start = time.monotonic()
        self._last_line = -math.inf
        self._shown = False
        self._bar: tqdm | None = None
        if _is_terminal(self.stream):
            self._bar = tqdm(
                total=total,
                initial=initial,
                unit=unit,
                desc=desc,
                delay=delay,
                file=self.stream,
                dynamic_ncols=True,
                leave=True,
            )

    def set(self, done: int) -> None:
        """Record that ``done`` units are complete in all."""
        done = min(done, self.total)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        self.done = done
        now = time.monotonic()
        due = now - self.start >= self.delay and now - self._last_line >= self.interval
        if self._bar is None and due:
            self._write_line(now)

    def close(self) -> None:
        """Finish: the bar is closed; a log gets a last line if it showed any before."""
        if self._bar is not None:
            self._bar.close()
        elif self._shown or self.final_line:
            self._write_line(time.monotonic())

    def _write_line(self, now: float) -> None:
        elapsed = now - self.start
        new = self.done - self.initial
        left = ""
        if new > 0 and self.done < self.total:
            left = f", ~{_format_seconds(elapsed / new * (self.total - self.done))} left"
        share = 100 * self.done / self.total if self.total else 100.0
        before = f", {self.initial} complete already" if self.initial else ""
        print(
            f"{self.desc}: {self.done}/{self.total} {self.unit}s ({share:.0f}%), "
            f"{_format_seconds(elapsed)} elapsed{left}{before}",
            file=self.stream,
            flush=True,
        )
        self._last_line, self._shown = now, True


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- sweeps


def count_complete_runs(sweep_dir: Path) -> int:
    """Runs under ``sweep_dir`` that :func:`collab_sim.sweeps.aggregate.completed_runs` counts."""
    from collab_sim.sweeps.aggregate import completed_runs

    return len(completed_runs(sweep_dir)) if sweep_dir.exists() else 0


def expected_runs(sweep_params: dict[str, Any], task_overrides: list[str], replicates: int) -> int:
    """How many runs a Hydra basic-sweeper multirun will make.

    Args:
        sweep_params: ``hydra.sweeper.params`` (e.g. from an experiment file).
        task_overrides: The command-line overrides, some with sweep syntax (``a=1,2``).
        replicates: Runs per job when ``replicates`` itself is not swept.

    Returns:
        Jobs (the product of the sweep lengths, with command-line values replacing an
        experiment's for the same key) times the replicates of each job.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    lines = [f"{key}={value}" for key, value in (sweep_params or {}).items()]
    parsed = OverridesParser.create().parse_overrides(lines + list(task_overrides))
    choices: dict[str, list[str]] = {}
    for override in parsed:
        key = override.get_key_element()
        if override.is_sweep_override():
            choices[key] = list(override.sweep_string_iterator())
        else:
            choices[key] = [override.get_value_element_as_str()]
    reps = choices.pop("replicates", [str(replicates)])
    jobs = math.prod(len(v) for v in choices.values())
    return sum(jobs * int(r) for r in reps)


class SweepProgress:
    """Watch a sweep directory fill with complete runs, from a background thread."""

    def __init__(self, sweep_dir: Path, total: int, poll: float = 1.0, **kwargs: Any) -> None:
        self.sweep_dir, self.poll = Path(sweep_dir), poll
        self.progress = Progress(
            total,
            "run",
            "collab-sim sweep",
            initial=count_complete_runs(self.sweep_dir),
            final_line=True,
            **kwargs,
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            self.progress.set(count_complete_runs(self.sweep_dir))

    def close(self) -> int:
        """Stop watching; returns the number of complete runs."""
        self._stop.set()
        self._thread.join()
        done = count_complete_runs(self.sweep_dir)
        self.progress.set(done)
        self.progress.close()
        return done
