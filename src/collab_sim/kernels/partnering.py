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
:mod:`collab_sim.collaboration`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.config.schema import PartneringConfig
from collab_sim.kernels.bottlenecks import (
    B_AMB_SLOW,
    B_CONFLICT_RATE,
    B_CULTURE,
    B_DATA,
    B_DATA_SLOW,
    B_POWER,
    B_ROLE,
    culture_distance,
    data_mismatch,
)
from collab_sim.kernels.jit import leaf
from collab_sim.kernels.remedies import (
    CO_CREDIT,
    JOINT_PLANNING,
    MANAGERS,
    R_ONBOARD_COST,
    R_ONBOARD_MONTHS,
    R_PLAN_EFF,
    R_PM_CONFLICT,
    draw_remedies,
    time_factor,
)
from collab_sim.kernels.rules.funding import commit_budget, planned_cost, settle
from collab_sim.kernels.rules.power import CONTRIBUTION, value_shares
from collab_sim.kernels.rules.trust import BAD, GOOD, perceived, update_pair
from collab_sim.vocabulary import (
    COMPLETED,
    CONFLICT,
    EXIT_DISSATISFIED,
    EXIT_TRANSACTIONAL,
    EXIT_UNFAIR,
    FAILED,
    FUNDING_EXHAUSTED,
    MEMBER_BROKE,
)

(
    S_N_PAST,
    S_N_FOF,
    S_N_RANDOM,
    S_W_COMP,
    S_W_TRUST,
    S_W_CULT,
    S_NOISE,
    S_PROPOSE,
    S_ACCEPT,
    S_CONSORTIUM,
    S_MAX_MEMBERS,
    S_MIN_RESERVE,
    S_DUR_MIN,
    S_DUR_MAX,
    S_VALUE_MULTIPLE,
    S_INIT_SAT,
    S_TRUST_RULE,
    S_DECAY,
    S_POWER_RULE,
    S_POWER_EXP,
    S_FUNDING_RULE,
    S_CAP_THRESHOLD,
) = range(22)


def partnering_params(
    cfg: PartneringConfig,
    duration_min: int,
    duration_max: int,
    value_multiple: float,
    initial_satisfaction: float,
    trust_rule: int,
    decay: float,
    power_rule: int,
    power_exponent: float,
    funding_rule: int,
) -> np.ndarray:
    """Pack the formation parameters for :func:`form_partnerships`."""
    return np.array(
        [
            cfg.past_partner_candidates,
            cfg.partner_of_partner_candidates,
            cfg.random_candidates,
            cfg.weight_complementarity,
            cfg.weight_trust,
            cfg.weight_culture,
            cfg.score_noise,
            cfg.propose_threshold,
            cfg.accept_threshold,
            cfg.consortium_probability,
            cfg.max_members,
            cfg.min_reserve,
            duration_min,
            duration_max,
            value_multiple,
            initial_satisfaction,
            trust_rule,
            decay,
            power_rule,
            power_exponent,
            funding_rule,
            cfg.capability_threshold,
        ],
        dtype=np.float64,
    )


@leaf
def covered(c: float, threshold: float) -> float:
    """Share of a domain an organisation of capability ``c`` covers."""
    return min(1.0, c / threshold)


@leaf
def score(i, j, capability, culture, t_ij, sp) -> float:
    """Deterministic part of ``i``'s evaluation of ``j`` (see module docstring)."""
    gain = 0.0
    thr = sp[S_CAP_THRESHOLD]
    for d in range(capability.shape[1]):
        gain += max(0.0, covered(capability[j, d], thr) - covered(capability[i, d], thr))
    gain /= capability.shape[1]
    dist = 0.0
    for a in range(culture.shape[1]):
        diff = culture[i, a] - culture[j, a]
        dist += diff * diff
    dist = np.sqrt(dist / culture.shape[1])
    return sp[S_W_COMP] * gain + sp[S_W_TRUST] * (t_ij - 0.5) - sp[S_W_CULT] * dist


@leaf
def random_remembered(t_partner, i) -> int:
    """A uniformly drawn partner from ``i``'s trust memory, or -1 if it remembers none."""
    n_used = 0
    for s in range(t_partner.shape[1]):
        if t_partner[i, s] >= 0:
            n_used += 1
    if n_used == 0:
        return -1
    pick = np.random.randint(0, n_used)
    for s in range(t_partner.shape[1]):
        if t_partner[i, s] >= 0:
            if pick == 0:
                return t_partner[i, s]
            pick -= 1
    return -1


