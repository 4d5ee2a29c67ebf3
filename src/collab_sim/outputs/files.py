"""A run's output files, written atomically: complete only when every file is whole."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: File names of a run's outputs; ``summary.json`` is written last and marks completion.
OUTPUT_FILES = (
    "config.yaml",
    "timeseries.parquet",
    "partnerships.parquet",
    "projects.parquet",
    "summary.json",
)


# --------------------------------------------------------------------------- atomic writes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through a temp file in the same directory, then rename over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
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
    timeseries: pd.DataFrame,
    partnerships: pd.DataFrame,
    projects: pd.DataFrame,
    summary: dict[str, Any],
) -> None:
    """Write a run's five output files into ``out_dir``, each atomically, summary last.

    A directory with ``summary.json`` holds a complete run. If any write fails, the files
    this call already wrote are removed again, so nothing half-written is left behind.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # left by a writer that was killed (one writer per run)
        stale.unlink(missing_ok=True)
    existed = {name for name in OUTPUT_FILES if (out / name).exists()}
    writers = [
        ("config.yaml", lambda p: write_text(config_yaml, p)),
        ("timeseries.parquet", lambda p: write_parquet(timeseries, p)),
        ("partnerships.parquet", lambda p: write_parquet(partnerships, p)),
        ("projects.parquet", lambda p: write_parquet(projects, p)),
        ("summary.json", lambda p: write_json(summary, p)),
    ]
    written: list[Path] = []
    try:
        for name, write in writers:
            write(out / name)
            written.append(out / name)
    except BaseException:
        for path in written:
            if path.name not in existed:
                path.unlink(missing_ok=True)
        raise


def run_complete(out: Path, config_text: str) -> bool:
    """A run is complete when its summary.json exists and its config.yaml is this config."""
    config = out / "config.yaml"
    return (
        (out / "summary.json").exists()
        and config.exists()
        and config.read_text(encoding="utf-8") == config_text
    )
