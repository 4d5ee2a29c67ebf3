"""Trial enrolment: the rate, the stretch it gives the stage, and poor accrual."""

import numpy as np
import pytest

from collab_sim.config.composition import make_config
from collab_sim.core.params import build_params
from collab_sim.core.projects import ProjectTable
from collab_sim.kernels.enrolment import begin_stage, enrol_month, enrolment_rate, involvement
from collab_sim.kernels.rules.trust import remember
from collab_sim.vocabulary import DOMAINS, STAGES

PE = DOMAINS.index("patient_engagement")
PHASE2 = STAGES.index("phase2")


@pytest.fixture
def setting():
    params = build_params(make_config())
    capability = np.full((3, len(DOMAINS)), 0.5)
    capability[1, PE] = 0.9  # a patient advocacy group
    capability[2, PE] = 0.69  # just below a patient partner
    projects = ProjectTable.empty(4)
    projects.attainment[0] = 1.0
    return params, capability, projects


def test_a_patient_partner_multiplies_the_rate_by_the_crocker_odds_ratio(setting):
    params, capability, projects = setting
    e, thr = params.enrolment, params.partnering.capability_threshold
    state = projects.state()
    team = np.array([0, 2], np.int32)
    alone = enrolment_rate(state, 0, team, 2, capability, e, thr, 1.0, 0.0)
    at_reference = enrolment_rate(state, 0, team, 2, capability, e, thr, 1.0, 1.0)
    cover = 0.69 / thr  # covers 0.69/0.7 of patient engagement
    base = e.site_attainment * (1 - e.capacity_weight + e.capacity_weight * cover)
    assert alone == pytest.approx(base)
    assert at_reference / alone == pytest.approx(1.16, rel=1e-12)


def _memory_with_trust(value: float):
    """A trust memory of three organisations in which 0 and 1 trust each other ``value``."""
    from collab_sim.core.trust_memory import TrustMemory

    cfg = make_config()
    memory = TrustMemory(3, cfg.trust, months=12)
    state = memory.state()
    sector = np.zeros(3, np.int8)
    remember(state, memory.params, sector, 0, 1, value, 0)
    remember(state, memory.params, sector, 1, 0, value, 0)
    return state, memory.params, sector


@pytest.mark.parametrize("trust", [0.0, 0.25, 0.5, 1.0])
def test_patient_involvement_is_the_directors_trust_in_its_patient_partner(setting, trust):
    params, capability, _ = setting
    memory, rule, sector = _memory_with_trust(trust)
    e = params.enrolment
    team = np.array([0, 1, 2], np.int32)  # 1 is a patient partner, 2 just below one
    pi = involvement(team, 3, 0, capability, e, memory, rule, sector, 0)
    assert pi == pytest.approx(trust / e.ppi_reference_trust)
    assert involvement(team, 3, 1, capability, e, memory, rule, sector, 0) == 1.0  # directs
    assert involvement(team[[0, 2]], 2, 0, capability, e, memory, rule, sector, 0) == 0.0


def test_a_trial_at_half_pace_takes_twice_its_enrolment_time_and_stretches_its_stage(setting):
    params, _, projects = setting
    state = projects.state()
    begin_stage(state, 0, PHASE2, 20, params.enrolment)
    planned = int(state.enrol_planned[0, 0 + 1])  # phase 2 is the second clinical phase
    assert planned == round(params.enrolment.enrolment_share[1] * 20) == 10
    months = 0
    while state.enrolled[0] < 1.0:
        assert not enrol_month(state, 0, PHASE2, 0.5, params.enrolment)
        months += 1
    assert months == 2 * planned and state.enrol_taken[0, 1] == months
    assert state.delay[0] == pytest.approx(planned * (1 / 0.5 - 1))


def test_a_trial_still_enrolling_at_the_overrun_cap_stops_for_poor_accrual(setting):
    params, _, projects = setting
    state = projects.state()
    begin_stage(state, 0, PHASE2, 20, params.enrolment)
    cap = params.enrolment.overrun_cap * state.enrol_planned[0, 1]
    stops = [enrol_month(state, 0, PHASE2, 0.2, params.enrolment) for _ in range(int(cap))]
    assert stops[-1] and not any(stops[:-1]) and state.enrolled[0] < 1.0


def test_stages_outside_the_clinic_need_no_enrolment(setting):
    params, _, projects = setting
    state = projects.state()
    begin_stage(state, 0, STAGES.index("review"), 12, params.enrolment)
    assert state.enrolled[0] == 1.0 and state.planned[0, STAGES.index("review")] == 12
