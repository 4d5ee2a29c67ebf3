"""R&D projects and their stage transitions: discovery to approval.

A project moves through ``STAGES`` (discovery, preclinical, phase1, phase2, phase3,
review) and then is approved, fails a stage, or stops. It is run either by a partnership
(the lead pays the stage costs) or by one organisation alone (its sponsor pays).

Each month, for every active project, in random order:

1. Orphans: if its partnership has ended, the member best placed to carry it (free
   project capacity, resources >= ``carry_months`` months of stage cost, highest
   coverage of the stage's needs; the lead first on ties) continues it alone; if no member
   can, the project stops. ``handovers`` counts continuations.
2. Funding: the payer (the partnership's lead, or the sole sponsor) pays the stage's
   monthly cost if it holds at least ``carry_months`` of it. A payer without that money
   in hand stalls the project a month (its stage ends a month later); after
   ``max_stall_months`` stalled months in a row the project stops (and its partnership
   ends ``funding_exhausted``). While a partnership runs the project, its frictions
   stretch the stage month by month: each month adds ``factor - 1`` months to the stage
   (carried in ``ProjectTable.delay`` as a fraction until whole; a month without money
   clears the fraction, which otherwise carries over to later stages and owners), with
   ``factor = (1 + ambiguity_slowdown * A) * (1 + F [phases 1-3]) * (1 + meeting time)``
   (role ambiguity ``A``, data friction ``F``, learning loops).
3. Resolution: when the stage's time is up, it succeeds with probability

       logit p = logit(p_s) + b_C * (C - C_ref) + b_T * (T - T_ref) + r * [rare, s >= phase1]

   with ``C`` the team's need-weighted capability coverage of stage ``s`` (the best
   member per domain, times ``1 - ambiguity_gaps * A`` for a partnership), ``T`` the
   mean perceived trust among members (``T_ref`` for a project run
   alone). Success enters the next stage, whose time is drawn from a gamma distribution
   with mean ``months_s * (1 + d_C * (1 - C))``; success in review is approval, with
   patient reach equal to the team's best coverage of patient engagement. Failure ends
   the project. A partnership whose project passes its stage has reached its milestone
   and ends ``completed`` (a member carries the project on, step 1 next month); one whose
   project fails ends ``failed``.

New projects: each new partnership adopts the most advanced project its members run
alone (an in-licence), or starts a discovery project; organisations also start discovery
projects alone at their subtype's ``project_start_rate``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.config.schema import PipelineConfig
from collab_sim.kernels.bottlenecks import B_AMB_GAPS
from collab_sim.kernels.jit import leaf
from collab_sim.kernels.partnering import stage_time_factor
from collab_sim.kernels.rules.trust import perceived
from collab_sim.vocabulary import (
    APPROVED,
    COMPLETED,
    DOMAINS,
    FAILED,
    FUNDING_EXHAUSTED,
    OUTCOMES,
    STAGES,
)

ACTIVE, APPROVED_OUTCOME, FAILED_OUTCOME, STOPPED = range(len(OUTCOMES))
NO_CARRIER, NO_MONEY = 1, 2
PHASE1 = STAGES.index("phase1")
PHASE3 = STAGES.index("phase3")
PATIENT_ENGAGEMENT = DOMAINS.index("patient_engagement")

(
    Q_B_COV,
    Q_B_TRUST,
    Q_COV_DUR,
    Q_REF_COV,
    Q_REF_TRUST,
    Q_RARE_SHARE,
    Q_RARE_LOGODDS,
    Q_CARRY,
    Q_SHAPE,
    Q_CAP_THRESHOLD,
    Q_DECAY,
    Q_MAX_STALL,
) = range(12)


def pipeline_params(cfg: PipelineConfig, capability_threshold: float, decay: float) -> np.ndarray:
    """Pack the scalar pipeline parameters for the kernels."""
    return np.array(
        [
            cfg.coverage_effect,
            cfg.trust_effect,
            cfg.coverage_on_duration,
            cfg.reference_coverage,
            cfg.reference_trust,
            cfg.rare_disease_share,
            cfg.rare_disease_log_odds,
            cfg.carry_months,
            cfg.duration_shape,
            capability_threshold,
            decay,
            cfg.max_stall_months,
        ]
    )


# --------------------------------------------------------------------------- kernels


@njit(cache=True)
def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return np.log(p / (1.0 - p))


@leaf
def stage_coverage(team, n, stage, capability, needs, threshold) -> float:
    """Need-weighted coverage of ``stage`` by the best member of ``team`` in each domain."""
    total = 0.0
    weight = 0.0
    for d in range(capability.shape[1]):
        best = 0.0
        for k in range(n):
            best = max(best, min(1.0, capability[team[k], d] / threshold))
        total += needs[stage, d] * best
        weight += needs[stage, d]
    return total / weight if weight > 0 else 0.0


@leaf
def _draw_months(stage, coverage, months, qp) -> int:
    mean = months[stage] * (1.0 + qp[Q_COV_DUR] * (1.0 - coverage))
    shape = qp[Q_SHAPE]
    return max(1, int(np.round(np.random.gamma(shape, mean / shape))))


@leaf
def _add_slot(slots, n_slots, m, j) -> None:
    for s in range(slots.shape[1]):
        if slots[m, s] < 0:
            slots[m, s] = j
            n_slots[m] += 1
            return


@leaf
def _remove_slot(slots, n_slots, m, j) -> None:
    for s in range(slots.shape[1]):
        if slots[m, s] == j:
            slots[m, s] = -1
            n_slots[m] -= 1
            return


@leaf
def new_project(j, sponsor, partnership, step, stage, stage_end, rare, pr_stage, pr_outcome,
                pr_partnership, pr_origin, pr_sponsor, pr_rare, pr_entered, pr_stage_end,
                pr_started) -> None:  # fmt: skip
    """Initialise row ``j`` as a project of ``sponsor`` (and ``partnership``, or -1)."""
    pr_stage[j] = stage
    pr_outcome[j] = ACTIVE
    pr_partnership[j] = partnership
    pr_origin[j] = partnership
    pr_sponsor[j] = sponsor
    pr_rare[j] = rare
    pr_entered[j, stage] = step
    pr_stage_end[j] = stage_end
    pr_started[j] = step


@leaf
def start_projects(seed, step, starters, count, capability, needs, months, qp, proj_slots,
                   n_proj, pr_stage, pr_outcome, pr_partnership, pr_origin, pr_sponsor, pr_rare,
                   pr_entered, pr_stage_end, pr_started) -> int:  # fmt: skip
    """Start a discovery project alone for each organisation in ``starters``; new count."""
    np.random.seed(seed)
    for idx in range(starters.size):
        m = starters[idx]
        cov = stage_coverage(starters[idx : idx + 1], 1, 0, capability, needs, qp[Q_CAP_THRESHOLD])
        end = step + _draw_months(0, cov, months, qp)
        rare = np.random.random() < qp[Q_RARE_SHARE]
        new_project(count, m, -1, step, 0, end, rare, pr_stage, pr_outcome,
                    pr_partnership, pr_origin, pr_sponsor, pr_rare, pr_entered,
                    pr_stage_end, pr_started)  # fmt: skip
        _add_slot(proj_slots, n_proj, m, count)
        count += 1
    return count


@leaf
def attach_projects(seed, step, first, last, p_members, p_size, p_lead, p_project, count,
                    capability, needs, months, qp, proj_slots, n_proj, pr_stage, pr_outcome,
                    pr_partnership, pr_origin, pr_sponsor, pr_rare, pr_entered, pr_stage_end,
                    pr_started, p_ambiguity, p_data_friction, p_remedies, p_onboarding_left,
                    bp, rp) -> int:  # fmt: skip
    """Give partnerships ``first..last-1`` a project each; return the new project count.

    A partnership adopts the most advanced project one of its members runs alone (the
    lead then pays for it), or else starts a discovery project.
    """
    np.random.seed(seed)
    for p in range(first, last):
        best = -1
        owner = -1
        for k in range(p_size[p]):
            m = p_members[p, k]
            for s in range(proj_slots.shape[1]):
                j = proj_slots[m, s]
                if j >= 0 and (best < 0 or pr_stage[j] > pr_stage[best]):
                    best, owner = j, m
        if best >= 0:
            _remove_slot(proj_slots, n_proj, owner, best)
            pr_partnership[best] = p
            pr_sponsor[best] = p_lead[p]
            pr_stage_end[best] += p_onboarding_left[p]  # set-up months delay the work
            p_project[p] = best
            continue
        cov = stage_coverage(p_members[p], p_size[p], 0, capability, needs, qp[Q_CAP_THRESHOLD])
        cov *= 1.0 - bp[B_AMB_GAPS] * p_ambiguity[p]
        end = step + p_onboarding_left[p] + _draw_months(0, cov, months, qp)
        rare = np.random.random() < qp[Q_RARE_SHARE]
        new_project(count, p_lead[p], p, step, 0, end, rare, pr_stage, pr_outcome,
                    pr_partnership, pr_origin, pr_sponsor, pr_rare, pr_entered,
                    pr_stage_end, pr_started)  # fmt: skip
        p_project[p] = count
        count += 1
    return count


@leaf
def pipeline_month(seed, step, order, success, months, cost, needs, qp,
                   sector, capability, resources, proj_slots, n_proj, max_proj,
                   t_partner, t_value, t_updated, t_baseline, t_record, tw,
                   p_active, p_members, p_size, p_lead, p_end_request,
                   pr_stage, pr_outcome, pr_partnership, pr_sponsor, pr_rare, pr_entered,
                   pr_stage_end, pr_ended, pr_spent, pr_handovers, pr_reach,
                   pr_stalled, pr_stop_reason, pr_delay, p_ambiguity, p_data_friction, p_remedies,
                   bp, rp) -> int:  # fmt: skip
    """One month of every active project in ``order``; returns approvals this month."""
    np.random.seed(seed)
    thr = qp[Q_CAP_THRESHOLD]
    approvals = 0
    for idx in range(order.size):
        j = order[idx]
        stage = pr_stage[j]
        p = pr_partnership[j]
        # 1. orphans: continued by the member best placed to carry them, or stopped
        if p >= 0 and not p_active[p]:
            carrier = -1
            best_cov = -1.0
            for k in range(p_size[p]):
                m = p_members[p, k]
                if n_proj[m] >= max_proj[m] or resources[m] < qp[Q_CARRY] * cost[stage]:
                    continue
                c = stage_coverage(p_members[p, k : k + 1], 1, stage, capability, needs, thr)
                if c > best_cov or (c == best_cov and m == p_lead[p]):
                    carrier, best_cov = m, c
            pr_partnership[j] = -1
            p = -1
            if carrier < 0:
                pr_outcome[j] = STOPPED
                pr_stop_reason[j] = NO_CARRIER
                pr_ended[j] = step
                continue
            pr_sponsor[j] = carrier
            pr_handovers[j] += 1
            _add_slot(proj_slots, n_proj, carrier, j)
        # 2. funding
        payer = p_lead[p] if p >= 0 else pr_sponsor[j]
        if resources[payer] >= qp[Q_CARRY] * cost[stage]:
            resources[payer] -= cost[stage]
            pr_spent[j] += cost[stage]
            pr_stalled[j] = 0
        else:
            pr_stage_end[j] += 1  # no money in hand: the stage takes a month longer
            pr_delay[j] = 0.0
            pr_stalled[j] += 1
            if pr_stalled[j] > qp[Q_MAX_STALL]:
                pr_outcome[j] = STOPPED
                pr_stop_reason[j] = NO_MONEY
                pr_ended[j] = step
                if p >= 0:
                    p_end_request[p] = FUNDING_EXHAUSTED
                else:
                    _remove_slot(proj_slots, n_proj, payer, j)
                continue
        # frictions of the partnership running it (role ambiguity, data friction in the
        # clinical stages, learning loops' meeting time) stretch the stage month by month
        if p >= 0:
            clinical = stage >= PHASE1 and stage <= PHASE3
            rate = stage_time_factor(p, p_ambiguity, p_data_friction, p_remedies, bp, rp, clinical)
            pr_delay[j] += rate - 1.0
            while pr_delay[j] >= 1.0:
                pr_stage_end[j] += 1
                pr_delay[j] -= 1.0
        if step < pr_stage_end[j]:
            continue
        # 3. resolution
        if p >= 0:
            team = p_members[p]
            n = p_size[p]
            total = 0.0
            for a in range(n):
                for b in range(n):
                    if a != b:
                        total += perceived(t_partner, t_value, t_updated, t_baseline, sector,
                                           team[a], team[b], step, qp[Q_DECAY], t_record,
                                           tw)  # fmt: skip
            trust = total / (n * (n - 1))
        else:
            team = pr_sponsor[j : j + 1]  # the sponsor alone
            n = 1
            trust = qp[Q_REF_TRUST]
        gaps = 1.0 - bp[B_AMB_GAPS] * p_ambiguity[p] if p >= 0 else 1.0  # role ambiguity
        cov = stage_coverage(team, n, stage, capability, needs, thr) * gaps
        logit = _logit(success[stage]) + qp[Q_B_COV] * (cov - qp[Q_REF_COV])
        logit += qp[Q_B_TRUST] * (trust - qp[Q_REF_TRUST])
        if pr_rare[j] and stage >= PHASE1:
            logit += qp[Q_RARE_LOGODDS]
        if np.random.random() < 1.0 / (1.0 + np.exp(-logit)):
            stage += 1
            pr_stage[j] = stage
            pr_entered[j, stage] = step
            if stage == APPROVED:
                approvals += 1
                pr_outcome[j] = APPROVED_OUTCOME
                pr_ended[j] = step
                reach = 0.0
                for k in range(n):
                    reach = max(reach, min(1.0, capability[team[k], PATIENT_ENGAGEMENT] / thr))
                pr_reach[j] = reach
            else:
                cov_next = stage_coverage(team, n, stage, capability, needs, thr) * gaps
                pr_stage_end[j] = step + _draw_months(stage, cov_next, months, qp)
                if p >= 0:  # the partnership reached its milestone
                    p_end_request[p] = COMPLETED
                continue
        else:
            pr_outcome[j] = FAILED_OUTCOME
            pr_ended[j] = step
        # the project has ended: free its sponsor or end its partnership
        if p >= 0:
            p_end_request[p] = COMPLETED if pr_outcome[j] == APPROVED_OUTCOME else FAILED
        else:
            _remove_slot(proj_slots, n_proj, pr_sponsor[j], j)
    return approvals
