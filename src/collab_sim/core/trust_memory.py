"""Pairwise trust memory: the arrays the trust kernels read and update."""

from __future__ import annotations

import numpy as np

from collab_sim.config.schema import TrustConfig
from collab_sim.kernels.rules.trust import (
    perceived,
    trust_of,
    trust_summary,
)
from collab_sim.vocabulary import SECTORS, TRUST_RULES


def baseline_matrix(cfg: TrustConfig) -> np.ndarray:
    """Symmetric sector x sector matrix of baseline trust, in the order of ``SECTORS``."""
    b = np.zeros((len(SECTORS), len(SECTORS)))
    for a, sa in enumerate(SECTORS):
        for c, sc in enumerate(SECTORS):
            first, second = (sa, sc) if a <= c else (sc, sa)
            b[a, c] = getattr(cfg.baseline, f"{first}_{second}")
    return b


class TrustMemory:
    """The trust arrays of a run, with vectorised reads for analysis and recording.

    Attributes:
        partner: ``(N, K)`` remembered partner ids, -1 for an empty slot (empty slots
            come after the filled ones in each row).
        value: ``(N, K)`` trust at the last update.
        updated: ``(N, K)`` month of the last update.
        baseline: ``(3, 3)`` sector-pair baseline trust.
        decay: monthly decay toward the baseline.
        record: ``(N, 2)`` public record of conduct (good, bad), read by ``reputation``.
        rule_params: ``[rule, reputation_weight, structural_weight]`` for the kernels.
    """

    def __init__(self, n: int, cfg: TrustConfig) -> None:
        self.rule = TRUST_RULES.index(cfg.rule)
        self.record = np.zeros((n, 2))  # public record: good and bad conduct per organisation
        self.rule_params = np.array([self.rule, cfg.reputation_weight, cfg.structural_weight])
        self.partner = np.full((n, cfg.memory_slots), -1, dtype=np.int32)
        self.value = np.zeros((n, cfg.memory_slots))
        self.updated = np.zeros((n, cfg.memory_slots), dtype=np.int32)
        self.baseline = baseline_matrix(cfg)
        self.decay = float(cfg.experience.decay)
        self.gain = float(cfg.experience.gain)
        self.loss = float(cfg.experience.loss)
        self.completion_bonus = float(cfg.experience.completion_bonus)

    def summary(self, sector: np.ndarray, step: int) -> tuple[float, dict[str, float | None]]:
        """Mean current trust, overall and per unordered sector pair, in one pass.

        Returns:
            The mean over all remembered relationships (NaN when none), and the mean per
            pair such as ``company-nonprofit`` (None when that pair has none).
        """
        n = len(SECTORS)
        total, count, sums, counts = trust_summary(
            self.partner, self.value, self.updated, self.baseline, sector, step, self.decay, n
        )
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
        return float(
            perceived(
                self.partner, self.value, self.updated, self.baseline, sector, i, j, step,
                self.decay, self.record, self.rule_params,
            )
        )  # fmt: skip

    def of(self, sector: np.ndarray, i: int, j: int, step: int) -> float:
        """Trust of ``i`` in ``j`` now (remembered experience)."""
        return float(
            trust_of(
                self.partner,
                self.value,
                self.updated,
                self.baseline,
                sector,
                i,
                j,
                step,
                self.decay,
            )
        )
