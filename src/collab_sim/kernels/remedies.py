"""The four readiness remedies: levers that weaken bottlenecks, each at a cost.

Each remedy has an adoption share in [0, 1] (``remedies.<name>``): a new partnership
adopts it with that probability (drawn at formation, stored as a bit in
``PartnershipTable.remedies``).

* ``joint_planning`` (onboarding): removes ``planning_efficacy`` of role ambiguity,
  cultural conflict and data friction. Cost: ``onboarding_months`` of set-up before work
  starts (costs run, no progress) and ``onboarding_cost_share`` of the initial budget,
  charged to the budget at formation.
* ``co_credit``: value and credit split by contribution, whatever the power rule and
  ``power_imbalance``. Cost: the powerful partner's share.
* ``partnership_managers``: prevent ``manager_conflict_reduction`` of conflicts and add
  ``manager_trust_repair`` to trust gains. Cost: a salary of ``manager_cost_share`` of the
  members' monthly costs, from the budget each month.
* ``learning_loops``: add ``learning_trust_repair`` to trust gains and remove
  ``learning_horizon_gain`` of members' transactional mindset. Cost: ``learning_time_cost``
  of working time (work and stages take longer).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.config.schema import RemediesConfig

JOINT_PLANNING, CO_CREDIT, MANAGERS, LEARNING = 1, 2, 4, 8  # bit flags

(
    R_JP,
    R_CC,
    R_PM,
    R_LL,
    R_PLAN_EFF,
    R_ONBOARD_MONTHS,
    R_ONBOARD_COST,
    R_PM_CONFLICT,
    R_PM_REPAIR,
    R_PM_COST_SHARE,
    R_LL_REPAIR,
    R_LL_HORIZON,
    R_LL_TIME,
) = range(13)


def remedy_params(cfg: RemediesConfig) -> np.ndarray:
    """Pack the adoption shares and costs for the kernels."""
    return np.array(
        [
            cfg.joint_planning,
            cfg.co_credit,
            cfg.partnership_managers,
            cfg.learning_loops,
            cfg.planning_efficacy,
            cfg.onboarding_months,
            cfg.onboarding_cost_share,
            cfg.manager_conflict_reduction,
            cfg.manager_trust_repair,
            cfg.manager_cost_share,
            cfg.learning_trust_repair,
            cfg.learning_horizon_gain,
            cfg.learning_time_cost,
        ],
        dtype=np.float64,
    )


@njit(cache=True)
def draw_remedies(rp) -> int:
    """The remedies a new partnership adopts, as bit flags (uses numba's seeded RNG)."""
    flags = 0
    if np.random.random() < rp[R_JP]:
        flags |= JOINT_PLANNING
    if np.random.random() < rp[R_CC]:
        flags |= CO_CREDIT
    if np.random.random() < rp[R_PM]:
        flags |= MANAGERS
    if np.random.random() < rp[R_LL]:
        flags |= LEARNING
    return flags


@njit(cache=True)
def trust_gain_factor(flags, rp) -> float:
    """Multiplier on trust gains from managers and learning loops (faster repair)."""
    factor = 1.0
    if flags & MANAGERS:
        factor += rp[R_PM_REPAIR]
    if flags & LEARNING:
        factor += rp[R_LL_REPAIR]
    return factor


@njit(cache=True)
def time_factor(flags, rp) -> float:
    """Multiplier on work time from learning loops' meetings."""
    return 1.0 + rp[R_LL_TIME] if flags & LEARNING else 1.0
