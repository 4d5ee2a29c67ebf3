"""Workers warmed while a sweep starts: the joblib launcher's processes, ready before its jobs.

A sweep on the default launcher (hydra-joblib-launcher, loky processes) used to start its
workers only when Hydra launched the jobs, after composing and checking every point; each
worker then imported Mesa, numba and the model (about 1.5 s) and loaded the compiled
kernels (about 0.7 s) before its first run, while the sweep's own process waited. Here the
sweep's process starts the same workers at once, through the same joblib
call the launcher makes (loky keeps one reusable executor per process and hands it to
every later call with the same settings), queued from the main thread without waiting
(joblib's ``return_as="generator_unordered"``), and each worker imports the model and
loads the kernels while the sweep's process is still composing its configs. When the launcher
starts its jobs, it finds those workers ready.

Only for the launcher's own settings: a command line that picks another launcher or
changes the joblib launcher's settings gets no warm-up (its launcher would not reuse the
workers).
"""

from __future__ import annotations

import atexit
import contextlib
import warnings
from collections.abc import Iterator

#: The warm-up queued by this process, if any: its results, kept unread (a sweep needs
#: the workers, not the results; the reference keeps joblib from dropping the tasks).
_PENDING: list[Iterator[None]] = []


def wanted(args: list[str]) -> bool:
    """Whether the command line is a multirun on the joblib launcher with its defaults."""
    multirun = any(a in ("-m", "--multirun") for a in args)
    launcher = any(a.lstrip("+~").startswith(("hydra/launcher", "hydra.launcher")) for a in args)
    flags = any(a.startswith("-") and a not in ("-m", "--multirun") for a in args)
    return multirun and not launcher and not flags


def launcher_settings() -> dict:
    """The keyword arguments the joblib launcher gives ``joblib.Parallel`` (its defaults)."""
    import dataclasses

    from hydra_plugins.hydra_joblib_launcher._core import process_joblib_cfg
    from hydra_plugins.hydra_joblib_launcher.config import JobLibLauncherConf

    settings = {
        k: v for k, v in dataclasses.asdict(JobLibLauncherConf()).items() if k != "_target_"
    }
    settings["backend"] = "loky"  # as the launcher sets it
    process_joblib_cfg(settings)
    return settings


def load() -> None:
    """In a worker: import what a job imports and load the kernels (one month's run)."""
    import hydra.core.utils  # noqa: F401 - what a job's Hydra code imports (not cli: a cycle)

    from collab_sim.config.composition import make_config
    from collab_sim.simulation import run

    run(make_config(["steps=1", "outputs=summary"]))


def _warm() -> Iterator[None]:
    """Queue one warm-up per worker on the launcher's executor; returns without waiting.

    ``return_as="generator_unordered"`` makes ``Parallel`` dispatch the tasks and return
    at once: the workers start and load the model while this process goes on composing.
    Consuming the generator waits for them (the tests do; a sweep never needs to).
    """
    from joblib import Parallel, cpu_count, delayed

    settings = launcher_settings()
    workers = settings["n_jobs"] if settings["n_jobs"] > 0 else cpu_count()
    parallel = Parallel(**settings, return_as="generator_unordered")
    return parallel(delayed(load)() for _ in range(workers))  # one each, as a rule


def start(args: list[str]) -> None:
    """Start warming the launcher's workers, if ``args`` will use them; returns at once.

    Queued from the calling (main) thread: a background thread importing joblib and loky
    while an early failure ends the interpreter printed "can't register atexit after
    shutdown" with a traceback after the one-line error. Errors in the warm-up are left
    to the launcher: it starts its own workers as before.
    """
    if not wanted(args) or _PENDING:
        return
    with contextlib.suppress(Exception):  # only a head start; the launcher does the rest
        _PENDING.append(_warm())
        atexit.register(_close)


def _close() -> None:
    """At exit, close the unread results while the interpreter is whole.

    A sweep never reads them. Left to the interpreter's final clean-up, joblib's
    generator would abort its executor with half the modules gone and print "Exception
    ignored ... AttributeError" after the sweep's last line.
    """
    while _PENDING:
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joblib's note that the results went unread
            _PENDING.pop().close()  # type: ignore[attr-defined]
