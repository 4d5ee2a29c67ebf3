"""One month of work in every active partnership, and the checks that can end it.

For partnership ``p`` with members ``k``, capability coverage ``C`` (the share of the
partnership's own need, drawn at formation, that the team covers) and mean pairwise
perceived trust ``T`` (see the trust rules):

0. Project: if the partnership's project passed the last stage of its deal's scope or
   was approved this month, the partnership ends ``completed``; if the project failed a
   stage, ``failed``; if the project stopped for want of money, ``funding_exhausted``
   (:mod:`collab_sim.kernels.pipeline` requests the ending).
1. Funding: the funding rule pays the month (:func:`collab_sim.kernels.rules.funding.pay_month`);
   with a partnership manager, also the manager's salary. If the budget cannot pay what
   is due, the partnership ends now, cause ``funding_exhausted``, and does no work this
   month. A manager renegotiates first (chance ``manager_renegotiation``): a budget
   below a month of the members' costs, overheads and salary gets a shortest plan's
   commitment from the partners.
2. Outcome: a good month with probability
   ``q = q0 * (1 - a_C * (1 - C)) * (1 - a_T * (1 - T))``, otherwise a setback
   (``a_C = coverage_on_good_months``, ``a_T = trust_on_good_months``).
3. Progress: a good month adds ``(1 - s_C * (1 - C)) / planned_months``
   (``s_C = coverage_on_speed``) to the current work plan. A plan whose progress reaches
   1 is renewed while the deal's scope goes on: a new plan of
   ``U{duration_min_months..duration_max_months}`` months and its budget, committed by
   the funding rule as at formation (:func:`renew_plan`); a manager who renegotiates
   cuts a plan the partners cannot fund to the shortest plan.
4. Trust: every ordered pair of members has the month's experience (trust rule).
5. Value: a good month pays ``milestone_share`` of the planned value pro rata to
   progress; completion pays the rest. Value and credit go to members by their shares.
6. Satisfaction: ``s <- s + r * (w_g * g + w_f * min(1, v / c) + w_t * T_k - s)`` with
   ``g`` 1 for a good month else 0, ``v / c`` the member's value share over its
   contribution share, ``T_k`` its mean trust in the others.
7. Endings, in priority order so each records exactly one cause: ``funding_exhausted``
   (the next plan's budget cannot be raised), ``failed`` (monthly hazard
   ``h0 * (1 + f_C * (1 - C)) * (1 + f_T * (1 - T))``, ``f_C = coverage_on_failure``,
   ``f_T = trust_on_failure``), ``conflict`` (a conflict this month, then chance
   ``conflict_exit * (1 - T)``), ``member_broke`` (a member's resources below zero),
   ``member_exit_unfair`` / ``member_exit_dissatisfied`` (the least satisfied member's
   satisfaction is below ``exit_threshold``; unfair when its value share is below
   ``unfair_ratio`` of its contribution share), ``member_exit_transactional`` (a
   transactional member let down by its recent returns).

The bottlenecks (:mod:`collab_sim.kernels.bottlenecks`) act here: role ambiguity lowers the
effective coverage ``C`` and slows progress; cultural mismatch brings conflicts (a setback
for every pair); transactional members gain less trust and may leave. The remedies
(:mod:`collab_sim.kernels.remedies`) act here too: joint planning's set-up months (costs run, no
work), managers' salary, faster trust repair and renegotiation, learning loops' repair and
meeting time.
All effect sizes and weights are config keys (assumed values), read from the parameter
records by their config names (``q0`` is ``params.collaboration.good_month_probability``,
``conflict_exit`` is ``params.bottlenecks.conflict_exit``). Credit is split exactly like
value.
"""

from __future__ import annotations

