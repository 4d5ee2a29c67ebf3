"""One month of work in every active partnership, and the checks that can end it.

For partnership ``p`` with members ``k``, capability coverage ``C`` (the share of the
partnership's own need, drawn at formation, that the team covers) and mean pairwise
perceived trust ``T`` (see the trust rules):

0. Project: if the partnership's project passed its stage (its milestone) or was approved
   this month, the partnership ends ``completed``; if the project failed a stage, ``failed``;
   if the project stopped for want of money, ``funding_exhausted``
   (:mod:`collab_sim.pipeline` requests the ending).
1. Funding: the funding rule pays the month (:func:`collab_sim.rules.funding.pay_month`);
   with a partnership manager, also the manager's salary. If the budget cannot pay what
   is due, the partnership ends now, cause ``funding_exhausted``, and does no work this
   month.
2. Outcome: a good month with probability
   ``q = q0 * (1 - a_C * (1 - C)) * (1 - a_T * (1 - T))``, otherwise a setback
   (``a_C = coverage_on_good_months``, ``a_T = trust_on_good_months``).
3. Progress: a good month adds ``(1 - s_C * (1 - C)) / planned_months``
   (``s_C = coverage_on_speed``).
4. Trust: every ordered pair of members has the month's experience (trust rule).
5. Value: a good month pays ``milestone_share`` of the planned value pro rata to
   progress; completion pays the rest. Value and credit go to members by their shares.
6. Satisfaction: ``s <- s + r * (w_g * g + w_f * min(1, v / c) + w_t * T_k - s)`` with
   ``g`` 1 for a good month else 0, ``v / c`` the member's value share over its
   contribution share, ``T_k`` its mean trust in the others.
7. Endings, in priority order so each records exactly one cause: ``completed`` (progress
   reached 1), ``failed`` (monthly hazard
   ``h0 * (1 + f_C * (1 - C)) * (1 + f_T * (1 - T))``, ``f_C = coverage_on_failure``,
   ``f_T = trust_on_failure``), ``conflict`` (a conflict this month, then chance
   ``conflict_exit * (1 - T)``), ``member_broke`` (a member's resources below zero),
   ``member_exit_unfair`` / ``member_exit_dissatisfied`` (the least satisfied member's
   satisfaction is below ``exit_threshold``; unfair when its value share is below
   ``unfair_ratio`` of its contribution share), ``member_exit_transactional`` (a
   transactional member let down by its recent returns).

The bottlenecks (:mod:`collab_sim.bottlenecks`) act here: role ambiguity lowers the
effective coverage ``C`` and slows progress; cultural mismatch brings conflicts (a setback
for every pair); transactional members gain less trust and may leave. The remedies
(:mod:`collab_sim.remedies`) act here too: joint planning's set-up months (costs run, no
work), managers' salary and faster trust repair, learning loops' repair and meeting time.
All effect sizes and weights are config keys (assumed values). Credit is split exactly
like value.
"""

from __future__ import annotations

import numpy as np

from collab_sim.config.schema import CollaborationConfig
from collab_sim.kernels.bottlenecks import (
    B_AMB_GAPS,
    B_AMB_SLOW,
    B_CONFLICT_EXIT,
    B_RETURN_EXPECT,
    B_TRANS_EXIT,
)
from collab_sim.kernels.jit import leaf
from collab_sim.kernels.partnering import dissolve
from collab_sim.kernels.remedies import (
    LEARNING,
    MANAGERS,
    R_LL_HORIZON,
    R_PM_COST_SHARE,
    time_factor,
    trust_gain_factor,
)
from collab_sim.kernels.rules.funding import pay_month
from collab_sim.kernels.rules.trust import experience, perceived, remember, trust_of, update_pair
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

#: Smoothing of members' recent returns (about six months' memory) and the months a
#: transactional member waits before judging them (assumed).
RECENT_RATE = 1.0 / 6.0
PATIENCE_MONTHS = 6

(
    C_GOOD,
    C_FAIL,
    C_MILESTONE,
    C_SAT_RATE,
    C_EXIT,
    C_UNFAIR,
    C_W_PROG,
    C_W_FAIR,
    C_W_TRUST,
    C_COV_GOOD,
    C_TRUST_GOOD,
    C_COV_SPEED,
    C_COV_FAIL,
    C_TRUST_FAIL,
) = range(14)


