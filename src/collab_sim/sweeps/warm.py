"""Workers warmed while a sweep starts: the joblib launcher's processes, ready before its jobs.

A sweep on the default launcher (hydra-joblib-launcher, loky processes) used to start its
workers only when Hydra launched the jobs, after composing and checking every point; each
worker then imported Mesa, numba and the model (about 1.5 s) and loaded the compiled
kernels (about 0.7 s) before its first run, while the sweep's own process waited. Here a
thread of the sweep's process starts the same workers at once, through the same joblib
call the launcher makes (loky keeps one reusable executor per process and hands it to
every later call with the same settings), and each worker imports the model and loads
the kernels while the sweep's process is still composing its configs. When the launcher
starts its jobs, it finds those workers ready.

Only for the launcher's own settings: a command line that picks another launcher or
changes the joblib launcher's settings gets no warm-up (its launcher would not reuse the
workers).
"""

from __future__ import annotations

import contextlib
import threading

#: The worker processes' warm-up thread of this process, if one was started.
_THREAD: list[threading.Thread] = []


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


def _warm() -> None:
    from joblib import Parallel, cpu_count, delayed

    settings = launcher_settings()
    workers = settings["n_jobs"] if settings["n_jobs"] > 0 else cpu_count()
    Parallel(**settings)(delayed(load)() for _ in range(workers))  # one each, as a rule


def start(args: list[str]) -> None:
    """Start warming the launcher's workers in the background, if ``args`` will use them.

    Errors in the warm-up are left to the launcher: it starts its own workers as before.
    """
    if not wanted(args) or _THREAD:
        return

    def warm() -> None:
        with contextlib.suppress(Exception):  # only a head start; the launcher does the rest
            _warm()

    thread = threading.Thread(target=warm, name="collab-sim-warm-workers", daemon=True)
    _THREAD.append(thread)
    thread.start()
