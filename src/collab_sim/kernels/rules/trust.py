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

from collab_sim.kernels.jit import inlined, leaf
from collab_sim.vocabulary import TRUST_RULES

EXPERIENCE = TRUST_RULES.index("experience")
REPUTATION = TRUST_RULES.index("reputation")
STRUCTURAL = TRUST_RULES.index("structural")
GOOD, BAD = 0, 1  # columns of the reputation record

# ``memory`` is the trust memory's record (``partner``, ``value``, ``updated`` and the
# public ``record``, :class:`collab_sim.core.trust_memory.TrustState`); ``trust`` is the
# trust parameters (``params.trust``: ``rule``, ``baseline``, ``experience.decay``, ...).


@njit(cache=True)
def retained_powers(decay: float, months: int) -> np.ndarray:
    """``(1 - decay) ** age`` for ages ``0..months``: the trust memory's table of powers.

    Each entry is computed with the expression :func:`retained` falls back to, so reading
    the table gives the same bits as computing the power (numba's integer power: a loop
    of squarings with a data-dependent branch, about 20 cycles, for each of the ~1,000
    trust reads of a month).
    """
    out = np.empty(months + 1)
    for age in range(months + 1):
        out[age] = (1.0 - decay) ** age
    return out


@inlined
def retained(memory, trust, age) -> float:
    """Share of remembered trust's distance from the baseline left after ``age`` months.

    ``(1 - decay) ** age``, read from the memory's table (:func:`retained_powers`) up to
    the run's length and computed past it (a run stepped on beyond ``steps``).
    """
    powers = memory.retained
    if age < powers.size:
        return powers[age]
    return (1.0 - trust.experience.decay) ** age


@inlined
def find_slot(partner: np.ndarray, i: int, j: int) -> int:
    """Slot of ``i``'s memory that holds ``j`` (an organisation, ``j >= 0``), or -1.

    Memories fill a prefix of each row (:func:`remember`), so the search stops at the
    first empty slot.
    """
    for s in range(partner.shape[1]):
        k = partner[i, s]
        if k == j:
            return s
        if k < 0:
            return -1
    return -1


@inlined
def trust_of(memory, trust, sector, i, j, step) -> float:
    """Current trust of ``i`` in ``j``: remembered value decayed toward the baseline."""
    return trust_in_slot(memory, trust, sector, i, j, find_slot(memory.partner, i, j), step)


@inlined
def trust_in_slot(memory, trust, sector, i, j, s, step) -> float:
    """:func:`trust_of` given ``s``, the slot of ``i``'s memory that holds ``j`` (or -1)."""
    base = trust.baseline[sector[i], sector[j]]
    if s < 0:
        return base
    return base + (memory.value[i, s] - base) * retained(memory, trust, step - memory.updated[i, s])


@inlined
def reputation(record, j) -> float:
    """Public record of ``j``'s conduct, ``(good + 1) / (good + bad + 2)``."""
    return (record[j, GOOD] + 1.0) / (record[j, GOOD] + record[j, BAD] + 2.0)


@inlined
def perceived(memory, trust, sector, i, j, step) -> float:
    """Trust of ``i`` in ``j`` as the configured rule perceives it (see module docstring)."""
    t = trust_of(memory, trust, sector, i, j, step)
    if trust.rule == REPUTATION:
        w = trust.reputation_weight
        return (1.0 - w) * t + w * reputation(memory.record, j)
    if trust.rule == STRUCTURAL:
        partner = memory.partner
        best = 0.0
        for s in range(partner.shape[1]):
            k = partner[i, s]
            if k < 0 or k == j or find_slot(partner, k, j) < 0:
                continue
            t_ik = trust_of(memory, trust, sector, i, k, step)
            t_kj = trust_of(memory, trust, sector, k, j, step)
            best = max(best, t_ik * t_kj)
        return t + trust.structural_weight * max(0.0, best - t)
    return t


@inlined
def remember(memory, trust, sector, i, j, value, step) -> None:
    """Store ``value`` as ``i``'s trust in ``j`` at ``step``, evicting if memory is full.

    A new memory takes the first empty slot, and slots are never emptied, so each row's
    memories fill a prefix of its slots (:func:`trust_summary` stops at the first empty).
    """
    remember_in_slot(memory, trust, sector, i, j, find_slot(memory.partner, i, j), value, step)