def collaboration_params(cfg: CollaborationConfig) -> np.ndarray:
    """Pack the work parameters for :func:`work_month`."""
    return np.array(
        [
            cfg.good_month_probability,
            cfg.failure_hazard,
            cfg.milestone_share,
            cfg.satisfaction_rate,
            cfg.exit_threshold,
            cfg.unfair_ratio,
            cfg.satisfaction_weight_progress,
            cfg.satisfaction_weight_fairness,
            cfg.satisfaction_weight_trust,
            cfg.coverage_on_good_months,
            cfg.trust_on_good_months,
            cfg.coverage_on_speed,
            cfg.coverage_on_failure,
            cfg.trust_on_failure,
        ],
        dtype=np.float64,
    )


@leaf
def work_month(
    seed,
    step,
    order,
    # organisations
    sector,
    resources,
    cost,
    n_active,
    active,
    last_active,
    value_received,
    credit_received,
    tau,
    # trust
    t_partner,
    t_value,
    t_updated,
    t_baseline,
    t_record,
    tp,
    tw,
    # partnerships
    p_active,
    p_size,
    p_members,
    p_lead,
    p_formed,
    p_ended,
    p_cause,
    p_coverage,
    p_duration,
    p_progress,
    p_budget,
    p_planned_value,
    p_value_paid,
    p_share,
    p_contrib,
    p_sat,
    p_owed,
    p_good,
    p_bad,
    p_end_request,
    p_remedies,
    p_ambiguity,
    p_conflict_chance,
    p_onboarding_left,
    p_recent_value,
    p_conflicts,
    p_remedy_cost,
    cp,
    fp,
    bp,
    rp,
    funding_rule,
    funding_pot,
    ended_by_cause,
    repair_stats,
    member_trust,
    member_tau,
) -> None:
    """Run one month of every partnership in ``order``.

    Endings are counted in ``ended_by_cause``; ``repair_stats`` accumulates the trust
    gained in good months by pairs whose trust was below their baseline (after setbacks)
    and the number of such pair-months. ``member_trust`` and ``member_tau`` are scratch
    space, one entry per member slot (``p_members.shape[1]``).
    """
    np.random.seed(seed)
    decay, gain, loss = tp[0], tp[1], tp[2]
    w_prog, w_fair, w_trust = cp[C_W_PROG], cp[C_W_FAIR], cp[C_W_TRUST]
    for idx in range(order.size):
        p = order[idx]
        n = p_size[p]
        lead = p_lead[p]
        members = p_members[p]
        flags = p_remedies[p]
        # 0. the pipeline asked for an ending (milestone, approval, failure, no money)
        cause = int(p_end_request[p])
        leaver = -1
        months_worked = step - p_formed[p] - 1
        if cause == 0:
            # 1. funding: a budget that cannot pay what is due ends the partnership now
            funded = pay_month(
                funding_rule, p, members, n, lead, months_worked, sector, resources, cost,
                p_budget, p_owed, fp, funding_pot,
            )  # fmt: skip
            if funded and flags & MANAGERS:
                monthly = 0.0
                for a in range(n):
                    monthly += cost[members[a]]
                due = rp[R_PM_COST_SHARE] * monthly
                funded = p_budget[p] >= due
                salary = min(p_budget[p], due)
                p_budget[p] -= salary
                p_remedy_cost[p] += salary
            if not funded:
                cause = FUNDING_EXHAUSTED
        if cause == 0:
            for a in range(n):
                last_active[members[a]] = step
        # joint planning: set-up months cost money but produce no work yet
        onboarding = cause == 0 and p_onboarding_left[p] > 0
        if onboarding:
            p_onboarding_left[p] -= 1
        if cause == 0 and not onboarding:
            # mean trust of each member in the others, and overall
            total = 0.0
            for a in range(n):
                s = 0.0
                for b in range(n):
                    if a != b:
                        s += perceived(
                            t_partner, t_value, t_updated, t_baseline, sector,
                            members[a], members[b], step, decay, t_record, tw,
                        )  # fmt: skip
                member_trust[a] = s / (n - 1)
                total += member_trust[a]
                member_tau[a] = tau[members[a]] * (
                    1.0 - rp[R_LL_HORIZON] if flags & LEARNING else 1.0
                )
            trust = total / n
            # role ambiguity: gaps in the capabilities the team brings to bear
            cov = p_coverage[p] * (1.0 - bp[B_AMB_GAPS] * p_ambiguity[p])
            # 2-3. outcome and progress
            q = (
                cp[C_GOOD]
                * (1.0 - cp[C_COV_GOOD] * (1.0 - cov))
                * (1.0 - cp[C_TRUST_GOOD] * (1.0 - trust))
            )
            good = np.random.random() < q
            step_progress = 0.0
            if good:
                p_good[p] += 1
                speed = (1.0 - cp[C_COV_SPEED] * (1.0 - cov)) / (
                    (1.0 + bp[B_AMB_SLOW] * p_ambiguity[p]) * time_factor(flags, rp)
                )
                step_progress = min(1.0 - p_progress[p], speed / p_duration[p])
                p_progress[p] += step_progress
            else:
                p_bad[p] += 1
            # 4. trust: transactional members invest nothing; managers and learning repair faster
            repair = trust_gain_factor(flags, rp)
            for a in range(n):
                g = gain * repair * (1.0 - member_tau[a])
                for b in range(n):
                    if a == b:
                        continue
                    ma, mb = members[a], members[b]
                    before = trust_of(
                        t_partner, t_value, t_updated, t_baseline, sector, ma, mb, step, decay
                    )
                    after = experience(before, good, g, loss)
                    remember(
                        t_partner,
                        t_value,
                        t_updated,
                        t_baseline,
                        sector,
                        ma,
                        mb,
                        after,
                        step,
                        decay,
                    )
                    if good and before < t_baseline[sector[ma], sector[mb]]:
                        repair_stats[0] += after - before  # joint learning: repair after setbacks
                        repair_stats[1] += 1.0
            # cultural mismatch: conflict is a setback for every pair
            conflict = np.random.random() < p_conflict_chance[p]
            if conflict:
                p_conflicts[p] += 1
                for a in range(n):
                    for b in range(n):
                        if a != b:
                            update_pair(
                                t_partner, t_value, t_updated, t_baseline, sector,
                                members[a], members[b], False, step, decay, gain, loss,
                            )  # fmt: skip
            # 5. value
            done = p_progress[p] >= 1.0 - 1e-9
            value = cp[C_MILESTONE] * p_planned_value[p] * step_progress
            if done:
                value += (1.0 - cp[C_MILESTONE]) * p_planned_value[p]
            if value > 0.0:
                p_value_paid[p] += value
                for a in range(n):
                    m = members[a]
                    resources[m] += p_share[p, a] * value
                    value_received[m] += p_share[p, a] * value
                    credit_received[m] += p_share[p, a] * value
            # 6. satisfaction; transactional members compare recent returns with the plan
            worst = -1
            quitter = -1
            planned_month = cp[C_MILESTONE] * p_planned_value[p] / p_duration[p]
            for a in range(n):
                fair = min(1.0, p_share[p, a] / max(p_contrib[p, a], 1e-9))
                target = w_prog * (1.0 if good else 0.0) + w_fair * fair + w_trust * member_trust[a]
                p_sat[p, a] += cp[C_SAT_RATE] * (target - p_sat[p, a])
                if p_sat[p, a] < cp[C_EXIT] and (worst < 0 or p_sat[p, a] < p_sat[p, worst]):
                    worst = a
                p_recent_value[p, a] += RECENT_RATE * (p_share[p, a] * value - p_recent_value[p, a])
                expected = p_share[p, a] * planned_month
                let_down = p_recent_value[p, a] < bp[B_RETURN_EXPECT] * expected
                if (
                    quitter < 0
                    and months_worked >= PATIENCE_MONTHS
                    and let_down
                    and np.random.random() < bp[B_TRANS_EXIT] * member_tau[a]
                ):
                    quitter = a
            # 7. endings, one cause each, in priority order
            hazard = (
                cp[C_FAIL]
                * (1.0 + cp[C_COV_FAIL] * (1.0 - cov))
                * (1.0 + cp[C_TRUST_FAIL] * (1.0 - trust))
            )
            if done:
                cause = COMPLETED
            elif np.random.random() < hazard:
                cause = FAILED
            elif conflict and np.random.random() < bp[B_CONFLICT_EXIT] * (1.0 - trust):
                cause = CONFLICT
            else:
                for a in range(n):
                    if resources[members[a]] < 0.0:
                        cause = MEMBER_BROKE
                        leaver = members[a]
                        break
                if cause == 0 and worst >= 0:
                    leaver = members[worst]
                    unfair = p_share[p, worst] < cp[C_UNFAIR] * p_contrib[p, worst]
                    cause = EXIT_UNFAIR if unfair else EXIT_DISSATISFIED
                if cause == 0 and quitter >= 0:
                    leaver = members[quitter]
                    cause = EXIT_TRANSACTIONAL
        if cause > 0:
            dissolve(
                p, cause, leaver, step, sector, resources, n_active, active, last_active,
                t_partner, t_value, t_updated, t_baseline, t_record, tp,
                p_active, p_size, p_members, p_lead, p_ended, p_cause, p_budget, p_owed,
                funding_rule,
            )  # fmt: skip
            ended_by_cause[cause] += 1
