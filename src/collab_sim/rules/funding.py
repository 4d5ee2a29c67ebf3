"""Funding rules: who pays for a partnership's work, how much and when.

Config group ``funding``, field ``rule``:

* ``subcontract`` -- at formation the lead commits a budget of up to
  ``(1 + budget_buffer) * planned_cost`` (capped at ``max_commit_share`` of its resources),
  and agency members add grants of ``agency_grant_share * planned_cost`` between them. The
  lead's own monthly cost is paid from the budget at once; every other member pays its
  cost itself and is reimbursed with overheads (``overhead_rate``) ``payment_delay_months``
  later. Small partners therefore carry about ``delay * cost`` of the work on their own
  books. A partnership whose budget cannot pay what is due ends with ``funding_exhausted``;
  one whose lead and agency members together cannot raise ``min_commit_share`` of the
  planned cost never forms.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.config import FUNDING_RULES, FundingConfig

SUBCONTRACT = FUNDING_RULES.index("subcontract")


def funding_params(cfg: FundingConfig) -> np.ndarray:
    """Pack the active rule's parameters for the kernels (see :data:`FUNDING_FIELDS`)."""
    s = cfg.subcontract
    return np.array(
        [
            s.payment_delay_months,
            s.overhead_rate,
            s.budget_buffer,
            s.max_commit_share,
            s.min_commit_share,
            s.agency_grant_share,
        ],
        dtype=np.float64,
    )


FUNDING_FIELDS = (
    "payment_delay_months",
    "overhead_rate",
    "budget_buffer",
    "max_commit_share",
    "min_commit_share",
    "agency_grant_share",
)
F_DELAY, F_OVERHEAD, F_BUFFER, F_MAX_COMMIT, F_MIN_COMMIT, F_AGENCY_GRANT = range(6)
AGENCY = 2


@njit(cache=True)
def planned_cost(members, n, lead, cost, duration, fp) -> float:
    """Total planned cost of a partnership: members' monthly costs, overheads on non-leads."""
    monthly = 0.0
    for k in range(n):
        m = members[k]
        monthly += cost[m] if m == lead else cost[m] * (1.0 + fp[F_OVERHEAD])
    return monthly * duration


@njit(cache=True)
def commit_budget(rule, members, n, lead, sector, resources, cost, duration, fp) -> float:
    """Raise the budget of a new partnership; return it, or -1.0 if it cannot form.

    Money moves from the lead and any agency members into the budget only on success.
    """
    plan = planned_cost(members, n, lead, cost, duration, fp)
    n_agency = 0
    for k in range(n):
        if members[k] != lead and sector[members[k]] == AGENCY:
            n_agency += 1
    grants = 0.0
    if n_agency > 0:
        each = fp[F_AGENCY_GRANT] * plan / n_agency
        for k in range(n):
            m = members[k]
            if m != lead and sector[m] == AGENCY:
                grants += min(each, max(0.0, resources[m]) * fp[F_MAX_COMMIT])
    wanted = max(0.0, (1.0 + fp[F_BUFFER]) * plan - grants)
    lead_part = min(wanted, max(0.0, resources[lead]) * fp[F_MAX_COMMIT])
    if lead_part + grants < fp[F_MIN_COMMIT] * plan:
        return -1.0
    if n_agency > 0:
        each = fp[F_AGENCY_GRANT] * plan / n_agency
        for k in range(n):
            m = members[k]
            if m != lead and sector[m] == AGENCY:
                resources[m] -= min(each, max(0.0, resources[m]) * fp[F_MAX_COMMIT])
    resources[lead] -= lead_part
    return lead_part + grants


@njit(cache=True)
def pay_month(rule, p, members, n, lead, age, resources, cost, budget, owed, fp) -> bool:
    """Pay month ``age`` (0 for the first month worked). False if the budget cannot pay.

    The lead's cost comes from the budget; each other member pays its own cost now and is
    owed it plus overheads, repaid ``delay`` months later (one month's invoice a month):
    the invoice of month 0 is paid in month ``delay``.
    """
    delay = fp[F_DELAY]
    due = cost[lead]
    for k in range(n):
        m = members[k]
        if m == lead:
            continue
        invoice = cost[m] * (1.0 + fp[F_OVERHEAD])
        resources[m] -= cost[m]
        owed[p, k] += invoice
        if age >= delay:
            due += min(owed[p, k], invoice)
    if budget[p] + 1e-12 < due:
        return False
    budget[p] -= cost[lead]
    for k in range(n):
        m = members[k]
        if m == lead or age < delay:
            continue
        pay = min(owed[p, k], cost[m] * (1.0 + fp[F_OVERHEAD]))
        owed[p, k] -= pay
        budget[p] -= pay
        resources[m] += pay
    return True


@njit(cache=True)
def settle(rule, p, members, n, lead, resources, budget, owed) -> None:
    """On dissolution: repay what is owed as far as the budget goes; the rest goes to the lead."""
    total = 0.0
    for k in range(n):
        total += owed[p, k]
    frac = 1.0 if total <= budget[p] else (budget[p] / total if total > 0 else 0.0)
    for k in range(n):
        pay = owed[p, k] * frac
        resources[members[k]] += pay
        budget[p] -= pay
        owed[p, k] = 0.0
    resources[lead] += max(0.0, budget[p])
    budget[p] = 0.0