#: numba's ``np.argsort`` sorts up to this many values by insertion, which is stable.
STABLE_ARGSORT_MAX = 15


@leaf
def by_score(scores, n, order) -> None:
    """Write ``0..n-1`` into ``order[:n]`` by descending ``scores``, ties in index order.

    The order ``np.argsort(-scores[:n])`` gives for ``n <= STABLE_ARGSORT_MAX`` (numba's
    insertion sort, NaN last), without its allocations.
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


@leaf
def already_partners(active, i, j, members, size) -> bool:
    """True if ``i`` and ``j`` share an active partnership."""
    for s in range(active.shape[1]):
        p = active[i, s]
        if p < 0:
            continue
        for k in range(size[p]):
            if members[p, k] == j:
                return True
    return False


@leaf
def available(j, n_active, max_p, resources, min_reserve) -> bool:
    """Can ``j`` take on one more partnership now?"""
    return n_active[j] < max_p[j] and resources[j] > min_reserve


@leaf
def _add_active(active, n_active, last_active, m, p, step):
    for s in range(active.shape[1]):
        if active[m, s] < 0:
            active[m, s] = p
            break
    n_active[m] += 1
    last_active[m] = step


@leaf
def _remove_active(active, n_active, m, p):
    for s in range(active.shape[1]):
        if active[m, s] == p:
            active[m, s] = -1
            break
    n_active[m] -= 1


@njit(cache=True)
def form_partnerships(
    seed,
    step,
    searchers,
    # organisations
    sector,
    capability,
    culture,
    resources,
    cost,
    max_p,
    n_active,
    active,
    last_active,
    # trust memory
    t_partner,
    t_value,
    t_updated,
    t_baseline,
    t_record,
    tw,
    # partnership table
    p_count,
    p_active,
    p_size,
    p_members,
    p_lead,
    p_formed,
    p_need,
    p_coverage,
    p_duration,
    p_progress,
    p_budget,
    p_initial_budget,
    p_planned_value,
    p_share,
    p_contrib,
    p_sat,
    sp,
    fp,
    pot,
) -> int:
    """Run one month of partner search for ``searchers`` (in the given random order).

    Returns:
        The new partnership count (ids ``p_count_in..return-1`` were formed).
    """
    np.random.seed(seed)
    n_org = sector.size
    n_dom = capability.shape[1]
    decay = sp[S_DECAY]
    n_past = int(sp[S_N_PAST])
    n_fof = int(sp[S_N_FOF])
    n_rand = int(sp[S_N_RANDOM])
    max_members = min(int(sp[S_MAX_MEMBERS]), p_members.shape[1])
    cand = np.empty(n_past + n_fof + n_rand, dtype=np.int64)
    cand_score = np.empty(cand.size)
    order = np.empty(cand.size, dtype=np.intp)
    team = np.empty(max_members, dtype=np.int32)
    team_res = np.empty(max_members)
    shares = np.empty(max_members)
    for idx in range(searchers.size):
        i = searchers[idx]
        if not available(i, n_active, max_p, resources, sp[S_MIN_RESERVE]):
            continue
        # --- candidate search: past partners, partners of partners, strangers
        nc = 0
        for _ in range(n_past):
            j = random_remembered(t_partner, i)
            if j >= 0:
                cand[nc] = j
                nc += 1
        for _ in range(n_fof):
            j = random_remembered(t_partner, i)
            if j >= 0:
                k = random_remembered(t_partner, j)
                if k >= 0:
                    cand[nc] = k
                    nc += 1
        for _ in range(n_rand):
            cand[nc] = np.random.randint(0, n_org)
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
                or not available(j, n_active, max_p, resources, sp[S_MIN_RESERVE])
                or already_partners(active, i, j, p_members, p_size)
            ):
                cand_score[c] = -np.inf
                continue
            t_ij = perceived(
                t_partner, t_value, t_updated, t_baseline, sector, i, j, step, decay, t_record, tw
            )
            cand_score[c] = (
                score(i, j, capability, culture, t_ij, sp) + sp[S_NOISE] * np.random.randn()
            )
        if nc <= STABLE_ARGSORT_MAX:
            by_score(cand_score, nc, order)
        else:
            order[:nc] = np.argsort(-cand_score[:nc])
        target = 2
        if max_members > 2 and np.random.random() < sp[S_CONSORTIUM]:
            target = np.random.randint(3, max_members + 1)
        # --- proposals, in score order
        team[0] = i
        size = 1
        for o in range(nc):
            c = order[o]
            if cand_score[c] <= sp[S_PROPOSE] or size >= target:
                break
            j = cand[c]
            t_ji = perceived(
                t_partner, t_value, t_updated, t_baseline, sector, j, i, step, decay, t_record, tw
            )
            if (
                score(j, i, capability, culture, t_ji, sp) + sp[S_NOISE] * np.random.randn()
                > sp[S_ACCEPT]
            ):
                team[size] = j
                size += 1
        if size < 2:
            continue
        # --- set-up: project need, coverage, duration, budget, shares
        p = p_count
        total_need = 0.0
        for d in range(n_dom):
            p_need[p, d] = 0.5 + np.random.random()
            total_need += p_need[p, d]
        cov = 0.0
        contrib_total = 0.0
        for d in range(n_dom):
            p_need[p, d] /= total_need
            best = 0.0
            for k in range(size):
                best = max(best, covered(capability[team[k], d], sp[S_CAP_THRESHOLD]))
            cov += p_need[p, d] * best
        duration = np.random.randint(int(sp[S_DUR_MIN]), int(sp[S_DUR_MAX]) + 1)
        for k in range(size):
            team_res[k] = resources[team[k]]
        budget = commit_budget(
            int(sp[S_FUNDING_RULE]), team, size, i, sector, resources, cost, duration, fp, pot
        )
        if budget < 0.0:
            continue
        value_shares(int(sp[S_POWER_RULE]), team_res[:size], sp[S_POWER_EXP], shares)
        for k in range(size):
            m = team[k]
            contrib = 0.0
            for d in range(n_dom):
                contrib += p_need[p, d] * covered(capability[m, d], sp[S_CAP_THRESHOLD])
            p_contrib[p, k] = contrib
            contrib_total += contrib
            p_members[p, k] = m
            p_share[p, k] = shares[k]
            p_sat[p, k] = sp[S_INIT_SAT]
            _add_active(active, n_active, last_active, m, p, step)
        for k in range(size):
            p_contrib[p, k] = p_contrib[p, k] / contrib_total if contrib_total > 0 else 1.0 / size
        plan = planned_cost(team, size, i, cost, duration, fp, int(sp[S_FUNDING_RULE]))
        p_active[p] = True
        p_size[p] = size
        p_lead[p] = i
        p_formed[p] = step
        p_coverage[p] = cov
        p_duration[p] = duration
        p_progress[p] = 0.0
        p_budget[p] = budget
        p_initial_budget[p] = budget
        p_planned_value[p] = sp[S_VALUE_MULTIPLE] * plan
        p_count += 1
    return p_count


@leaf
def setup_partnerships(
    seed,
    first,
    last,
    culture,
    regime,
    p_size,
    p_members,
    p_share,
    p_contrib,
    p_budget,
    p_initial_budget,
    p_remedies,
    p_ambiguity,
    p_conflict_chance,
    p_data_friction,
    p_onboarding_left,
    p_remedy_cost,
    p_resource_asymmetry,
    p_decision_concentration,
    resources,
    power_rule,
    bp,
    rp,
) -> None:
    """Remedies and bottlenecks of partnerships ``first..last-1`` (just formed).

    Draws the remedies each adopts, sets its role ambiguity, monthly conflict chance and
    data friction (see :mod:`collab_sim.bottlenecks`), splits value and credit between
    power and contribution (``power_imbalance``; co-credit: contribution only), and
    charges joint planning's set-up cost to the budget.
    """
    np.random.seed(seed)
    for p in range(first, last):
        n = p_size[p]
        team = p_members[p]
        flags = draw_remedies(rp)
        p_remedies[p] = flags
        planned = 1.0 - rp[R_PLAN_EFF] if flags & JOINT_PLANNING else 1.0
        managed = 1.0 - rp[R_PM_CONFLICT] if flags & MANAGERS else 1.0
        p_ambiguity[p] = bp[B_ROLE] * (1.0 - 1.0 / n) * planned
        distance = culture_distance(team, n, culture)
        p_conflict_chance[p] = bp[B_CULTURE] * bp[B_CONFLICT_RATE] * distance * planned * managed
        p_data_friction[p] = bp[B_DATA] * bp[B_DATA_SLOW] * data_mismatch(team, n, regime) * planned
        for k in range(n):
            power = p_contrib[p, k] if power_rule == CONTRIBUTION else p_share[p, k]
            if flags & CO_CREDIT:
                p_share[p, k] = p_contrib[p, k]
            else:
                p_share[p, k] = bp[B_POWER] * power + (1.0 - bp[B_POWER]) * p_contrib[p, k]
        # power map: the richest member's share of the team's resources (after the budget
        # commitments) and the concentration (Herfindahl index) of value and credit shares
        total, richest, hhi = 0.0, 0.0, 0.0
        for k in range(n):
            r = max(0.0, resources[team[k]])
            total += r
            richest = max(richest, r)
            hhi += p_share[p, k] * p_share[p, k]
        p_resource_asymmetry[p] = richest / total if total > 0 else 1.0 / n
        p_decision_concentration[p] = hhi
        if flags & JOINT_PLANNING:
            p_onboarding_left[p] = int(rp[R_ONBOARD_MONTHS])
            charge = min(p_budget[p], rp[R_ONBOARD_COST] * p_initial_budget[p])
            p_budget[p] -= charge
            p_remedy_cost[p] += charge


@leaf
def stage_time_factor(p, p_ambiguity, p_data_friction, p_remedies, bp, rp, clinical) -> float:
    """How much longer a partnership's project stage takes: ambiguity, data, meetings."""
    factor = 1.0 + bp[B_AMB_SLOW] * p_ambiguity[p]
    if clinical:
        factor *= 1.0 + p_data_friction[p]
    return factor * time_factor(p_remedies[p], rp)


