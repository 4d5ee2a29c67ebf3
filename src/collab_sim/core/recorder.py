"""The time-series buffers a run fills, one row per month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from collab_sim.kernels.recording import (
    _COLUMNS,
)


class Recorder:
    """One row per month, in preallocated numpy columns (filled by :func:`record_month`).

    Attributes:
        columns: Column names, in order.
        data: ``(capacity, len(columns))`` buffer; rows ``0..rows-1`` are filled.
        rows: Months recorded so far.
    """

    def __init__(self, capacity: int) -> None:
        self.columns = list(_COLUMNS)
        self.data = np.zeros((max(capacity, 1), len(self.columns)))
        self.rows = 0

    def reserve(self, months: int) -> None:
        """Make room for ``months`` more rows (amortised doubling)."""
        need = self.rows + months
        if need > self.data.shape[0]:
            grown = np.zeros((max(need, 2 * self.data.shape[0]), self.data.shape[1]))
            grown[: self.rows] = self.data[: self.rows]
            self.data = grown

    def to_frame(self) -> pd.DataFrame:
        """The time series as a tidy DataFrame, one row per month."""
        prefixes = ("step", "active_", "formations", "dissol", "candidates_", "approvals")
        data = self.data[: self.rows]
        # column by column: a dict of arrays is ~10x faster than DataFrame.astype per column
        return pd.DataFrame(
            {
                name: data[:, k].astype(np.int64) if name.startswith(prefixes) else data[:, k]
                for k, name in enumerate(self.columns)
            }
        )
