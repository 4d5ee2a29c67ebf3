"""The typed configuration schema: every key, its default, its allowed range and its source.

The schema is a tree of dataclasses under :class:`SimConfig`. Each field is declared with
:func:`param`, which puts its range or choices and the source of its default in the field's
metadata, so every rule about what a value may be sits next to the value's default;
:mod:`collab_sim.config.validation` checks them and raises :class:`ConfigError`.

The module needs the standard library and the vocabulary only, so the model's layers (the
kernels, the core) read their parameters from it without importing Hydra. Hydra sees the
schema through :mod:`collab_sim.config.composition`, which registers it with Hydra's
ConfigStore; Hydra (and OmegaConf under it) then checks types and unknown keys when YAML
files and command-line overrides are merged into it.

Every default names its source in the field metadata (``source=``), or says it is assumed.
``docs/parameters.md`` renders them as a table (``python -m collab_sim.config.paramtable``).
"""

from __future__ import annotations

from dataclasses import dataclass

from collab_sim.config.deals import ContractingConfig, DealsConfig
from collab_sim.config.fields import ASSUMED, ConfigError, list_default, param
from collab_sim.config.precision import PrecisionConfig
from collab_sim.config.trials import EnrolmentConfig
from collab_sim.vocabulary import (
    CULTURE_AXES,
    DATA_REGIMES,
    DOMAINS,
    FUNDING_RULES,
    OUTPUT_MODES,
    POWER_RULES,
    SECTORS,
    SEED_SCHEMES,
    STAGES,
    TRUST_RULES,
)

__all__ = ["ASSUMED", "ConfigError", "param"]

_list = list_default


# --------------------------------------------------------------------------- population


