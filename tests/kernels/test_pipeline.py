"""Projects and stage transitions: the pipeline kernel on a model's hand-filled tables."""

import numpy as np
import pytest

import collab_sim
from collab_sim.kernels.pipeline import STOPPED
from collab_sim.outputs.tables import projects_frame
from collab_sim.vocabulary import DOMAINS, STAGES
from tests.helpers import add_projects, make_partnership, run_pipeline, small_model

PHASE2, PRECLINICAL = STAGES.index("phase2"), STAGES.index("preclinical")
PE = DOMAINS.index("patient_engagement")


@pytest.fixture
def model():
    return small_model()


def success_share(model, ids, stage):
    return float((model.projects.stage[ids] > stage).mean())


def test_team_lacking_a_needed_capability_does_worse_at_that_stage(model):
    cap = model.orgs.capability
    full, lacking = 3, 4  # two biotech SMEs, identical but for patient engagement
    cap[full] = 0.8
    cap[lacking] = 0.8
    cap[lacking, PE] = 0.0
    n = 3000
    trial_full = add_projects(model, full, -1, PHASE2, n)
    trial_lacking = add_projects(model, lacking, -1, PHASE2, n)
    lab_full = add_projects(model, full, -1, PRECLINICAL, n)
    lab_lacking = add_projects(model, lacking, -1, PRECLINICAL, n)
    order = np.arange(model.projects.count, dtype=np.int32)
    run_pipeline(model, 12345, 1, order)
    # phase 2 needs patient engagement (recruitment): the team without it does worse
    gap = success_share(model, trial_full, PHASE2) - success_share(model, trial_lacking, PHASE2)
    assert gap > 0.08
    # preclinical work does not need it: no difference beyond noise (sd ~ 0.012)
    lab_gap = success_share(model, lab_full, PRECLINICAL) - success_share(
        model, lab_lacking, PRECLINICAL
    )
    assert abs(lab_gap) < 0.04


def test_higher_trust_does_better_all_else_equal(model):
    cap = model.orgs.capability
    a, b, c, d = 3, 4, 5, 6
    cap[[a, b, c, d]] = 0.6
    trusting = make_partnership(model, [a, b], 0.9)
    wary = make_partnership(model, [c, d], 0.1)
    n = 3000
    ids_trusting = add_projects(model, a, trusting, PHASE2, n)
    ids_wary = add_projects(model, c, wary, PHASE2, n)
    run_pipeline(model, 777, 1, np.arange(model.projects.count, dtype=np.int32))
    assert (
        success_share(model, ids_trusting, PHASE2) > success_share(model, ids_wary, PHASE2) + 0.08
    )


def test_lower_coverage_takes_longer(model):
    cap = model.orgs.capability
    cap[3] = 0.8
    cap[4] = 0.1
    fast = add_projects(model, 3, -1, PRECLINICAL, 4000)
    slow = add_projects(model, 4, -1, PRECLINICAL, 4000)
    run_pipeline(model, 99, 1, np.arange(model.projects.count, dtype=np.int32))
    pr = model.projects
    passed_fast = fast[pr.stage[fast] > PRECLINICAL]
    passed_slow = slow[pr.stage[slow] > PRECLINICAL]
    assert pr.stage_end[passed_slow].mean() > 1.2 * pr.stage_end[passed_fast].mean()


def test_orphan_project_is_carried_by_a_member_who_can_or_stops(model):
    orgs = model.orgs
    rich, poor, broke_a, broke_b = 3, 4, 5, 6
    orgs.resources[[poor, broke_a, broke_b]] = 0.0
    carried = make_partnership(model, [poor, rich], 0.5)  # the lead cannot carry it
    lost = make_partnership(model, [broke_a, broke_b], 0.5)
    ids = np.concatenate([
        add_projects(model, poor, carried, PHASE2, 1, step=50),
        add_projects(model, broke_a, lost, PHASE2, 1, step=50),
    ])  # fmt: skip
    model.partnerships.is_active[[carried, lost]] = False  # both partnerships dissolved
    run_pipeline(model, 5, 1, ids)
    pr = model.projects
    assert pr.sponsor[ids[0]] == rich and pr.handovers[ids[0]] == 1
    assert pr.partnership[ids[0]] == -1 and pr.outcome[ids[0]] == 0
    assert ids[0] in orgs.projects[rich]
    assert pr.outcome[ids[1]] == STOPPED
    frame = projects_frame(pr, orgs.sector, model.partnerships)
    assert frame.stopped_because[ids[1]] == "no_member_could_carry_it"
    assert frame.stopped_because[ids[0]] == ""


def test_baseline_pipeline_outputs(baseline):
    s = baseline.summary
    for key in ("approvals", "projects_started", "loa_phase1", "mean_months_phase1_to_approval",
                "cost_per_approval", "patient_reach"):  # fmt: skip
        assert s[key] is not None and s[key] > 0, key
    assert set(s["phase_transition_rates"]) == {
        "phase1_to_phase2", "phase2_to_phase3", "phase3_to_submission", "submission_to_approval",
    }  # fmt: skip
    projects = baseline.projects
    approved = projects[projects.outcome == "approved"]
    assert len(approved) == s["approvals"]
    assert (approved.stage_reached == "approved").all()
    assert (approved.entered_approved >= approved.entered_review).all()
    assert (projects.handovers > 0).any()  # some projects outlive their partnership
    assert (projects.outcome == "stopped").any()
    assert s["patient_reach"] <= s["approvals"]
    ts = baseline.timeseries
    assert ts.approvals.sum() == s["approvals"]
    assert (ts[[f"candidates_{stage}" for stage in STAGES]].iloc[-1].tolist()
            == list(s["candidates_by_stage"].values()))  # fmt: skip


def test_rare_disease_projects_reach_approval_more_often():
    runs = [collab_sim.run(seed=s) for s in range(4)]
    rare = np.mean([r.summary["loa_phase1_rare_disease"] for r in runs])
    other = np.mean([r.summary["loa_phase1_other"] for r in runs])
    assert rare > 1.5 * other
