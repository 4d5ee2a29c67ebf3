"""Trial enrolment: the schema section ``enrolment`` (read by ``kernels/enrolment.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from collab_sim.config.fields import list_default, param


@dataclass
class EnrolmentConfig:
    """How fast a clinical stage's trial enrols patients, and when it stops for poor accrual.

    Tufts CSDD (2013, Impact Report 15(1)): 89% of trials meet their enrolment goals but
    take nearly twice as long as planned; 11% of sites enrol no patient and about half
    under-enrol. Crocker et al. (2018, BMJ 363:k4738): patient and public involvement
    raises the odds of enrolment, odds ratio 1.16 (95% CI 1.01-1.34).
    """

    enrolment_share: list[float] = param(
        factory=list_default(0.3, 0.5, 0.5),
        gt=0.0,
        le=1.0,
        length=3,
        doc="planned enrolment months as a share of the planned months of phases 1, 2, 3",
    )
    site_attainment: float = param(
        0.8,
        gt=0.0,
        le=2.0,
        source="Tufts CSDD 2013 site mix (11% of sites enrol none, about half under-enrol), "
        "at assumed per-site rates",
        doc="enrolment rate against plan of a team without patient-engagement gaps, before "
        "patient involvement",
    )
    attainment_shape: float = param(
        4.0, gt=0.0, le=100.0, doc="gamma shape of a trial's own attainment (mean 1)"
    )
    capacity_weight: float = param(
        0.5,
        ge=0.0,
        le=1.0,
        doc="share of the enrolment rate that scales with the team's patient-engagement coverage",
    )
    ppi_odds_ratio: float = param(
        1.16,
        ge=1.0,
        le=10.0,
        source="Crocker et al. 2018 (odds ratio of enrolment with patient and public "
        "involvement 1.16, 95% CI 1.01-1.34; applied as a rate ratio)",
        doc="enrolment rate multiplier of a patient or community partner at the reference "
        "trust (raised to the power trust / ppi_reference_trust)",
    )
    ppi_reference_trust: float = param(
        0.5,
        gt=0.0,
        le=1.0,
        source="assumed (the pipeline's reference trust); at full trust the multiplier is "
        "1.16 ** 2 = 1.35, the upper end of Crocker et al.'s CI",
        doc="mutual trust of a stage's director and its patient partner at which the partner "
        "gives ppi_odds_ratio",
    )
    patient_partner_capability: float = param(
        0.7,
        ge=0.0,
        le=1.0,
        doc="patient-engagement capability from which a team member counts as a patient or "
        "community partner",
    )
    overrun_cap: float = param(
        3.0,
        gt=1.0,
        le=20.0,
        doc="a trial still enrolling after this many times its planned enrolment months "
        "stops for poor accrual",
    )
    max_rate: float = param(1.5, gt=0.0, le=10.0, doc="fastest enrolment rate against plan")
