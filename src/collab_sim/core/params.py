"""The run's parameters as records for the compiled kernels, built from a :class:`SimConfig`.

Each config section of the schema (:mod:`collab_sim.config.schema`) becomes one
``NamedTuple`` whose fields are the section's field names, in the same order, so a kernel
line reads like the equation it implements::

    parts.conflict_chance[p] = params.bottlenecks.cultural_mismatch * ...

numba compiles ``NamedTuple`` arguments (attribute access is resolved at compile time and
costs nothing at run time) and caches kernels that take them (``njit(cache=True)``).

Values are converted from the schema's types to what compiled code can read, and nothing
else changes:

* ``float`` fields are Python floats and ``int`` fields Python ints (numba: float64 and
  int64), whatever the YAML wrote (``decay: 0`` is still a float), so every run compiles
  to the same signature;
* a rule's name (a field with ``choices``, e.g. ``trust.rule``) is its index in the
  choices (``TRUST_RULES.index("reputation")``);
* lists are float64 arrays (``pipeline.stage_needs`` is a ``(stages, domains)`` matrix);
* a nested section is a nested record (``params.funding.subcontract.overhead_rate``);
* ``trust.baseline`` (six sector pairs in the schema) is the symmetric
  ``(sectors, sectors)`` matrix the kernels index by the sectors of truster and trusted.

:data:`SECTIONS` pairs every record type with its schema dataclass;
``tests/core/test_params.py`` checks that their field names agree.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from typing import Any, NamedTuple

import numpy as np

from collab_sim.config import schema
from collab_sim.config.schema import SimConfig
from collab_sim.vocabulary import DEAL_KINDS, SECTORS, STAGES


class ExperienceParams(NamedTuple):
    """``trust.experience`` (:class:`collab_sim.config.schema.ExperienceTrustParams`)."""

    gain: float
    loss: float
    decay: float
    completion_bonus: float


class TrustParams(NamedTuple):
    """``trust`` (:class:`collab_sim.config.schema.TrustConfig`).

    ``rule`` is an index of ``TRUST_RULES``, ``baseline`` the sector x sector matrix
    (:func:`baseline_matrix`).
    """

    rule: int
    baseline: np.ndarray
    memory_slots: int
    experience: ExperienceParams
    reputation_weight: float
    structural_weight: float


class SubcontractTerms(NamedTuple):
    """``funding.subcontract`` (:class:`collab_sim.config.schema.SubcontractParams`)."""

    payment_delay_months: int
    overhead_rate: float
    budget_buffer: float
    max_commit_share: float
    min_commit_share: float
    agency_grant_share: float


class MicrograntTerms(NamedTuple):
    """``funding.microgrants`` (:class:`collab_sim.config.schema.MicrograntParams`)."""

    monthly_budget: float
    max_grant: float


class PooledFundTerms(NamedTuple):
    """``funding.pooled_fund`` (:class:`collab_sim.config.schema.PooledFundParams`)."""

    admin_fee_rate: float
    max_share_of_resources: float


class MatchingTerms(NamedTuple):
    """``funding.matching`` (:class:`collab_sim.config.schema.MatchingParams`)."""

    match_ratio: float
    program_budget: float


class FundingParams(NamedTuple):
    """``funding`` (:class:`collab_sim.config.schema.FundingConfig`), by rule index."""

    rule: int
    subcontract: SubcontractTerms
    microgrants: MicrograntTerms
    pooled_fund: PooledFundTerms
    matching: MatchingTerms


class PowerParams(NamedTuple):
    """``power`` (:class:`collab_sim.config.schema.PowerConfig`), by rule index."""

    rule: int
    resource_exponent: float


class PartneringParams(NamedTuple):
    """``partnering`` (:class:`collab_sim.config.schema.PartneringConfig`)."""

    past_partner_candidates: int
    partner_of_partner_candidates: int
    random_candidates: int
    weight_complementarity: float
    weight_trust: float
    weight_culture: float
    score_noise: float
    propose_threshold: float
    accept_threshold: float
    consortium_probability: float
    max_members: int
    min_gap: float
    need_search_rate: float
    lookahead_months: int
    min_reserve: float
    capability_threshold: float


class CollaborationParams(NamedTuple):
    """``collaboration`` (:class:`collab_sim.config.schema.CollaborationConfig`)."""

    duration_min_months: int
    duration_max_months: int
    good_month_probability: float
    failure_hazard: float
    coverage_on_good_months: float
    trust_on_good_months: float
    coverage_on_speed: float
    coverage_on_failure: float
    trust_on_failure: float
    value_multiple: float
    milestone_share: float
    initial_satisfaction: float
    satisfaction_rate: float
    satisfaction_weight_progress: float
    satisfaction_weight_fairness: float
    satisfaction_weight_trust: float
    exit_threshold: float
    unfair_ratio: float


class PipelineParams(NamedTuple):
    """``pipeline`` (:class:`collab_sim.config.schema.PipelineConfig`).

    The per-stage lists are float64 arrays, ``stage_needs`` a ``(stages, domains)`` matrix.
    """

    stage_success: np.ndarray
    discovery_milestone_months: np.ndarray
    discovery_milestone_success: np.ndarray
    stage_months: np.ndarray
    stage_cost: np.ndarray
    stage_needs: np.ndarray
    duration_shape: float
    coverage_effect: float
    trust_effect: float
    coverage_on_duration: float
    reference_coverage: float
    reference_trust: float
    rare_disease_share: float
    rare_disease_log_odds: float
    initial_stage_shares: np.ndarray
    carry_months: float
    max_stall_months: int
    licence_wait_months: int


class BottleneckParams(NamedTuple):
    """``bottlenecks`` (:class:`collab_sim.config.schema.BottlenecksConfig`)."""

    role_ambiguity: float
    cultural_mismatch: float
    data_friction: float
    transactional_mindset: float
    power_imbalance: float
    ambiguity_slowdown: float
    ambiguity_gaps: float
    conflict_rate: float
    conflict_exit: float
    data_slowdown: float
    transactional_horizon: float
    transactional_exit: float
    return_expectation: float


class RemedyParams(NamedTuple):
    """``remedies`` (:class:`collab_sim.config.schema.RemediesConfig`)."""

    joint_planning: float
    co_credit: float
    partnership_managers: float
    learning_loops: float
    planning_efficacy: float
    onboarding_months: int
    onboarding_cost_share: float
    manager_conflict_reduction: float
    manager_trust_repair: float
    manager_cost_share: float
    manager_break_reduction: float
    manager_renegotiation: float
    learning_trust_repair: float
    learning_horizon_gain: float
    learning_time_cost: float


class ContractingParams(NamedTuple):
    """``contracting`` (:class:`collab_sim.config.deals.ContractingConfig`)."""

    median_months: float
    sigma: float
    data_slowdown: float
    master_agreement_months: float
    repeat_partner_months: float
    min_months: float
    restart_search_months: float


class EnrolmentParams(NamedTuple):
    """``enrolment`` (:class:`collab_sim.config.trials.EnrolmentConfig`)."""

    enrolment_share: np.ndarray
    site_attainment: float
    attainment_shape: float
    capacity_weight: float
    ppi_odds_ratio: float
    ppi_reference_trust: float
    patient_partner_capability: float
    overrun_cap: float
    max_rate: float


class DealParams(NamedTuple):
    """``deals.types`` as columns: one array per field of ``DealTypeConfig``, one row per type.

    Types are in the config's order (the order they are tried). Stages and kinds are
    indices (``STAGES``, ``DEAL_KINDS``); ``lead_sectors`` and ``partner_sectors`` are
    ``(types, sectors)`` boolean masks. Built by :func:`deal_params`.
    """

    kind: np.ndarray
    first_stage: np.ndarray
    last_stage: np.ndarray
    span: np.ndarray
    lead_sectors: np.ndarray
    partner_sectors: np.ndarray
    min_members: np.ndarray
    from_partner: np.ndarray
    upfront_months: np.ndarray
    milestone_months: np.ndarray


class Params(NamedTuple):
    """Every parameter section the kernels read, by its config group's name."""

    trust: TrustParams
    funding: FundingParams
    power: PowerParams
    partnering: PartneringParams
    collaboration: CollaborationParams
    pipeline: PipelineParams
    bottlenecks: BottleneckParams
    remedies: RemedyParams
    deals: DealParams
    contracting: ContractingParams
    enrolment: EnrolmentParams


