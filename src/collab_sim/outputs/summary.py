"""Measurements of a run: the one-row summary every run reports.

Besides partnership, equity and innovation figures, the summary carries the assessment
toolkit of the design: the power map (per partnership, resource asymmetry and the
concentration of value and credit shares; per sector, network centrality), the trust
baseline (mean remembered trust by sector pair), the equity audit (value and credit
shares by sector, Gini) and joint learning (trust repair rate after setbacks).
All functions read the model's arrays; none loops over agents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from collab_sim.core.projects import ProjectTable
from collab_sim.kernels.pipeline import APPROVED_OUTCOME, FAILED_OUTCOME, STOPPED
from collab_sim.vocabulary import (
    COMPLETED,
    END_CAUSES,
    REMEDIES,
    SECTORS,
    STAGE_END_REASONS,
    STAGES,
    TRANSITIONS,
)

if TYPE_CHECKING:
    from collab_sim.core.model import EcosystemModel


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 all to one); 0 for all-zero."""
    x = np.sort(np.clip(np.asarray(values, dtype=np.float64), 0.0, None))
    n = x.size
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * np.sum(ranks * x) / (n * x.sum())) - (n + 1.0) / n)


def shares_by_sector(values: np.ndarray, sector: np.ndarray) -> dict[str, float]:
    """Share of the total of ``values`` held by each sector (zeros when the total is 0)."""
    sums = np.bincount(sector, weights=values, minlength=len(SECTORS))
    total = sums.sum()
    return {s: float(sums[k] / total) if total > 0 else 0.0 for k, s in enumerate(SECTORS)}


def transition_counts(
    projects: ProjectTable, rows: np.ndarray | None = None
) -> dict[str, list[int]]:
    """Per published transition: ``[advanced, did not advance]`` among projects that left.

    As in the BIO/Informa/QLS method, a project counts for a transition when it entered the
    stage and then either entered the next one or ended there (failed or stopped);
    projects still in the stage are left out.
    """
    n = projects.count
    entered = projects.entered[:n]
    stage, outcome = projects.stage[:n], projects.outcome[:n]
    keep = np.ones(n, dtype=bool) if rows is None else rows
    ended_here = (outcome == FAILED_OUTCOME) | (outcome == STOPPED)
    counts = {}
    for name, s in TRANSITIONS.items():
        was = keep & (entered[:, s] >= 0)
        counts[name] = [
            int((was & (entered[:, s + 1] >= 0)).sum()),
            int((was & (stage == s) & ended_here).sum()),
        ]
    return counts


def phase_months(projects: ProjectTable) -> dict[str, list[int]]:
    """Months spent in each stage from phase 1 on, by projects that passed it in the run."""
    n = projects.count
    entered = projects.entered[:n]
    out = {}
    for name, s in TRANSITIONS.items():
        passed = (entered[:, s] >= 1) & (entered[:, s + 1] >= 0)
        out[name] = (entered[passed, s + 1] - entered[passed, s]).tolist()
    return out


def _rate(pair: list[int]) -> float | None:
    total = pair[0] + pair[1]
    return pair[0] / total if total else None


def loa(counts: dict[str, list[int]]) -> float | None:
    """Likelihood of approval from phase 1: the product of the four transition rates."""
    rates = [_rate(counts[name]) for name in TRANSITIONS]
    return float(np.prod(rates)) if all(r is not None for r in rates) else None