from collab_sim.kernels.draws import uniform_between
from collab_sim.kernels.jit import inlined, leaf
from collab_sim.kernels.partnering import dissolve
from collab_sim.kernels.remedies import LEARNING, MANAGERS, time_factor, trust_gain_factor
from collab_sim.kernels.rules.funding import commit_budget, pay_month, planned_cost
from collab_sim.kernels.rules.trust import (
    EXPERIENCE,
    experience,
    find_slot,
    perceived,
    remember_in_slot,
    trust_in_slot,
    update_pair,
)
from collab_sim.vocabulary import (
    CONFLICT,
    EXIT_DISSATISFIED,
    EXIT_TRANSACTIONAL,
    EXIT_UNFAIR,
    FAILED,
    FUNDING_EXHAUSTED,
    MEMBER_BROKE,
)

#: Smoothing of members' recent returns (about six months' memory) and the months a
#: transactional member waits before judging them (assumed).
RECENT_RATE = 1.0 / 6.0
PATIENCE_MONTHS = 6


@inlined
def renew_plan(rng, p, n, lead, orgs, parts, params, pot, renegotiate) -> bool:
    """Start the next work plan of ``p`` (its last one is done); False if it cannot be funded.

    With ``renegotiate`` (a manager's chance came up), a plan that cannot be funded is cut
    to the shortest plan, funded if the partners can meet that.
    """
    collab, members = params.collaboration, parts.members[p]
    duration = uniform_between(rng, collab.duration_min_months, collab.duration_max_months)
    top_up = commit_budget(params.funding, members, n, lead, orgs, duration, pot)
    if top_up < 0.0 and renegotiate:
        duration = collab.duration_min_months
        top_up = commit_budget(params.funding, members, n, lead, orgs, duration, pot)
    if top_up < 0.0:
        return False
    plan = planned_cost(members, n, lead, orgs.partnership_cost, duration, params.funding)
    parts.budget[p] += top_up
    parts.duration[p] = duration
    parts.progress[p] = 0.0
    parts.planned_value[p] = collab.value_multiple * plan
    parts.plans[p] += 1
    return True