#: Every record type and the schema dataclass it mirrors (same field names, same order).
SECTIONS: dict[type, type] = {
    ExperienceParams: schema.ExperienceTrustParams,
    TrustParams: schema.TrustConfig,
    SubcontractTerms: schema.SubcontractParams,
    MicrograntTerms: schema.MicrograntParams,
    PooledFundTerms: schema.PooledFundParams,
    MatchingTerms: schema.MatchingParams,
    FundingParams: schema.FundingConfig,
    PowerParams: schema.PowerConfig,
    PartneringParams: schema.PartneringConfig,
    CollaborationParams: schema.CollaborationConfig,
    PipelineParams: schema.PipelineConfig,
    BottleneckParams: schema.BottlenecksConfig,
    RemedyParams: schema.RemediesConfig,
    ContractingParams: schema.ContractingConfig,
    EnrolmentParams: schema.EnrolmentConfig,
}


def baseline_matrix(cfg: schema.SectorPairTrust) -> np.ndarray:
    """Symmetric sector x sector matrix of baseline trust, in the order of ``SECTORS``."""
    b = np.zeros((len(SECTORS), len(SECTORS)))
    for a, sa in enumerate(SECTORS):
        for c, sc in enumerate(SECTORS):
            first, second = (sa, sc) if a <= c else (sc, sa)
            b[a, c] = getattr(cfg, f"{first}_{second}")
    return b


