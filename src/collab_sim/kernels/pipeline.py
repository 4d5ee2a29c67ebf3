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
   the project. A partnership whose project passes a stage inside its deal's scope has
   reached a milestone (a licence's lead pays the licensor) and carries the project on;
   one whose project passes the scope's last stage (or is approved) ends ``completed``
   (a member carries the project on, step 1 next month); one whose project fails ends
   ``failed``.

New projects: each new partnership adopts the most advanced project its members run
alone (an in-licence), or starts a discovery project, and gets the first deal type that
fits it (:mod:`collab_sim.kernels.deals`); organisations also start discovery
projects alone at their subtype's ``project_start_rate``.

The kernels take records (see :mod:`collab_sim.kernels.month`): ``orgs``, ``memory``,
``parts`` and ``projects`` for the organisations, the trust memory, the partnerships and
the projects; ``params`` for the parameters, read by their config names (``p_s`` is
``params.pipeline.stage_success[s]``, ``b_C`` is ``params.pipeline.coverage_effect``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.kernels.contracting import contracting_months, site_agreement_months
from collab_sim.kernels.coverage import stage_coverage
from collab_sim.kernels.deals import (
    LICENSING,
    RECRUITMENT,
    choose_deal,
    pay_licensor,
    scope_last,
)
from collab_sim.kernels.draws import (
    INITIAL_PROJECT,
    PARTNERED_PROJECT,
    RARE_DRAW,
    STARTED_PROJECT,
    keyed_uniform,
    mix,
)
from collab_sim.kernels.enrolment import (
    begin_stage,
    enrol_month,
    enrolment_rate,
    involvement,
)
from collab_sim.kernels.jit import inlined, leaf
from collab_sim.kernels.needs import ends_within_lookahead
from collab_sim.kernels.partnering import stage_time_factor
from collab_sim.kernels.remedies import JOINT_PLANNING
from collab_sim.kernels.stage_outcome import (
    draw_months,
    end_success,
    logit,
    milestone_due,
    passes_milestone,
    success_shift,
)
from collab_sim.vocabulary import (
    APPROVED,
    COMPLETED,
    DOMAINS,
    FUNDING_EXHAUSTED,
    OUTCOMES,
    PROJECT_FAILED,
    STAGES,
)

ACTIVE, APPROVED_OUTCOME, FAILED_OUTCOME, STOPPED = range(len(OUTCOMES))
NO_CARRIER, NO_MONEY, POOR_ACCRUAL, NO_LICENSEE = 1, 2, 3, 4
#: ``STAGE_END_REASONS`` codes
PASSED, FAILED_STAGE = 1, 2
STOP_ENDS = (0, 3, 4, 5, 6)  # stage end reason of each stop reason
PHASE1 = STAGES.index("phase1")
PHASE3 = STAGES.index("phase3")
PATIENT_ENGAGEMENT = DOMAINS.index("patient_engagement")

# --------------------------------------------------------------------------- kernels


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


@inlined
def new_project(projects, j, sponsor, partnership, step, stage, stage_end, rare, key) -> None:
    """Initialise row ``j`` as a project of ``sponsor`` (and ``partnership``, or -1).

    ``key`` ties the project's own luck (its stages' outcomes) to it, not to its place in
    the run's stream (:func:`collab_sim.kernels.draws.mix`).
    """
    projects.key[j] = key
    projects.stage[j] = stage
    projects.outcome[j] = ACTIVE
    projects.partnership[j] = partnership
    projects.origin_partnership[j] = partnership
    projects.sponsor[j] = sponsor
    projects.origin[j] = sponsor
    projects.rare[j] = rare
    projects.entered[j, stage] = step
    projects.stage_end[j] = stage_end
    projects.started[j] = step
    projects.planned[j, stage] = stage_end - step
    projects.enrolled[j] = 1.0  # started (or, at month 0, found) with its trial enrolled
    projects.milestone[j] = 0  # found at month 0 mid-discovery: its milestones still ahead


@inlined
def end_project(j, p, stage, outcome, end_reason, cause, step, projects, parts, slots, n_proj):
    """Project ``j`` ends in ``stage`` with ``outcome`` and ``end_reason`` (of the stage).

    Its partnership ``p`` is asked to end with ``cause``; a project run alone (``p < 0``)
    frees its sponsor's slot.
    """
    projects.outcome[j] = outcome
    projects.stage_end_reason[j, stage] = end_reason
    projects.ended[j] = step
    if p >= 0:
        parts.end_request[p] = cause
    else:
        _remove_slot(slots, n_proj, projects.sponsor[j], j)


@inlined
def stop(j, p, stage, reason, cause, step, projects, parts, slots, n_proj) -> None:
    """Stop project ``j`` in ``stage`` for ``reason`` (a ``STOP_REASONS`` code)."""
    projects.stop_reason[j] = reason
    ends = STOP_ENDS[reason]
    end_project(j, p, stage, STOPPED, ends, cause, step, projects, parts, slots, n_proj)


@inlined
def fail(j, p, stage, step, projects, parts, slots, n_proj) -> None:
    """Project ``j`` fails ``stage``: its partnership ``p`` ends, or its sponsor is free."""
    end_project(
        j, p, stage, FAILED_OUTCOME, FAILED_STAGE, PROJECT_FAILED, step, projects, parts, slots,
        n_proj,
    )  # fmt: skip


@inlined
def running_team(j, p, projects, parts, gaps_effect):
    """``(team, n, gaps)`` running project ``j``: its partnership's, or its sponsor alone.

    ``gaps`` is the share of a partnership's coverage left by role ambiguity (1 alone).
    """
    if p >= 0:
        return parts.members[p], parts.size[p], 1.0 - gaps_effect * parts.ambiguity[p]
    return projects.sponsor[j : j + 1], 1, 1.0


@inlined
def may_direct(j, p, stage, orgs, parts, projects) -> bool:
    """Is project ``j``'s stage directed by an organisation that may direct it?

    A partnership (``p >= 0``) whose lead may not hands the lead, and the project, to its
    first member (in member order) who may; False if no member may.
    """
    if p < 0:
        return orgs.solo_last_stage[projects.sponsor[j]] >= stage
    if orgs.solo_last_stage[parts.lead[p]] >= stage:
        return True
    for k in range(parts.size[p]):
        m = parts.members[p, k]
        if orgs.solo_last_stage[m] >= stage:  # members in order: the first who may
            parts.lead[p] = m
            projects.sponsor[j] = m
            return True
    return False


@njit(cache=True)
def seed_projects(projects, count, orgs, sponsors, stages, months_left, rare, run_key) -> int:
    """Add the projects that exist at month 0, run alone (entered their stage at month 0).

    Row ``count + k`` of the table becomes the project of ``sponsors[k]`` in ``stages[k]``,
    whose stage ends at month ``months_left[k]``; returns the new project count.
    """
    for k in range(sponsors.size):
        sponsor = sponsors[k]
        key = mix(mix(run_key, INITIAL_PROJECT), k)
        new_project(projects, count, sponsor, -1, 0, stages[k], months_left[k], rare[k], key)
        orgs.projects[sponsor, orgs.n_projects[sponsor]] = count
        orgs.n_projects[sponsor] += 1
        count += 1
    return count


@leaf
def start_projects(run_key, step, starters, orgs, projects, count, params) -> int:
    """Start a discovery project alone for each organisation in ``starters``; new count."""
    pipeline = params.pipeline
    thr = params.partnering.capability_threshold
    for idx in range(starters.size):
        m = starters[idx]
        cov = stage_coverage(
            starters[idx : idx + 1], 1, 0, orgs.capability, pipeline.stage_needs, thr
        )
        key = mix(mix(mix(run_key, STARTED_PROJECT), m), step)
        end = step + draw_months(key, 0, cov, pipeline)
        rare = keyed_uniform(mix(key, RARE_DRAW)) < pipeline.rare_disease_share
        new_project(projects, count, m, -1, step, 0, end, rare, key)
        _add_slot(orgs.projects, orgs.n_projects, m, count)
        count += 1
    return count


@leaf
def attach_projects(run_key, step, first, last, orgs, parts, projects, count, params) -> int:
    """Give partnerships ``first..last-1`` a project and a deal type each; new project count.

    A partnership adopts the most advanced project one of its members runs alone (the
    lead then pays for it), or else starts a discovery project. Its deal type is the first
    that fits (:func:`collab_sim.kernels.deals.choose_deal`), which sets its scope; a
    licence's lead pays the licensor the upfront payment.
    """
    pipeline, deals = params.pipeline, params.deals
    thr = params.partnering.capability_threshold
    slots = orgs.projects
    for p in range(first, last):
        best = -1
        owner = -1
        for k in range(parts.size[p]):
            m = parts.members[p, k]
            for s in range(slots.shape[1]):
                j = slots[m, s]
                if j >= 0 and (best < 0 or projects.stage[j] > projects.stage[best]):
                    best, owner = j, m
        ahead = False
        if best >= 0:
            _remove_slot(slots, orgs.n_projects, owner, best)
            projects.partnership[best] = p
            projects.sponsor[best] = parts.lead[p]
            parts.project[p] = best
            # sought for the project's next stage, its agreements are signed while the
            # current stage runs on; otherwise contracting and set-up delay the work
            ends_soon = ends_within_lookahead(projects.stage_end[best], step, params.partnering)
            ahead = ends_soon and parts.scope_first[p] == projects.stage[best] + 1
            if not ahead:
                projects.stage_end[best] += parts.work_start[p] - step + parts.onboarding_left[p]
        else:
            cov = stage_coverage(
                parts.members[p], parts.size[p], 0, orgs.capability, pipeline.stage_needs, thr
            )
            cov *= 1.0 - params.bottlenecks.ambiguity_gaps * parts.ambiguity[p]
            start = parts.work_start[p] + parts.onboarding_left[p]
            lead, partner = parts.lead[p], parts.members[p, 1]
            key = mix(mix(mix(mix(run_key, PARTNERED_PROJECT), lead), partner), step)
            end = start + draw_months(key, 0, cov, pipeline)
            rare = keyed_uniform(mix(key, RARE_DRAW)) < pipeline.rare_disease_share
            new_project(projects, count, lead, p, step, 0, end, rare, key)
            parts.project[p] = count
            count += 1
        # the deal: its type, scope and (a licence) upfront payment; a deal sought ahead
        # is for the next stage, which its scope starts with
        stage = projects.stage[parts.project[p]] + (1 if ahead else 0)
        from_partner = owner >= 0 and owner != parts.lead[p]
        k = choose_deal(
            deals, stage, parts.members[p], parts.size[p], parts.lead[p], orgs.sector, from_partner
        )
        parts.deal[p] = k
        parts.scope_first[p] = stage
        parts.scope_last[p] = scope_last(deals, k, stage)
        if deals.kind[k] == LICENSING:
            parts.licensor[p] = owner
            pay_licensor(p, deals.upfront_months[k] * pipeline.stage_cost[stage], orgs, parts)
    return count


@leaf
def pipeline_month(rng, step, order, orgs, memory, parts, projects, params) -> int:
    """One month of every active project in ``order``; returns approvals this month."""
    pipeline, trust = params.pipeline, params.trust
    thr = params.partnering.capability_threshold
    sector, capability, resources = orgs.sector, orgs.capability, orgs.resources
    slots, n_proj, max_proj = orgs.projects, orgs.n_projects, orgs.max_projects
    needs, cost, carry = pipeline.stage_needs, pipeline.stage_cost, pipeline.carry_months
    gaps_effect = params.bottlenecks.ambiguity_gaps
    pr = projects
    approvals = 0
    for idx in range(order.size):
        j = order[idx]
        stage = pr.stage[j]
        p = pr.partnership[j]
        # 1. orphans: continued by the member best placed to carry them, or stopped
        if p >= 0 and not parts.is_active[p]:
            carrier = -1
            best_cov = -1.0
            for k in range(parts.size[p]):
                m = parts.members[p, k]
                if n_proj[m] >= max_proj[m] or resources[m] < carry * cost[stage]:
                    continue
                c = stage_coverage(parts.members[p, k : k + 1], 1, stage, capability, needs, thr)
                if orgs.solo_last_stage[m] >= stage:
                    c += 2.0  # a member who may direct the stage comes first
                if c > best_cov or (c == best_cov and m == parts.lead[p]):
                    carrier, best_cov = m, c
            broke = parts.cause[p] != COMPLETED and stage <= parts.scope_last[p]
            pr.partnership[j] = -1
            p = -1
            if carrier < 0:
                pr.outcome[j] = STOPPED
                pr.stop_reason[j] = NO_CARRIER
                pr.stage_end_reason[j, stage] = STOP_ENDS[NO_CARRIER]
                pr.ended[j] = step
                continue
            if pr.sites_ready[j] > step:  # the carrier does not wait for the partners' sites
                pr.stage_end[j] -= pr.sites_ready[j] - step
                pr.sites_ready[j] = 0
            pr.sponsor[j] = carrier
            pr.handovers[j] += 1
            _add_slot(slots, n_proj, carrier, j)
            if broke:  # the deal broke inside its scope: find a way on, then agree it
                c = params.contracting
                lost = c.restart_search_months + contracting_months(rng, c, 0.0, False, False)
                pr.stage_end[j] += int(np.round(lost))
                pr.restarts[j] += 1
        if p >= 0 and step <= parts.work_start[p] and stage >= parts.scope_first[p]:
            continue  # its partnership is still contracting (its stage end moved with it)
        if step <= pr.sites_ready[j]:
            continue  # its new trial's site agreements are not yet signed (likewise)
        # the stage must be directed by an organisation that may (solo_last_stage): a
        # partnership hands the lead to such a member; otherwise the project waits
        if not may_direct(j, p, stage, orgs, parts, pr):
            pr.waiting[j] += 1
            pr.stage_end[j] += 1  # its clock stands still, at no cost
            if pr.waiting[j] > pipeline.licence_wait_months:
                stop(j, p, stage, NO_LICENSEE, PROJECT_FAILED, step, pr, parts, slots, n_proj)
            continue
        if p >= 0 and stage >= PHASE1 and stage <= PHASE3:
            pr.partnered_clinical[j] = True
        # 2. funding
        payer = parts.lead[p] if p >= 0 else pr.sponsor[j]
        paid = resources[payer] >= carry * cost[stage]
        if paid:
            resources[payer] -= cost[stage]
            pr.spent[j] += cost[stage]
            pr.stalled[j] = 0
        else:
            pr.stage_end[j] += 1  # no money in hand: the stage takes a month longer
            pr.delay[j] = 0.0
            pr.stalled[j] += 1
            if pr.stalled[j] > pipeline.max_stall_months:
                stop(j, p, stage, NO_MONEY, FUNDING_EXHAUSTED, step, pr, parts, slots, n_proj)
                continue
        # a clinical trial enrols (kernels/enrolment.py): a shortfall stretches the stage
        if paid and pr.enrolled[j] < 1.0:
            team, n, gaps = running_team(j, p, pr, parts, gaps_effect)
            e = params.enrolment
            pi = involvement(team, n, payer, capability, e, memory, trust, sector, step)
            rho = enrolment_rate(pr, j, team, n, capability, e, thr, gaps, pi)
            if enrol_month(pr, j, stage, rho, e):
                stop(j, p, stage, POOR_ACCRUAL, PROJECT_FAILED, step, pr, parts, slots, n_proj)
                continue
        # a recruitment partnership's goal is its trial's patients, whatever the trial shows
        in_scope = p >= 0 and stage >= parts.scope_first[p]  # not before a deal sought ahead
        if in_scope and pr.enrolled[j] >= 1.0 and params.deals.kind[parts.deal[p]] == RECRUITMENT:
            parts.goal_met[p] = True
        # frictions of the partnership running it (role ambiguity, data friction in the
        # clinical stages, learning loops' meeting time) stretch the stage month by month
        if p >= 0:
            clinical = stage >= PHASE1 and stage <= PHASE3
            rate = stage_time_factor(p, parts, params.bottlenecks, params.remedies, clinical)
            pr.delay[j] += rate - 1.0
        while pr.delay[j] >= 1.0:
            pr.stage_end[j] += 1
            pr.delay[j] -= 1.0
        while pr.delay[j] <= -1.0:  # a trial enrolling faster than planned
            pr.stage_end[j] -= 1
            pr.delay[j] += 1.0
        # discovery's internal milestones (hit, lead): most of its failures come early
        k = milestone_due(pr, j, step, pipeline)
        if k >= 0:
            team, n, gaps = running_team(j, p, pr, parts, gaps_effect)
            shift = success_shift(
                team, n, stage, gaps, pr.rare[j], capability, memory, trust, sector, step, params
            )
            if passes_milestone(pr.key[j], k, shift, pipeline):
                pr.milestone[j] += 1
                if in_scope:  # a milestone of the deal, which carries the project on
                    parts.goal_met[p] = True
                    parts.milestones[p] += 1
            else:
                fail(j, p, stage, step, pr, parts, slots, n_proj)
                continue
        if step < pr.stage_end[j]:
            continue
        # 3. resolution
        team, n, gaps = running_team(j, p, pr, parts, gaps_effect)
        shift = success_shift(
            team, n, stage, gaps, pr.rare[j], capability, memory, trust, sector, step, params
        )
        logit_p = logit(end_success(pipeline, stage)) + shift
        if keyed_uniform(mix(pr.key[j], stage)) < 1.0 / (1.0 + np.exp(-logit_p)):
            pr.stage_end_reason[j, stage] = PASSED
            stage += 1
            pr.stage[j] = stage
            pr.entered[j, stage] = step
            if stage == APPROVED:
                approvals += 1
                pr.outcome[j] = APPROVED_OUTCOME
                pr.ended[j] = step
                reach = 0.0
                for k in range(n):
                    reach = max(reach, min(1.0, capability[team[k], PATIENT_ENGAGEMENT] / thr))
                pr.reach[j] = reach
            else:
                cov_next = stage_coverage(team, n, stage, capability, needs, thr) * gaps
                months = draw_months(pr.key[j], stage, cov_next, pipeline)
                pr.stage_end[j] = step + months
                begin_stage(pr, j, stage, months, params.enrolment)
                if p >= 0 and stage == parts.scope_first[p]:
                    # a deal sought ahead begins its scope: this stage waits for the rest
                    # of its contracting and set-up months, as a new deal's first does
                    wait = max(0, parts.work_start[p] - step) + parts.onboarding_left[p]
                    pr.stage_end[j] += wait
                elif p >= 0:  # a milestone of the deal; past its scope, the deal is complete
                    parts.goal_met[p] = True
                    if stage > parts.scope_last[p]:
                        parts.end_request[p] = COMPLETED
                    else:
                        parts.milestones[p] += 1
                        if stage >= PHASE1 and stage <= PHASE3:  # a new trial at partner sites
                            planned = (parts.remedies[p] & JOINT_PLANNING) != 0
                            wait = site_agreement_months(
                                rng, params.contracting, team, n, parts.lead[p], sector,
                                orgs.data_regime, params.bottlenecks.data_friction, planned,
                            )  # fmt: skip
                            pr.sites_ready[j] = step + wait
                            pr.stage_end[j] += wait
                            pr.site_months[j] += wait
                        k = parts.deal[p]
                        if params.deals.kind[k] == LICENSING:
                            due = params.deals.milestone_months[k] * cost[stage]
                            pay_licensor(p, due, orgs, parts)
                continue
        else:
            fail(j, p, stage, step, pr, parts, slots, n_proj)
            continue
        # approved: its partnership has reached its goal, or its sponsor is free
        if p >= 0:
            parts.end_request[p] = COMPLETED
            parts.goal_met[p] = True
        else:
            _remove_slot(slots, n_proj, pr.sponsor[j], j)
    return approvals