@leaf
def dissolve(
    p,
    cause,
    leaver,
    step,
    sector,
    resources,
    n_active,
    active,
    last_active,
    t_partner,
    t_value,
    t_updated,
    t_baseline,
    t_record,
    tp,
    p_active,
    p_size,
    p_members,
    p_lead,
    p_ended,
    p_cause,
    p_budget,
    p_owed,
    funding_rule,
) -> None:
    """End partnership ``p`` with exactly one ``cause``; settle money, trust and records.

    Public record (read by the ``reputation`` trust rule): a completed partnership counts
    as good conduct for every member; a leaver (exit or broke) gets a bad mark, and a
    conflict gives every member one.

    Trust effects: a completed partnership raises every member's trust in every other by
    ``completion_bonus`` of the gap to 1; a failure is a setback for every pair; a member
    leaving (``leaver``) loses the others' trust and its own trust in them; exhausted
    funding is a setback in everyone's trust in the lead.

    Args:
        tp: Trust parameters ``[decay, gain, loss, completion_bonus]``.
    """
    n = p_size[p]
    lead = p_lead[p]
    decay, gain, loss, bonus = tp[0], tp[1], tp[2], tp[3]
    for a in range(n):
        ma = p_members[p, a]
        for b in range(n):
            mb = p_members[p, b]
            if a == b:
                continue
            # which experience (if any) the ending is for ma's trust in mb
            applies = cause in (COMPLETED, FAILED, CONFLICT)
            if cause in (EXIT_DISSATISFIED, EXIT_UNFAIR, EXIT_TRANSACTIONAL, MEMBER_BROKE):
                applies = ma == leaver or mb == leaver
            elif cause == FUNDING_EXHAUSTED:
                applies = mb == lead
            if applies:
                good = cause == COMPLETED
                step_gain = bonus if good else gain
                update_pair(
                    t_partner, t_value, t_updated, t_baseline, sector,
                    ma, mb, good, step, decay, step_gain, loss,
                )  # fmt: skip
    for a in range(n):
        m = p_members[p, a]
        if cause == COMPLETED:
            t_record[m, GOOD] += 1.0
        elif cause == CONFLICT or m == leaver:
            t_record[m, BAD] += 1.0
    settle(funding_rule, p, p_members[p], n, lead, resources, p_budget, p_owed)
    for a in range(n):
        m = p_members[p, a]
        _remove_active(active, n_active, m, p)
        last_active[m] = step
    p_active[p] = False
    p_ended[p] = step
    p_cause[p] = cause
