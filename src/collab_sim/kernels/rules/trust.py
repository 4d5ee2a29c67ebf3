"""Pairwise trust: a bounded memory per organisation, and the trust rules.

Trust is directed (how much ``i`` trusts ``j``) and lives in ``K`` memory slots per
organisation: the partner's id, the trust value and the month it was last updated. An
organisation that is not remembered is trusted at the sector-pair baseline. Memory is
``N x K``, never ``N x N``. Decay toward the baseline is applied lazily on read,

    T_ij(t) = B_ij + (T_ij(t0) - B_ij) * (1 - decay) ** (t - t0),

so untouched relationships cost nothing per month. When all slots are full, the memory
whose current trust is closest to its baseline (the least informative) is overwritten.

Every rule remembers experience the same way: a good month together closes a share
``gain`` of the gap to 1; a setback removes a share ``loss`` of the trust held
(``loss > gain``: slow to build, fast to lose). Rules differ in how an organisation
*perceives* another when it decides (evaluation, work, stage success), config group
``trust``, field ``rule``:

* ``experience`` -- perceived trust is remembered trust ``T_ij``.
* ``reputation`` -- ``(1 - w_R) * T_ij + w_R * R_j`` with ``R_j = (good_j + 1) /
  (good_j + bad_j + 2)`` the public record of ``j``'s conduct: partnerships it completed
  (good) against those it left, went broke in or fought in (bad).
* ``structural`` -- trust through common partners: with ``S_ij = max_k T_ik * T_kj``
  over partners ``k`` that ``i`` remembers and that remember ``j``,
  ``T_ij + w_S * max(0, S_ij - T_ij)``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.kernels.jit import leaf
from collab_sim.vocabulary import TRUST_RULES

EXPERIENCE = TRUST_RULES.index("experience")
REPUTATION = TRUST_RULES.index("reputation")
STRUCTURAL = TRUST_RULES.index("structural")
W_RULE, W_REPUTATION, W_STRUCTURAL = range(3)  # entries of the ``tw`` parameter array
GOOD, BAD = 0, 1  # columns of the reputation record


@leaf
def find_slot(partner: np.ndarray, i: int, j: int) -> int:
    """Slot of ``i``'s memory that holds ``j``, or -1."""
    for s in range(partner.shape[1]):
        if partner[i, s] == j:
            return s
    return -1


@leaf
def trust_of(partner, value, updated, baseline, sector, i, j, step, decay) -> float:
    """Current trust of ``i`` in ``j``: remembered value decayed toward the baseline."""
    base = baseline[sector[i], sector[j]]
    s = find_slot(partner, i, j)
    if s < 0:
        return base
    return base + (value[i, s] - base) * (1.0 - decay) ** (step - updated[i, s])


@leaf
def reputation(record, j) -> float:
    """Public record of ``j``'s conduct, ``(good + 1) / (good + bad + 2)``."""
    return (record[j, GOOD] + 1.0) / (record[j, GOOD] + record[j, BAD] + 2.0)


@leaf
def perceived(partner, value, updated, baseline, sector, i, j, step, decay, record, tw) -> float:
    """Trust of ``i`` in ``j`` as the configured rule perceives it (see module docstring)."""
    t = trust_of(partner, value, updated, baseline, sector, i, j, step, decay)
    rule = int(tw[W_RULE])
    if rule == REPUTATION:
        return (1.0 - tw[W_REPUTATION]) * t + tw[W_REPUTATION] * reputation(record, j)
    if rule == STRUCTURAL:
        best = 0.0
        for s in range(partner.shape[1]):
            k = partner[i, s]
            if k < 0 or k == j or find_slot(partner, k, j) < 0:
                continue
            t_ik = trust_of(partner, value, updated, baseline, sector, i, k, step, decay)
            t_kj = trust_of(partner, value, updated, baseline, sector, k, j, step, decay)
            best = max(best, t_ik * t_kj)
        return t + tw[W_STRUCTURAL] * max(0.0, best - t)
    return t


@leaf
def remember(partner, value, updated, baseline, sector, i, j, trust, step, decay) -> None:
    """Store ``trust`` as ``i``'s trust in ``j`` at ``step``, evicting if memory is full.

    A new memory takes the first empty slot, and slots are never emptied, so each row's
    memories fill a prefix of its slots (:func:`trust_summary` stops at the first empty).
    """
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


@leaf
def experience(trust: float, good: bool, gain: float, loss: float) -> float:
    """Experience rule: slow to build (``gain`` of the gap to 1), fast to lose (``loss``)."""
    if good:
        return trust + gain * (1.0 - trust)
    return trust - loss * trust


@leaf
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


#: numba raises a float to an integer power up to this one by repeated squaring.
_SQUARING_MAX = 0x10000


@leaf
def powers(base: float, out: np.ndarray) -> None:
    """Fill ``out[k]`` with ``base ** k`` as numba computes it, bit for bit.

    numba computes ``base ** k`` (integer ``k``) by squaring: starting from 1, it
    multiplies by ``base ** (2 ** b)`` (from repeated squaring) for each set bit ``b`` of
    ``k``, lowest bit first. The last multiplication is by the highest bit's square, so
    ``base ** k == base ** (k - 2 ** h) * base ** (2 ** h)`` with ``h`` the highest set
    bit, in exactly the same operations: one multiplication per entry instead of a
    squaring loop per entry. Beyond :data:`_SQUARING_MAX` numba calls ``pow``; so does
    this function.
    """
    if out.size == 0:
        return
    out[0] = 1.0
    square = base  # base ** high, high the highest power of two <= k
    high = 1
    for k in range(1, min(out.size, _SQUARING_MAX + 1)):
        if k == 2 * high:
            high = k
            square = square * square
        out[k] = out[k - high] * square
    for k in range(_SQUARING_MAX + 1, out.size):
        out[k] = base**k


@njit(cache=True)
def trust_summary(partner, value, updated, baseline, sector, step, decay, n_sectors):
    """One pass over all remembered relationships (the filled prefix of each row).

    Returns:
        The total and count of current trust, and their ``(n_sectors, n_sectors)`` sums and
        counts by (truster, trusted) sector.
    """
    total = 0.0
    count = 0
    sums = np.zeros((n_sectors, n_sectors))
    counts = np.zeros((n_sectors, n_sectors))
    # (1 - decay) ** age, once per age rather than once per memory, with the bits of the
    # expression (this loop visits N x K memories)
    retained = np.empty(max(step, 0) + 1)
    powers(1.0 - decay, retained)
    for i in range(partner.shape[0]):
        a = sector[i]
        for s in range(partner.shape[1]):
            j = partner[i, s]
            if j < 0:
                break  # the rest of the row is empty too (see :func:`remember`)
            b = sector[j]
            base = baseline[a, b]
            t = base + (value[i, s] - base) * retained[step - updated[i, s]]
            total += t
            count += 1
            sums[a, b] += t
            counts[a, b] += 1.0
    return total, count, sums, counts
