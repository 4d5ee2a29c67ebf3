"""Months of the ecosystem as one compiled call: the schedule of :class:`EcosystemModel`.

:func:`simulate_months` runs the six phases of each month in order (see
:mod:`collab_sim.core.model`) and records its row of the time series, all in compiled
code, so a run costs a few calls from Python instead of a dozen calls and NumPy
expressions per month. Every random draw comes from ``model.rng``: numba's
``np.random.Generator`` support draws from the generator itself (state shared with
Python), so a seed gives the same outputs whether months run one call each or many per
call, in any process.

The kernels take the model's state as one record per table, each a ``NamedTuple`` of
arrays named like the table's columns (built by :mod:`collab_sim.core`; the kernels only
read their attributes, so they never import it):

* ``orgs`` -- the organisations (:class:`collab_sim.core.population.OrganisationState`:
  ``orgs.resources[i]``, ``orgs.capability[i, d]``, ...);
* ``memory`` -- the trust memory (:class:`collab_sim.core.trust_memory.TrustState`);
* ``parts`` -- the partnerships (:class:`collab_sim.core.partnerships.PartnershipState`:
  ``parts.conflict_chance[p]``, ...), ``n_parts`` rows in use;
* ``projects`` -- the projects (:class:`collab_sim.core.projects.ProjectState`),
  ``n_projects`` rows in use;
* ``series`` -- the time series (:class:`collab_sim.core.recorder.SeriesState`);
* ``params`` -- the parameters, one record per config section with the section's field
  names (:class:`collab_sim.core.params.Params`: ``params.bottlenecks.cultural_mismatch``,
  ``params.partnering.accept_threshold``, ...);
* ``pot`` -- the agencies' pot for microgrants or matching, ``[money]``.

The row counts change as partnerships and projects form; the kernels return them.

A month needs room in the tables: ``N`` free partnership rows and ``2N`` free project
rows (a month forms at most one partnership per searcher, and starts at most one project
per organisation plus one per new partnership) and a free row of the time series.
:func:`simulate_months` stops early when the next month might not fit; the caller grows
the tables and calls again.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from collab_sim.kernels.collaboration import work_month
from collab_sim.kernels.draws import PROJECT_START, keyed_uniform, mix, uniform_index
from collab_sim.kernels.finances import apply_finances
from collab_sim.kernels.jit import leaf
from collab_sim.kernels.needs import need_stage
from collab_sim.kernels.partnering import (
    SearchScratch,
    form_partnerships,
    search_scratch,
    setup_partnerships,
)
from collab_sim.kernels.pipeline import attach_projects, pipeline_month, start_projects
from collab_sim.kernels.recording import RecorderScratch, record_month, recorder_scratch
from collab_sim.kernels.rules.funding import MICROGRANTS, fill_from_agencies
from collab_sim.vocabulary import END_CAUSES

_N_CAUSES = len(END_CAUSES)


@leaf
def shuffle(rng, a) -> None:
    """Shuffle ``a`` in place (Fisher-Yates from the end), drawing from ``rng``.

    Written out because numba's ``Generator.shuffle`` copies each element through a 0-d
    array view, a few times slower than these plain swaps.
    """
    for i in range(a.size - 1, 0, -1):
        j = uniform_index(rng, i + 1)
        if i != j:
            a[i], a[j] = a[j], a[i]


@leaf
def active_order(live, counts, c, flags, active, n_rows, order) -> int:
    """Refresh the list of active rows and copy it into ``order``; returns its length.

    ``live[:counts[c]]`` lists, in ascending order, the rows below ``counts[c + 1]`` whose
    ``flags`` were ``active`` when last refreshed. A row never becomes active again, and
    new rows come after every listed one, so keeping the listed rows still active and
    appending the new active rows lists every active row below ``n_rows`` in ascending
    order, as a scan of all rows would, without visiting the ended ones (most rows).
    """
    k = 0
    for r in range(counts[c]):
        row = live[r]
        if flags[row] == active:
            live[k] = row
            k += 1
    for row in range(counts[c + 1], n_rows):
        if flags[row] == active:
            live[k] = row
            k += 1
    counts[c], counts[c + 1] = k, n_rows
    for r in range(k):
        order[r] = live[r]
    return k


class Scratch(NamedTuple):
    """Working space of a month, allocated once per :func:`simulate_months` call.

    Attributes:
        project_order: Room for the month's order of active projects.
        partnership_order: Room for the order of active partnerships.
        live_projects: The active projects in ascending order (:func:`active_order`).
        live_partnerships: Like ``live_projects``, the partnerships.
        live: ``live_projects``' length and the project rows it covers, then the same for
            ``live_partnerships``.
        org_order: Room for the month's starters or searchers.
        ended: Partnerships ended this month, by cause.
        repair: This month's trust repair (trust regained, pair-months).
        member_trust: One entry per member slot, for :func:`work_month`.
        member_tau: Like ``member_trust``.
        pair_trust: One entry per ordered pair of member slots, for :func:`work_month`.
        recorder: The recorder's working space (:func:`record_month`), for every month of
            the call.
        search: The partner search's working space (:func:`form_partnerships`).
    """

    project_order: np.ndarray
    partnership_order: np.ndarray
    live_projects: np.ndarray
    live_partnerships: np.ndarray
    live: np.ndarray
    org_order: np.ndarray
    ended: np.ndarray
    repair: np.ndarray
    member_trust: np.ndarray
    member_tau: np.ndarray
    pair_trust: np.ndarray
    recorder: RecorderScratch
    search: SearchScratch


@leaf
def _month(
    rng, run_key, step, orgs, memory, parts, n_parts, projects, n_projects, series, row, pot,
    params, scratch,
):  # fmt: skip
    """Advance the ecosystem one month and record it in row ``row``.

    A :func:`collab_sim.kernels.jit.leaf` like the phases it calls: compiled with
    reference counting, every record attribute read in its loops (``projects.outcome[j]``,
    ``params.pipeline`` for each organisation's :func:`need_stage`) cost a pair of atomic
    operations, a quarter of the month's time.

    Returns:
        The new ``(partnership count, project count)``.
    """
    n = orgs.sector.size
    funding = params.funding
    # 1. finances; agencies refill the microgrant pot
    apply_finances(rng, orgs)
    if funding.rule == MICROGRANTS:
        pot[0] += fill_from_agencies(
            funding.microgrants.monthly_budget, orgs.sector, orgs.resources
        )
    # 2. pipeline: every active project, in random order
    project_order = scratch.project_order
    k = active_order(
        scratch.live_projects, scratch.live, 0, projects.outcome, 0, n_projects, project_order
    )
    order = project_order[:k]
    shuffle(rng, order)
    approvals = pipeline_month(rng, step, order, orgs, memory, parts, projects, params)
    # 3. work: every active partnership, in random order
    ended, repair = scratch.ended, scratch.repair
    ended[:] = 0
    repair[:] = 0.0
    partnership_order = scratch.partnership_order
    k = active_order(
        scratch.live_partnerships, scratch.live, 2, parts.is_active, True, n_parts,
        partnership_order,
    )  # fmt: skip
    order = partnership_order[:k]
    shuffle(rng, order)
    work_month(
        rng, step, order, orgs, memory, parts, params, pot, ended, repair,
        scratch.member_trust, scratch.member_tau, scratch.pair_trust,
    )  # fmt: skip
    totals = series.repair_totals
    for c in range(totals.size):  # no array expression: a leaf may not allocate
        totals[c] += repair[c]
    # 4. projects started alone
    org_order = scratch.org_order
    k = 0
    starts = mix(run_key, PROJECT_START)
    for i in range(n):
        u = keyed_uniform(mix(mix(starts, i), step))
        if u < orgs.project_start_rate[i] and orgs.n_projects[i] < orgs.max_projects[i]:
            org_order[k] = i
            k += 1
    starters = org_order[:k]
    n_projects = start_projects(run_key, step, starters, orgs, projects, n_projects, params)
    # 5. partnering: searchers in random order; new partnerships get remedies, bottlenecks
    #    and a project
    k = 0
    partnering = params.partnering
    for i in range(n):
        # i searches with chance search_rate, or need_search_rate when a project of its
        # lacks what it needs: the need is looked up only when the draw falls between
        u = rng.random()
        searches = u < orgs.search_rate[i]
        if not searches and u < partnering.need_search_rate:
            searches = need_stage(i, orgs, projects, params.pipeline, partnering, step) >= 0
        if searches:
            org_order[k] = i
            k += 1
    searchers = org_order[:k]
    shuffle(rng, searchers)
    first = n_parts
    n_parts = form_partnerships(
        rng, step, searchers, orgs, memory, parts, n_parts, params, pot, projects, scratch.search
    )
    setup_partnerships(rng, step, first, n_parts, orgs, memory, parts, params)
    n_projects = attach_projects(
        run_key, step, first, n_parts, orgs, parts, projects, n_projects, params
    )
    # 6. recording
    record_month(
        series, row, step, n_parts - first, ended, approvals, repair, orgs, memory, params.trust,
        parts, n_parts, projects, n_projects, scratch.recorder,
    )  # fmt: skip
    return n_parts, n_projects


@njit(cache=True)
def simulate_months(
    n_months, first_step, orgs, memory, parts, n_parts, projects, n_projects, series, row, pot,
    params, rng, run_key,
):  # fmt: skip
    """Run up to ``n_months`` months, numbered from ``first_step``, recording from ``row``.

    Args:
        n_months: Months to run.
        first_step: Number of the first month.
        orgs: The organisations' record.
        memory: The trust memory's record.
        parts: The partnerships' record, ``n_parts`` rows in use.
        n_parts: Partnerships formed so far.
        projects: The projects' record, ``n_projects`` rows in use.
        n_projects: Projects started so far.
        series: The time series' record; months are recorded from row ``row``.
        row: The time series' first free row.
        pot: The agencies' pot, ``[money]``.
        params: The parameter records (:class:`collab_sim.core.params.Params`).
        rng: ``model.rng`` (numba draws from it, sharing its state).
        run_key: The run's key for keyed draws (``model.run_key``, drawn from ``model.rng``;
            :func:`collab_sim.kernels.draws.mix`).

    Returns:
        ``(months run, partnership count, project count)``; fewer months than asked when
        the tables are too full for another month (grow them and call again).
    """
    n = orgs.sector.size
    width = parts.members.shape[1]
    scratch = Scratch(
        np.empty(projects.stage.size, dtype=np.int32),
        np.empty(parts.is_active.size, dtype=np.int32),
        np.empty(projects.stage.size, dtype=np.int32),
        np.empty(parts.is_active.size, dtype=np.int32),
        np.zeros(4, dtype=np.int64),  # nothing listed yet: the first month scans every row
        np.empty(n, dtype=np.int64),
        np.zeros(_N_CAUSES, dtype=np.int64),
        np.zeros(2),
        np.empty(width),
        np.empty(width),
        np.empty((width, width)),
        recorder_scratch(first_step + n_months - 1),  # the last month's step at most
        search_scratch(params.partnering, width),
    )
    done = 0
    while done < n_months:
        if (
            n_parts + n > parts.is_active.size
            or n_projects + 2 * n > projects.stage.size
            or row + done >= series.data.shape[0]
        ):
            break
        n_parts, n_projects = _month(
            rng, run_key, first_step + done, orgs, memory, parts, n_parts, projects, n_projects,
            series, row + done, pot, params, scratch,
        )  # fmt: skip
        done += 1
    return done, n_parts, n_projects
