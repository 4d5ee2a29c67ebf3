"""Need-directed partner search: which project a searcher seeks a partner for, and fit."""

import numpy as np
import pytest

from collab_sim.kernels.needs import need_fit, need_stage
from collab_sim.vocabulary import DOMAINS, STAGES
from tests.helpers import world

PHASE1 = STAGES.index("phase1")
CLINICAL = DOMAINS.index("clinical_development")


def _with_project(w, i, stage):
    j = w.projects.count
    w.projects.count += 1
    w.projects.stage[j] = stage
    w.orgs.projects[i, 0] = j
    w.orgs.n_projects[i] = 1
    return j


def test_a_sponsor_lacking_what_its_stage_needs_searches_for_that_stage():
    w = world(2)
    p = w.params
    _with_project(w, 0, PHASE1)
    w.orgs.capability[0, :] = 1.0  # covers everything: no need
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering) == -1
    w.orgs.capability[0, CLINICAL] = 0.0  # phase 1 needs clinical development (0.6)
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering) == PHASE1
    assert need_stage(1, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering) == -1


def test_a_sponsor_that_may_not_direct_its_stage_always_has_a_need():
    w = world(2)
    p = w.params
    _with_project(w, 0, PHASE1)
    w.orgs.capability[0, :] = 1.0
    w.orgs.solo_last_stage[0] = PHASE1 - 1  # e.g. an academic institute past its limit
    assert need_stage(0, w.orgs.state(), w.projects.state(), p.pipeline, p.partnering) == PHASE1


def test_fit_is_the_share_of_the_gap_a_candidate_fills():
    w = world(3)
    needs, thr = w.params.pipeline.stage_needs, w.params.partnering.capability_threshold
    cap = np.full((3, len(DOMAINS)), thr)  # everyone covers everything ...
    cap[0, CLINICAL] = 0.0  # ... but the searcher lacks clinical development
    cap[2, CLINICAL] = thr / 2  # a candidate that covers half of it
    assert need_fit(0, 1, PHASE1, cap, needs, thr) == pytest.approx(1.0)
    assert need_fit(0, 2, PHASE1, cap, needs, thr) == pytest.approx(0.5)
    assert need_fit(1, 0, PHASE1, cap, needs, thr) == 0.0  # nothing missing, nothing to fill
