"""The Mesa model: owns the state arrays and the order of one monthly step.

One step (one month):

1. finances -- every organisation's income and running costs (vectorised); agencies
   refill the microgrant pot when that funding rule runs;
2. pipeline -- every active R&D project, in random order, is paid for and may pass or
   fail its stage (:func:`collab_sim.kernels.pipeline.pipeline_month`, compiled);
3. work -- every active partnership, in random order, works a month; some end
   (:func:`collab_sim.kernels.collaboration.work_month`, compiled);
4. projects started alone -- organisations start discovery projects at their rate;
5. partnering -- organisations that search this month, in random order, look for
   partners and propose (:func:`collab_sim.kernels.partnering.form_partnerships`,
   compiled); each new partnership draws its remedies and gets its bottlenecks
   (:func:`collab_sim.kernels.partnering.setup_partnerships`), then adopts a member's
   project or starts one;
6. recording -- one row of the time series
   (:func:`collab_sim.kernels.recording.record_month`).

Months run in compiled code (:func:`collab_sim.kernels.month.simulate_months`), which
takes each table as one record (``orgs.state()``, ``trust.state()``, ...) and the
parameters as :attr:`EcosystemModel.params` (:mod:`collab_sim.core.params`): :meth:`step` is
one call for one month, :meth:`run` one call for many months. All randomness comes from
``model.rng`` (seeded by ``config.seed``): every kernel draws from it directly (numba
shares the generator's state).
"""

from __future__ import annotations

import copy
import dataclasses

import mesa
import numba
import numpy as np

from collab_sim.config.schema import SimConfig
from collab_sim.config.validation import validate, validate_seed
from collab_sim.core.agents import AGENT_CLASSES, Organisation
from collab_sim.core.compile_notice import compile_notice
from collab_sim.core.kernel_cache import guard_kernel_cache
from collab_sim.core.params import Params, build_params, copy_record
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.core.population import build_organisations, transactional_mindset
from collab_sim.core.projects import ProjectTable, initial_projects
from collab_sim.core.recorder import Recorder
from collab_sim.core.trust_memory import TrustMemory
from collab_sim.kernels.month import simulate_months
from collab_sim.kernels.pipeline import seed_projects
from collab_sim.kernels.recording import PARTICIPATION_WINDOW
from collab_sim.kernels.rules.funding import fill_from_agencies
from collab_sim.vocabulary import SECTORS

NONPROFIT = SECTORS.index("nonprofit")

#: The last config prepared (a deep copy, seed 0) and its parameter records, pristine
#: (one slot, replaced whole, so a thread always reads a matching pair).
_PREPARED: list[tuple[SimConfig, Params]] = []


def prepare(config: SimConfig) -> Params:
    """Validate ``config`` and build its parameter records, once per config but its seed.

    A sweep job builds one model per replicate from configs that differ only in their
    seed; validating and converting the same values again cost about 2 ms of a 25 ms
    run. When ``config`` equals the last one prepared apart from its seed (compared with
    a deep copy kept here, so a config changed in place since is not taken for it), only
    the seed is checked and the kept records are copied (the parameters do not depend
    on the seed; each model gets its own arrays).

    Returns:
        The model's own parameter records.

    Raises:
        ConfigError: as :func:`collab_sim.config.validation.validate`.
    """
    key = dataclasses.replace(config, seed=0)
    last = _PREPARED[-1] if _PREPARED else None
    if last is not None and last[0] == key:
        validate_seed(config)
        return copy_record(last[1])
    params = build_params(validate(config))
    _PREPARED[:] = [(copy.deepcopy(key), params)]
    return copy_record(params)


