"""Progress of a sweep: runs complete, watched on disk, so it works with every launcher.

:class:`SweepProgress` counts the runs whose files are complete (joblib, submitit, Ray all
write them) and shows them with :class:`collab_sim.outputs.progress.Progress`.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

from collab_sim.outputs.progress import Progress


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
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    # a glob() sweep lists a config group's options through Hydra's config loader, as the
    # basic sweeper does; outside a Hydra run there is none, and glob() cannot be counted
    hydra = GlobalHydra.instance()
    loader = hydra.config_loader() if hydra.is_initialized() else None
    lines = [f"{key}={value}" for key, value in (sweep_params or {}).items()]
    parser = OverridesParser.create(config_loader=loader)
    parsed = parser.parse_overrides(lines + list(task_overrides))
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
