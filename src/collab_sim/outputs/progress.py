"""Progress of long work: a tqdm bar on a terminal, a periodic line in a log file.

Used for single runs (months done, :func:`collab_sim.simulation.run`) and for sweeps (runs
complete, :class:`collab_sim.sweeps.progress.SweepProgress`).

tqdm is the bar. It is not used for logs (stderr redirected to a file, e.g. a SLURM job):
there it would write carriage-return updates that read as one garbled line, so a plain line
is printed every ``interval`` seconds instead.
"""

from __future__ import annotations

import math
import sys
import time
from typing import IO

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