class EcosystemModel(mesa.Model):
    """A collaborative R&D ecosystem: organisations forming and dissolving partnerships.

    Args:
        config: A validated :class:`SimConfig` (see :func:`collab_sim.make_config`);
            validated again here.

    Attributes:
        config: The run's configuration.
        params: Its parameters as records for the kernels
            (:class:`collab_sim.core.params.Params`).
        orgs: Organisation arrays (:class:`collab_sim.core.population.Organisations`).
        trust: Pairwise trust memory (:class:`collab_sim.core.trust_memory.TrustMemory`).
        partnerships: All partnerships
            (:class:`collab_sim.core.partnerships.PartnershipTable`).
        projects: All projects (:class:`collab_sim.core.projects.ProjectTable`).
        recorder: The time-series buffers (:class:`collab_sim.core.recorder.Recorder`).
        funding_pot: The agencies' pot, ``[money]``, for microgrants (filled monthly) or
            matching (filled once).
    """

    _kernels_loaded = False  # once per process

    def __init__(self, config: SimConfig) -> None:
        guard_kernel_cache()  # before any kernel loads: a damaged cache file is compiled again
        params = prepare(config)  # validated first: a bad config builds nothing
        self.config = config
        super().__init__(rng=config.seed)
        cfg = self.config
        #: Key of the run's keyed draws (a project's luck tied to the project), from model.rng.
        self.run_key = int(self.rng.integers(2**63))
        self.params = params
        self.orgs = build_organisations(cfg.population, self.rng)
        self.orgs.transactional = transactional_mindset(self.orgs.horizon, cfg.bottlenecks)
        self.trust = TrustMemory(self.orgs.n, cfg.trust, cfg.steps)
        # room for what a run of this length usually forms (the baseline: about 8
        # partnerships and 6.5 projects per organisation in 20 years) and a month more,
        # so most runs never stop to grow their tables (each stop costs a compiled call)
        months = max(cfg.steps, 1)
        rows = max(64, self.orgs.n * months // 24)
        self.partnerships = PartnershipTable.empty(rows, cfg.partnering.max_members)
        self.projects = ProjectTable.empty(max(256, 4 * self.orgs.n, self.orgs.n * months // 24))
        self.recorder = Recorder(cfg.steps)
        self.funding_pot = np.zeros(1)
        if cfg.funding.rule == "matching":
            self.funding_pot[0] = fill_from_agencies(
                cfg.funding.matching.program_budget, self.orgs.sector, self.orgs.resources
            )
        self._seed_pipeline()
        self._organisations: list[Organisation] | None = None  # Mesa agents: made on first use
        self._load_kernels()

    # ------------------------------------------------------------------ Mesa's agents

    def _make_agents(self) -> list[Organisation]:
        """The organisations' Mesa agents, made (and registered) the first time they are used.

        The step never uses them (it works on the arrays); a run that only reports its
        summary, as each run of a sweep does, never pays for them (about 1 ms of a 25 ms
        run). Every way to reach Mesa's agents below makes them first, in the order and
        with the ids (1..N) they would have had from the start. Making them draws nothing
        from the model's random streams.
        """
        if self._organisations is None:
            self._organisations = []  # registering each agent comes back here: no-op
            for index, sector in enumerate(self.orgs.sector):
                AGENT_CLASSES[SECTORS[sector]](self, index)
            self._organisations = sorted(mesa.Model.agents.fget(self), key=lambda a: a.index)
        return self._organisations

    @property
    def organisations(self) -> list[Organisation]:
        """The organisations' Mesa agents, by row index."""
        return self._make_agents()

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's set of every agent (the organisations', made on first use)."""
        self._make_agents()
        return mesa.Model.agents.fget(self)

    @property
    def agent_types(self) -> list[type]:
        """Mesa's agent types (the organisations', made on first use)."""
        self._make_agents()
        return mesa.Model.agent_types.fget(self)

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AgentSet]:
        """Mesa's agents by type (the organisations', made on first use)."""
        self._make_agents()
        return mesa.Model.agents_by_type.fget(self)

    def register_agent(self, agent: mesa.Agent) -> None:
        """Mesa's registration; the organisations' agents come first (ids 1..N)."""
        self._make_agents()
        super().register_agent(agent)

    def deregister_agent(self, agent: mesa.Agent) -> None:
        """Mesa's deregistration (of an agent made, so the organisations' come first)."""
        self._make_agents()
        super().deregister_agent(agent)

    def remove_all_agents(self) -> None:
        """Mesa's removal of every agent, the organisations' included."""
        self._make_agents()
        super().remove_all_agents()

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
        rows = np.array(start, dtype=np.int64).reshape(-1, 4)  # sponsor, stage, left, rare
        pr.count = seed_projects(
            pr.state(), pr.count, orgs.state(), rows[:, 0], rows[:, 1], rows[:, 2],
            rows[:, 3].astype(np.bool_), np.uint64(self.run_key),
        )  # fmt: skip

    def _kernel_state(self, months: int, first: int) -> tuple:
        """The arguments of :func:`collab_sim.kernels.month.simulate_months`: a record per table."""
        table, pr, rec = self.partnerships, self.projects, self.recorder
        return (
            months, first, self.orgs.state(), self.trust.state(), table.state(), table.count,
            pr.state(), pr.count, rec.state(), rec.rows, self.funding_pot, self.params,
            self.rng, np.uint64(self.run_key),
        )  # fmt: skip

    def _load_kernels(self) -> None:
        """Load the compiled month from numba's cache (or compile it) before the first step.

        Compilation happens once per machine (numba caches it next to the sources); a
        process that has to compile says so on stderr, as it takes a while.
        """
        if EcosystemModel._kernels_loaded:
            return
        types = tuple(numba.typeof(arg) for arg in self._kernel_state(0, 0))
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
                *self._kernel_state(months - done, first + done)
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
