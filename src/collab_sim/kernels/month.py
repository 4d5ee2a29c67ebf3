"""Months of the ecosystem as one compiled call: the schedule of :class:`EcosystemModel`.

:func:`simulate_months` runs the six phases of each month in order (see
:mod:`collab_sim.model`) and records its row of the time series, all in compiled code, so
a run costs a few calls from Python instead of a dozen calls and NumPy expressions per
month (passing ~100 arrays into compiled code costs tens of microseconds, as much as a
month of the default ecosystem). The random draws are the ones the model made in Python
before: numba's ``np.random.Generator`` support draws from ``model.rng`` itself (same bit
generator, same algorithms as NumPy, state shared), so a seed gives the same outputs
whether months run one call each or many per call.

A month needs room in the tables: ``N`` free partnership rows and ``2N`` free project
rows (a month forms at most one partnership per searcher, and starts at most one project
per organisation plus one per new partnership) and a free row of the time series.
:func:`simulate_months` stops early when the next month might not fit; the caller grows
the tables and calls again.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.np.random.random_methods import random_interval

from collab_sim.kernels.collaboration import work_month
from collab_sim.kernels.finances import apply_finances
from collab_sim.kernels.jit import leaf
from collab_sim.kernels.partnering import form_partnerships, setup_partnerships
from collab_sim.kernels.pipeline import attach_projects, pipeline_month, start_projects
from collab_sim.kernels.recording import record_month
from collab_sim.kernels.rules.funding import MICROGRANTS, fill_from_agencies
from collab_sim.vocabulary import END_CAUSES

#: Kernel seeds are drawn from ``model.rng`` below this bound (numba's legacy seeding).
SEED_MAX = int(np.iinfo(np.int32).max)
_N_CAUSES = len(END_CAUSES)


@leaf
def shuffle(rng, a) -> None:
    """Shuffle ``a`` in place, drawing exactly as ``rng.shuffle(a)`` and ``rng.permutation``.

    NumPy's algorithm (Fisher-Yates from the end, ``j`` from ``random_interval``), as
    numba implements it for ``Generator.shuffle``, with plain element swaps: numba's own
    shuffle copies each element through a 0-d array view, a few times slower.
    """
    bitgen = rng.bit_generator
    for i in range(a.size - 1, 0, -1):
        j = np.intp(random_interval(bitgen, i))
        if i != j:
            a[i], a[j] = a[j], a[i]


@njit(cache=True)
def _month(
    rng, step, microgrant_budget, funding_rule, power_rule,
    # organisations
    sector, capability, culture, data_regime, resources, income, volatility, overhead,
    cost, max_partnerships, n_active, active, last_active, value_received, credit_received,
    proj_slots, n_proj, max_proj, start_rate, search_rate, tau,
    # trust memory
    t_partner, t_value, t_updated, t_baseline, t_record, tw, trust_params,
    # partnerships
    p_count, p_active, p_size, p_members, p_lead, p_formed, p_ended, p_cause, p_need,
    p_coverage, p_duration, p_progress, p_budget, p_initial_budget, p_planned_value,
    p_value_paid, p_share, p_contrib, p_sat, p_owed, p_good, p_bad, p_project,
    p_end_request, p_remedies, p_ambiguity, p_conflict_chance, p_data_friction,
    p_onboarding_left, p_recent_value, p_conflicts, p_remedy_cost, p_resource_asymmetry,
    p_decision_concentration,
    # projects
    pr_count, pr_stage, pr_outcome, pr_partnership, pr_origin, pr_sponsor, pr_rare,
    pr_entered, pr_stage_end, pr_ended, pr_spent, pr_handovers, pr_reach, pr_stalled,
    pr_stop_reason, pr_delay, pr_started,
    # parameters
    success, months, stage_cost, needs, qp, cp, sp, fp, bp, rp,
    # accumulators and the time series
    funding_pot, repair_totals, data, row,
    # scratch: room for the month's orders of projects, partnerships, organisations
    project_order, partnership_order, org_order, ended, repair, member_trust, member_tau,
):  # fmt: skip
    """Advance the ecosystem one month and record it in row ``row``.

    Returns:
        The new ``(partnership count, project count)``.
    """
    n = sector.size
    # 1. finances; agencies refill the microgrant pot
    apply_finances(rng, resources, income, volatility, overhead)
    if funding_rule == MICROGRANTS:
        funding_pot[0] += fill_from_agencies(microgrant_budget, sector, resources)
    # 2. pipeline: every active project, in random order
    k = 0
    for j in range(pr_count):
        if pr_outcome[j] == 0:
            project_order[k] = j
            k += 1
    seed = rng.integers(0, SEED_MAX)
    order = project_order[:k]
    shuffle(rng, order)
    approvals = pipeline_month(
        seed, step, order, success, months, stage_cost, needs, qp,
        sector, capability, resources, proj_slots, n_proj, max_proj,
        t_partner, t_value, t_updated, t_baseline, t_record, tw,
        p_active, p_members, p_size, p_lead, p_end_request,
        pr_stage, pr_outcome, pr_partnership, pr_sponsor, pr_rare, pr_entered,
        pr_stage_end, pr_ended, pr_spent, pr_handovers, pr_reach, pr_stalled,
        pr_stop_reason, pr_delay, p_ambiguity, p_data_friction, p_remedies, bp, rp,
    )  # fmt: skip
    # 3. work: every active partnership, in random order
    ended[:] = 0
    repair[:] = 0.0
    k = 0
    for p in range(p_count):
        if p_active[p]:
            partnership_order[k] = p
            k += 1
    order = partnership_order[:k]
    shuffle(rng, order)
    work_month(
        rng.integers(0, SEED_MAX), step, order,
        sector, resources, cost, n_active, active, last_active, value_received,
        credit_received, tau,
        t_partner, t_value, t_updated, t_baseline, t_record, trust_params, tw,
        p_active, p_size, p_members, p_lead, p_formed, p_ended, p_cause, p_coverage,
        p_duration, p_progress, p_budget, p_planned_value, p_value_paid, p_share, p_contrib,
        p_sat, p_owed, p_good, p_bad, p_end_request, p_remedies, p_ambiguity,
        p_conflict_chance, p_onboarding_left, p_recent_value, p_conflicts, p_remedy_cost,
        cp, fp, bp, rp, funding_rule, funding_pot, ended, repair, member_trust, member_tau,
    )  # fmt: skip
    repair_totals += repair
    # 4. projects started alone
    k = 0
    for i in range(n):
        if rng.random() < start_rate[i] and n_proj[i] < max_proj[i]:
            org_order[k] = i
            k += 1
    starters = org_order[:k]
    pr_count = start_projects(
        rng.integers(0, SEED_MAX), step, starters, pr_count, capability, needs, months, qp,
        proj_slots, n_proj, pr_stage, pr_outcome, pr_partnership, pr_origin, pr_sponsor,
        pr_rare, pr_entered, pr_stage_end, pr_started,
    )  # fmt: skip
    # 5. partnering: searchers in random order; new partnerships get remedies, bottlenecks
    #    and a project
    k = 0
    for i in range(n):
        if rng.random() < search_rate[i]:
            org_order[k] = i
            k += 1
    searchers = org_order[:k]
    shuffle(rng, searchers)
    first = p_count
    p_count = form_partnerships(
        rng.integers(0, SEED_MAX), step, searchers,
        sector, capability, culture, resources, cost, max_partnerships, n_active, active,
        last_active, t_partner, t_value, t_updated, t_baseline, t_record, tw,
        p_count, p_active, p_size, p_members, p_lead, p_formed, p_need, p_coverage,
        p_duration, p_progress, p_budget, p_initial_budget, p_planned_value, p_share,
        p_contrib, p_sat, sp, fp, funding_pot,
    )  # fmt: skip
    setup_partnerships(
        rng.integers(0, SEED_MAX), first, p_count, culture, data_regime, p_size, p_members,
        p_share, p_contrib, p_budget, p_initial_budget, p_remedies, p_ambiguity,
        p_conflict_chance, p_data_friction, p_onboarding_left, p_remedy_cost,
        p_resource_asymmetry, p_decision_concentration, resources, power_rule, bp, rp,
    )  # fmt: skip
    pr_count = attach_projects(
        rng.integers(0, SEED_MAX), step, first, p_count, p_members, p_size, p_lead,
        p_project, pr_count, capability, needs, months, qp, proj_slots, n_proj, pr_stage,
        pr_outcome, pr_partnership, pr_origin, pr_sponsor, pr_rare, pr_entered, pr_stage_end,
        pr_started, p_ambiguity, p_data_friction, p_remedies, p_onboarding_left, bp, rp,
    )  # fmt: skip
    # 6. recording
    record_month(
        data, row, step, p_count - first, ended, approvals, repair,
        sector, resources, value_received, n_active, last_active,
        t_partner, t_value, t_updated, t_baseline, trust_params[0],
        p_count, p_active, p_size, p_remedy_cost, pr_count, pr_stage, pr_outcome,
    )  # fmt: skip
    return p_count, pr_count


@njit(cache=True)
def simulate_months(
    n_months, first_step, microgrant_budget, funding_rule, power_rule,
    sector, capability, culture, data_regime, resources, income, volatility, overhead,
    cost, max_partnerships, n_active, active, last_active, value_received, credit_received,
    proj_slots, n_proj, max_proj, start_rate, search_rate, tau,
    t_partner, t_value, t_updated, t_baseline, t_record, tw, trust_params,
    p_count, p_active, p_size, p_members, p_lead, p_formed, p_ended, p_cause, p_need,
    p_coverage, p_duration, p_progress, p_budget, p_initial_budget, p_planned_value,
    p_value_paid, p_share, p_contrib, p_sat, p_owed, p_good, p_bad, p_project,
    p_end_request, p_remedies, p_ambiguity, p_conflict_chance, p_data_friction,
    p_onboarding_left, p_recent_value, p_conflicts, p_remedy_cost, p_resource_asymmetry,
    p_decision_concentration,
    pr_count, pr_stage, pr_outcome, pr_partnership, pr_origin, pr_sponsor, pr_rare,
    pr_entered, pr_stage_end, pr_ended, pr_spent, pr_handovers, pr_reach, pr_stalled,
    pr_stop_reason, pr_delay, pr_started,
    success, months, stage_cost, needs, qp, cp, sp, fp, bp, rp,
    funding_pot, repair_totals, data, row, rng,
):  # fmt: skip
    """Run up to ``n_months`` months, numbered from ``first_step``, recording from ``row``.

    Arguments are the model's state arrays and parameters (see
    :meth:`collab_sim.model.EcosystemModel._month_args`); ``rng`` is ``model.rng``.

    Returns:
        ``(months run, partnership count, project count)``; fewer months than asked when
        the tables are too full for another month (grow them and call again).
    """
    n = sector.size
    project_order = np.empty(pr_stage.size, dtype=np.int32)
    partnership_order = np.empty(p_active.size, dtype=np.int32)
    org_order = np.empty(n, dtype=np.int64)
    ended = np.zeros(_N_CAUSES, dtype=np.int64)
    repair = np.zeros(2)
    member_trust = np.empty(p_members.shape[1])
    member_tau = np.empty(p_members.shape[1])
    done = 0
    while done < n_months:
        if (
            p_count + n > p_active.size
            or pr_count + 2 * n > pr_stage.size
            or row + done >= data.shape[0]
        ):
            break
        p_count, pr_count = _month(
            rng, first_step + done, microgrant_budget, funding_rule, power_rule,
            sector, capability, culture, data_regime, resources, income, volatility,
            overhead, cost, max_partnerships, n_active, active, last_active, value_received,
            credit_received, proj_slots, n_proj, max_proj, start_rate, search_rate, tau,
            t_partner, t_value, t_updated, t_baseline, t_record, tw, trust_params,
            p_count, p_active, p_size, p_members, p_lead, p_formed, p_ended, p_cause, p_need,
            p_coverage, p_duration, p_progress, p_budget, p_initial_budget, p_planned_value,
            p_value_paid, p_share, p_contrib, p_sat, p_owed, p_good, p_bad, p_project,
            p_end_request, p_remedies, p_ambiguity, p_conflict_chance, p_data_friction,
            p_onboarding_left, p_recent_value, p_conflicts, p_remedy_cost,
            p_resource_asymmetry, p_decision_concentration,
            pr_count, pr_stage, pr_outcome, pr_partnership, pr_origin, pr_sponsor, pr_rare,
            pr_entered, pr_stage_end, pr_ended, pr_spent, pr_handovers, pr_reach, pr_stalled,
            pr_stop_reason, pr_delay, pr_started,
            success, months, stage_cost, needs, qp, cp, sp, fp, bp, rp,
            funding_pot, repair_totals, data, row + done,
            project_order, partnership_order, org_order, ended, repair, member_trust,
            member_tau,
        )  # fmt: skip
        done += 1
    return done, p_count, pr_count
