"""How a stage turns out: its months, its chance of success, and discovery's milestones.

A stage of a project run by ``team`` (``n`` members; a partnership's, or the sponsor
alone) succeeds with probability

    logit p = logit(p_s) + b_C * (C - C_ref) + b_T * (T - T_ref) + r * [rare, s >= phase1]

(:func:`success_shift` is everything after ``logit(p_s)``). Discovery is three steps of
Paul et al. (2010): target to hit, hit to lead, lead optimisation. Its internal
milestones (``pipeline.discovery_milestone_months`` into the stage, scaled to its
planned months) are each passed with ``pipeline.discovery_milestone_success`` at the
same shift; the end of the stage then succeeds with ``p_0`` over their product, so the
stage as a whole succeeds with ``p_0`` for the reference team, as before, but most
failures come early.
A partnership running the project when it passes one has reached a milestone of its deal.
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.coverage import stage_coverage
from collab_sim.kernels.draws import DURATION_DRAW, MILESTONE_DRAW, keyed_gamma, keyed_uniform, mix
from collab_sim.kernels.jit import inlined
from collab_sim.kernels.rules.trust import perceived
from collab_sim.vocabulary import STAGES

PHASE1 = STAGES.index("phase1")
DISCOVERY = STAGES.index("discovery")


@inlined
def logit(p: float) -> float:
    """Log-odds of ``p`` (clipped away from 0 and 1)."""
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return np.log(p / (1.0 - p))


@inlined
def draw_months(key, stage, coverage, pipeline) -> int:
    """Months of ``stage`` for the project of ``key``: a gamma draw tied to the project."""
    mean = pipeline.stage_months[stage] * (1.0 + pipeline.coverage_on_duration * (1.0 - coverage))
    shape = pipeline.duration_shape
    draw = keyed_gamma(mix(key, DURATION_DRAW + stage), shape, mean / shape)
    return max(1, int(np.round(draw)))


@inlined
def mean_trust(team, n, memory, trust, sector, step, reference) -> float:
    """Mean perceived trust among the members of ``team`` (``reference`` for one)."""
    if n < 2:
        return reference
    total = 0.0
    for a in range(n):
        for b in range(n):
            if a != b:
                total += perceived(memory, trust, sector, team[a], team[b], step)
    return total / (n * (n - 1))


@inlined
def success_shift(team, n, stage, gaps, rare, capability, memory, trust, sector, step, params):
    """Log-odds added to ``logit(p_s)`` for this team: coverage, trust, rare disease.

    The team's coverage of the stage's needs is taken times the role-ambiguity ``gaps``.
    """
    pipeline = params.pipeline
    thr = params.partnering.capability_threshold
    cov = stage_coverage(team, n, stage, capability, pipeline.stage_needs, thr) * gaps
    t = mean_trust(team, n, memory, trust, sector, step, pipeline.reference_trust)
    shift = pipeline.coverage_effect * (cov - pipeline.reference_coverage)
    shift += pipeline.trust_effect * (t - pipeline.reference_trust)
    if rare and stage >= PHASE1:
        shift += pipeline.rare_disease_log_odds
    return shift


@inlined
def end_success(pipeline, stage) -> float:
    """Success probability of the end of ``stage`` for the reference team.

    Discovery's end is its last step (lead optimisation): ``p_0`` over the product of
    its internal milestones' success.
    """
    p = pipeline.stage_success[stage]
    if stage == DISCOVERY:
        for q in pipeline.discovery_milestone_success:
            p /= q
    return p


@inlined
def milestone_due(projects, j, step, pipeline) -> int:
    """Index of the discovery milestone project ``j`` reaches this month, or -1.

    Milestone ``k`` falls ``discovery_milestone_months[k]`` into a discovery of
    ``stage_months[discovery]`` months, scaled to the project's planned months: it is due
    once the months left are at most the rest of the stage after it. Delays before it
    move it.
    """
    k = projects.milestone[j]
    at = pipeline.discovery_milestone_months
    if projects.stage[j] != DISCOVERY or k >= at.size:
        return -1
    whole = pipeline.stage_months[DISCOVERY]
    left = projects.stage_end[j] - step
    if left * whole <= (whole - at[k]) * projects.planned[j, DISCOVERY]:
        return k
    return -1


@inlined
def passes_milestone(key, k, shift, pipeline) -> bool:
    """Does the project of ``key`` pass discovery milestone ``k`` at log-odds ``shift``?"""
    z = logit(pipeline.discovery_milestone_success[k]) + shift
    return keyed_uniform(mix(key, MILESTONE_DRAW + k)) < 1.0 / (1.0 + np.exp(-z))
