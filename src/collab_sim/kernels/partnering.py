"""Forming and dissolving partnerships: candidate search, evaluation, proposal, acceptance.

Each month every organisation with spare capacity and money looks for partners with
probability ``search_rate`` (its subtype's). Searchers act in random order (random
sequential activation: an early searcher can take a candidate's last free slot).

Search. The candidate list mixes past partners (from the searcher's trust memory),
partners of partners (from their memories) and strangers drawn uniformly. Past partners
and their partners are thus over-represented relative to chance, and their remembered
trust feeds the evaluation.

Evaluation. Searcher ``i`` scores candidate ``j`` as

    S_ij = w_c * G_ij + w_t * (T_ij - 0.5) - w_k * D_ij + sigma * e,

with ``G_ij`` the mean capability coverage ``j`` adds to ``i`` over the six domains
(capability counts as full at ``partnering.capability_threshold``), ``T_ij`` the trust
of ``i`` in ``j`` as the trust rule perceives it,
``D_ij`` the culture distance (Euclidean, scaled to [0, 1]) and ``e ~ N(0, 1)``.

Proposal and acceptance. ``i`` proposes to candidates in score order while the score is
above ``propose_threshold``; ``j`` accepts if ``S_ji`` (its own view of ``i``) is above
``accept_threshold``. A search aims at a bilateral deal, or with probability
``consortium_probability`` at a consortium of 3..``max_members``. If at least one partner
accepts, the funding rule raises the budget; if it cannot, nothing forms.

Dissolution is in :func:`dissolve`; the reasons are checked monthly in
:mod:`collab_sim.kernels.collaboration`.

The kernels take records (see :mod:`collab_sim.kernels.month`): ``orgs``, ``memory`` and
``parts`` for the organisations, the trust memory and the partnerships, ``params`` for
the parameters, e.g. ``params.partnering.accept_threshold`` (``partnering`` above).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from collab_sim.kernels.bottlenecks import culture_distance, culture_gap, data_mismatch
from collab_sim.kernels.contracting import contracting_months
from collab_sim.kernels.coverage import covered, stage_coverage
from collab_sim.kernels.draws import uniform_between, uniform_index
from collab_sim.kernels.jit import inlined, leaf
from collab_sim.kernels.needs import need_score, need_stage
from collab_sim.kernels.remedies import (
    CO_CREDIT,
    JOINT_PLANNING,
    MANAGERS,
    draw_remedies,
    time_factor,
)
from collab_sim.kernels.rules.funding import commit_budget, planned_cost, settle
from collab_sim.kernels.rules.power import CONTRIBUTION, value_shares
from collab_sim.kernels.rules.trust import BAD, GOOD, find_slot, perceived, update_pair
from collab_sim.vocabulary import (
    BREAK_CAUSES,
    COMPLETED,
    CONFLICT,
    EXIT_DISSATISFIED,
    EXIT_TRANSACTIONAL,
    EXIT_UNFAIR,
    FAILED,
    FUNDING_EXHAUSTED,
    MEMBER_BROKE,
    PROJECT_FAILED,
)


@inlined
def score(i, j, capability, culture, t_ij, partnering) -> float:
    """Deterministic part of ``i``'s evaluation of ``j`` (see module docstring)."""
    gain = 0.0
    thr = partnering.capability_threshold
    for d in range(capability.shape[1]):
        gain += max(0.0, covered(capability[j, d], thr) - covered(capability[i, d], thr))
    gain /= capability.shape[1]
    dist = culture_gap(i, j, culture)
    return (
        partnering.weight_complementarity * gain
        + partnering.weight_trust * (t_ij - 0.5)
        - partnering.weight_culture * dist
    )


@inlined
def random_remembered(rng, t_partner, i) -> int:
    """A uniformly drawn partner from ``i``'s trust memory, or -1 if it remembers none.

    Memories fill a prefix of each row (``rules.trust.remember``): the used slots are
    the ones before the first empty slot.
    """
    n_used = 0
    while n_used < t_partner.shape[1] and t_partner[i, n_used] >= 0:
        n_used += 1
    if n_used == 0:
        return -1
    return t_partner[i, uniform_index(rng, n_used)]


