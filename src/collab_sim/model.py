"""The Mesa model: owns the state arrays and the order of one monthly step.

One step (one month):

1. finances -- every organisation's income and running costs (vectorised); agencies
   refill the microgrant pot when that funding rule runs;
2. pipeline -- every active R&D project, in random order, is paid for and may pass or
   fail its stage (:func:`collab_sim.pipeline.pipeline_month`, compiled);
3. work -- every active partnership, in random order, works a month; some end
   (:func:`collab_sim.collaboration.work_month`, compiled);
4. projects started alone -- organisations start discovery projects at their rate;
5. partnering -- organisations that search this month, in random order, look for
   partners and propose (:func:`collab_sim.partnering.form_partnerships`, compiled);
   each new partnership draws its remedies and gets its bottlenecks
   (:func:`collab_sim.partnering.setup_partnerships`), then adopts a member's project or
   starts one;
6. recording -- one row of the time series (vectorised).

All randomness comes from ``model.rng`` (seeded by ``config.seed``): the vectorised parts
draw from it directly and each compiled kernel is seeded with a number drawn from it.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from collab_sim.agents import AGENT_CLASSES, Organisation
from collab_sim.bottlenecks import bottleneck_params, transactional_mindset
from collab_sim.collaboration import collaboration_params, work_month
from collab_sim.config import FUNDING_RULES, POWER_RULES, SECTORS, SimConfig, make_config, validate
from collab_sim.metrics import summarise
from collab_sim.partnering import form_partnerships, partnering_params, setup_partnerships
from collab_sim.partnerships import END_CAUSES, PartnershipTable
from collab_sim.pipeline import (
    ProjectTable,
    attach_projects,
    initial_projects,
    new_project,
    pipeline_month,
    pipeline_params,
    start_projects,
)
from collab_sim.population import apply_finances, build_organisations
from collab_sim.recording import PARTICIPATION_WINDOW, Recorder
from collab_sim.remedies import remedy_params
from collab_sim.rules.funding import fill_from_agencies, funding_params
from collab_sim.rules.trust import TrustMemory

NONPROFIT = SECTORS.index("nonprofit")
_SEED_MAX = np.iinfo(np.int32).max


class EcosystemModel(mesa.Model):
    """A collaborative R&D ecosystem: organisations forming and dissolving partnerships.

    Args:
        config: A validated :class:`SimConfig`; when omitted, the defaults with
            ``overrides`` applied (see :func:`collab_sim.config.make_config`).
        **overrides: Overrides for the defaults, e.g. ``seed=3, power="equal"``.

    Attributes:
        config: The run's configuration.
        orgs: Organisation arrays (:class:`collab_sim.population.Organisations`).
        trust: Pairwise trust memory (:class:`collab_sim.rules.trust.TrustMemory`).
        partnerships: All partnerships (:class:`collab_sim.partnerships.PartnershipTable`).
        recorder: The time-series buffers.
    """

    _kernels_loaded = False  # once per process

    def __init__(self, config: SimConfig | None = None, **overrides: Any) -> None:
        if config is None:
            config = make_config(overrides)
        elif overrides:
            raise TypeError("pass either a config or overrides, not both")
        self.config = validate(config)
        super().__init__(rng=config.seed)
        cfg = self.config
        self.orgs = build_organisations(cfg.population, self.rng)
        self.trust = TrustMemory(self.orgs.n, cfg.trust)
        self.partnerships = PartnershipTable.empty(max(64, self.orgs.n), cfg.partnering.max_members)
        self.projects = ProjectTable.empty(max(256, 4 * self.orgs.n))
        self.recorder = Recorder(cfg.steps)
        pc = cfg.pipeline
        self._stage_success = np.asarray(pc.stage_success, dtype=np.float64)
        self._stage_months = np.asarray(pc.stage_months, dtype=np.float64)
        self._stage_cost = np.asarray(pc.stage_cost, dtype=np.float64)
        self._stage_needs = np.asarray(pc.stage_needs, dtype=np.float64)
        self._pipeline_params = pipeline_params(
            pc, cfg.partnering.capability_threshold, cfg.trust.experience.decay
        )
        self._trust_params = np.array(
            [self.trust.decay, self.trust.gain, self.trust.loss, self.trust.completion_bonus]
        )
        self._bottleneck_params = bottleneck_params(cfg.bottlenecks)
        self._remedy_params = remedy_params(cfg.remedies)
        self._power_rule = POWER_RULES.index(cfg.power.rule)
        self._tau = transactional_mindset(self.orgs.horizon, cfg.bottlenecks)
        self._funding_rule = FUNDING_RULES.index(cfg.funding.rule)
        # the agencies' pot for microgrants (filled monthly) or matching (filled once)
        self.funding_pot = np.zeros(1)
        self.repair_totals = np.zeros(2)  # trust regained after setbacks, pair-months
        if cfg.funding.rule == "matching":
            self.funding_pot[0] = fill_from_agencies(
                cfg.funding.matching.program_budget, self.orgs.sector, self.orgs.resources
            )
        self._funding_params = funding_params(cfg.funding)
        self._work_params = collaboration_params(cfg.collaboration)
        self._search_params = partnering_params(
            cfg.partnering,
            cfg.collaboration.duration_min_months,
            cfg.collaboration.duration_max_months,
            cfg.collaboration.value_multiple,
            cfg.collaboration.initial_satisfaction,
            self.trust.rule,
            self.trust.decay,
            POWER_RULES.index(cfg.power.rule),
            cfg.power.resource_exponent,
            self._funding_rule,
        )
        self._seed_pipeline()
        for index, sector in enumerate(self.orgs.sector):
            AGENT_CLASSES[SECTORS[sector]](self, index)
        self.organisations: list[Organisation] = sorted(self.agents, key=lambda a: a.index)
        self._load_kernels()

    # ------------------------------------------------------------------ the step

    def _kernel_seed(self) -> int:
        return int(self.rng.integers(_SEED_MAX))

    def _seed_pipeline(self) -> None:
        """Create the projects that exist at month 0 (entered their stage at month 0)."""
        orgs, pr = self.orgs, self.projects
        start = initial_projects(
            self.config.pipeline,
            orgs.initial_projects,
            orgs.capability,
            self.config.partnering.capability_threshold,
            self.rng,
        )
        pr.reserve(len(start))
        for sponsor, stage, left, rare in start:
            new_project(
                pr.count, sponsor, -1, 0, stage, left, rare, pr.stage, pr.outcome,
                pr.partnership, pr.origin_partnership, pr.sponsor, pr.rare, pr.entered,
                pr.stage_end, pr.started,
            )  # fmt: skip
            orgs.projects[sponsor, orgs.n_projects[sponsor]] = pr.count
            orgs.n_projects[sponsor] += 1
            pr.count += 1

    def _pipeline(self, seed: int, step: int, order: np.ndarray) -> int:
        orgs, table, trust, pr = self.orgs, self.partnerships, self.trust, self.projects
        return pipeline_month(
            seed, step, order, self._stage_success, self._stage_months, self._stage_cost,
            self._stage_needs, self._pipeline_params,
            orgs.sector, orgs.capability, orgs.resources, orgs.projects, orgs.n_projects,
            orgs.max_projects,
            trust.partner, trust.value, trust.updated, trust.baseline, trust.record,
            trust.rule_params,
            table.is_active, table.members, table.size, table.lead, table.end_request,
            pr.stage, pr.outcome, pr.partnership, pr.sponsor, pr.rare, pr.entered,
            pr.stage_end, pr.ended, pr.spent, pr.handovers, pr.reach, pr.stalled,
            pr.stop_reason, pr.delay, table.ambiguity, table.data_friction, table.remedies,
            self._bottleneck_params, self._remedy_params,
        )  # fmt: skip

    def _start_projects(self, seed: int, step: int, starters: np.ndarray) -> None:
        orgs, pr = self.orgs, self.projects
        pr.reserve(starters.size)
        pr.count = start_projects(
            seed, step, starters, pr.count, orgs.capability, self._stage_needs,
            self._stage_months, self._pipeline_params, orgs.projects, orgs.n_projects,
            pr.stage, pr.outcome, pr.partnership, pr.origin_partnership, pr.sponsor, pr.rare,
            pr.entered, pr.stage_end, pr.started,
        )  # fmt: skip

    def _attach_projects(self, seed: int, step: int, first: int, last: int) -> None:
        orgs, table, pr = self.orgs, self.partnerships, self.projects
        pr.reserve(last - first)
        pr.count = attach_projects(
            seed, step, first, last, table.members, table.size, table.lead, table.project,
            pr.count, orgs.capability, self._stage_needs, self._stage_months,
            self._pipeline_params, orgs.projects, orgs.n_projects, pr.stage, pr.outcome,
            pr.partnership, pr.origin_partnership, pr.sponsor, pr.rare, pr.entered,
            pr.stage_end, pr.started, table.ambiguity, table.data_friction, table.remedies,
            table.onboarding_left, self._bottleneck_params, self._remedy_params,
        )  # fmt: skip

    def _setup(self, seed: int, first: int, last: int) -> None:
        orgs, table = self.orgs, self.partnerships
        setup_partnerships(
            seed, first, last, orgs.culture, orgs.data_regime, table.size, table.members,
            table.share, table.contribution, table.budget, table.initial_budget,
            table.remedies, table.ambiguity, table.conflict_chance, table.data_friction,
            table.onboarding_left, table.remedy_cost, table.resource_asymmetry,
            table.decision_concentration, orgs.resources, self._power_rule,
            self._bottleneck_params,
            self._remedy_params,
        )  # fmt: skip

    def _work(
        self, seed: int, step: int, order: np.ndarray, ended: np.ndarray, repair: np.ndarray
    ) -> None:
        orgs, table, trust = self.orgs, self.partnerships, self.trust
        work_month(
            seed, step, order,
            orgs.sector, orgs.resources, orgs.partnership_cost, orgs.n_active, orgs.active,
            orgs.last_active, orgs.value_received, orgs.credit_received, self._tau,
            trust.partner, trust.value, trust.updated, trust.baseline, trust.record,
            self._trust_params, trust.rule_params,
            table.is_active, table.size, table.members, table.lead, table.formed, table.ended,
            table.cause, table.coverage, table.duration, table.progress, table.budget,
            table.planned_value, table.value_paid, table.share, table.contribution,
            table.satisfaction, table.owed, table.good_months, table.bad_months,
            table.end_request, table.remedies, table.ambiguity, table.conflict_chance,
            table.onboarding_left, table.recent_value, table.conflicts, table.remedy_cost,
            self._work_params, self._funding_params, self._bottleneck_params,
            self._remedy_params, self._funding_rule, self.funding_pot, ended, repair,
        )  # fmt: skip

    def _search(self, seed: int, step: int, searchers: np.ndarray) -> int:
        orgs, table, trust = self.orgs, self.partnerships, self.trust
        table.reserve(searchers.size)
        before = table.count
        table.count = form_partnerships(
            seed, step, searchers,
            orgs.sector, orgs.capability, orgs.culture, orgs.resources, orgs.partnership_cost,
            orgs.max_partnerships, orgs.n_active, orgs.active, orgs.last_active,
            trust.partner, trust.value, trust.updated, trust.baseline, trust.record,
            trust.rule_params,
            table.count, table.is_active, table.size, table.members, table.lead, table.formed,
            table.need, table.coverage, table.duration, table.progress, table.budget,
            table.initial_budget, table.planned_value, table.share, table.contribution,
            table.satisfaction, self._search_params, self._funding_params, self.funding_pot,
        )  # fmt: skip
        return table.count - before

    def _load_kernels(self) -> None:
        """Compile the kernels, or load them from numba's cache, before the first step.

        The kernels run on empty work lists, so no state changes and ``model.rng`` is not
        touched. Without this, the first month of a process would carry the load time.
        """
        if EcosystemModel._kernels_loaded:
            return
        self._pipeline(0, 0, np.empty(0, dtype=np.int32))
        self._work(
            0, 0, np.empty(0, dtype=np.int32), np.zeros(len(END_CAUSES), dtype=np.int64),
            np.zeros(2),
        )  # fmt: skip
        self._start_projects(0, 0, np.empty(0, dtype=np.int64))
        self._search(0, 0, np.empty(0, dtype=np.int64))
        self._setup(0, 0, 0)
        self._attach_projects(0, 0, 0, 0)
        EcosystemModel._kernels_loaded = True

    def step(self) -> None:
        """Advance one month (see the module docstring for the order)."""
        step = int(self.steps)
        orgs, pr = self.orgs, self.projects
        apply_finances(orgs, self.rng)
        if self.config.funding.rule == "microgrants":
            budget = self.config.funding.microgrants.monthly_budget
            self.funding_pot[0] += fill_from_agencies(budget, orgs.sector, orgs.resources)
        active_projects = np.flatnonzero(pr.outcome[: pr.count] == 0).astype(np.int32)
        approvals = self._pipeline(self._kernel_seed(), step, self.rng.permutation(active_projects))
        ended = np.zeros(len(END_CAUSES), dtype=np.int64)
        order = self.rng.permutation(self.partnerships.active_ids())
        repair = np.zeros(2)
        self._work(self._kernel_seed(), step, order, ended, repair)
        self.repair_totals += repair
        starting = self.rng.random(orgs.n) < orgs.project_start_rate
        starters = np.flatnonzero(starting & (orgs.n_projects < orgs.max_projects))
        self._start_projects(self._kernel_seed(), step, starters.astype(np.int64))
        searching = np.flatnonzero(self.rng.random(orgs.n) < orgs.search_rate)
        searchers = self.rng.permutation(searching).astype(np.int64)
        first = self.partnerships.count
        formed = self._search(self._kernel_seed(), step, searchers)
        self._setup(self._kernel_seed(), first, first + formed)
        self._attach_projects(self._kernel_seed(), step, first, first + formed)
        self.recorder.record(self, formed, ended, approvals, repair)

    def run(self, steps: int | None = None) -> EcosystemModel:
        """Run ``steps`` months (default: ``config.steps``); returns the model."""
        for _ in range(self.config.steps if steps is None else steps):
            self.step()
        return self

    # ------------------------------------------------------------------ measurements

    def mean_trust(self) -> float:
        """Mean current trust over all remembered (directed) relationships."""
        return self.trust.mean(self.orgs.sector, int(self.steps))

    def nonprofit_participation(self) -> float:
        """Share of nonprofits in at least one partnership during the last 12 months."""
        nonprofit = self.orgs.sector == NONPROFIT
        if not nonprofit.any():
            return 0.0
        recent = self.orgs.last_active >= max(0, int(self.steps) - PARTICIPATION_WINDOW + 1)
        recent &= self.orgs.last_active >= 0
        return float(recent[nonprofit].mean())

    def summary(self) -> dict[str, Any]:
        """The run's summary metrics (see :func:`collab_sim.metrics.summarise`)."""
        return summarise(self)
