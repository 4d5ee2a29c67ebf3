"""Columnar recording of the time series: one row a month, in compiled code.

The recorder holds one preallocated numpy column per metric; :func:`record_month`, a
compiled kernel called at the end of the compiled month (:mod:`collab_sim.kernels.month`),
fills one row from whole-array reductions. Recording costs one pass over the arrays a month
rather than a Python reporter per agent (Mesa's DataCollector calls reporters per agent,
which is the cost DESIGN.md's recording budget rules out).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from collab_sim.kernels.jit import leaf
from collab_sim.kernels.rules.trust import trust_summary_into
from collab_sim.vocabulary import DISSOLUTION_CAUSES, SECTORS, STAGES

#: Months over which nonprofit participation is measured.
PARTICIPATION_WINDOW = 12


def timeseries_columns() -> list[str]:
    """Names of the time-series columns, in order."""
    return [
        "step",
        "active_partnerships",
        "active_consortia",
        "formations",
        "dissolutions",
        *[f"dissolved_{c}" for c in DISSOLUTION_CAUSES],
        "mean_trust",
        "orgs_in_partnerships_share",
        "nonprofit_participation",
        *[f"resources_{s}" for s in SECTORS],
        *[f"value_received_{s}" for s in SECTORS],
        *[f"candidates_{s}" for s in STAGES],
        "approvals",
        "approvals_cumulative",
        *[f"trust_{a}_{b}" for i, a in enumerate(SECTORS) for b in SECTORS[i:]],
        "trust_repair_rate",
        "remedy_costs_cumulative",
    ]


_COLUMNS = timeseries_columns()
# Positions of the columns (and first columns of each group) for the compiled recorder.
_C_STEP = _COLUMNS.index("step")
_C_ACTIVE = _COLUMNS.index("active_partnerships")
_C_CONSORTIA = _COLUMNS.index("active_consortia")
_C_FORMATIONS = _COLUMNS.index("formations")
_C_DISSOLUTIONS = _COLUMNS.index("dissolutions")
_C_DISSOLVED = _COLUMNS.index(f"dissolved_{DISSOLUTION_CAUSES[0]}")
_C_MEAN_TRUST = _COLUMNS.index("mean_trust")
_C_IN_PARTNERSHIPS = _COLUMNS.index("orgs_in_partnerships_share")
_C_NONPROFIT = _COLUMNS.index("nonprofit_participation")
_C_RESOURCES = _COLUMNS.index(f"resources_{SECTORS[0]}")
_C_VALUE = _COLUMNS.index(f"value_received_{SECTORS[0]}")
_C_CANDIDATES = _COLUMNS.index(f"candidates_{STAGES[0]}")
_C_APPROVALS = _COLUMNS.index("approvals")
_C_APPROVALS_CUM = _COLUMNS.index("approvals_cumulative")
_C_TRUST_PAIRS = _COLUMNS.index(f"trust_{SECTORS[0]}_{SECTORS[0]}")
_C_REPAIR = _COLUMNS.index("trust_repair_rate")
_C_REMEDY_COSTS = _COLUMNS.index("remedy_costs_cumulative")
_N_SECTORS = len(SECTORS)
_N_STAGES = len(STAGES)
_NONPROFIT = SECTORS.index("nonprofit")
_LANES = 4


class RecorderScratch(NamedTuple):
    """Working space of :func:`record_month`, allocated once by :func:`recorder_scratch`.

    Attributes:
        res_by_sector: Resources by sector.
        value_by_sector: Value received by sector.
        by_stage: Active projects by stage, in interleaved lanes.
        trust_sums: Current trust summed by (truster, trusted) sector.
        trust_counts: Like ``trust_sums``, the counts.
        retained: ``(1 - decay) ** age``, one entry per age up to the largest step recorded.
    """

    res_by_sector: np.ndarray
    value_by_sector: np.ndarray
    by_stage: np.ndarray
    trust_sums: np.ndarray
    trust_counts: np.ndarray
    retained: np.ndarray


@njit(cache=True)
def recorder_scratch(last_step):
    """Working space for :func:`record_month` of any month up to ``last_step``."""
    return RecorderScratch(
        np.empty(_N_SECTORS),
        np.empty(_N_SECTORS),
        np.empty((_LANES, _N_STAGES), dtype=np.int64),
        np.empty((_N_SECTORS, _N_SECTORS)),
        np.empty((_N_SECTORS, _N_SECTORS)),
        np.empty(max(last_step, 0) + 1),
    )


@leaf
def record_month(
    series, row, step, formations, ended_by_cause, approvals, repair, orgs, memory, trust,
    parts, n_parts, projects, n_projects, scratch,
) -> None:  # fmt: skip
    """Fill row ``row`` of ``series.data`` (columns of :func:`timeseries_columns`) for ``step``.

    Args:
        series: The time series' record (``data``, the buffer).
        row: The row to fill.
        step: The month.
        formations: Partnerships formed this month.
        ended_by_cause: Partnerships ended this month, by cause.
        approvals: Projects approved this month.
        repair: This month's trust repair: trust regained, pair-months.
        orgs: The organisations' record.
        memory: The trust memory's record.
        trust: The trust parameters (``params.trust``: baseline, decay).
        parts: The partnerships' record, ``n_parts`` rows in use.
        n_parts: Partnerships formed so far.
        projects: The projects' record, ``n_projects`` rows in use.
        n_projects: Projects started so far.
        scratch: Working space (:func:`recorder_scratch` for a last step >= ``step``).

    Allocates nothing: compiled with :func:`collab_sim.kernels.jit.leaf`, so the records'
    arrays are not reference-counted on each call.
    """
    data = series.data
    sector, resources, value_received = orgs.sector, orgs.resources, orgs.value_received
    n_active, last_active = orgs.n_active, orgs.last_active
    p_active, p_size = parts.is_active, parts.size
    pr_stage, pr_outcome = projects.stage, projects.outcome
    out = data[row]
    active = 0
    consortia = 0
    remedy_costs = 0.0
    remedy_cost = parts.remedy_cost
    for p in range(n_parts):  # counted without branches: most rows are ended partnerships
        active += p_active[p]
        consortia += p_active[p] & (p_size[p] > 2)
        remedy_costs += remedy_cost[p]
    out[_C_STEP] = step
    out[_C_ACTIVE] = active
    out[_C_CONSORTIA] = consortia
    out[_C_FORMATIONS] = formations
    dissolutions = 0
    for k in range(1, ended_by_cause.size):
        dissolutions += ended_by_cause[k]
        out[_C_DISSOLVED + k - 1] = ended_by_cause[k]
    out[_C_DISSOLUTIONS] = dissolutions
    sums, counts = scratch.trust_sums, scratch.trust_counts
    total, count = trust_summary_into(memory, trust, sector, step, sums, counts, scratch.retained)
    out[_C_MEAN_TRUST] = total / count if count else np.nan
    pair = 0
    for a in range(_N_SECTORS):
        for b in range(a, _N_SECTORS):
            pair_sum = sums[a, b] + (sums[b, a] if a != b else 0.0)
            pair_count = counts[a, b] + (counts[b, a] if a != b else 0.0)
            out[_C_TRUST_PAIRS + pair] = pair_sum / pair_count if pair_count else np.nan
            pair += 1
    n = sector.size
    in_partnerships = 0
    nonprofits = 0
    recent = 0
    window_start = max(0, step - PARTICIPATION_WINDOW + 1)
    res_by_sector, value_by_sector = scratch.res_by_sector, scratch.value_by_sector
    res_by_sector[:] = 0.0
    value_by_sector[:] = 0.0
    for i in range(n):
        if n_active[i] > 0:
            in_partnerships += 1
        if sector[i] == _NONPROFIT:
            nonprofits += 1
            if last_active[i] >= window_start and last_active[i] >= 0:
                recent += 1
        res_by_sector[sector[i]] += resources[i]
        value_by_sector[sector[i]] += value_received[i]
    out[_C_IN_PARTNERSHIPS] = in_partnerships / n if n else np.nan
    out[_C_NONPROFIT] = recent / nonprofits if nonprofits else 0.0
    for s in range(_N_SECTORS):
        out[_C_RESOURCES + s] = res_by_sector[s]
        out[_C_VALUE + s] = value_by_sector[s]
    # active projects by stage, counted in four interleaved lanes (independent additions,
    # no branch on the outcome), then added up
    by_stage = scratch.by_stage
    by_stage[:] = 0
    for j in range(n_projects):
        if pr_stage[j] < _N_STAGES:  # every project but the approved ones
            by_stage[j % _LANES, pr_stage[j]] += pr_outcome[j] == 0
    for s in range(_N_STAGES):
        out[_C_CANDIDATES + s] = by_stage[:, s].sum()
    out[_C_APPROVALS] = approvals
    previous = data[row - 1, _C_APPROVALS_CUM] if row > 0 else 0.0
    out[_C_APPROVALS_CUM] = previous + approvals
    out[_C_REPAIR] = repair[0] / repair[1] if repair[1] else np.nan
    out[_C_REMEDY_COSTS] = remedy_costs