@leaf
def by_score(scores, n, order) -> None:
    """Write ``0..n-1`` into ``order[:n]`` by descending ``scores``, ties in index order.

    An insertion sort (NaN last): stable, allocation-free, and fastest for candidate
    lists of a few dozen; ``np.argsort`` would allocate on every search.
    """
    for i in range(n):
        v = scores[i]
        j = i
        while j > 0:
            w = scores[order[j - 1]]
            if not (v > w or (np.isnan(w) and not np.isnan(v))):
                break
            order[j] = order[j - 1]
            j -= 1
        order[j] = i


@inlined
def already_partners(orgs, i, j, members, size) -> bool:
    """True if ``i`` and ``j`` share an active partnership.

    A shared partnership is on both organisations' lists (``orgs.active``), so the
    shorter list is searched, up to its last entry (a large firm's list has dozens of
    slots, mostly empty).
    """
    if orgs.n_active[j] < orgs.n_active[i]:
        i, j = j, i
    active = orgs.active
    left = orgs.n_active[i]
    for s in range(active.shape[1]):
        if left == 0:
            break
        p = active[i, s]
        if p < 0:
            continue
        left -= 1
        for k in range(size[p]):
            if members[p, k] == j:
                return True
    return False


@inlined
def available(j, orgs, min_reserve) -> bool:
    """Can ``j`` take on one more partnership now?"""
    return orgs.n_active[j] < orgs.max_partnerships[j] and orgs.resources[j] > min_reserve


@inlined
def _add_active(orgs, m, p, step):
    active = orgs.active
    for s in range(active.shape[1]):
        if active[m, s] < 0:
            active[m, s] = p
            break
    orgs.n_active[m] += 1
    orgs.last_active[m] = step


@inlined
def _remove_active(orgs, m, p):
    active = orgs.active
    for s in range(active.shape[1]):
        if active[m, s] == p:
            active[m, s] = -1
            break
    orgs.n_active[m] -= 1


class SearchScratch(NamedTuple):
    """Working space of :func:`form_partnerships` (allocated by :func:`search_scratch`).

    A searcher's candidates (``cand``), their scores and score order, and the team being
    formed, its members' resources and value shares.
    """

    cand: np.ndarray
    cand_score: np.ndarray
    order: np.ndarray
    team: np.ndarray
    team_res: np.ndarray
    shares: np.ndarray


@njit(cache=True)
def search_scratch(partnering, width) -> SearchScratch:
    """Working space for searches under ``partnering``, partnerships ``width`` members wide."""
    n_cand = (
        partnering.past_partner_candidates
        + partnering.partner_of_partner_candidates
        + partnering.random_candidates
    )
    max_members = min(partnering.max_members, width)
    return SearchScratch(
        np.empty(n_cand, dtype=np.int64),
        np.empty(n_cand),
        np.empty(n_cand, dtype=np.intp),
        np.empty(max_members, dtype=np.int32),
        np.empty(max_members),
        np.empty(max_members),
    )


