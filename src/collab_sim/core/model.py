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
6. recording -- one row of the time series (:func:`collab_sim.recording.record_month`).

Months run in compiled code (:func:`collab_sim.month.simulate_months`): :meth:`step` is
one call for one month, :meth:`run` one call for many months. All randomness comes from
``model.rng`` (seeded by ``config.seed``): the month draws from it directly (numba shares
the generator's state) and seeds each phase's kernel with a number drawn from it.
"""

from __future__ import annotations

from typing import Any

import mesa
import numba
import numpy as np

from collab_sim.config.composition import make_config
from collab_sim.config.schema import SimConfig
from collab_sim.config.validation import validate
from collab_sim.core.agents import AGENT_CLASSES, Organisation
from collab_sim.core.compile_notice import compile_notice
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.core.population import build_organisations
from collab_sim.core.projects import ProjectTable, initial_projects
from collab_sim.core.recorder import Recorder
from collab_sim.core.trust_memory import TrustMemory
from collab_sim.kernels.bottlenecks import bottleneck_params, transactional_mindset
from collab_sim.kernels.collaboration import collaboration_params
from collab_sim.kernels.month import simulate_months
from collab_sim.kernels.partnering import partnering_params, setup_partnerships
from collab_sim.kernels.pipeline import new_project, pipeline_month, pipeline_params
from collab_sim.kernels.recording import PARTICIPATION_WINDOW
from collab_sim.kernels.remedies import remedy_params
from collab_sim.kernels.rules.funding import fill_from_agencies, funding_params
from collab_sim.outputs.summary import summarise
from collab_sim.vocabulary import FUNDING_RULES, POWER_RULES, SECTORS

NONPROFIT = SECTORS.index("nonprofit")


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
        self._microgrant_budget = float(cfg.funding.microgrants.monthly_budget)
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

    def _month_args(self, n_months: int, first_step: int) -> tuple:
        """The arguments of :func:`collab_sim.month.simulate_months`."""
        orgs, table, trust, pr = self.orgs, self.partnerships, self.trust, self.projects
        return (
            n_months, first_step, self._microgrant_budget, self._funding_rule, self._power_rule,
            orgs.sector, orgs.capability, orgs.culture, orgs.data_regime, orgs.resources,
            orgs.income, orgs.volatility, orgs.overhead, orgs.partnership_cost,
            orgs.max_partnerships, orgs.n_active, orgs.active, orgs.last_active,
            orgs.value_received, orgs.credit_received, orgs.projects, orgs.n_projects,
            orgs.max_projects, orgs.project_start_rate, orgs.search_rate, self._tau,
            trust.partner, trust.value, trust.updated, trust.baseline, trust.record,
            trust.rule_params, self._trust_params,
            table.count, table.is_active, table.size, table.members, table.lead, table.formed,
            table.ended, table.cause, table.need, table.coverage, table.duration,
            table.progress, table.budget, table.initial_budget, table.planned_value,
            table.value_paid, table.share, table.contribution, table.satisfaction, table.owed,
            table.good_months, table.bad_months, table.project, table.end_request,
            table.remedies, table.ambiguity, table.conflict_chance, table.data_friction,
            table.onboarding_left, table.recent_value, table.conflicts, table.remedy_cost,
            table.resource_asymmetry, table.decision_concentration,
            pr.count, pr.stage, pr.outcome, pr.partnership, pr.origin_partnership, pr.sponsor,
            pr.rare, pr.entered, pr.stage_end, pr.ended, pr.spent, pr.handovers, pr.reach,
            pr.stalled, pr.stop_reason, pr.delay, pr.started,
            self._stage_success, self._stage_months, self._stage_cost, self._stage_needs,
            self._pipeline_params, self._work_params, self._search_params,
            self._funding_params, self._bottleneck_params, self._remedy_params,
            self.funding_pot, self.repair_totals, self.recorder.data, self.recorder.rows,
            self.rng,
        )  # fmt: skip

    def _load_kernels(self) -> None:
        """Load the compiled month from numba's cache (or compile it) before the first step.

        Compilation happens once per machine (numba caches it next to the sources); a
        process that has to compile says so on stderr, as it takes a while.
        """
        if EcosystemModel._kernels_loaded:
            return
        types = tuple(numba.typeof(arg) for arg in self._month_args(0, 0))
        with compile_notice():
            simulate_months.compile(types)
        EcosystemModel._kernels_loaded = True

    def _simulate(self, months: int, first: int) -> None:
        """Simulate ``months`` months, numbered from ``first``, in compiled code.

        Grows the tables whenever the compiled loop stops for room (amortised doubling,
        so a long run takes a few calls). Does not advance Mesa's clock.
        """
        orgs = self.orgs
        self.recorder.reserve(months)
        done = 0
        while done < months:
            self.partnerships.reserve(orgs.n)  # room for at least one month
            self.projects.reserve(2 * orgs.n)
            ran, self.partnerships.count, self.projects.count = simulate_months(
                *self._month_args(months - done, first + done)
            )
            self.recorder.rows += ran
            done += ran

    def step(self) -> None:
        """Advance one month (see the module docstring for the order)."""
        self._simulate(1, int(self.steps))  # Mesa has counted this step already

    def run(self, steps: int | None = None) -> EcosystemModel:
        """Run ``steps`` months (default: ``config.steps``); returns the model.

        All months run in one compiled call (a few when the tables grow), then Mesa's
        clock (``steps``, ``time``) moves forward by as many steps at once. Same results
        as calling :meth:`step` that many times, at a fraction of the cost per month.
        When other events are scheduled on Mesa's clock, months go one step at a time so
        those events run between the months they were scheduled between.
        """
        months = self.config.steps if steps is None else steps
        if months <= 0:
            return self
        if not self._clock_is_plain():
            for _ in range(months):
                self.step()
            return self
        self._simulate(months, int(self.steps) + 1)
        # fast-forward Mesa's default step schedule: what run_for(months) would do, without
        # processing `months` events one by one (8 ms a run, a quarter of a baseline run)
        schedule = self._default_schedule
        schedule.pause()
        self.time += months
        self.steps += months
        schedule._execution_count += months
        schedule.resume()
        return self

    def _clock_is_plain(self) -> bool:
        """Whether Mesa's clock holds nothing but the default step schedule (private API)."""
        try:
            return (
                self._event_generators == {self._default_schedule}
                and len(self._event_list) == 1
                and self._default_schedule.is_active
            )
        except AttributeError:  # another Mesa 3.x layout: take the general path
            return False

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