@inlined
def remember_in_slot(memory, trust, sector, i, j, s, value, step) -> None:
    """:func:`remember` given ``s``, the slot of ``i``'s memory that holds ``j`` (or -1)."""
    partner = memory.partner
    if s < 0:
        best = -1.0
        for k in range(partner.shape[1]):
            other = partner[i, k]
            if other < 0:
                s = k
                break
            b = trust.baseline[sector[i], sector[other]]
            age = step - memory.updated[i, k]
            current = b + (memory.value[i, k] - b) * retained(memory, trust, age)
            # the least informative memory is the one closest to its baseline
            info = abs(current - b)
            if s < 0 or info < best:
                s, best = k, info
    partner[i, s] = j
    memory.value[i, s] = min(1.0, max(0.0, value))
    memory.updated[i, s] = step


@inlined
def experience(trust: float, good: bool, gain: float, loss: float) -> float:
    """Experience rule: slow to build (``gain`` of the gap to 1), fast to lose (``loss``)."""
    if good:
        return trust + gain * (1.0 - trust)
    return trust - loss * trust


@inlined
def update_pair(memory, trust, sector, i, j, good, step, gain) -> None:
    """Apply one experience of ``i`` with ``j`` (good or bad) to ``i``'s trust in ``j``.

    A good experience closes ``gain`` of the gap to 1 (``trust.experience.gain`` for a
    month, ``completion_bonus`` for a completed partnership); a setback removes
    ``trust.experience.loss`` of the trust held.
    """
    t = trust_of(memory, trust, sector, i, j, step)
    remember(memory, trust, sector, i, j, experience(t, good, gain, trust.experience.loss), step)


@njit(cache=True)
def trust_summary(memory, trust, sector, step, n_sectors):
    """One pass over all remembered relationships (the filled prefix of each row).

    Allocates its buffers and calls :func:`trust_summary_into`.

    Returns:
        The total and count of current trust, and their ``(n_sectors, n_sectors)`` sums and
        counts by (truster, trusted) sector.
    """
    sums = np.empty((n_sectors, n_sectors))
    counts = np.empty((n_sectors, n_sectors))
    retained = np.empty(max(step, 0) + 1)
    total, count = trust_summary_into(memory, trust, sector, step, sums, counts, retained)
    return total, count, sums, counts


@leaf
def trust_summary_into(memory, trust, sector, step, sums, counts, retained):
    """:func:`trust_summary` into given buffers (allocates nothing).

    Args:
        memory: The trust memory's record.
        trust: The trust parameters.
        sector: Each organisation's sector.
        step: The month.
        sums: ``(3, 3)`` float64 (the sectors of ``SECTORS``), overwritten with the sums
            of current trust by (truster, trusted) sector.
        counts: Like ``sums``, overwritten with the counts.
        retained: float64, at least ``step + 1`` entries; the first ``step + 1`` are
            overwritten with ``(1 - decay) ** age`` for each age.

    Returns:
        The total and count of current trust.
    """
    total = 0.0
    count = 0
    sums[:] = 0.0
    counts[:] = 0.0
    # (1 - decay) ** age, once per age rather than once per memory (this loop visits
    # N x K memories)
    retained = retained[: max(step, 0) + 1]
    retained[0] = 1.0
    for age in range(1, retained.size):
        retained[age] = retained[age - 1] * (1.0 - trust.experience.decay)
    partner, value, updated, baseline = memory.partner, memory.value, memory.updated, trust.baseline
    for i in range(partner.shape[0]):
        a = sector[i]
        # the row's sums by the partner's sector, held in registers: the same additions
        # in the same order as adding each memory into sums[a, b] (adding 0.0 to the
        # other two changes no bit: trust is never -0.0), without a chain of stores and
        # loads of the same element
        s0, s1, s2 = sums[a, 0], sums[a, 1], sums[a, 2]
        n0, n1, n2 = 0, 0, 0
        for s in range(partner.shape[1]):
            j = partner[i, s]
            if j < 0:
                break  # the rest of the row is empty too (see :func:`remember`)
            b = sector[j]
            base = baseline[a, b]
            t = base + (value[i, s] - base) * retained[step - updated[i, s]]
            total += t
            count += 1
            s0 += t if b == 0 else 0.0
            s1 += t if b == 1 else 0.0
            s2 += t if b == 2 else 0.0
            n0 += b == 0
            n1 += b == 1
            n2 += b == 2
        sums[a, 0], sums[a, 1], sums[a, 2] = s0, s1, s2
        counts[a, 0] += n0  # whole numbers: adding them at once gives the same sums
        counts[a, 1] += n1
        counts[a, 2] += n2
    return total, count