@leaf
def form_partnerships(
    rng, step, searchers, orgs, memory, parts, count, params, pot, projects, scratch
) -> int:
    """Run one month of partner search for ``searchers`` (in the given random order).

    Compiled as a :func:`collab_sim.kernels.jit.leaf` (its buffers come in ``scratch``):
    with reference counting, each record attribute read in the loops below cost a pair
    of atomic operations, and the month's search took about three times as long.

    Args:
        rng: The run's generator (``model.rng``).
        step: The month.
        searchers: Organisations that search this month, in their random order.
        orgs: The organisations' record.
        memory: The trust memory's record.
        parts: The partnerships' record; new partnerships take rows ``count..``.
        count: Partnerships formed so far.
        params: The run's parameter records (``params.partnering``, ``params.trust``, ...).
        pot: The agencies' pot (``[money]``), read by the matching rule.
        projects: The projects' record (a searcher's own projects direct its search).
        scratch: Working space (:func:`search_scratch`).

    Returns:
        The new partnership count (ids ``count..return-1`` were formed).
    """
    partnering, collaboration, trust = params.partnering, params.collaboration, params.trust
    sector, capability, culture, resources = (
        orgs.sector,
        orgs.capability,
        orgs.culture,
        orgs.resources,
    )
    thr = partnering.capability_threshold
    stage_needs = params.pipeline.stage_needs
    n_org = sector.size
    n_dom = capability.shape[1]
    n_past = partnering.past_partner_candidates
    n_fof = partnering.partner_of_partner_candidates
    n_rand = partnering.random_candidates
    max_members = min(partnering.max_members, parts.members.shape[1])
    cand, cand_score, order = scratch.cand, scratch.cand_score, scratch.order
    team, team_res, shares = scratch.team, scratch.team_res, scratch.shares
    for idx in range(searchers.size):
        i = searchers[idx]
        if not available(i, orgs, partnering.min_reserve):
            continue
        need = need_stage(i, orgs, projects, params.pipeline, partnering, step)
        # --- candidate search: past partners, partners of partners, strangers
        nc = 0
        for _ in range(n_past):
            j = random_remembered(rng, memory.partner, i)
            if j >= 0:
                cand[nc] = j
                nc += 1
        for _ in range(n_fof):
            j = random_remembered(rng, memory.partner, i)
            if j >= 0:
                k = random_remembered(rng, memory.partner, j)
                if k >= 0:
                    cand[nc] = k
                    nc += 1
        for _ in range(n_rand):
            cand[nc] = uniform_index(rng, n_org)
            nc += 1
        # --- evaluation
        for c in range(nc):
            j = cand[c]
            dup = False
            for c2 in range(c):
                if cand[c2] == j:
                    dup = True
                    break
            if (
                dup
                or j == i
                or not available(j, orgs, partnering.min_reserve)
                or already_partners(orgs, i, j, parts.members, parts.size)
            ):
                cand_score[c] = -np.inf
                continue
            t_ij = perceived(memory, trust, sector, i, j, step)
            if need >= 0:
                fit = need_score(i, j, need, capability, culture, t_ij, stage_needs, partnering)
            else:
                fit = score(i, j, capability, culture, t_ij, partnering)
            cand_score[c] = fit + partnering.score_noise * rng.standard_normal()
        by_score(cand_score, nc, order)
        target = 2
        if max_members > 2 and rng.random() < partnering.consortium_probability:
            target = uniform_between(rng, 3, max_members)
        # --- proposals, in score order
        team[0] = i
        size = 1
        for o in range(nc):
            c = order[o]
            if cand_score[c] <= partnering.propose_threshold or size >= target:
                break
            j = cand[c]
            t_ji = perceived(memory, trust, sector, j, i, step)
            if need >= 0:  # is j needed for i's project? (j's own trust and culture view)
                view = need_score(i, j, need, capability, culture, t_ji, stage_needs, partnering)
            else:
                view = score(j, i, capability, culture, t_ji, partnering)
            if view + partnering.score_noise * rng.standard_normal() > partnering.accept_threshold:
                team[size] = j
                size += 1
        if size < 2:
            continue
        # the lead: the searcher, or for its project the member best placed to carry it
        # among those who may direct that stage (solo_last_stage)
        lead = i
        if need >= 0:
            best = -1.0
            if orgs.solo_last_stage[i] >= need:
                best = stage_coverage(team, 1, need, capability, stage_needs, thr)
            for k in range(1, size):
                if orgs.solo_last_stage[team[k]] < need:
                    continue
                c = stage_coverage(team[k : k + 1], 1, need, capability, stage_needs, thr)
                if c > best:
                    lead, best = team[k], c
        # --- set-up: project need, coverage, duration, budget, shares
        p = count
        parts.scope_first[p] = need  # the stage it is sought for (-1: none); see attach
        need = parts.need
        total_need = 0.0
        for d in range(n_dom):
            need[p, d] = 0.5 + rng.random()
            total_need += need[p, d]
        cov = 0.0
        contrib_total = 0.0
        for d in range(n_dom):
            need[p, d] /= total_need
            best = 0.0
            for k in range(size):
                best = max(best, covered(capability[team[k], d], thr))
            cov += need[p, d] * best
        duration = uniform_between(
            rng, collaboration.duration_min_months, collaboration.duration_max_months
        )
        for k in range(size):
            team_res[k] = resources[team[k]]
        budget = commit_budget(params.funding, team, size, lead, orgs, duration, pot)
        if budget < 0.0:
            continue
        value_shares(params.power.rule, team_res[:size], params.power.resource_exponent, shares)
        for k in range(size):
            m = team[k]
            contrib = 0.0
            for d in range(n_dom):
                contrib += need[p, d] * covered(capability[m, d], thr)
            parts.contribution[p, k] = contrib
            contrib_total += contrib
            parts.members[p, k] = m
            parts.share[p, k] = shares[k]
            parts.satisfaction[p, k] = collaboration.initial_satisfaction
            _add_active(orgs, m, p, step)
        for k in range(size):
            parts.contribution[p, k] = (
                parts.contribution[p, k] / contrib_total if contrib_total > 0 else 1.0 / size
            )
        plan = planned_cost(team, size, lead, orgs.partnership_cost, duration, params.funding)
        parts.is_active[p] = True
        parts.size[p] = size
        parts.lead[p] = lead
        parts.formed[p] = step
        parts.coverage[p] = cov
        parts.duration[p] = duration
        parts.progress[p] = 0.0
        parts.plans[p] = 1
        parts.budget[p] = budget
        parts.initial_budget[p] = budget
        parts.planned_value[p] = collaboration.value_multiple * plan
        count += 1
    return count


