"""Partnerships as first-class records, held column-wise in growable arrays.

A partnership has two or more members (a bilateral deal or a consortium), a lead, the
month it formed and ended, the cause it ended with, the project need it serves, its
budget, each member's share of value and credit, each member's contribution and
satisfaction. Row ``p`` of every array belongs to partnership id ``p``.

Each partnership carries one project (``project``) over the scope of its deal type
(``deal``, an index of ``config.deals.types``): from stage ``scope_first`` through
``scope_last``. ``milestones`` counts the milestones the project passed inside the scope
(stages, and discovery's hit and lead); ``goal_met`` records that the partnership
reached its goal: a milestone passed, the scope completed or, for a recruitment deal,
its trial fully enrolled, and not broken off (``BREAK_CAUSES``). ``licensor`` is
the member whose project a licence took (-1 for other deals), ``payments`` what the
lead paid it. ``duration``, ``progress``, ``budget`` and
``planned_value`` belong to the current work plan, the ``plans``-th (renewed, with a new
budget, while the scope goes on). ``contracting`` is the months its agreements took
(drawn at formation); its first month of work is the month after ``work_start``.
``memory_slot[p, a, b]`` is where member ``a`` last found its memory of member ``b``
(-1: not looked up yet), so a month's trust reads go straight to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collab_sim.core.columns import grow_columns, record_type
from collab_sim.vocabulary import DOMAINS

_MINUS_ONE = frozenset({"members", "lead", "formed", "ended", "project", "licensor", "memory_slot"})


@dataclass
class PartnershipTable:
    """Column arrays of all partnerships ever formed (``count`` rows in use).

    Attributes:
        max_members: Width of the member columns (largest consortium).
        count: Number of partnerships formed so far (ids ``0..count-1``).
    """

    max_members: int
    count: int
    is_active: np.ndarray
    size: np.ndarray
    members: np.ndarray
    lead: np.ndarray
    formed: np.ndarray
    ended: np.ndarray
    cause: np.ndarray
    need: np.ndarray
    coverage: np.ndarray
    duration: np.ndarray
    progress: np.ndarray
    budget: np.ndarray
    initial_budget: np.ndarray
    planned_value: np.ndarray
    value_paid: np.ndarray
    share: np.ndarray
    contribution: np.ndarray
    satisfaction: np.ndarray
    owed: np.ndarray
    good_months: np.ndarray
    bad_months: np.ndarray
    project: np.ndarray
    end_request: np.ndarray
    remedies: np.ndarray
    ambiguity: np.ndarray
    conflict_chance: np.ndarray
    data_friction: np.ndarray
    onboarding_left: np.ndarray
    recent_value: np.ndarray
    conflicts: np.ndarray
    remedy_cost: np.ndarray
    resource_asymmetry: np.ndarray
    decision_concentration: np.ndarray
    deal: np.ndarray
    scope_first: np.ndarray
    scope_last: np.ndarray
    licensor: np.ndarray
    milestones: np.ndarray
    goal_met: np.ndarray
    payments: np.ndarray
    plans: np.ndarray
    contracting: np.ndarray
    work_start: np.ndarray
    memory_slot: np.ndarray

    @classmethod
    def empty(cls, capacity: int, max_members: int) -> PartnershipTable:
        """A table with room for ``capacity`` partnerships of up to ``max_members``."""
        c, m = capacity, max_members
        return cls(
            max_members=m,
            count=0,
            is_active=np.zeros(c, dtype=np.bool_),
            size=np.zeros(c, dtype=np.int32),
            members=np.full((c, m), -1, dtype=np.int32),
            lead=np.full(c, -1, dtype=np.int32),
            formed=np.full(c, -1, dtype=np.int32),
            ended=np.full(c, -1, dtype=np.int32),
            cause=np.zeros(c, dtype=np.int8),
            need=np.zeros((c, len(DOMAINS))),
            coverage=np.zeros(c),
            duration=np.zeros(c, dtype=np.int32),
            progress=np.zeros(c),
            budget=np.zeros(c),
            initial_budget=np.zeros(c),
            planned_value=np.zeros(c),
            value_paid=np.zeros(c),
            share=np.zeros((c, m)),
            contribution=np.zeros((c, m)),
            satisfaction=np.zeros((c, m)),
            owed=np.zeros((c, m)),
            good_months=np.zeros(c, dtype=np.int32),
            bad_months=np.zeros(c, dtype=np.int32),
            project=np.full(c, -1, dtype=np.int32),
            end_request=np.zeros(c, dtype=np.int8),
            remedies=np.zeros(c, dtype=np.int8),
            ambiguity=np.zeros(c),
            conflict_chance=np.zeros(c),
            data_friction=np.zeros(c),
            onboarding_left=np.zeros(c, dtype=np.int32),
            recent_value=np.zeros((c, m)),
            conflicts=np.zeros(c, dtype=np.int32),
            remedy_cost=np.zeros(c),
            resource_asymmetry=np.zeros(c),
            decision_concentration=np.zeros(c),
            deal=np.zeros(c, dtype=np.int8),
            scope_first=np.zeros(c, dtype=np.int8),
            scope_last=np.zeros(c, dtype=np.int8),
            licensor=np.full(c, -1, dtype=np.int32),
            milestones=np.zeros(c, dtype=np.int16),
            goal_met=np.zeros(c, dtype=np.bool_),
            payments=np.zeros(c),
            plans=np.zeros(c, dtype=np.int16),
            contracting=np.zeros(c),
            work_start=np.zeros(c, dtype=np.int32),
            memory_slot=np.full((c, m, m), -1, dtype=np.int16),
        )

    @property
    def capacity(self) -> int:
        """Rows allocated."""
        return int(self.lead.size)

    def reserve(self, extra: int) -> None:
        """Make room for ``extra`` more partnerships (amortised doubling)."""
        need = self.count + extra
        if need <= self.capacity:
            return
        grow_columns(self, max(need, 2 * self.capacity), _MINUS_ONE)

    def active_ids(self) -> np.ndarray:
        """Ids of partnerships active now."""
        return np.flatnonzero(self.is_active[: self.count]).astype(np.int32)

    def state(self) -> PartnershipState:
        """The column arrays as one record for the kernels (rebuilt after the table grows)."""
        return PartnershipState(*(getattr(self, name) for name in PartnershipState._fields))


PartnershipState = record_type(
    PartnershipTable,
    "PartnershipState",
    """The partnerships as the kernels see them (``parts``): one record of arrays.

The array columns of :class:`PartnershipTable`, same names, meanings and order (derived
from the table's fields); row ``p`` is partnership ``p``.
""",
)