def trial_figures(projects: ProjectTable) -> dict[str, float | None]:
    """Clinical stages (phases 1-3) entered and ended during the run, against their plans.

    ``trial_duration_vs_plan``: mean of months in the stage over its planned months;
    ``enrolment_vs_plan``: mean of enrolment months over planned enrolment months, trials
    that completed enrolment; ``poor_accrual_share``: share of the ended stages that ended
    in a stop for poor accrual.
    """
    n = projects.count
    first = STAGES.index("phase1")
    ratios, enrol, accrual = [], [], []
    for phase in range(3):
        s = first + phase
        entered = projects.entered[:n, s]
        reason = projects.stage_end_reason[:n, s]
        done = (entered >= 1) & (reason > 0)
        end = np.where(reason == 1, projects.entered[:n, s + 1], projects.ended[:n])
        planned = projects.planned[:n, s].astype(float)
        ok = done & (planned > 0)
        ratios.append(((end - entered)[ok]) / planned[ok])
        accrual.append(reason[done] == STAGE_END_REASONS.index("poor_accrual"))
        taken = projects.enrol_taken[:n, phase]
        got = (entered >= 1) & (taken >= 0)
        enrol.append(taken[got] / projects.enrol_planned[:n, phase][got])
    r, e, a = (np.concatenate(x) for x in (ratios, enrol, accrual))
    return {
        "trial_duration_vs_plan": float(r.mean()) if r.size else None,
        "enrolment_vs_plan": float(e.mean()) if e.size else None,
        "poor_accrual_share": float(a.mean()) if a.size else None,
    }


def pipeline_summary(projects: ProjectTable) -> dict[str, Any]:
    """Innovation output of a run: approvals, transition rates, LOA, time, cost, reach."""
    n = projects.count
    outcome = projects.outcome[:n]
    approved = outcome == APPROVED_OUTCOME
    counts = transition_counts(projects)
    months = phase_months(projects)
    means = [float(np.mean(m)) if m else None for m in months.values()]
    spent = float(projects.spent[:n].sum())
    active = outcome == 0
    by_stage = np.bincount(projects.stage[:n][active], minlength=len(STAGES) + 1)
    return {
        "approvals": int(approved.sum()),
        "projects_started": int((projects.started[:n] >= 1).sum()),
        "projects_at_start": int((projects.started[:n] == 0).sum()),
        "projects_failed": int((outcome == FAILED_OUTCOME).sum()),
        "projects_stopped": int((outcome == STOPPED).sum()),
        "projects_continued_after_dissolution": int((projects.handovers[:n] > 0).sum()),
        "phase_transition_rates": {k: _rate(v) for k, v in counts.items()},
        "loa_phase1": loa(counts),
        "loa_phase1_rare_disease": loa(transition_counts(projects, projects.rare[:n])),
        "loa_phase1_other": loa(transition_counts(projects, ~projects.rare[:n])),
        "mean_months_phase1_to_approval": sum(means) if all(m is not None for m in means) else None,
        "rd_spending": spent,
        "cost_per_approval": spent / approved.sum() if approved.any() else None,
        "patient_reach": float(projects.reach[:n][approved].sum()),
        "partnered_approval_share": (
            float(projects.partnered_clinical[:n][approved].mean()) if approved.any() else None
        ),
        "candidates_by_stage": {s: int(by_stage[k]) for k, s in enumerate(STAGES)},
    } | trial_figures(projects)