@leaf
def work_month(
    rng, step, order, orgs, memory, parts, params, pot, ended_by_cause, repair_stats,
    member_trust, member_tau, pair_trust,
) -> None:  # fmt: skip
    """Run one month of every partnership in ``order``.

    Args:
        rng: The run's generator (``model.rng``).
        step: The month.
        order: Active partnerships, in their random order.
        orgs: The organisations' record.
        memory: The trust memory's record.
        parts: The partnerships' record.
        params: The run's parameter records (``params.collaboration``,
            ``params.bottlenecks``, ``params.remedies``, ``params.trust``, ...).
        pot: The agencies' pot (``[money]``), paying microgrants.
        ended_by_cause: Endings are counted here, by cause.
        repair_stats: Accumulates the trust gained in good months by pairs whose trust
            was below their baseline (after setbacks), and the number of such pair-months.
        member_trust: Scratch space, one entry per member slot (``parts.members.shape[1]``).
        member_tau: Scratch space, like ``member_trust``.
        pair_trust: Scratch space, one entry per ordered pair of member slots (square):
            member ``a``'s trust in member ``b`` this month.
    """
    collab, bottlenecks, remedies, trust = (
        params.collaboration, params.bottlenecks, params.remedies, params.trust
    )  # fmt: skip
    sector, resources, cost = orgs.sector, orgs.resources, orgs.partnership_cost
    gain = trust.experience.gain
    overhead = params.funding.subcontract.overhead_rate
    partner = memory.partner
    w_prog = collab.satisfaction_weight_progress
    w_fair = collab.satisfaction_weight_fairness
    w_trust = collab.satisfaction_weight_trust
    share, contrib, sat, recent = (
        parts.share,
        parts.contribution,
        parts.satisfaction,
        parts.recent_value,
    )
    for idx in range(order.size):
        p = order[idx]
        n = parts.size[p]
        lead = parts.lead[p]
        members = parts.members[p]
        flags = parts.remedies[p]
        # 0. the pipeline asked for an ending (milestone, approval, failure, no money)
        cause = int(parts.end_request[p])
        leaver = -1
        if cause == 0 and step <= parts.work_start[p]:
            continue  # agreements not yet signed: no cost, no work, no checks
        months_worked = step - parts.work_start[p] - 1
        if cause == 0:
            # 1. funding: a budget that cannot pay what is due ends the partnership now;
            #    a manager who sees it coming renegotiates a shortest plan's budget first
            monthly = 0.0  # the members' monthly costs: a manager's salary and reserve
            if flags & MANAGERS:
                for a in range(n):
                    monthly += cost[members[a]]
            if (
                (flags & MANAGERS) != 0
                and parts.budget[p] < (1.0 + overhead + remedies.manager_cost_share) * monthly
                and rng.random() < remedies.manager_renegotiation
            ):
                top_up = commit_budget(
                    params.funding, members, n, lead, orgs, collab.duration_min_months, pot
                )
                if top_up > 0.0:
                    parts.budget[p] += top_up
            funded = pay_month(params.funding, p, n, lead, months_worked, orgs, parts, pot)
            if funded and flags & MANAGERS:
                due = remedies.manager_cost_share * monthly
                funded = parts.budget[p] >= due
                salary = min(parts.budget[p], due)
                parts.budget[p] -= salary
                parts.remedy_cost[p] += salary
            if not funded:
                cause = FUNDING_EXHAUSTED
        if cause == 0:
            for a in range(n):
                orgs.last_active[members[a]] = step
        # joint planning: set-up months cost money but produce no work yet
        onboarding = cause == 0 and parts.onboarding_left[p] > 0
        if onboarding:
            parts.onboarding_left[p] -= 1
        if cause == 0 and not onboarding:
            # mean trust of each member in the others, and overall; each pair's trust is
            # kept for the trust update below, and its memory slot across months (a slot
            # holds its partner until another memory evicts it: then it is searched again)
            total = 0.0
            pair_slot = parts.memory_slot[p]
            for a in range(n):
                s = 0.0
                for b in range(n):
                    if a != b:
                        ma, mb = members[a], members[b]
                        slot = pair_slot[a, b]
                        if slot < 0 or partner[ma, slot] != mb:
                            slot = find_slot(partner, ma, mb)
                            pair_slot[a, b] = slot
                        pair_trust[a, b] = trust_in_slot(memory, trust, sector, ma, mb, slot, step)
                        if trust.rule == EXPERIENCE:  # perceived trust is remembered trust
                            s += pair_trust[a, b]
                        else:
                            s += perceived(memory, trust, sector, ma, mb, step)
                member_trust[a] = s / (n - 1)
                total += member_trust[a]
                member_tau[a] = orgs.transactional[members[a]] * (
                    1.0 - remedies.learning_horizon_gain if flags & LEARNING else 1.0
                )
            trust_now = total / n
            # a partnership manager heads off breaks (Kale, Dyer and Singh 2002)
            kept = 1.0 - remedies.manager_break_reduction if flags & MANAGERS else 1.0
            # role ambiguity: gaps in the capabilities the team brings to bear
            cov = parts.coverage[p] * (1.0 - bottlenecks.ambiguity_gaps * parts.ambiguity[p])
            # 2-3. outcome and progress
            q = (
                collab.good_month_probability
                * (1.0 - collab.coverage_on_good_months * (1.0 - cov))
                * (1.0 - collab.trust_on_good_months * (1.0 - trust_now))
            )
            good = rng.random() < q
            step_progress = 0.0
            if good:
                parts.good_months[p] += 1
                speed = (1.0 - collab.coverage_on_speed * (1.0 - cov)) / (
                    (1.0 + bottlenecks.ambiguity_slowdown * parts.ambiguity[p])
                    * time_factor(flags, remedies)
                )
                step_progress = min(1.0 - parts.progress[p], speed / parts.duration[p])
                parts.progress[p] += step_progress
            else:
                parts.bad_months[p] += 1
            # 4. trust: transactional members invest nothing; managers and learning repair faster
            repair = trust_gain_factor(flags, remedies)
            for a in range(n):
                g = gain * repair * (1.0 - member_tau[a])
                for b in range(n):
                    if a == b:
                        continue
                    ma, mb = members[a], members[b]
                    slot = pair_slot[a, b]
                    if slot >= 0 and partner[ma, slot] == mb:
                        # only remembering mb writes mb's slot; another member's memory
                        # may have evicted it (then the check fails): unchanged since read
                        before = pair_trust[a, b]
                    else:
                        slot = find_slot(partner, ma, mb)
                        before = trust_in_slot(memory, trust, sector, ma, mb, slot, step)
                    after = experience(before, good, g, trust.experience.loss)
                    remember_in_slot(memory, trust, sector, ma, mb, slot, after, step)
                    if good and before < trust.baseline[sector[ma], sector[mb]]:
                        repair_stats[0] += after - before  # joint learning: repair after setbacks
                        repair_stats[1] += 1.0
            # cultural mismatch: conflict is a setback for every pair
            conflict = rng.random() < parts.conflict_chance[p]
            if conflict:
                parts.conflicts[p] += 1
                for a in range(n):
                    for b in range(n):
                        if a != b:
                            update_pair(
                                memory, trust, sector, members[a], members[b], False, step, gain
                            )
            # 5. value
            done = parts.progress[p] >= 1.0 - 1e-9
            value = collab.milestone_share * parts.planned_value[p] * step_progress
            if done:
                value += (1.0 - collab.milestone_share) * parts.planned_value[p]
            if value > 0.0:
                parts.value_paid[p] += value
                for a in range(n):
                    m = members[a]
                    resources[m] += share[p, a] * value
                    orgs.value_received[m] += share[p, a] * value
                    orgs.credit_received[m] += share[p, a] * value
            # 6. satisfaction; transactional members compare recent returns with the plan
            worst = -1
            quitter = -1
            planned_month = collab.milestone_share * parts.planned_value[p] / parts.duration[p]
            for a in range(n):
                fair = min(1.0, share[p, a] / max(contrib[p, a], 1e-9))
                target = w_prog * (1.0 if good else 0.0) + w_fair * fair + w_trust * member_trust[a]
                sat[p, a] += collab.satisfaction_rate * (target - sat[p, a])
                if sat[p, a] < collab.exit_threshold and (worst < 0 or sat[p, a] < sat[p, worst]):
                    worst = a
                recent[p, a] += RECENT_RATE * (share[p, a] * value - recent[p, a])
                expected = share[p, a] * planned_month
                let_down = recent[p, a] < bottlenecks.return_expectation * expected
                if (
                    quitter < 0
                    and months_worked >= PATIENCE_MONTHS
                    and let_down
                    and rng.random() < bottlenecks.transactional_exit * member_tau[a] * kept
                ):
                    quitter = a
            # 7. endings, one cause each, in priority order
            hazard = (
                collab.failure_hazard
                * (1.0 + collab.coverage_on_failure * (1.0 - cov))
                * (1.0 + collab.trust_on_failure * (1.0 - trust_now))
                * kept
            )
            renewed = True
            if done:
                renegotiate = (flags & MANAGERS) != 0 and (
                    rng.random() < remedies.manager_renegotiation
                )
                renewed = renew_plan(rng, p, n, lead, orgs, parts, params, pot, renegotiate)
            if not renewed:
                cause = FUNDING_EXHAUSTED  # the partners cannot fund the next work plan
            elif rng.random() < hazard:
                cause = FAILED
            elif conflict and rng.random() < bottlenecks.conflict_exit * (1.0 - trust_now) * kept:
                cause = CONFLICT
            else:
                for a in range(n):
                    if resources[members[a]] < 0.0:
                        cause = MEMBER_BROKE
                        leaver = members[a]
                        break
                if cause == 0 and worst >= 0:
                    leaver = members[worst]
                    unfair = share[p, worst] < collab.unfair_ratio * contrib[p, worst]
                    cause = EXIT_UNFAIR if unfair else EXIT_DISSATISFIED
                if cause == 0 and quitter >= 0:
                    leaver = members[quitter]
                    cause = EXIT_TRANSACTIONAL
        if cause > 0:
            dissolve(p, cause, leaver, step, orgs, memory, parts, params)
            ended_by_cause[cause] += 1