@functools.cache
def _hints(record: type) -> dict[str, Any]:
    """The field types of a record (resolving them costs about 1 ms of a run's set-up)."""
    return typing.get_type_hints(record)


@functools.cache
def _choices(section: type) -> dict[str, Any]:
    """Each field's allowed choices (``None`` if any) of a schema section class."""
    return {f.name: f.metadata.get("choices") for f in dataclasses.fields(section)}


def section_params[R](record: type[R], cfg: Any) -> R:
    """The record of type ``record`` for the config section ``cfg`` (see module docstring).

    Args:
        record: A record type of :data:`SECTIONS`.
        cfg: The schema dataclass instance it mirrors, e.g. ``config.bottlenecks``.

    Returns:
        The record, every value converted to the record field's type.
    """
    hints = _hints(record)
    choices = _choices(type(cfg))
    values = {}
    for name in record._fields:  # type: ignore[attr-defined]
        value, kind = getattr(cfg, name), hints[name]
        if kind in SECTIONS:
            value = section_params(kind, value)
        elif isinstance(value, schema.SectorPairTrust):
            value = baseline_matrix(value)
        elif isinstance(value, str):
            value = choices[name].index(value)
        elif kind is np.ndarray:
            value = np.asarray(value, dtype=np.float64)
        else:
            value = kind(value)
        values[name] = value
    return record(**values)


def deal_params(cfg: schema.DealsConfig) -> DealParams:
    """The deal types of ``cfg`` as the column record :class:`DealParams`."""
    types = list(cfg.types.values())

    def mask(key: str) -> np.ndarray:
        return np.array([[s in getattr(t, key) for s in SECTORS] for t in types], dtype=np.bool_)

    return DealParams(
        kind=np.array([DEAL_KINDS.index(t.kind) for t in types], dtype=np.int64),
        first_stage=np.array([STAGES.index(t.first_stage) for t in types], dtype=np.int64),
        last_stage=np.array([STAGES.index(t.last_stage) for t in types], dtype=np.int64),
        span=np.array([t.span for t in types], dtype=np.int64),
        lead_sectors=mask("lead_sectors"),
        partner_sectors=mask("partner_sectors"),
        min_members=np.array([t.min_members for t in types], dtype=np.int64),
        from_partner=np.array([t.from_partner for t in types], dtype=np.bool_),
        upfront_months=np.array([t.upfront_months for t in types], dtype=np.float64),
        milestone_months=np.array([t.milestone_months for t in types], dtype=np.float64),
    )


def copy_record[R: tuple](record: R) -> R:
    """A copy of a parameter record: nested records copied, every array copied."""
    return type(record)(  # type: ignore[call-arg]
        *(
            copy_record(v) if isinstance(v, tuple) else v.copy() if isinstance(v, np.ndarray) else v
            for v in record
        )
    )


def build_params(config: SimConfig) -> Params:
    """Every parameter record of a (validated) config, for the kernels."""
    hints = _hints(Params)
    sections = {
        name: section_params(hints[name], getattr(config, name))
        for name in Params._fields
        if name != "deals"
    }
    return Params(**sections, deals=deal_params(config.deals))
