"""Trials need patients: enrolment of a clinical stage's trial, month by month.

At entry to phase 1, 2 or 3, whose planned months ``D`` are drawn as for any stage, the
trial plans ``E = max(1, round(e_s * D))`` months of enrolment (``e_s`` =
``enrolment.enrolment_share``) and draws its own attainment ``u ~ Gamma(k, 1/k)``
(mean 1). Each month the project is paid for, while not fully enrolled, it enrols at

    rho = min(max_rate, site_attainment * (1 - w + w * c) * OR ** pi * u)

of the planned pace: ``c`` the team's best coverage of patient engagement (times the
role-ambiguity gaps of its partnership), ``w`` = ``capacity_weight``, ``pi`` 1 when a
member has patient-engagement capability of at least ``patient_partner_capability`` (a
patient advocacy group or community health provider), ``OR`` = ``ppi_odds_ratio``. The
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
def enrolment_rate(projects, j, team, n, capability, enrolment, threshold, gaps) -> float:
    """This month's enrolment rate against plan, ``rho`` (see module docstring)."""
    c = 0.0
    patient_partner = False
    for k in range(n):
        pe = capability[team[k], PATIENT_ENGAGEMENT]
        c = max(c, covered(pe, threshold))
        if pe >= enrolment.patient_partner_capability:
            patient_partner = True
    w = enrolment.capacity_weight
    # OR ** pi with pi 0 or 1, without a call of pow (which gives these same bits)
    odds_ratio = enrolment.ppi_odds_ratio if patient_partner else 1.0
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