def recent_links(model: EcosystemModel, window: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of organisations that shared a partnership active in the last ``window`` months.

    Returns:
        Two arrays ``(a, b)`` with ``a < b``, each pair once, sorted.
    """
    table, now = model.partnerships, int(model.steps)
    n = table.count
    recent = np.flatnonzero((table.ended[:n] < 0) | (table.ended[:n] >= now - window + 1))
    members, sizes = table.members[recent], table.size[recent]
    first, second = np.triu_indices(members.shape[1], 1)
    valid = second[None, :] < sizes[:, None]  # both positions hold a member
    x, y = members[:, first][valid], members[:, second][valid]
    keys = np.unique(np.minimum(x, y).astype(np.int64) * model.orgs.n + np.maximum(x, y))
    return keys // model.orgs.n, keys % model.orgs.n


def partnership_network(model: EcosystemModel, window: int = 12) -> nx.Graph:
    """Organisations linked when they shared a partnership active in the last ``window`` months.

    Built on demand for analysis in networkx (never kept in the step loop).
    """
    graph = nx.Graph()
    graph.add_nodes_from(range(model.orgs.n))
    graph.add_edges_from(zip(*(side.tolist() for side in recent_links(model, window)), strict=True))
    return graph


def centrality_by_sector(model: EcosystemModel) -> dict[str, float]:
    """Mean degree centrality of each sector's organisations in the recent network.

    Degree centrality as networkx defines it (``degree / (N - 1)``), counted here from the
    link arrays: building a networkx graph cost more than the rest of a run's summary.
    """
    n = model.orgs.n
    a, b = recent_links(model)
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    values = degree * (1.0 / (n - 1.0)) if n > 1 else np.ones(n)
    sector = model.orgs.sector
    return {
        s: float(values[sector == k].mean()) if (sector == k).any() else 0.0
        for k, s in enumerate(SECTORS)
    }


def summarise(model: EcosystemModel) -> dict[str, Any]:
    """The run's summary: scalar metrics, plus a few small objects keyed by name.

    Returns:
        A JSON-serialisable dict (see README for the meaning of each key).
    """
    orgs, table, cfg = model.orgs, model.partnerships, model.config
    n = table.count
    cause = table.cause[:n]
    ended = cause > 0
    durations = (table.ended[:n] - table.formed[:n])[ended]
    counts = np.bincount(cause, minlength=len(END_CAUSES))
    n_ended = int(ended.sum())
    return {
        "seed": cfg.seed,
        "steps": int(model.steps),
        "scenario": cfg.scenario_name,
        "trust_rule": cfg.trust.rule,
        "funding_rule": cfg.funding.rule,
        "power_rule": cfg.power.rule,
        "n_organisations": orgs.n,
        "partnerships_formed": int(n),
        "partnerships_dissolved": n_ended,
        "partnerships_active_end": int(table.is_active[:n].sum()),
        "consortium_share": float((table.size[:n] > 2).mean()) if n else 0.0,
        "mean_partnership_duration_months": float(durations.mean()) if n_ended else 0.0,
        "dissolutions_by_cause": {c: int(counts[k]) for k, c in enumerate(END_CAUSES) if k > 0},
        "completion_share": float(counts[COMPLETED] / n_ended) if n_ended else 0.0,
        "early_ending_share": float(1.0 - counts[COMPLETED] / n_ended) if n_ended else 0.0,
        "partnership_goal_share": float(table.goal_met[:n][ended].mean()) if n_ended else None,
        "contracting_months": float(np.median(table.contracting[:n])) if n else None,
        "deals_by_type": {
            name: int(k_count)
            for name, k_count in zip(
                cfg.deals.types,
                np.bincount(table.deal[:n], minlength=len(cfg.deals.types)).tolist(),
                strict=True,
            )
        },
        "nonprofit_participation": model.nonprofit_participation(),
        "value_created": float(table.value_paid[:n].sum()),
        "value_share_by_sector": shares_by_sector(orgs.value_received, orgs.sector),
        "credit_share_by_sector": shares_by_sector(orgs.credit_received, orgs.sector),
        "value_gini": gini(orgs.value_received),
        "mean_trust": _finite(model.mean_trust()),
        "conflicts": int(table.conflicts[:n].sum()),
        "remedy_costs": float(table.remedy_cost[:n].sum()),
        "power_map": {
            "mean_resource_asymmetry": float(table.resource_asymmetry[:n].mean()) if n else None,
            "mean_decision_concentration": (
                float(table.decision_concentration[:n].mean()) if n else None
            ),
        },
        "centrality_by_sector": centrality_by_sector(model),
        "trust_by_sector_pair": model.trust.by_sector_pair(orgs.sector, int(model.steps)),
        "trust_repair_rate": (
            float(model.recorder.repair_totals[0] / model.recorder.repair_totals[1])
            if model.recorder.repair_totals[1]
            else None
        ),
        "remedy_adoption": {
            name: float(((table.remedies[:n] & (1 << k)) > 0).mean()) if n else 0.0
            for k, name in enumerate(REMEDIES)
        },
    } | pipeline_summary(model.projects)


def _finite(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)
