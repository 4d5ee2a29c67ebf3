"""Deal types of new partnerships: which type fits, its scope, and its payments.

``deals`` is the record of deal types (:class:`collab_sim.core.params.DealParams`): one
array per field of ``DealTypeConfig``, indexed by type in the order of the config, so
``deals.last_stage[k]`` is the last stage type ``k`` can carry a project through, and
``deals.lead_sectors[k, s]`` is true when sector ``s`` may lead it.

A new partnership gets the first type ``k`` that fits: its project's stage lies in the
type's window (``first_stage[k] <= stage <= last_stage[k]``), the lead's sector may lead
it, every other member's sector may join it, it has at least ``min_members[k]`` members,
and, for a type ``from_partner``, the project came from a member other than the lead (an
in-licence). Its scope runs from that stage to ``last_stage[k]``, or over ``span[k]``
stages when ``span[k] > 0``.

A licence (kind ``licensing``) is paid for: the lead pays the licensor
``upfront_months[k]`` months of the stage's cost when it takes the project, and
``milestone_months[k]`` months of the new stage's cost each time the project passes a
stage inside the scope (:func:`pay_licensor`).
"""

from __future__ import annotations

from collab_sim.kernels.jit import inlined, leaf
from collab_sim.vocabulary import DEAL_KINDS

LICENSING = DEAL_KINDS.index("licensing")
RECRUITMENT = DEAL_KINDS.index("recruitment")


@leaf
def fits(deals, k, stage, team, n, lead, sector, from_partner) -> bool:
    """Can ``team[:n]``, led by ``lead``, carry a project in ``stage`` as deal type ``k``?"""
    if stage < deals.first_stage[k] or stage > deals.last_stage[k] or n < deals.min_members[k]:
        return False
    if deals.from_partner[k] and not from_partner:
        return False
    if not deals.lead_sectors[k, sector[lead]]:
        return False
    for a in range(n):
        if team[a] != lead and not deals.partner_sectors[k, sector[team[a]]]:
            return False
    return True


@leaf
def choose_deal(deals, stage, team, n, lead, sector, from_partner) -> int:
    """The first deal type that fits (the config's last type fits every partnership)."""
    last = deals.kind.size - 1
    for k in range(last):
        if fits(deals, k, stage, team, n, lead, sector, from_partner):
            return k
    return last


@leaf
def scope_last(deals, k, stage) -> int:
    """The last stage a deal of type ``k`` formed in ``stage`` carries its project through."""
    if deals.span[k] > 0:
        return min(deals.last_stage[k], stage + deals.span[k] - 1)
    return deals.last_stage[k]


@inlined
def pay_licensor(p, amount, orgs, parts) -> None:
    """The lead of licence ``p`` pays its licensor ``amount`` (as far as its money goes)."""
    lead, licensor = parts.lead[p], parts.licensor[p]
    paid = min(amount, max(0.0, orgs.resources[lead]))
    orgs.resources[lead] -= paid
    orgs.resources[licensor] += paid
    orgs.value_received[licensor] += paid
    parts.payments[p] += paid
