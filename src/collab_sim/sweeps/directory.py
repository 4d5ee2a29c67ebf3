"""A sweep's directory: which sweep it holds, so a rerun resumes it and another is refused.

The launching process imports this (no pandas, pyarrow or simulation: the record is
written atomically by hand), under the sweep directory's lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from collab_sim.config.schema import ConfigError
from collab_sim.outputs.durable import sync_directory
from collab_sim.outputs.locking import locked

#: The file in a sweep directory that names the sweep it holds.
SWEEP_FILE = "sweep.yaml"


def claim_sweep_dir(sweep_dir: Path, overrides: list[str]) -> None:
    """Record which sweep ``sweep_dir`` holds, or refuse a different one.

    A sweep is its command line's overrides (``hydra.*`` left out, order ignored):
    rerunning the same sweep into its directory resumes it, with as many replicates or more
    (more extend it: the first replicates' seeds are the same; ``precision.*`` settings of
    ``replicates=auto`` do not change its runs either); another sweep into it, or fewer
    replicates, would mix runs the command did not ask for into ``results.parquet``, so it
    is refused.

    Raises:
        ConfigError: naming the directory, the sweep it holds and what is allowed.
    """
    sweep = sorted(o for o in overrides if not o.lstrip("+~").startswith("hydra"))
    if not sweep_dir.is_dir() and sweep_dir.exists():
        raise ConfigError("hydra.sweep.dir", str(sweep_dir), "must be a directory")
    # one claim at a time: two sweeps started together into a new directory would both
    # find no record; the second now finds the first's
    with locked(sweep_dir):
        _claim(sweep_dir, sweep)


def _claim(sweep_dir: Path, sweep: list[str]) -> None:
    import yaml

    record = sweep_dir / SWEEP_FILE
    if record.is_file():
        held = yaml.safe_load(record.read_text(encoding="utf-8")) or {}
        before = held.get("overrides") or []
        if _identity(before) != _identity(sweep):
            raise ConfigError(
                "hydra.sweep.dir",
                str(sweep_dir),
                f"holds another sweep ({' '.join(before) or 'no overrides'});"
                " rerun that sweep to resume it, or choose a new directory",
            )
        had, asked = _replicates_of(before), _replicates_of(sweep)
        if asked < had:
            raise ConfigError(
                "replicates",
                asked,
                f"must be at least {had}: {sweep_dir} holds {had} replicates per point "
                "(rerun with as many or more, or choose a new directory)",
            )
        if asked == had:
            return
    elif any(not p.name.startswith(".") for p in sweep_dir.iterdir()):  # (.lock, .tmp)
        return  # a sweep from before sweep directories were named: resume it as it is
    # written atomically by hand: outputs.files would import pandas and pyarrow (~1 s) into
    # the launching process, which imports none of the simulation
    tmp = record.with_name(f".{SWEEP_FILE}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(yaml.safe_dump({"overrides": sweep}, sort_keys=False))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, record)
    sync_directory(sweep_dir)


def _identity(overrides: list[str]) -> list[str]:
    """The overrides that make a sweep's runs (not its replicate count or precision target)."""
    return [o for o in overrides if not o.startswith(("replicates=", "precision."))]


def _replicates_of(overrides: list[str]) -> int:
    for o in overrides:
        if o.startswith("replicates="):
            try:
                return int(o.partition("=")[2])
            except ValueError:
                return 1
    return 1


def held_replicates(sweep_dir: Path) -> int:
    """Replicates per point the sweep directory's record says it holds (0 without one)."""
    import yaml

    record = sweep_dir / SWEEP_FILE
    if not record.is_file():
        return 0
    held = yaml.safe_load(record.read_text(encoding="utf-8")) or {}
    return _replicates_of(held.get("overrides") or [])
