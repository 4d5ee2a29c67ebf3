"""Columnar recording of the time series, and atomic writing of a run's outputs.

The recorder holds one preallocated numpy column per metric and fills one row per month
from whole-array reductions, so recording costs a few vector operations a step rather
than a Python reporter per agent (Mesa's DataCollector calls reporters per agent, which
is the cost DESIGN.md's recording budget rules out).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from collab_sim.config import SECTORS, STAGES
from collab_sim.partnerships import DISSOLUTION_CAUSES

if TYPE_CHECKING:
    from collab_sim.model import EcosystemModel

#: Months over which nonprofit participation is measured.
PARTICIPATION_WINDOW = 12

#: File names of a run's outputs; ``summary.json`` is written last and marks completion.
OUTPUT_FILES = (
    "config.yaml",
    "timeseries.parquet",
    "partnerships.parquet",
    "projects.parquet",
    "summary.json",
)


def timeseries_columns() -> list[str]:
    """Names of the time-series columns, in order."""
    return [
        "step",
        "active_partnerships",
        "active_consortia",
        "formations",
        "dissolutions",
        *[f"dissolved_{c}" for c in DISSOLUTION_CAUSES],
        "mean_trust",
        "orgs_in_partnerships_share",
        "nonprofit_participation",
        *[f"resources_{s}" for s in SECTORS],
        *[f"value_received_{s}" for s in SECTORS],
        *[f"candidates_{s}" for s in STAGES],
        "approvals",
        "approvals_cumulative",
        *[f"trust_{a}_{b}" for i, a in enumerate(SECTORS) for b in SECTORS[i:]],
        "trust_repair_rate",
        "remedy_costs_cumulative",
    ]


class Recorder:
    """One row per month, in preallocated numpy columns."""

    def __init__(self, capacity: int) -> None:
        self.columns = timeseries_columns()
        self._data = np.zeros((max(capacity, 1), len(self.columns)))
        self._index = {name: k for k, name in enumerate(self.columns)}
        self.rows = 0

    def record(
        self,
        model: EcosystemModel,
        formations: int,
        ended_by_cause: np.ndarray,
        approvals: int,
        repair: np.ndarray,
    ) -> None:
        """Append the row of the month just simulated."""
        if self.rows == self._data.shape[0]:
            self._data = np.concatenate([self._data, np.zeros_like(self._data)])
        orgs, table = model.orgs, model.partnerships
        row = self._data[self.rows]
        col = self._index
        active = table.is_active[: table.count]
        row[col["step"]] = model.steps
        row[col["active_partnerships"]] = active.sum()
        row[col["active_consortia"]] = (active & (table.size[: table.count] > 2)).sum()
        row[col["formations"]] = formations
        row[col["dissolutions"]] = ended_by_cause[1:].sum()
        for k, cause in enumerate(DISSOLUTION_CAUSES, start=1):
            row[col[f"dissolved_{cause}"]] = ended_by_cause[k]
        mean_trust, trust_pairs = model.trust.summary(orgs.sector, int(model.steps))
        row[col["mean_trust"]] = mean_trust
        row[col["orgs_in_partnerships_share"]] = (orgs.n_active > 0).mean()
        row[col["nonprofit_participation"]] = model.nonprofit_participation()
        sums = np.bincount(orgs.sector, weights=orgs.resources, minlength=len(SECTORS))
        vals = np.bincount(orgs.sector, weights=orgs.value_received, minlength=len(SECTORS))
        for s, name in enumerate(SECTORS):
            row[col[f"resources_{name}"]] = sums[s]
            row[col[f"value_received_{name}"]] = vals[s]
        pr = model.projects
        active = pr.outcome[: pr.count] == 0
        by_stage = np.bincount(pr.stage[: pr.count][active], minlength=len(STAGES) + 1)
        for s, name in enumerate(STAGES):
            row[col[f"candidates_{name}"]] = by_stage[s]
        row[col["approvals"]] = approvals
        previous = self._data[self.rows - 1, col["approvals_cumulative"]] if self.rows else 0
        row[col["approvals_cumulative"]] = previous + approvals
        for pair, mean in trust_pairs.items():
            row[col["trust_" + pair.replace("-", "_")]] = np.nan if mean is None else mean
        row[col["trust_repair_rate"]] = repair[0] / repair[1] if repair[1] else np.nan
        row[col["remedy_costs_cumulative"]] = table.remedy_cost[: table.count].sum()
        self.rows += 1

    def to_frame(self) -> pd.DataFrame:
        """The time series as a tidy DataFrame, one row per month."""
        frame = pd.DataFrame(self._data[: self.rows], columns=self.columns)
        prefixes = ("step", "active_", "formations", "dissol", "candidates_", "approvals")
        ints = [c for c in self.columns if c.startswith(prefixes)]
        return frame.astype({c: np.int64 for c in ints})


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
