"""Need-directed partner search: which project a searcher seeks a partner for, and fit."""

import numpy as np
import pytest

from collab_sim.kernels.needs import need_fit, need_stage
from collab_sim.vocabulary import DOMAINS, STAGES
from tests.helpers import world

PHASE1 = STAGES.index("phase1")
CLINICAL = DOMAINS.index("clinical_development")
PATIENT = DOMAINS.index("patient_engagement")


def _with_project(w, i, stage, ends=100):
    j = w.projects.count
    w.projects.count += 1
    w.projects.stage[j] = stage
    w.projects.stage_end[j] = ends
    w.orgs.projects[i, 0] = j
    w.orgs.n_projects[i] = 1
    return j


def test_a_sponsor_lacking_what_its_stage_needs_searches_for_that_stage():
    w = world(2)
    p = w.params
    _with_project(w, 0, PHASE1)
    w.orgs.capability[0, :] = 1.0  # covers everything: no need
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering, 0) == -1
    w.orgs.capability[0, CLINICAL] = 0.0  # phase 1 needs clinical development (0.6)
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering, 0) == PHASE1
    assert need_stage(1, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering, 0) == -1


def test_a_sponsor_that_may_not_direct_its_stage_always_has_a_need():
    w = world(2)
    p = w.params
    _with_project(w, 0, PHASE1)
    w.orgs.capability[0, :] = 1.0
    w.orgs.solo_last_stage[0] = PHASE1 - 1  # e.g. an academic institute past its limit
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering, 0) == PHASE1


def test_a_stage_ending_within_the_lookahead_is_judged_on_the_next_stage():
    w = world(2)
    p = w.params
    _with_project(w, 0, PHASE1, ends=40)
    w.orgs.capability[0, :] = 1.0
    w.orgs.capability[0, PATIENT] = 0.0  # phase 1 needs 0.1 of it, phase 2 0.3
    lookahead = p.partnering.lookahead_months
    assert lookahead > 0

    def need(step, partnering=p.partnering):
        return need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, partnering, step)

    assert need(40 - lookahead) == PHASE1  # the stage ends too far off: its own need
    assert need(40 - lookahead + 1) == PHASE1 + 1  # within the lookahead: the next stage
    assert need(39, p.partnering._replace(lookahead_months=0)) == PHASE1
    w.projects.stage[0] = STAGES.index("review")  # no patient need, and nothing after it
    assert need(39) == -1


def test_fit_is_the_share_of_the_gap_a_candidate_fills():
    w = world(3)
    needs, thr = w.params.pipeline.stage_needs, w.params.partnering.capability_threshold
    cap = np.full((3, len(DOMAINS)), thr)  # everyone covers everything ...
    cap[0, CLINICAL] = 0.0  # ... but the searcher lacks clinical development
    cap[2, CLINICAL] = thr / 2  # a candidate that covers half of it
    assert need_fit(0, 1, PHASE1, cap, needs, thr) == pytest.approx(1.0)
    assert need_fit(0, 2, PHASE1, cap, needs, thr) == pytest.approx(0.5)
    assert need_fit(1, 0, PHASE1, cap, needs, thr) == 0.0  # nothing missing, nothing to fill
