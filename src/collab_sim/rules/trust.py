"""Pairwise trust: a bounded memory per organisation, and the trust rules.

Trust is directed (how much ``i`` trusts ``j``) and lives in ``K`` memory slots per
organisation: the partner's id, the trust value and the month it was last updated. An
organisation that is not remembered is trusted at the sector-pair baseline. Memory is
``N x K``, never ``N x N``. Decay toward the baseline is applied lazily on read,

    T_ij(t) = B_ij + (T_ij(t0) - B_ij) * (1 - decay) ** (t - t0),

so untouched relationships cost nothing per month. When all slots are full, the memory
whose current trust is closest to its baseline (the least informative) is overwritten.

Rules (config group ``trust``, field ``rule``):

* ``experience`` -- a good month together closes a share ``gain`` of the gap to 1; a
  setback removes a share ``loss`` of the trust held. ``loss > gain`` makes trust slow to
  build and fast to lose.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.config import SECTORS, TRUST_RULES, TrustConfig

EXPERIENCE = TRUST_RULES.index("experience")


def baseline_matrix(cfg: TrustConfig) -> np.ndarray:
    """Symmetric sector x sector matrix of baseline trust, in the order of ``SECTORS``."""
    b = np.zeros((len(SECTORS), len(SECTORS)))
    for a, sa in enumerate(SECTORS):
        for c, sc in enumerate(SECTORS):
            first, second = (sa, sc) if a <= c else (sc, sa)
            b[a, c] = getattr(cfg.baseline, f"{first}_{second}")
    return b


@njit(cache=True)
def find_slot(partner: np.ndarray, i: int, j: int) -> int:
    """Slot of ``i``'s memory that holds ``j``, or -1."""
    for s in range(partner.shape[1]):
        if partner[i, s] == j:
            return s
    return -1


@njit(cache=True)
def trust_of(partner, value, updated, baseline, sector, i, j, step, decay) -> float:
    """Current trust of ``i`` in ``j``: remembered value decayed toward the baseline."""
    base = baseline[sector[i], sector[j]]
    s = find_slot(partner, i, j)
    if s < 0:
        return base
    return base + (value[i, s] - base) * (1.0 - decay) ** (step - updated[i, s])


@njit(cache=True)
def remember(partner, value, updated, baseline, sector, i, j, trust, step, decay) -> None:
    """Store ``trust`` as ``i``'s trust in ``j`` at ``step``, evicting if memory is full."""
    s = find_slot(partner, i, j)
    if s < 0:
        best = -1.0
        for k in range(partner.shape[1]):
            other = partner[i, k]
            if other < 0:
                s = k
                break
            b = baseline[sector[i], sector[other]]
            current = b + (value[i, k] - b) * (1.0 - decay) ** (step - updated[i, k])
            # the least informative memory is the one closest to its baseline
            info = abs(current - b)
            if s < 0 or info < best:
                s, best = k, info
    partner[i, s] = j
    value[i, s] = min(1.0, max(0.0, trust))
    updated[i, s] = step


@njit(cache=True)
def experience(trust: float, good: bool, gain: float, loss: float) -> float:
    """Experience rule: slow to build (``gain`` of the gap to 1), fast to lose (``loss``)."""
    if good:
        return trust + gain * (1.0 - trust)
    return trust - loss * trust


@njit(cache=True)
def update_pair(partner, value, updated, baseline, sector, i, j, good, step, decay, gain, loss):
    """Apply one experience of ``i`` with ``j`` (good or bad) to ``i``'s trust in ``j``."""
    t = trust_of(partner, value, updated, baseline, sector, i, j, step, decay)
    remember(
        partner,
        value,
        updated,
        baseline,
        sector,
        i,
        j,
        experience(t, good, gain, loss),
        step,
        decay,
    )


@njit(cache=True)
def mean_trust(partner, value, updated, baseline, sector, step, decay) -> float:
    """Mean current trust over all remembered relationships (NaN when none)."""
    total = 0.0
    count = 0
    for i in range(partner.shape[0]):
        for s in range(partner.shape[1]):
            j = partner[i, s]
            if j >= 0:
                base = baseline[sector[i], sector[j]]
                total += base + (value[i, s] - base) * (1.0 - decay) ** (step - updated[i, s])
                count += 1
    return total / count if count > 0 else np.nan


class TrustMemory:
    """The trust arrays of a run, with vectorised reads for analysis and recording.

    Attributes:
        partner: ``(N, K)`` remembered partner ids, -1 for an empty slot.
        value: ``(N, K)`` trust at the last update.
        updated: ``(N, K)`` month of the last update.
        baseline: ``(3, 3)`` sector-pair baseline trust.
        decay: monthly decay toward the baseline.
    """

    def __init__(self, n: int, cfg: TrustConfig) -> None:
        self.rule = TRUST_RULES.index(cfg.rule)
        self.partner = np.full((n, cfg.memory_slots), -1, dtype=np.int32)
        self.value = np.zeros((n, cfg.memory_slots))
        self.updated = np.zeros((n, cfg.memory_slots), dtype=np.int32)
        self.baseline = baseline_matrix(cfg)
        self.decay = float(cfg.experience.decay)
        self.gain = float(cfg.experience.gain)
        self.loss = float(cfg.experience.loss)
        self.completion_bonus = float(cfg.experience.completion_bonus)

    def current(self, sector: np.ndarray, step: int) -> np.ndarray:
        """``(N, K)`` current trust of every remembered pair (NaN for empty slots)."""
        used = self.partner >= 0
        other = np.where(used, self.partner, 0)
        base = self.baseline[sector[:, None], sector[other]]
        t = base + (self.value - base) * (1.0 - self.decay) ** (step - self.updated)
        return np.where(used, t, np.nan)

    def mean(self, sector: np.ndarray, step: int) -> float:
        """Mean current trust over all remembered relationships (NaN when none)."""
        return float(
            mean_trust(
                self.partner, self.value, self.updated, self.baseline, sector, step, self.decay
            )
        )

    def of(self, sector: np.ndarray, i: int, j: int, step: int) -> float:
        """Trust of ``i`` in ``j`` now."""
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
