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
* ``microgrants`` -- subcontracts, plus a pot that agencies fill with
  ``microgrants.monthly_budget`` a month: it pays each nonprofit (non-lead) member's
  monthly invoice (cost and overheads) at once, up to ``max_grant``; only the rest is
  owed by the lead and paid late.
* ``pooled_fund`` -- every member pays into the pot in proportion to its resources (at
  most ``max_share_of_resources`` of them) until ``(1 + budget_buffer) * planned_cost``
  is raised; the hub pays every member's cost at once plus ``admin_fee_rate``.
* ``matching`` -- subcontracts, plus: a partnership of two or more sectors gets
  ``match_ratio`` times the lead's commitment from a finite programme budget
  (``matching.program_budget``, taken from agencies at the start) while it lasts.

Unspent budget returns to the lead when a partnership ends.

The kernels read the parameters from ``funding`` (``params.funding``: the ``rule``'s index
and each rule's terms, e.g. ``funding.subcontract.overhead_rate``), the organisations from
their record ``orgs`` and the partnerships from theirs, ``parts`` (see
:mod:`collab_sim.kernels.month`).
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.jit import inlined, leaf
from collab_sim.vocabulary import FUNDING_RULES

SUBCONTRACT = FUNDING_RULES.index("subcontract")


MICROGRANTS = FUNDING_RULES.index("microgrants")
POOLED_FUND = FUNDING_RULES.index("pooled_fund")
MATCHING = FUNDING_RULES.index("matching")
NONPROFIT, AGENCY = 1, 2


@leaf
def fill_from_agencies(amount: float, sector: np.ndarray, resources: np.ndarray) -> float:
    """Take up to ``amount`` from agencies' positive resources, pro rata; return what was taken."""
    available = 0.0
    for i in range(sector.size):
        if sector[i] == AGENCY and resources[i] > 0:
            available += resources[i]
    take = min(amount, available)
    if take > 0:
        for i in range(sector.size):
            if sector[i] == AGENCY and resources[i] > 0:
                resources[i] -= take * resources[i] / available
    return take


@inlined
def planned_cost(members, n, lead, cost, duration, funding) -> float:
    """Total planned cost: members' monthly costs, overheads on non-leads.

    Under a pooled fund the hub's fee applies to every member instead.
    """
    monthly = 0.0
    for k in range(n):
        m = members[k]
        if funding.rule == POOLED_FUND:
            monthly += cost[m] * (1.0 + funding.pooled_fund.admin_fee_rate)
        else:
            monthly += cost[m] if m == lead else cost[m] * (1.0 + funding.subcontract.overhead_rate)
    return monthly * duration


@inlined
def commit_budget(funding, members, n, lead, orgs, duration, pot) -> float:
    """Raise the budget of a new partnership; return it, or -1.0 if it cannot form.

    Money moves into the budget (from the lead, agency members, all members under a pooled
    fund, or the matching programme in ``pot``) only when the partnership forms.
    """
    sector, resources = orgs.sector, orgs.resources
    terms = funding.subcontract
    plan = planned_cost(members, n, lead, orgs.partnership_cost, duration, funding)
    wanted = (1.0 + terms.budget_buffer) * plan
    if funding.rule == POOLED_FUND:
        max_share = funding.pooled_fund.max_share_of_resources
        total_res = 0.0
        for k in range(n):
            total_res += max(0.0, resources[members[k]])
        if total_res <= 0.0:
            return -1.0
        raised = 0.0
        for k in range(n):
            r = max(0.0, resources[members[k]])
            raised += min(wanted * r / total_res, max_share * r)
        if raised < terms.min_commit_share * plan:
            return -1.0
        for k in range(n):
            r = max(0.0, resources[members[k]])
            resources[members[k]] -= min(wanted * r / total_res, max_share * r)
        return raised
    n_agency = 0
    for k in range(n):
        if members[k] != lead and sector[members[k]] == AGENCY:
            n_agency += 1
    grants = 0.0
    each = terms.agency_grant_share * plan / n_agency if n_agency > 0 else 0.0
    for k in range(n):
        m = members[k]
        if m != lead and sector[m] == AGENCY:
            grants += min(each, max(0.0, resources[m]) * terms.max_commit_share)
    lead_part = min(max(0.0, wanted - grants), max(0.0, resources[lead]) * terms.max_commit_share)
    match = 0.0
    if funding.rule == MATCHING:
        cross_sector = False
        for k in range(n):
            if sector[members[k]] != sector[lead]:
                cross_sector = True
        if cross_sector:
            match = min(funding.matching.match_ratio * lead_part, pot[0])
    if lead_part + grants + match < terms.min_commit_share * plan:
        return -1.0
    for k in range(n):
        m = members[k]
        if m != lead and sector[m] == AGENCY:
            resources[m] -= min(each, max(0.0, resources[m]) * terms.max_commit_share)
    resources[lead] -= lead_part
    pot[0] -= match
    return lead_part + grants + match


@inlined
def pay_month(funding, p, n, lead, age, orgs, parts, pot) -> bool:
    """Pay month ``age`` (0 for the first month worked) of ``p``; False if the budget cannot.

    ``p`` has ``n`` members and is led by ``lead``.

    Subcontract (and matching): the lead's cost comes from the budget; each other member
    pays its own cost now and is owed it plus overheads, repaid ``delay`` months later (one
    month's invoice a month): the invoice of month 0 is paid in month ``delay``.
    Microgrants first pay nonprofit members' costs from the pot. A pooled fund pays every
    member's cost at once, plus the hub's fee.
    """
    members, cost, resources = parts.members[p], orgs.partnership_cost, orgs.resources
    budget, owed = parts.budget, parts.owed
    if funding.rule == POOLED_FUND:
        due = 0.0
        for k in range(n):
            due += cost[members[k]] * (1.0 + funding.pooled_fund.admin_fee_rate)
        if budget[p] + 1e-12 < due:
            return False
        budget[p] -= due
        return True
    delay = funding.subcontract.payment_delay_months
    overhead = funding.subcontract.overhead_rate
    due = cost[lead]
    for k in range(n):
        m = members[k]
        if m == lead:
            continue
        invoice = cost[m] * (1.0 + overhead)
        resources[m] -= cost[m]
        if funding.rule == MICROGRANTS and orgs.sector[m] == NONPROFIT:
            # the grant pays the invoice (cost and overheads) now, as far as it goes
            grant = min(invoice, funding.microgrants.max_grant, max(0.0, pot[0]))
            pot[0] -= grant
            resources[m] += grant
            invoice -= grant
        owed[p, k] += invoice
        if age >= delay:
            due += min(owed[p, k], cost[m] * (1.0 + overhead))
    if budget[p] + 1e-12 < due:
        return False
    budget[p] -= cost[lead]
    for k in range(n):
        m = members[k]
        if m == lead or age < delay:
            continue
        pay = min(owed[p, k], cost[m] * (1.0 + overhead))
        owed[p, k] -= pay
        budget[p] -= pay
        resources[m] += pay
    return True


@inlined
def settle(p, n, lead, orgs, parts) -> None:
    """On dissolution: repay what is owed as far as the budget goes; the rest goes to the lead."""
    members, resources, budget, owed = parts.members[p], orgs.resources, parts.budget, parts.owed
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
