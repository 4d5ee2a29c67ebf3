"""How a stage turns out: discovery's internal milestones, on hand-filled tables.

Coverage and trust effects are switched off, so every project has the reference team's
chances and a share is a binomial proportion: n = 4000 projects give a standard error of
at most 0.008, and each share is held to its published value within 4 standard errors.
"""

import numpy as np
import pytest

from collab_sim.kernels.pipeline import FAILED_OUTCOME
from collab_sim.kernels.stage_outcome import end_success
from collab_sim.vocabulary import END_CAUSES, STAGES
from tests.helpers import add_projects, make_partnership, run_pipeline, small_model

DISCOVERY, PRECLINICAL = STAGES.index("discovery"), STAGES.index("preclinical")
N = 4000
NEUTRAL = {"pipeline.coverage_effect": 0.0, "pipeline.trust_effect": 0.0}


def _within(share, p, n):
    return abs(share - p) <= 4 * np.sqrt(p * (1 - p) / n)


def _discovery_projects(model, n):
    """``n`` discovery projects of one biotech, planned for exactly 54 months from month 0."""
    return add_projects(model, 3, -1, DISCOVERY, n, step=54)


def test_the_end_of_discovery_is_lead_optimisation_after_the_hit_and_the_lead():
    params = small_model().params.pipeline
    assert end_success(params, DISCOVERY) == pytest.approx(0.51 / (0.8 * 0.75))  # 0.85
    assert end_success(params, PRECLINICAL) == params.stage_success[PRECLINICAL]


def test_discovery_fails_at_its_milestones_with_paul_et_al_s_rates():
    model = small_model(**NEUTRAL)
    ids = _discovery_projects(model, N)
    order = np.arange(model.projects.count, dtype=np.int32)
    failed_by = {}
    for step in range(1, 55):
        run_pipeline(model, step, step, order)
        failed_by[step] = float((model.projects.outcome[ids] == FAILED_OUTCOME).mean())
    assert failed_by[11] == 0.0  # nothing is decided before the hit (month 12 of 54)
    assert _within(failed_by[12], 0.2, N)  # target to hit: 80% pass
    assert failed_by[29] == failed_by[12]
    reached_lead = 1 - failed_by[12]
    assert _within(1 - (1 - failed_by[30]) / reached_lead, 0.25, N * reached_lead)  # 75% pass
    assert failed_by[53] == failed_by[30]
    passed = float((model.projects.stage[ids] == PRECLINICAL).mean())
    assert _within(passed, 0.51, N)  # the whole stage, as in Paul et al.
    assert (model.projects.milestone[ids][model.projects.stage[ids] == PRECLINICAL] == 2).all()


def test_a_milestone_is_a_goal_of_the_partnership_that_carries_the_project_on():
    model = small_model(**NEUTRAL)
    parts = [make_partnership(model, [3, 4], 0.5) for _ in range(200)]
    ids = np.concatenate([add_projects(model, 3, p, DISCOVERY, 1, step=54) for p in parts])
    table = model.partnerships
    table.work_start[parts] = -1  # contracted long ago
    table.scope_last[parts] = PRECLINICAL
    order = np.arange(model.projects.count, dtype=np.int32)
    for step in range(1, 13):
        run_pipeline(model, step, step, order)
    passed = model.projects.milestone[ids] == 1
    assert 0.7 < passed.mean() < 0.9  # 80% of 200 (sd 0.028)
    assert table.goal_met[parts][passed].all() and (table.milestones[parts][passed] == 1).all()
    assert not table.goal_met[parts][~passed].any()
    failed = END_CAUSES.index("project_failed")
    assert (table.end_request[parts][~passed] == failed).all()  # the project failed: it ends
    assert (table.end_request[parts][passed] == 0).all()  # a milestone carries it on