@dataclass
class OrgTypeConfig:
    """One subtype of organisation (e.g. large pharma) and how many there are."""

    sector: str = param("company", choices=SECTORS, doc="company, nonprofit or agency")
    count: int = param(
        0,
        ge=0,
        le=1_000_000,
        doc="number of organisations of this subtype (at most a million: about 3.6 GB of "
        "state, measured at 3.6 KB per organisation)",
    )
    capability: list[float] = param(
        factory=_list(0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
        ge=0.0,
        le=1.0,
        length=len(DOMAINS),
        doc="mean capability per domain (" + ", ".join(DOMAINS) + ")",
    )
    capability_sd: float = param(0.1, ge=0.0, le=1.0, doc="spread of capability around the mean")
    resources: float = param(10.0, gt=0.0, le=1e6, doc="median initial resources, $M")
    resources_sigma: float = param(0.5, ge=0.0, le=3.0, doc="lognormal sigma of resources")
    income: float = param(
        1.0, ge=0.0, le=1e4, doc="mean monthly income, $M (revenue, donations, budget)"
    )
    overhead: float = param(
        1.0, ge=0.0, le=1e4, doc="mean monthly running cost outside partnerships, $M"
    )
    income_volatility: float = param(0.2, ge=0.0, le=5.0, doc="sd of monthly income / mean")
    culture: list[float] = param(
        factory=_list(0.5, 0.5, 0.5),
        ge=0.0,
        le=1.0,
        length=len(CULTURE_AXES),
        doc="mean culture vector (" + ", ".join(CULTURE_AXES) + ")",
    )
    culture_sd: float = param(0.1, ge=0.0, le=1.0, doc="spread of culture around the mean")
    data_regime: str = param(
        "controlled",
        choices=DATA_REGIMES,
        doc="data-governance regime (read by data friction)",
    )
    horizon_months: float = param(
        36.0,
        gt=0.0,
        le=1200.0,
        doc="time horizon for judging returns (read by the transactional mindset)",
    )
    search_rate: float = param(0.05, ge=0.0, le=1.0, doc="monthly probability of seeking a partner")
    max_partnerships: int = param(3, ge=0, le=16, doc="active partnerships it can hold at once")
    partnership_cost: float = param(
        0.1, ge=0.0, le=1000.0, doc="monthly cost of its effort in one partnership, $M"
    )
    initial_projects: int = param(0, ge=0, le=64, doc="R&D projects it runs alone at the start")
    project_start_rate: float = param(
        0.0, ge=0.0, le=1.0, doc="monthly probability of starting a discovery project alone"
    )
    max_projects: int = param(2, ge=0, le=64, doc="projects it can run alone at once")
    solo_last_stage: str = param(
        "review",
        choices=STAGES,
        doc="last stage it may direct a project through (alone or as a partnership's lead); "
        "later stages need a partner who may (academic institutes: phase2, Takebe, Imai and "
        "Ono 2018)",
    )


@dataclass
class PopulationConfig:
    """The organisations of the ecosystem, by subtype (filled from ``conf/population``)."""

    types: dict[str, OrgTypeConfig] = param(factory=dict, doc="subtypes by name")


# --------------------------------------------------------------------------- rule families


@dataclass
class SectorPairTrust:
    """Baseline trust between sectors: the level trust starts at and decays back to."""

    company_company: float = param(0.45, ge=0.0, le=1.0, doc="baseline trust between companies")
    company_nonprofit: float = param(0.40, ge=0.0, le=1.0, doc="company-nonprofit baseline trust")
    company_agency: float = param(0.45, ge=0.0, le=1.0, doc="company-agency baseline trust")
    nonprofit_nonprofit: float = param(0.55, ge=0.0, le=1.0, doc="nonprofit-nonprofit baseline")
    nonprofit_agency: float = param(0.50, ge=0.0, le=1.0, doc="nonprofit-agency baseline trust")
    agency_agency: float = param(0.55, ge=0.0, le=1.0, doc="baseline trust between agencies")


@dataclass
class ExperienceTrustParams:
    """Experience-based trust: slow to build, fast to lose, decaying toward a baseline."""

    gain: float = param(
        0.04,
        ge=0.0,
        le=1.0,
        source="assumed; gain < loss follows the asymmetry principle (Slovic 1993)",
        doc="share of the gap to 1 closed by a good month together",
    )
    loss: float = param(
        0.15,
        ge=0.0,
        le=1.0,
        source="assumed; loss > gain (Slovic 1993, Risk Analysis 13:675)",
        doc="share of trust lost after a setback",
    )
    decay: float = param(0.02, ge=0.0, le=1.0, doc="monthly pull of trust back toward the baseline")
    completion_bonus: float = param(0.15, ge=0.0, le=1.0, doc="gain after a completed partnership")


@dataclass
class TrustConfig:
    """Trust rule family (config group ``trust``)."""

    rule: str = param("experience", choices=TRUST_RULES, doc="which trust rule runs")
    baseline: SectorPairTrust = param(factory=SectorPairTrust, doc="sector-pair baseline trust")
    memory_slots: int = param(16, ge=1, le=256, doc="remembered partners per organisation")
    experience: ExperienceTrustParams = param(factory=ExperienceTrustParams)
    reputation_weight: float = param(
        0.5, ge=0.0, le=1.0, doc="reputation rule: weight of the public record against experience"
    )
    structural_weight: float = param(
        0.5, ge=0.0, le=1.0, doc="structural rule: pull toward trust through common partners"
    )


@dataclass
class SubcontractParams:
    """Subcontract funding: the lead pays the other members' costs, late."""

    payment_delay_months: int = param(
        3,
        ge=0,
        le=60,
        source="assumed; typical 60-90 day invoice terms plus set-up",
        doc="months before a member is reimbursed for a month of work",
    )
    overhead_rate: float = param(0.15, ge=0.0, le=2.0, doc="indirect-cost rate added to costs")
    budget_buffer: float = param(0.8, ge=0.0, le=5.0, doc="lead's budget above the planned cost")
    max_commit_share: float = param(0.5, gt=0.0, le=1.0, doc="most of its resources a lead commits")
    min_commit_share: float = param(0.75, ge=0.0, le=1.0, doc="least budget/plan a lead accepts")
    agency_grant_share: float = param(
        0.5, ge=0.0, le=1.0, doc="share of the plan an agency member funds"
    )


@dataclass
class MicrograntParams:
    """Microgrants: small, fast agency grants that pay nonprofits' partnership costs."""

    monthly_budget: float = param(
        1.0,
        ge=0.0,
        le=100.0,
        doc="$M a month agencies put into the microgrant pot (from their budgets)",
    )
    max_grant: float = param(
        0.1, ge=0.0, le=10.0, doc="largest monthly grant to one nonprofit member, $M"
    )


@dataclass
class PooledFundParams:
    """Pooled fund: members pay into a shared pot that an admin hub runs."""

    admin_fee_rate: float = param(0.05, ge=0.0, le=1.0, doc="hub's fee on every payment")
    max_share_of_resources: float = param(
        0.3, gt=0.0, le=1.0, doc="most of its resources a member pays into the pot"
    )


@dataclass
class MatchingParams:
    """Matching grants: agencies match the lead's budget for cross-sector partnerships."""

    match_ratio: float = param(1.0, ge=0.0, le=10.0, doc="agency $ per $ the lead commits")
    program_budget: float = param(
        300.0,
        ge=0.0,
        le=100_000.0,
        doc="finite matching programme, $M, from agencies' budgets at the start",
    )


@dataclass
class FundingConfig:
    """Funding rule family (config group ``funding``)."""

    rule: str = param("subcontract", choices=FUNDING_RULES, doc="which funding rule runs")
    subcontract: SubcontractParams = param(factory=SubcontractParams)
    microgrants: MicrograntParams = param(factory=MicrograntParams)
    pooled_fund: PooledFundParams = param(factory=PooledFundParams)
    matching: MatchingParams = param(factory=MatchingParams)


@dataclass
class PowerConfig:
    """Power rule family (config group ``power``): who holds power in a partnership.

    The power share is what value and credit follow to the extent of
    ``bottlenecks.power_imbalance``; the rest follows contribution.
    """

    rule: str = param("resource_weighted", choices=POWER_RULES, doc="which power rule runs")
    resource_exponent: float = param(
        1.0, ge=0.0, le=5.0, doc="resource_weighted: share proportional to resources**exponent"
    )


# --------------------------------------------------------------------------- processes


@dataclass
class BottlenecksConfig:
    """Strength of each bottleneck mechanism, 0 (off) to 1 (full), and its effect sizes."""

    role_ambiguity: float = param(
        0.5, ge=0.0, le=1.0, doc="unclear roles: slower work, capability gaps and redundancy"
    )
    cultural_mismatch: float = param(
        0.5, ge=0.0, le=1.0, doc="culture distance between partners raises conflict"
    )
    data_friction: float = param(
        0.5, ge=0.0, le=1.0, doc="incompatible data regimes slow clinical stages"
    )
    transactional_mindset: float = param(
        0.5, ge=0.0, le=1.0, doc="short-horizon partners exit on poor returns, build no trust"
    )
    power_imbalance: float = param(
        0.5, ge=0.0, le=1.0, doc="how far value and credit follow power rather than contribution"
    )
    ambiguity_slowdown: float = param(
        0.3, ge=0.0, le=5.0, doc="extra work time at full ambiguity (share of planned time)"
    )
    ambiguity_gaps: float = param(
        0.2, ge=0.0, le=1.0, doc="share of capability coverage lost to gaps at full ambiguity"
    )
    conflict_rate: float = param(
        0.1, ge=0.0, le=1.0, doc="monthly conflict chance at full strength and culture distance"
    )
    conflict_exit: float = param(
        0.5, ge=0.0, le=1.0, doc="chance a conflict ends the partnership, times (1 - trust)"
    )
    data_slowdown: float = param(
        0.5, ge=0.0, le=5.0, doc="extra clinical stage time when every pair's regimes differ"
    )
    transactional_horizon: float = param(
        60.0,
        gt=0.0,
        le=1200.0,
        doc="horizon (months) from which an organisation is not transactional",
    )
    transactional_exit: float = param(
        0.05, ge=0.0, le=1.0, doc="monthly exit chance of a fully transactional member let down"
    )
    return_expectation: float = param(
        0.4, ge=0.0, le=5.0, doc="recent returns / planned returns below which members are let down"
    )


@dataclass
class RemediesConfig:
    """Adoption share of each readiness remedy (share of new partnerships), and its costs."""

    joint_planning: float = param(
        0.0, ge=0.0, le=1.0, doc="joint planning and onboarding (roles, culture, data agreements)"
    )
    co_credit: float = param(
        0.0, ge=0.0, le=1.0, doc="co-branded credit: value and credit split by contribution"
    )
    partnership_managers: float = param(
        0.0, ge=0.0, le=1.0, doc="dedicated partnership managers (boundary spanners)"
    )
    learning_loops: float = param(
        0.0, ge=0.0, le=1.0, doc="joint learning loops: reflection after setbacks"
    )
    planning_efficacy: float = param(
        0.6, ge=0.0, le=1.0, doc="share of ambiguity, cultural and data friction planning removes"
    )
    onboarding_months: int = param(2, ge=0, le=24, doc="months of set-up before work starts")
    onboarding_cost_share: float = param(
        0.05, ge=0.0, le=1.0, doc="set-up cost as a share of the partnership's initial budget"
    )
    manager_conflict_reduction: float = param(
        0.6, ge=0.0, le=1.0, doc="share of conflicts a partnership manager prevents"
    )
    manager_trust_repair: float = param(
        0.5, ge=0.0, le=5.0, doc="extra trust gain per good month with a manager"
    )
    manager_cost_share: float = param(
        0.1, ge=0.0, le=2.0, doc="manager's salary as a share of the members' monthly costs"
    )
    manager_break_reduction: float = param(
        0.67,
        ge=0.0,
        le=0.95,
        source="fitted to Kale, Dyer and Singh 2002 (63% of alliances succeed with a "
        "dedicated alliance function, against 50%: +13 points of goal share); 0.67 gives "
        "+13.1 on paired seeds 1000-1059 (docs/ODD.md 7.13.3)",
        doc="share of the break chances (failure, conflict exit, transactional exit) a "
        "partnership manager prevents",
    )
    manager_renegotiation: float = param(
        1.0,
        ge=0.0,
        le=1.0,
        source="assumed (Dyer, Kale and Singh 2001: the alliance function renegotiates and "
        "restructures alliances whose terms no longer work)",
        doc="chance a partnership manager renegotiates a budget its partners cannot meet: "
        "the lead commits a shortest plan's budget instead of the partnership ending",
    )
    learning_trust_repair: float = param(
        0.5, ge=0.0, le=5.0, doc="extra trust gain per good month with learning loops"
    )
    learning_horizon_gain: float = param(
        0.5, ge=0.0, le=1.0, doc="share of transactional behaviour learning loops remove"
    )
    learning_time_cost: float = param(
        0.05, ge=0.0, le=1.0, doc="share of working time spent in joint reflection"
    )


@dataclass
class PartneringConfig:
    """Candidate search, evaluation, proposal and acceptance."""

    past_partner_candidates: int = param(2, ge=0, le=16, doc="past partners considered per search")
    partner_of_partner_candidates: int = param(
        2, ge=0, le=16, doc="partners of partners considered"
    )
    random_candidates: int = param(4, ge=0, le=64, doc="strangers considered per search")
    weight_complementarity: float = param(
        1.0, ge=0.0, le=10.0, doc="score weight of capabilities gained"
    )
    weight_trust: float = param(1.0, ge=0.0, le=10.0, doc="score weight of trust in the candidate")
    weight_culture: float = param(
        0.5, ge=0.0, le=10.0, doc="score penalty per unit of culture distance"
    )
    score_noise: float = param(0.1, ge=0.0, le=10.0, doc="sd of idiosyncratic noise in evaluations")
    propose_threshold: float = param(0.0, ge=-10.0, le=10.0, doc="least score worth a proposal")
    accept_threshold: float = param(
        0.0, ge=-10.0, le=10.0, doc="least score at which a proposal is accepted"
    )
    consortium_probability: float = param(
        0.25, ge=0.0, le=1.0, doc="chance a search aims at a consortium rather than a deal"
    )
    max_members: int = param(4, ge=2, le=8, doc="largest consortium")
    min_gap: float = param(
        0.05,
        ge=0.0,
        le=1.0,
        doc="share of its project's stage need an organisation lacks before it seeks a partner "
        "for that need (search and evaluation then weigh what the stage needs)",
    )
    need_search_rate: float = param(
        0.25, ge=0.0, le=1.0, doc="monthly chance of seeking a partner for such a project"
    )
    lookahead_months: int = param(
        6,
        ge=0,
        le=60,
        doc="months before a stage's planned end from which the search is for the next "
        "stage's need (about two contracting medians; 0: the current stage only)",
    )
    min_reserve: float = param(
        0.0, ge=-1000.0, le=1000.0, doc="resources below which an organisation does not search"
    )
    capability_threshold: float = param(
        0.7, gt=0.0, le=1.0, doc="capability at which an organisation fully covers a domain"
    )


@dataclass
class CollaborationConfig:
    """The monthly work of a partnership, its value and its members' satisfaction."""

    duration_min_months: int = param(12, ge=1, le=600, doc="shortest planned partnership")
    duration_max_months: int = param(60, ge=1, le=600, doc="longest planned partnership")
    good_month_probability: float = param(
        0.97, ge=0.0, le=1.0, doc="chance of a good month, full team"
    )
    failure_hazard: float = param(0.002, ge=0.0, le=1.0, doc="monthly failure chance, full team")
    coverage_on_good_months: float = param(
        0.3, ge=0.0, le=1.0, doc="drop in good-month chance at zero capability coverage"
    )
    trust_on_good_months: float = param(
        0.1, ge=0.0, le=1.0, doc="drop in good-month chance at zero trust"
    )
    coverage_on_speed: float = param(0.3, ge=0.0, le=1.0, doc="drop in progress at zero coverage")
    coverage_on_failure: float = param(
        1.0, ge=0.0, le=10.0, doc="rise in failure hazard at zero coverage (multiple)"
    )
    trust_on_failure: float = param(
        1.0, ge=0.0, le=10.0, doc="rise in failure hazard at zero trust (multiple)"
    )
    value_multiple: float = param(1.6, ge=0.0, le=100.0, doc="value created / planned cost")
    milestone_share: float = param(0.3, ge=0.0, le=1.0, doc="share of value paid as work goes")
    initial_satisfaction: float = param(0.7, ge=0.0, le=1.0, doc="members' satisfaction at start")
    satisfaction_rate: float = param(
        0.15, ge=0.0, le=1.0, doc="monthly learning rate of satisfaction"
    )
    satisfaction_weight_progress: float = param(0.55, ge=0.0, le=1.0, doc="weight of a good month")
    satisfaction_weight_fairness: float = param(
        0.25, ge=0.0, le=1.0, doc="weight of fair value share"
    )
    satisfaction_weight_trust: float = param(0.2, ge=0.0, le=1.0, doc="weight of trust in partners")
    exit_threshold: float = param(
        0.48, ge=0.0, le=1.0, doc="satisfaction below which a member leaves"
    )
    unfair_ratio: float = param(
        0.6,
        ge=0.0,
        le=1.0,
        doc="value share / contribution share below which a member feels exploited",
    )


def _stage_needs() -> list[list[float]]:
    # rows: STAGES; columns: DOMAINS. What each stage needs (assumed, from the stage
    # descriptions: discovery science early; trials need clinical development and patient
    # engagement/recruitment; phase 3 and launch need manufacturing; review needs
    # regulatory science).
    return [
        [0.8, 0.0, 0.0, 0.0, 0.2, 0.0],
        [0.6, 0.1, 0.1, 0.0, 0.0, 0.2],
        [0.1, 0.6, 0.0, 0.1, 0.0, 0.2],
        [0.0, 0.5, 0.0, 0.3, 0.2, 0.0],
        [0.0, 0.4, 0.2, 0.3, 0.1, 0.0],
        [0.0, 0.0, 0.3, 0.0, 0.0, 0.7],
    ]


@dataclass
class PipelineConfig:
    """R&D projects moving through the stages of ``STAGES``, then approval."""

    stage_success: list[float] = param(
        factory=_list(0.51, 0.69, 0.5578, 0.2363, 0.6702, 0.8851),
        gt=0.0,
        le=1.0,
        length=len(STAGES),
        source="discovery, preclinical: Paul et al. 2010 (Nat Rev Drug Discov 9:203); "
        "phases 1-3 and review: fitted (collab-sim-calibrate --fit 5 --replicates 80 "
        "--seed 1000, then --fit 3 --replicates 160) so the baseline reproduces "
        "BIO/Informa/QLS 2011-2020",
        doc="success probability of each stage for the reference team",
    )
    discovery_milestone_months: list[float] = param(
        factory=_list(12.0, 30.0),
        gt=0.0,
        le=600.0,
        length=2,
        source="Paul et al. 2010 (Nat Rev Drug Discov 9:203): target to hit 1 y, hit to lead "
        "1.5 y, lead optimisation 2 y of discovery's 4.5 y",
        doc="months into a discovery stage of stage_months[discovery] months at which its "
        "internal milestones (hit, lead) fall; a stage drawn longer or shorter scales them",
    )
    discovery_milestone_success: list[float] = param(
        factory=_list(0.8, 0.75),
        gt=0.0,
        le=1.0,
        length=2,
        source="Paul et al. 2010: target to hit 80%, hit to lead 75% (lead optimisation, "
        "85%, is the rest of stage_success[discovery])",
        doc="chance of passing each of discovery's internal milestones, reference team",
    )
    stage_months: list[float] = param(
        factory=_list(54.0, 12.0, 15.75, 24.28, 23.41, 12.51),
        gt=0.0,
        le=600.0,
        length=len(STAGES),
        source="discovery 4.5 y, preclinical 1 y: Paul et al. 2010; phases 1-3, review: "
        "fitted (as stage_success) to BIO/Informa/QLS 2011-2020 (2.3, 3.6, 3.3, 1.3 y)",
        doc="mean months in each stage for a team that covers all its needs",
    )
    stage_cost: list[float] = param(
        factory=_list(0.1, 0.4, 0.92, 1.36, 6.45, 0.2),
        ge=0.0,
        le=1000.0,
        length=len(STAGES),
        source="phases 1-3: DiMasi, Grabowski and Hansen 2016 (J Health Econ 47:20), $25.3M, "
        "$58.6M, $255.4M per compound over the BIO durations; other stages assumed",
        doc="monthly cost of a project in each stage, $M",
    )
    stage_needs: list[list[float]] = param(
        factory=_stage_needs,
        ge=0.0,
        le=1.0,
        doc="capability each stage needs, one row per stage over DOMAINS",
    )
    duration_shape: float = param(4.0, gt=0.0, le=100.0, doc="gamma shape of stage durations")
    coverage_effect: float = param(
        2.0, ge=0.0, le=20.0, doc="log-odds of stage success per unit of capability coverage"
    )
    trust_effect: float = param(
        2.0, ge=0.0, le=20.0, doc="log-odds of stage success per unit of mean trust"
    )
    coverage_on_duration: float = param(
        0.5, ge=0.0, le=5.0, doc="extra share of stage time at zero coverage"
    )
    reference_coverage: float = param(0.8, ge=0.0, le=1.0, doc="coverage of the reference team")
    reference_trust: float = param(
        0.5, ge=0.0, le=1.0, doc="trust of the reference team; projects run alone use it"
    )
    rare_disease_share: float = param(
        0.25, ge=0.0, le=1.0, doc="share of new projects aimed at rare diseases"
    )
    rare_disease_log_odds: float = param(
        0.9438,
        ge=-10.0,
        le=10.0,
        source="fitted (as stage_success) so rare-disease LOA from phase 1 is 17.0% "
        "(BIO/Informa/QLS 2011-2020)",
        doc="log-odds added to phase 1-3 and review success of rare-disease projects",
    )
    initial_stage_shares: list[float] = param(
        factory=_list(0.35, 0.15, 0.2, 0.15, 0.1, 0.05),
        ge=0.0,
        le=1.0,
        length=len(STAGES),
        doc="stage mix of the projects that exist at the start",
    )
    carry_months: float = param(
        6.0, ge=0.0, le=600.0, doc="months of stage cost a member needs to carry on a project"
    )
    max_stall_months: int = param(
        12, ge=0, le=600, doc="months in a row a project can wait for money before it stops"
    )
    licence_wait_months: int = param(
        24,
        ge=0,
        le=600,
        doc="months a project whose sponsor may not direct its stage waits for a partner who "
        "may, before it stops (no_licensee)",
    )


SENSITIVITY_METHODS = ("sobol", "morris")


@dataclass
class SensitivityConfig:
    """A global sensitivity analysis (SALib): the design, its chunks and the outputs.

    Set by ``conf/experiment/sensitivity.yaml``; absent (``None``) in ordinary runs. Every
    job of the sweep builds the same design from ``method``, ``samples``, ``design_seed`` and
    ``parameters`` and runs the points of its ``chunk`` (see
    :mod:`collab_sim.sweeps.sensitivity`).
    """

    method: str = param("sobol", choices=SENSITIVITY_METHODS, doc="SALib design and analysis")
    samples: int = param(
        32,
        ge=1,
        le=1_000_000,
        doc="base samples N: Sobol runs N x (D + 2) points, Morris N x (D + 1) (D parameters)",
    )
    chunks: int = param(8, ge=1, le=100_000, doc="jobs the points are split into")
    chunk: int = param(0, ge=0, le=100_000, doc="the chunk this job runs (swept 0..chunks-1)")
    design_seed: int = param(0, ge=0, le=2**32 - 1, doc="seed of the design (the runs use `seed`)")
    parameters: dict[str, list[float]] = param(
        factory=dict, doc="dotted config key -> [low, high], varied uniformly"
    )
    outputs: list[str] = param(
        factory=_list(), doc="summary.json scalars whose indices are computed"
    )


@dataclass
class SimConfig:
    """A whole run: seed, length, population, rule families and process parameters."""

    seed: int = param(
        0,
        ge=0,
        le=2**63 - 1,
        doc="seed of the run's numpy Generator (model.rng); at most 2**63 - 1, the largest "
        "integer a results table holds",
    )
    replicates: int = param(
        1,
        ge=1,
        le=100_000,
        doc="runs of this parameter point in one job (seeds derived from seed, see `seeds`)",
    )
    seeds: str = param(
        "paired",
        choices=SEED_SCHEMES,
        source="common random numbers (Law, Simulation Modeling and Analysis, 5th ed., 11.2)",
        doc="replicates' seeds across a sweep's points: paired (replicate r of every point "
        "has the same seed) or independent (each point its own)",
    )
    steps: int = param(240, ge=0, le=100_000, doc="months to simulate")
    outputs: str = param(
        "all",
        choices=OUTPUT_MODES,
        doc="files a run writes: all (config.yaml, three Parquet tables, summary.json), "
        "tables (config.yaml, timeseries.parquet, summary.json) or summary (config.yaml, "
        "summary.json: the fastest sweeps)",
    )
    scenario_name: str = param("baseline", doc="name of the scenario these settings stand for")
    population: PopulationConfig = param(factory=PopulationConfig)
    trust: TrustConfig = param(factory=TrustConfig)
    funding: FundingConfig = param(factory=FundingConfig)
    power: PowerConfig = param(factory=PowerConfig)
    partnering: PartneringConfig = param(factory=PartneringConfig)
    collaboration: CollaborationConfig = param(factory=CollaborationConfig)
    pipeline: PipelineConfig = param(factory=PipelineConfig)
    bottlenecks: BottlenecksConfig = param(factory=BottlenecksConfig)
    remedies: RemediesConfig = param(factory=RemediesConfig)
    deals: DealsConfig = param(factory=DealsConfig)
    contracting: ContractingConfig = param(factory=ContractingConfig)
    enrolment: EnrolmentConfig = param(factory=EnrolmentConfig)
    precision: PrecisionConfig = param(factory=PrecisionConfig)
    sensitivity: SensitivityConfig | None = param(
        None, doc="sensitivity-analysis design (experiment=sensitivity); none in a plain run"
    )
