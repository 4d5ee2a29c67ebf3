"""The five bottlenecks, each a mechanism with a strength in [0, 1] (``bottlenecks.<name>``).

Per partnership, fixed when it forms (``s_*`` are the strengths, ``J`` is 1 when the
partnership adopted joint planning, ``e_J`` the planning efficacy):

* role ambiguity ``A = s_ra * (1 - 1/n) * (1 - e_J J)`` for ``n`` members: the work
  takes ``1 + ambiguity_slowdown * A`` times as long (redundancy) and the team covers
  ``1 - ambiguity_gaps * A`` of the capabilities it has (gaps);
* cultural mismatch: monthly conflict chance
  ``K = s_cm * conflict_rate * D * (1 - e_J J) * (1 - e_M M)`` with ``D`` the mean
  pairwise culture distance in [0, 1] and ``M`` 1 with a partnership manager; a conflict
  is a setback for every pair and ends the partnership (cause ``conflict``) with chance
  ``conflict_exit * (1 - T)``;
* data friction ``F = s_df * data_slowdown * X * (1 - e_J J)`` with ``X`` the share of
  member pairs whose data-governance regimes differ: the months a partnership spends on a
  clinical stage (phases 1-3) count ``1 + F`` times (:mod:`collab_sim.kernels.pipeline`);
* transactional mindset, per organisation ``tau = s_tm * max(0, 1 - horizon / H)``
  (learning loops remove the share ``learning_horizon_gain`` of it, 0.5 by default):
  its trust gains are multiplied by ``1 - tau`` (it invests nothing in trust at
  ``tau = 1``), and when its recent returns
  fall below ``return_expectation`` of plan it leaves with monthly chance
  ``transactional_exit * tau`` (cause ``member_exit_transactional``);
* power imbalance: member ``k``'s share of value and credit is
  ``s_pi * power_k + (1 - s_pi) * contribution_k`` (the power rule gives ``power_k``);
  co-credit sets it to ``contribution_k``. Under-credited members grow dissatisfied and
  leave (``member_exit_unfair``, :mod:`collab_sim.kernels.collaboration`).

The kernels read the strengths and effect sizes from ``params.bottlenecks``, whose fields
are the config's (``bottlenecks.cultural_mismatch``, ``bottlenecks.conflict_rate``, ...);
``tau`` is ``Organisations.transactional``
(:func:`collab_sim.core.population.transactional_mindset`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.kernels.jit import inlined


@njit(cache=True)
def culture_distance(team, n, culture) -> float:
    """Mean pairwise Euclidean culture distance, scaled to [0, 1]."""
    total = 0.0
    pairs = 0
    for a in range(n):
        for b in range(a + 1, n):
            d = 0.0
            for x in range(culture.shape[1]):
                diff = culture[team[a], x] - culture[team[b], x]
                d += diff * diff
            total += np.sqrt(d / culture.shape[1])
            pairs += 1
    return total / pairs if pairs else 0.0


@njit(cache=True)
def data_mismatch(team, n, regime) -> float:
    """Share of member pairs whose data-governance regimes differ."""
    differ = 0
    pairs = 0
    for a in range(n):
        for b in range(a + 1, n):
            differ += regime[team[a]] != regime[team[b]]
            pairs += 1
    return differ / pairs if pairs else 0.0


@inlined
def culture_gap(i, j, culture) -> float:
    """Culture distance of ``i`` and ``j``: Euclidean, scaled to [0, 1]."""
    dist = 0.0
    for a in range(culture.shape[1]):
        diff = culture[i, a] - culture[j, a]
        dist += diff * diff
    return np.sqrt(dist / culture.shape[1])
