"""Pairwise trust memory: the arrays the trust kernels read and update."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from collab_sim.config.schema import TrustConfig
from collab_sim.core.params import TrustParams, section_params
from collab_sim.kernels.rules.trust import perceived, retained_powers, trust_of, trust_summary
from collab_sim.vocabulary import SECTORS


class TrustState(NamedTuple):
    """The trust memory as the kernels see it (see :class:`TrustMemory`)."""

    partner: np.ndarray
    value: np.ndarray
    updated: np.ndarray
    record: np.ndarray
    retained: np.ndarray


class TrustMemory:
    """The trust arrays of a run, with vectorised reads for analysis and recording.

    Attributes:
        partner: ``(N, K)`` remembered partner ids, -1 for an empty slot (empty slots
            come after the filled ones in each row).
        value: ``(N, K)`` trust at the last update.
        updated: ``(N, K)`` month of the last update.
        record: ``(N, 2)`` public record of conduct (good, bad), read by ``reputation``.
        retained: ``(1 - decay) ** age`` for ages ``0..months`` (trust reads look the power
            up; :func:`collab_sim.kernels.rules.trust.retained`).
        params: The trust parameters (:class:`collab_sim.core.params.TrustParams`): the
            rule, the ``(3, 3)`` sector-pair ``baseline``, ``experience.decay`` etc.
    """

    def __init__(self, n: int, cfg: TrustConfig, months: int = 0) -> None:
        """Empty memories for ``n`` organisations, with powers of the decay for ``months``."""
        self.params = section_params(TrustParams, cfg)
        self.retained = retained_powers(self.params.experience.decay, max(months, 0))
        self.record = np.zeros((n, 2))  # public record: good and bad conduct per organisation
        self.partner = np.full((n, cfg.memory_slots), -1, dtype=np.int32)
        self.value = np.zeros((n, cfg.memory_slots))
        self.updated = np.zeros((n, cfg.memory_slots), dtype=np.int32)

    @property
    def baseline(self) -> np.ndarray:
        """``(3, 3)`` sector-pair baseline trust, in the order of ``SECTORS``."""
        return self.params.baseline

    @property
    def decay(self) -> float:
        """Monthly decay of remembered trust toward the baseline."""
        return self.params.experience.decay

    def state(self) -> TrustState:
        """The memory's arrays as one record for the kernels."""
        return TrustState(self.partner, self.value, self.updated, self.record, self.retained)

    def summary(self, sector: np.ndarray, step: int) -> tuple[float, dict[str, float | None]]:
        """Mean current trust, overall and per unordered sector pair, in one pass.

        Returns:
            The mean over all remembered relationships (NaN when none), and the mean per
            pair such as ``company-nonprofit`` (None when that pair has none).
        """
        n = len(SECTORS)
        total, count, sums, counts = trust_summary(self.state(), self.params, sector, step, n)
        pairs = {}
        for a in range(n):
            for b in range(a, n):
                pair_sum = sums[a, b] + (sums[b, a] if a != b else 0.0)
                pair_count = counts[a, b] + (counts[b, a] if a != b else 0.0)
                pairs[f"{SECTORS[a]}-{SECTORS[b]}"] = (
                    float(pair_sum / pair_count) if pair_count else None
                )
        return (float(total / count) if count else float("nan")), pairs

    def mean(self, sector: np.ndarray, step: int) -> float:
        """Mean current trust over all remembered relationships (NaN when none)."""
        return self.summary(sector, step)[0]

    def by_sector_pair(self, sector: np.ndarray, step: int) -> dict[str, float | None]:
        """Mean remembered trust per unordered sector pair, e.g. ``company-nonprofit``."""
        return self.summary(sector, step)[1]

    def perceived(self, sector: np.ndarray, i: int, j: int, step: int) -> float:
        """Trust of ``i`` in ``j`` as the configured rule perceives it now."""
        return float(perceived(self.state(), self.params, sector, i, j, step))

    def of(self, sector: np.ndarray, i: int, j: int, step: int) -> float:
        """Trust of ``i`` in ``j`` now (remembered experience)."""
        return float(trust_of(self.state(), self.params, sector, i, j, step))