@leaf
def setup_partnerships(rng, step, first, last, orgs, memory, parts, params) -> None:
    """Remedies and bottlenecks of partnerships ``first..last-1`` (just formed).

    Draws the remedies each adopts, sets its role ambiguity, monthly conflict chance and
    data friction (see :mod:`collab_sim.kernels.bottlenecks`), splits value and credit between
    power and contribution (``power_imbalance``; co-credit: contribution only), and
    charges joint planning's set-up cost to the budget.
    """
    bottlenecks, remedies = params.bottlenecks, params.remedies
    for p in range(first, last):
        n = parts.size[p]
        team = parts.members[p]
        flags = draw_remedies(rng, remedies)
        parts.remedies[p] = flags
        planned = 1.0 - remedies.planning_efficacy if flags & JOINT_PLANNING else 1.0
        managed = 1.0 - remedies.manager_conflict_reduction if flags & MANAGERS else 1.0
        parts.ambiguity[p] = bottlenecks.role_ambiguity * (1.0 - 1.0 / n) * planned
        distance = culture_distance(team, n, orgs.culture)
        parts.conflict_chance[p] = (
            bottlenecks.cultural_mismatch * bottlenecks.conflict_rate * distance * planned * managed
        )
        mismatch = data_mismatch(team, n, orgs.data_regime)
        parts.data_friction[p] = (
            bottlenecks.data_friction * bottlenecks.data_slowdown * mismatch * planned
        )
        # contracting: agreements before work starts (Kiriakis et al. 2013)
        repeat = True
        for k in range(n):
            if team[k] != parts.lead[p] and find_slot(memory.partner, parts.lead[p], team[k]) < 0:
                repeat = False
        months = contracting_months(
            rng, params.contracting, bottlenecks.data_friction * mismatch,
            flags & JOINT_PLANNING != 0, repeat,
        )  # fmt: skip
        parts.contracting[p] = months
        parts.work_start[p] = step + int(np.round(months))
        share, contribution = parts.share, parts.contribution
        for k in range(n):
            power = contribution[p, k] if params.power.rule == CONTRIBUTION else share[p, k]
            if flags & CO_CREDIT:
                share[p, k] = contribution[p, k]
            else:
                share[p, k] = (
                    bottlenecks.power_imbalance * power
                    + (1.0 - bottlenecks.power_imbalance) * contribution[p, k]
                )
        # power map: the richest member's share of the team's resources (after the budget
        # commitments) and the concentration (Herfindahl index) of value and credit shares
        total, richest, hhi = 0.0, 0.0, 0.0
        for k in range(n):
            r = max(0.0, orgs.resources[team[k]])
            total += r
            richest = max(richest, r)
            hhi += share[p, k] * share[p, k]
        parts.resource_asymmetry[p] = richest / total if total > 0 else 1.0 / n
        parts.decision_concentration[p] = hhi
        if flags & JOINT_PLANNING:
            parts.onboarding_left[p] = remedies.onboarding_months
            charge = min(parts.budget[p], remedies.onboarding_cost_share * parts.initial_budget[p])
            parts.budget[p] -= charge
            parts.remedy_cost[p] += charge


