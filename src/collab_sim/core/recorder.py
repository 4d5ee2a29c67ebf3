"""The time-series buffers a run fills, one row per month."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from collab_sim.kernels.recording import timeseries_columns


class SeriesState(NamedTuple):
    """The time series as the kernels see it.

    Attributes:
        data: ``(capacity, columns)`` buffer, one row per month
            (:func:`collab_sim.kernels.recording.record_month` fills a row).
        repair_totals: Trust regained in good months by pairs below their baseline (after
            setbacks), and the number of such pair-months, over the run so far.
    """

    data: np.ndarray
    repair_totals: np.ndarray


class Recorder:
    """One row per month, in preallocated numpy columns (filled by ``record_month``).

    Attributes:
        columns: Column names, in order.
        data: ``(capacity, len(columns))`` buffer; rows ``0..rows-1`` are filled.
        rows: Months recorded so far.
        repair_totals: See :class:`SeriesState`.
    """

    def __init__(self, capacity: int) -> None:
        self.columns = timeseries_columns()
        self.data = np.zeros((max(capacity, 1), len(self.columns)))
        self.rows = 0
        self.repair_totals = np.zeros(2)

    def reserve(self, months: int) -> None:
        """Make room for ``months`` more rows (amortised doubling)."""
        need = self.rows + months
        if need > self.data.shape[0]:
            grown = np.zeros((max(need, 2 * self.data.shape[0]), self.data.shape[1]))
            grown[: self.rows] = self.data[: self.rows]
            self.data = grown

    def state(self) -> SeriesState:
        """The buffers as one record for the kernels (rebuilt after :meth:`reserve`)."""
        return SeriesState(self.data, self.repair_totals)
