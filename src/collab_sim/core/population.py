"""Organisations as arrays: their attributes, drawn at initialisation from the config.

Each attribute is one numpy array indexed by organisation (0..N-1); Mesa agents in
:mod:`collab_sim.core.agents` are views onto these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from collab_sim.config.schema import BottlenecksConfig, PopulationConfig
from collab_sim.vocabulary import DATA_REGIMES, DOMAINS, SECTORS, STAGES


@dataclass
class Organisations:
    """State of all organisations, one row per organisation.

    Attributes:
        subtype_names: Subtype name per subtype index (config order).
        subtype: Subtype index per organisation.
        sector: Sector index (``SECTORS``) per organisation.
        capability: ``(N, 6)`` capability per domain, in [0, 1].
        resources: Money in hand, $M.
        income: Mean monthly income, $M.
        overhead: Monthly running cost outside partnerships, $M.
        volatility: Standard deviation of monthly income relative to its mean.
        culture: ``(N, 3)`` culture vector, in [0, 1].
        data_regime: Index into ``DATA_REGIMES``.
        horizon: Time horizon, months.
        search_rate: Monthly probability of looking for partners.
        max_partnerships: Partnerships it can hold at once.
        partnership_cost: Monthly cost of its effort in one partnership, $M.
        n_active: Active partnerships now.
        active: ``(N, A)`` ids of its active partnerships, -1 padded.
        last_active: Last month it was in an active partnership (-1: never).
        value_received: Value received from partnerships so far, $M.
        credit_received: Credit received from partnerships so far.
        initial_projects: Projects it runs alone at month 0.
        project_start_rate: Monthly probability of starting a discovery project alone.
        max_projects: Projects it can run alone at once.
        solo_last_stage: Last stage (index) it may direct a project through.
        n_projects: Projects it runs alone now.
        projects: ``(N, S)`` ids of the projects it runs alone, -1 padded.
        transactional: Transactional mindset ``tau`` in [0, 1], from ``horizon`` and the
            bottleneck's strength (:func:`transactional_mindset`; set by the model).
    """

    subtype_names: list[str]
    subtype: np.ndarray
    sector: np.ndarray
    capability: np.ndarray
    resources: np.ndarray
    income: np.ndarray
    overhead: np.ndarray
    volatility: np.ndarray
    culture: np.ndarray
    data_regime: np.ndarray
    horizon: np.ndarray
    search_rate: np.ndarray
    max_partnerships: np.ndarray
    partnership_cost: np.ndarray
    n_active: np.ndarray
    active: np.ndarray
    last_active: np.ndarray
    value_received: np.ndarray
    credit_received: np.ndarray
    initial_projects: np.ndarray
    project_start_rate: np.ndarray
    max_projects: np.ndarray
    n_projects: np.ndarray
    projects: np.ndarray
    solo_last_stage: np.ndarray
    transactional: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of organisations."""
        return int(self.sector.size)

    def state(self) -> OrganisationState:
        """The arrays the kernels read and update, as one record (views, not copies)."""
        return OrganisationState(*(getattr(self, name) for name in OrganisationState._fields))


class OrganisationState(NamedTuple):
    """The organisations as the kernels see them (``orgs``): one record of arrays.

    The arrays of :class:`Organisations`, same names and meanings, one row per
    organisation.
    """

    sector: np.ndarray
    capability: np.ndarray
    culture: np.ndarray
    data_regime: np.ndarray
    resources: np.ndarray
    income: np.ndarray
    volatility: np.ndarray
    overhead: np.ndarray
    partnership_cost: np.ndarray
    max_partnerships: np.ndarray
    n_active: np.ndarray
    active: np.ndarray
    last_active: np.ndarray
    value_received: np.ndarray
    credit_received: np.ndarray
    projects: np.ndarray
    n_projects: np.ndarray
    max_projects: np.ndarray
    project_start_rate: np.ndarray
    search_rate: np.ndarray
    solo_last_stage: np.ndarray
    transactional: np.ndarray


def transactional_mindset(horizon: np.ndarray, cfg: BottlenecksConfig) -> np.ndarray:
    """Per organisation ``tau = s_tm * max(0, 1 - horizon / transactional_horizon)``."""
    return cfg.transactional_mindset * np.clip(1.0 - horizon / cfg.transactional_horizon, 0, 1)


def build_organisations(cfg: PopulationConfig, rng: np.random.Generator) -> Organisations:
    """Draw the initial population from the config, in subtype order.

    Capabilities and culture are the subtype mean plus normal noise, clipped to [0, 1];
    resources are lognormal around the subtype median.

    Args:
        cfg: Population config (subtypes and their parameters).
        rng: The model's random generator.

    Returns:
        The organisations' arrays.
    """
    names = list(cfg.types)
    types = [cfg.types[name] for name in names]
    counts = np.array([t.count for t in types], dtype=np.int64)
    n = int(counts.sum())
    subtype = np.repeat(np.arange(len(types), dtype=np.int16), counts)

    def per_org(values: list[float], dtype: type = np.float64) -> np.ndarray:
        return np.repeat(np.asarray(values, dtype=dtype), counts, axis=0)

    cap_mean = per_org([t.capability for t in types])
    cap_sd = per_org([t.capability_sd for t in types])
    capability = np.clip(cap_mean + cap_sd[:, None] * rng.standard_normal((n, len(DOMAINS))), 0, 1)
    cul_mean = per_org([t.culture for t in types])
    cul_sd = per_org([t.culture_sd for t in types])
    culture = np.clip(cul_mean + cul_sd[:, None] * rng.standard_normal(cul_mean.shape), 0, 1)
    median = per_org([t.resources for t in types])
    sigma = per_org([t.resources_sigma for t in types])
    resources = median * np.exp(sigma * rng.standard_normal(n))
    max_p = per_org([t.max_partnerships for t in types], np.int32)
    slots = max(1, int(max_p.max(initial=1)))
    max_proj = per_org([t.max_projects for t in types], np.int32)
    proj_slots = max(1, int(max_proj.max(initial=1)))
    return Organisations(
        subtype_names=names,
        subtype=subtype,
        sector=per_org([SECTORS.index(t.sector) for t in types], np.int8),
        capability=capability,
        resources=resources,
        income=per_org([t.income for t in types]),
        overhead=per_org([t.overhead for t in types]),
        volatility=per_org([t.income_volatility for t in types]),
        culture=culture,
        data_regime=per_org([DATA_REGIMES.index(t.data_regime) for t in types], np.int8),
        horizon=per_org([t.horizon_months for t in types]),
        search_rate=per_org([t.search_rate for t in types]),
        max_partnerships=max_p,
        partnership_cost=per_org([t.partnership_cost for t in types]),
        n_active=np.zeros(n, dtype=np.int32),
        active=np.full((n, slots), -1, dtype=np.int32),
        last_active=np.full(n, -1, dtype=np.int32),
        value_received=np.zeros(n),
        credit_received=np.zeros(n),
        initial_projects=np.minimum(
            per_org([t.initial_projects for t in types], np.int32), max_proj
        ),
        project_start_rate=per_org([t.project_start_rate for t in types]),
        max_projects=max_proj,
        n_projects=np.zeros(n, dtype=np.int32),
        projects=np.full((n, proj_slots), -1, dtype=np.int32),
        solo_last_stage=per_org([STAGES.index(t.solo_last_stage) for t in types], np.int8),
    )