@inlined
def stage_time_factor(p, parts, bottlenecks, remedies, clinical) -> float:
    """How much longer a partnership's project stage takes: ambiguity, data, meetings."""
    factor = 1.0 + bottlenecks.ambiguity_slowdown * parts.ambiguity[p]
    if clinical:
        factor *= 1.0 + parts.data_friction[p]
    return factor * time_factor(parts.remedies[p], remedies)


@inlined
def dissolve(p, cause, leaver, step, orgs, memory, parts, params) -> None:
    """End partnership ``p`` with exactly one ``cause``; settle money, trust and records.

    Public record (read by the ``reputation`` trust rule): a completed partnership counts
    as good conduct for every member; a leaver (exit or broke) gets a bad mark, and a
    conflict gives every member one.

    Trust effects: a completed partnership raises every member's trust in every other by
    ``completion_bonus`` of the gap to 1; a failure is a setback for every pair; a member
    leaving (``leaver``) loses the others' trust and its own trust in them; exhausted
    funding is a setback in everyone's trust in the lead.

    A partnership broken off (failed, conflict, a member's exit or failure) has not
    reached its goal, whatever milestones it passed (Kale and Singh 2009).
    """
    trust = params.trust
    members = parts.members
    n = parts.size[p]
    lead = parts.lead[p]
    gain, bonus = trust.experience.gain, trust.experience.completion_bonus
    for a in range(n):
        ma = members[p, a]
        for b in range(n):
            mb = members[p, b]
            if a == b:
                continue
            # which experience (if any) the ending is for ma's trust in mb
            applies = cause in (COMPLETED, FAILED, PROJECT_FAILED, CONFLICT)
            if cause in (EXIT_DISSATISFIED, EXIT_UNFAIR, EXIT_TRANSACTIONAL, MEMBER_BROKE):
                applies = ma == leaver or mb == leaver
            elif cause == FUNDING_EXHAUSTED:
                applies = mb == lead
            if applies:
                good = cause == COMPLETED
                step_gain = bonus if good else gain
                update_pair(memory, trust, orgs.sector, ma, mb, good, step, step_gain)
    for a in range(n):
        m = members[p, a]
        if cause == COMPLETED:
            memory.record[m, GOOD] += 1.0
        elif cause == CONFLICT or m == leaver:
            memory.record[m, BAD] += 1.0
    settle(p, n, lead, orgs, parts)
    for a in range(n):
        m = members[p, a]
        _remove_active(orgs, m, p)
        orgs.last_active[m] = step
    parts.is_active[p] = False
    parts.ended[p] = step
    parts.cause[p] = cause
    if cause in BREAK_CAUSES:
        parts.goal_met[p] = False
