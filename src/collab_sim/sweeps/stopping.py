"""Stopping a sweep on SIGTERM or SIGINT: its workers stopped, one line, a non-zero exit.

Python's default SIGTERM ends the sweep's process at once, without stopping the joblib
(loky) workers it started: they were orphaned, went on writing into the sweep directory
and idled for minutes holding memory. Here the signal raises :class:`Stopped` in the main
thread instead, which joblib answers as it answers Ctrl-C: it kills its workers and
re-raises; ``collab-sim`` then says so in one line and exits with ``128 + signal`` (143 for
SIGTERM, 130 for SIGINT). Runs already complete are kept, and rerunning the command
resumes the sweep.

Only the sweep's launching process handles the signals so: a single run spends its time
in compiled code, where a Python handler would wait for the run to end, so there SIGTERM
keeps its default (the atomic writes leave no half-written file).
"""

from __future__ import annotations

import signal
from types import FrameType

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BaseException):
    """The process was asked to stop (a ``BaseException``, like ``KeyboardInterrupt``).

    Not an ``Exception``, so Hydra does not turn it into a warning and joblib stops its
    workers on it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by this signal."""
        return 128 + self.signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def _ignore(signum: int, frame: FrameType | None) -> None:
    """A second signal while stopping: the first is being handled."""


def _raise(signum: int, frame: FrameType | None) -> None:
    for s in SIGNALS:  # a handler, not SIG_IGN: processes started later get the default
        signal.signal(s, _ignore)
    raise Stopped(signum)


def stop_on_signals() -> None:
    """From now on, SIGTERM and SIGINT raise :class:`Stopped` in the main thread (once)."""
    for s in SIGNALS:
        signal.signal(s, _raise)


def message(stopped: Stopped | KeyboardInterrupt, what: str) -> str:
    """The one line that says the process stopped, ``what`` stopped, and what to do next."""
    name = str(stopped) if isinstance(stopped, Stopped) else "SIGINT"
    return (
        f"collab-sim: stopped by {name}: {what}; complete runs are kept, rerun the same "
        "command to resume"
    )
