"""Trials need patients: enrolment of a clinical stage's trial, month by month.

At entry to phase 1, 2 or 3, whose planned months ``D`` are drawn as for any stage, the
trial plans ``E = max(1, round(e_s * D))`` months of enrolment (``e_s`` =
``enrolment.enrolment_share``) and draws its own attainment ``u ~ Gamma(k, 1/k)``
(mean 1). Each month the project is paid for, while not fully enrolled, it enrols at

    rho = min(max_rate, site_attainment * (1 - w + w * c) * OR ** pi * u)

of the planned pace: ``c`` the team's best coverage of patient engagement (times the
role-ambiguity gaps of its partnership), ``w`` = ``capacity_weight``, ``OR`` =
``ppi_odds_ratio`` and ``pi`` the patient involvement (:func:`involvement`): 0 without a
patient or community partner (a member with patient-engagement capability of at least
``patient_partner_capability``: a patient advocacy group or community health provider),
1 when the stage's director is one, and otherwise the best mutual trust between the
director and a patient partner over ``ppi_reference_trust``: a trusted partner mobilises
its community, a distrusted one lends its name only. At the reference trust the rate
ratio is Crocker et al.'s 1.16; at full trust ``OR ** 2`` (1.35). The
trial gains ``rho / E`` of its enrolment and the stage stretches by ``1 - rho`` months
(shortens when ``rho > 1``), so a trial enrolling at ``rho`` takes ``E / rho`` months to
enrol and the stage ``E (1 / rho - 1)`` months longer than planned. A trial not fully
enrolled after ``overrun_cap * E`` months stops for poor accrual.
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.coverage import covered
from collab_sim.kernels.draws import ATTAINMENT_DRAW, keyed_gamma, mix
from collab_sim.kernels.jit import inlined
from collab_sim.kernels.rules.trust import perceived
from collab_sim.vocabulary import DOMAINS, STAGES

PHASE1 = STAGES.index("phase1")
PHASE3 = STAGES.index("phase3")
PATIENT_ENGAGEMENT = DOMAINS.index("patient_engagement")


@inlined
def begin_stage(projects, j, stage, months, enrolment) -> None:
    """Record the planned months of ``stage`` and, in phases 1-3, plan its enrolment.

    The trial's own pace (``attainment``) is a gamma draw tied to the project and stage.
    """
    projects.planned[j, stage] = months
    if stage >= PHASE1 and stage <= PHASE3:
        e = enrolment.enrolment_share[stage - PHASE1]
        projects.enrol_planned[j, stage - PHASE1] = max(1, int(np.round(e * months)))
        k = enrolment.attainment_shape
        projects.attainment[j] = keyed_gamma(
            mix(projects.key[j], ATTAINMENT_DRAW + stage), k, 1.0 / k
        )
        projects.enrolled[j] = 0.0
        projects.enrol_months[j] = 0
    else:
        projects.enrolled[j] = 1.0


@inlined
def involvement(team, n, director, capability, enrolment, memory, trust, sector, step) -> float:
    """Patient involvement ``pi`` of a team whose stage ``director`` directs (see above)."""
    pi = 0.0
    for k in range(n):
        m = team[k]
        if capability[m, PATIENT_ENGAGEMENT] < enrolment.patient_partner_capability:
            continue
        if m == director:
            pi = max(pi, 1.0)
            continue
        mutual = 0.5 * (
            perceived(memory, trust, sector, director, m, step)
            + perceived(memory, trust, sector, m, director, step)
        )
        pi = max(pi, mutual / enrolment.ppi_reference_trust)
    return pi


@inlined
def enrolment_rate(projects, j, team, n, capability, enrolment, threshold, gaps, pi) -> float:
    """This month's enrolment rate against plan, ``rho``, at patient involvement ``pi``."""
    c = 0.0
    for k in range(n):
        c = max(c, covered(capability[team[k], PATIENT_ENGAGEMENT], threshold))
    w = enrolment.capacity_weight
    odds_ratio = enrolment.ppi_odds_ratio**pi
    rho = enrolment.site_attainment * (1.0 - w + w * c * gaps) * odds_ratio * projects.attainment[j]
    return min(rho, enrolment.max_rate)


@inlined
def enrol_month(projects, j, stage, rho, enrolment) -> bool:
    """One month of enrolment at ``rho``; True if the trial must stop for poor accrual."""
    phase = stage - PHASE1
    planned = projects.enrol_planned[j, phase]
    projects.enrol_months[j] += 1
    projects.enrolled[j] += rho / planned
    projects.delay[j] += 1.0 - rho
    if projects.enrolled[j] >= 1.0:
        projects.enrolled[j] = 1.0
        projects.enrol_taken[j, phase] = projects.enrol_months[j]
        return False
    return projects.enrol_months[j] >= enrolment.overrun_cap * planned
