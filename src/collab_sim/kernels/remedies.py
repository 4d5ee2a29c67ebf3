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

The kernels read these from ``remedies`` (``params.remedies``, whose fields are the
config's: ``remedies.joint_planning``, ``remedies.planning_efficacy``, ...).
"""

from __future__ import annotations

from collab_sim.kernels.jit import inlined

JOINT_PLANNING, CO_CREDIT, MANAGERS, LEARNING = 1, 2, 4, 8  # bit flags


@inlined
def draw_remedies(rng, remedies) -> int:
    """The remedies a new partnership adopts, as bit flags, drawn from ``rng``."""
    flags = 0
    if rng.random() < remedies.joint_planning:
        flags |= JOINT_PLANNING
    if rng.random() < remedies.co_credit:
        flags |= CO_CREDIT
    if rng.random() < remedies.partnership_managers:
        flags |= MANAGERS
    if rng.random() < remedies.learning_loops:
        flags |= LEARNING
    return flags


@inlined
def trust_gain_factor(flags, remedies) -> float:
    """Multiplier on trust gains from managers and learning loops (faster repair)."""
    factor = 1.0
    if flags & MANAGERS:
        factor += remedies.manager_trust_repair
    if flags & LEARNING:
        factor += remedies.learning_trust_repair
    return factor


@inlined
def time_factor(flags, remedies) -> float:
    """Multiplier on work time from learning loops' meetings."""
    return 1.0 + remedies.learning_time_cost if flags & LEARNING else 1.0
