"""A run's output files, written atomically: complete only when every file is whole."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from collab_sim.outputs.durable import sync_directory
from collab_sim.outputs.locking import locked

#: File names of a run's outputs; ``summary.json`` is written last and marks completion.
OUTPUT_FILES = (
    "config.yaml",
    "timeseries.parquet",
    "partnerships.parquet",
    "projects.parquet",
    "summary.json",
)
#: The files of each ``outputs`` mode (:data:`collab_sim.vocabulary.OUTPUT_MODES`).
FILES_OF_MODE = {
    "all": OUTPUT_FILES,
    "tables": ("config.yaml", "timeseries.parquet", "summary.json"),
    "summary": ("config.yaml", "summary.json"),
}
_MODE_LINE = re.compile(r"^outputs: (\w+)$", re.M)


# --------------------------------------------------------------------------- atomic writes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through a temp file in the same directory, then rename over it.

    Raises:
        OSError: naming ``path`` (not the temp file) and the cause, e.g. a full disk
            (pyarrow's own errors name no file).
    """
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (None, tmp):
            cause = os.strerror(exc.errno) if exc.errno else str(exc)
            raise OSError(exc.errno, cause, str(path)) from exc
        raise


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame to Parquet atomically (no index, deterministic bytes)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    _atomic(Path(path), lambda tmp: pq.write_table(table, tmp))


def write_bytes(data: bytes, path: Path) -> None:
    """Write bytes atomically."""
    _atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def write_text(text: str, path: Path) -> None:
    """Write text atomically."""
    _atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(obj: Any, path: Path) -> None:
    """Write JSON atomically (sorted keys, so equal objects give equal bytes)."""
    write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n", path)


def write_run(
    out_dir: Path,
    config_yaml: str,
    timeseries: pd.DataFrame | None,
    partnerships: pd.DataFrame | None,
    projects: pd.DataFrame | None,
    summary: dict[str, Any],
) -> None:
    """Write a run's output files into ``out_dir``, each atomically, summary last.

    The tables given (``None``: not written, see the ``outputs`` setting) and always
    ``config.yaml`` and ``summary.json``. A directory with ``summary.json`` holds a
    complete run. A rewrite first removes the previous ``summary.json``, so a rewrite that
    fails or is killed part way never leaves the old run's summary standing beside the new
    config, and removes tables of an earlier run that this one does not write. If any
    write fails, the files this call already wrote are removed again, so nothing
    half-written is left behind.

    The directory is locked while it is written (:func:`collab_sim.outputs.locking.locked`:
    another process writing it is waited for), and flushed to disk once every file is in
    place (:func:`collab_sim.outputs.durable.sync_directory`).
    """
    out = Path(out_dir)
    with locked(out):
        _write_run(out, config_yaml, timeseries, partnerships, projects, summary)


def _write_run(
    out: Path,
    config_yaml: str,
    timeseries: pd.DataFrame | None,
    partnerships: pd.DataFrame | None,
    projects: pd.DataFrame | None,
    summary: dict[str, Any],
) -> None:
    (out / "summary.json").unlink(missing_ok=True)  # not complete until rewritten whole
    for stale in out.glob(".*.tmp"):  # left by a writer that was killed (we hold the lock)
        stale.unlink(missing_ok=True)
    tables = {
        "timeseries.parquet": timeseries,
        "partnerships.parquet": partnerships,
        "projects.parquet": projects,
    }
    for name, table in tables.items():
        if table is None:  # an earlier run's table, not this run's
            (out / name).unlink(missing_ok=True)
    existed = {name for name in OUTPUT_FILES if (out / name).exists()}
    writers = [("config.yaml", lambda p: write_text(config_yaml, p))]
    writers += [
        (name, lambda p, t=table: write_parquet(t, p))
        for name, table in tables.items()
        if table is not None
    ]
    writers.append(("summary.json", lambda p: write_json(summary, p)))
    written: list[Path] = []
    try:
        for name, write in writers:
            write(out / name)
            written.append(out / name)
        sync_directory(out, [path.name for path in written])
    except BaseException:
        for path in written:
            if path.name not in existed:
                path.unlink(missing_ok=True)
        raise


def expected_files(out: Path) -> tuple[str, ...]:
    """The files a run directory should hold, by the ``outputs`` mode of its config.yaml."""
    try:
        found = _MODE_LINE.search((out / "config.yaml").read_text(encoding="utf-8"))
    except OSError:
        return OUTPUT_FILES
    return FILES_OF_MODE.get(found[1], OUTPUT_FILES) if found else OUTPUT_FILES


def damaged_file(out: Path) -> str | None:
    """The first of a run's output files that is missing or not whole, or ``None``.

    The files are those of its config's ``outputs`` mode (:func:`expected_files`). Whole
    means: ``summary.json`` parses as a JSON object, each Parquet file's footer reads (a
    truncated Parquet file has lost it), ``config.yaml`` is a file. Reading the footers
    is a fraction of a millisecond per file, not the tables.
    """
    for name in expected_files(out):
        path = out / name
        try:
            if name.endswith(".parquet"):
                pq.read_metadata(path)
            elif name.endswith(".json"):
                if not isinstance(json.loads(path.read_text(encoding="utf-8")), dict):
                    return name
            elif not path.is_file():
                return name
        except (OSError, ValueError, pa.ArrowException):  # ArrowInvalid, JSONDecodeError
            return name
    return None


def run_complete(out: Path, config_text: str) -> bool:
    """A run is complete when its config.yaml is this config and every output file is whole.

    A run directory whose ``summary.json`` exists but some file is truncated or missing
    (a disk that filled, a copy cut short) is not complete: a rerun redoes it.
    """
    config = out / "config.yaml"
    return (
        (out / "summary.json").exists()
        and config.exists()
        and config.read_text(encoding="utf-8") == config_text
        and damaged_file(out) is None
    )
