"""The deal types of the schema: what a partnership is formed to do, and for which stages.

A partnership carries one R&D project over a *scope* of stages set by its deal type (a
research collaboration over discovery and preclinical work, a licence from preclinical
work to approval, a recruitment partnership for one clinical phase, ...). Passing a stage
inside the scope is a milestone: a payment event, after which the deal goes on with the
next stage's budget; passing the scope's last stage completes the deal.

The types are data (``conf/deals/*.yaml``, the ``deals`` config group), tried in their
order: a new partnership gets the first type that fits it (see
:func:`collab_sim.kernels.deals.choose_deal`), and the last type must fit every
partnership (every stage, every sector), so every deal has a type.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab_sim.config.fields import list_default, param
from collab_sim.vocabulary import DEAL_KINDS, SECTORS, STAGES


@dataclass
class DealTypeConfig:
    """One deal type: its stage window, who may lead and join it, and its payment terms."""

    kind: str = param(
        "collaboration",
        choices=DEAL_KINDS,
        doc="what the deal is (licensing: the lead pays the licensor upfront and at milestones)",
    )
    first_stage: str = param("discovery", choices=STAGES, doc="earliest stage it is formed in")
    last_stage: str = param("review", choices=STAGES, doc="last stage it can carry a project")
    span: int = param(
        0, ge=0, le=len(STAGES), doc="stages it carries the project (0: through last_stage)"
    )
    lead_sectors: list[str] = param(
        factory=list_default(*SECTORS), choices=SECTORS, doc="sectors that may lead it"
    )
    partner_sectors: list[str] = param(
        factory=list_default(*SECTORS), choices=SECTORS, doc="sectors the other members may be"
    )
    min_members: int = param(2, ge=2, le=8, doc="fewest members")
    from_partner: bool = param(
        False, doc="the project must come from a member other than the lead (an in-licence)"
    )
    upfront_months: float = param(
        0.0, ge=0.0, le=120.0, doc="licensing: upfront payment, months of the stage's cost"
    )
    milestone_months: float = param(
        0.0,
        ge=0.0,
        le=120.0,
        doc="licensing: payment per milestone, months of the new stage's cost",
    )


@dataclass
class ContractingConfig:
    """Months from a partnership's formation to the start of its work (agreements signed).

    Kiriakis et al. 2013 (Clinical and Translational Science 6:279; 29 CTSA sites): median
    91 days from receipt to full execution of a clinical-trial agreement, mean 103 days;
    master agreements cut negotiation by 33 days, previously negotiated terms full
    execution by 22 days.
    """

    median_months: float = param(
        2.89,
        gt=0.0,
        le=60.0,
        source="fitted so the baseline's median contracting time is 91 days (3.0 months; "
        "Kiriakis et al. 2013)",
        doc="median months to sign a partnership's agreements (no data friction, no remedy)",
    )
    sigma: float = param(
        0.5,
        ge=0.0,
        le=3.0,
        source="Kiriakis et al. 2013: mean/median 103/91 days, sigma = sqrt(2 ln(103/91))",
        doc="lognormal sigma of contracting months",
    )
    data_slowdown: float = param(
        0.5,
        ge=0.0,
        le=10.0,
        doc="extra share of contracting time when every member pair's data regimes differ, "
        "at data friction 1 (data-sharing agreements)",
    )
    master_agreement_months: float = param(
        1.08,
        ge=0.0,
        le=60.0,
        source="Kiriakis et al. 2013: master agreements, -33 days (negotiation)",
        doc="months joint planning's master and data-sharing agreements save",
    )
    repeat_partner_months: float = param(
        0.72,
        ge=0.0,
        le=60.0,
        source="Kiriakis et al. 2013: previously negotiated terms, -22 days (full execution)",
        doc="months saved when the lead has worked with every other member before",
    )
    min_months: float = param(0.5, ge=0.0, le=60.0, doc="shortest median contracting time")
    restart_search_months: float = param(
        2.0,
        ge=0.0,
        le=60.0,
        doc="months a project whose deal broke inside its scope spends finding a way on "
        "(a new partner or a plan alone), before a new contracting time",
    )


@dataclass
class DealsConfig:
    """The deal types, in the order they are tried (filled from ``conf/deals``)."""

    types: dict[str, DealTypeConfig] = param(factory=dict, doc="deal types by name")
