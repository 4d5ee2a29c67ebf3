"""Shared builders for the tests: small hand-built states, kernel calls and run summaries.

Two kinds of state:

* :func:`small_model` -- a real model of the ``small`` population, one month configured,
  whose tables the tests fill by hand (:func:`add_projects`, :func:`make_partnership`)
  before calling a kernel on its records (:func:`run_pipeline`, :func:`run_setup`);
* :class:`World` -- a tiny ecosystem built from scratch (a handful of identical
  organisations), for the partnering and collaboration kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import collab_sim
from collab_sim.config.composition import make_config
from collab_sim.core.model import EcosystemModel
from collab_sim.core.params import Params, build_params
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.core.population import Organisations
from collab_sim.core.projects import ProjectTable
from collab_sim.core.trust_memory import TrustMemory
from collab_sim.kernels.draws import mix
from collab_sim.kernels.partnering import setup_partnerships
from collab_sim.kernels.pipeline import new_project, pipeline_month
from collab_sim.kernels.rules.trust import remember
from collab_sim.vocabulary import CULTURE_AXES, DOMAINS, END_CAUSES, STAGES
from tests.conftest import cached_run

# --------------------------------------------------------------------------- a real model


def small_model(**overrides) -> EcosystemModel:
    """A model of the ``small`` population (seed 0, one month) whose money never runs out."""
    cfg = collab_sim.make_config(population="small", seed=0, steps=1, **overrides)
    model = EcosystemModel(cfg)
    model.orgs.resources[:] = 1e6  # money never limits these experiments
    return model


def add_projects(model, sponsor, partnership, stage, n, step=1):
    """``n`` projects of ``sponsor`` (and ``partnership``) whose stage ends at ``step``."""
    pr = model.projects
    pr.reserve(n)
    first = pr.count
    state = pr.state()
    for j in range(first, first + n):  # a key of its own: its own luck
        key = np.uint64(mix(np.uint64(model.run_key), j))
        new_project(state, j, sponsor, partnership, 0, stage, step, False, key)
    pr.count += n
    return np.arange(first, first + n, dtype=np.int32)


def make_partnership(model, members, trust):
    """An active partnership of ``members`` (the first leads) who trust each other ``trust``."""
    table = model.partnerships
    table.reserve(1)
    p = table.count
    table.count += 1
    table.is_active[p] = True
    table.size[p] = len(members)
    table.members[p, : len(members)] = members
    table.lead[p] = members[0]
    memory, params = model.trust.state(), model.params.trust
    for a in members:
        for b in members:
            if a != b:
                remember(memory, params, model.orgs.sector, a, b, trust, 1)
    return p


def run_pipeline(model, seed, step, order):
    """One month of the pipeline kernel for the projects in ``order``; returns approvals."""
    return pipeline_month(
        np.random.default_rng(seed), step, order, model.orgs.state(), model.trust.state(),
        model.partnerships.state(), model.projects.state(), model.params,
    )  # fmt: skip


def run_setup(model, seed, first, last):
    """Remedies and bottlenecks of partnerships ``first..last-1`` of the model."""
    setup_partnerships(
        np.random.default_rng(seed),
        1,
        first,
        last,
        model.orgs.state(),
        model.trust.state(),
        model.partnerships.state(),
        model.params,
    )


# --------------------------------------------------------------------------- a tiny world


@dataclass
class World:
    """A tiny ecosystem built by hand: ``n`` identical companies and their tables.

    Attributes:
        orgs: The organisations (edit their arrays to make them differ).
        trust: The trust memory.
        parts: The partnership table.
        projects: The project table.
        params: The parameter records (from the defaults and the overrides).
        pot: The agencies' pot.
    """

    orgs: Organisations
    trust: TrustMemory
    parts: PartnershipTable
    projects: ProjectTable
    params: Params
    pot: np.ndarray

    def partnership(self, members, trust=None, **columns) -> int:
        """Add an active partnership of ``members`` (the first leads); returns its id.

        Members get equal value and contribution shares and satisfaction 0.7; ``trust``
        (if given) is every member's remembered trust in every other; ``columns`` set
        other columns of the row, e.g. ``conflict_chance=1.0``.
        """
        table = self.parts
        p = table.count
        table.count += 1
        n = len(members)
        table.is_active[p] = True
        table.size[p] = n
        table.members[p, :n] = members
        table.lead[p] = members[0]
        table.formed[p] = 0
        table.duration[p] = 1000
        table.coverage[p] = 1.0
        table.budget[p] = table.initial_budget[p] = 1e6
        table.planned_value[p] = 1.0
        table.share[p, :n] = table.contribution[p, :n] = 1.0 / n
        table.satisfaction[p, :n] = 0.7
        for name, value in columns.items():
            getattr(table, name)[p] = value
        for m in members:
            self.orgs.active[m, self.orgs.n_active[m]] = p
            self.orgs.n_active[m] += 1
        if trust is not None:
            for a in members:
                for b in members:
                    if a != b:
                        self.remember(a, b, trust)
        return p

    def remember(self, i, j, value, step=0) -> None:
        """Set ``i``'s remembered trust in ``j``."""
        remember(self.trust.state(), self.params.trust, self.orgs.sector, i, j, value, step)

    def trust_in(self, i, j, step) -> float:
        """``i``'s current trust in ``j``."""
        return self.trust.of(self.orgs.sector, i, j, step)


def world(n: int = 6, members: int = 4, **overrides) -> World:
    """``n`` identical companies (mid capability, same culture, rich, free to partner).

    Args:
        n: Number of organisations.
        members: Largest partnership (width of the member columns).
        **overrides: Config overrides (dotted keys), applied to the defaults.
    """
    cfg = make_config({"partnering.max_members": members} | overrides)
    slots = 4
    orgs = Organisations(
        subtype_names=["company"],
        subtype=np.zeros(n, dtype=np.int16),
        sector=np.zeros(n, dtype=np.int8),
        capability=np.full((n, len(DOMAINS)), 0.5),
        resources=np.full(n, 1000.0),
        income=np.zeros(n),
        overhead=np.zeros(n),
        volatility=np.zeros(n),
        culture=np.full((n, len(CULTURE_AXES)), 0.5),
        data_regime=np.zeros(n, dtype=np.int8),
        horizon=np.full(n, 120.0),
        search_rate=np.zeros(n),
        max_partnerships=np.full(n, slots, dtype=np.int32),
        partnership_cost=np.full(n, 0.01),
        n_active=np.zeros(n, dtype=np.int32),
        active=np.full((n, slots), -1, dtype=np.int32),
        last_active=np.full(n, -1, dtype=np.int32),
        value_received=np.zeros(n),
        credit_received=np.zeros(n),
        initial_projects=np.zeros(n, dtype=np.int32),
        project_start_rate=np.zeros(n),
        max_projects=np.full(n, 2, dtype=np.int32),
        n_projects=np.zeros(n, dtype=np.int32),
        projects=np.full((n, 2), -1, dtype=np.int32),
        solo_last_stage=np.full(n, len(STAGES) - 1, dtype=np.int8),
        transactional=np.zeros(n),
    )
    return World(
        orgs=orgs,
        trust=TrustMemory(n, cfg.trust),
        parts=PartnershipTable.empty(4 * n, members),
        projects=ProjectTable.empty(8 * n),
        params=build_params(cfg),
        pot=np.zeros(1),
    )


def scratch(w: World) -> dict[str, np.ndarray]:
    """Fresh output and scratch arrays of ``work_month`` for the world ``w``."""
    width = w.parts.members.shape[1]
    return {
        "ended_by_cause": np.zeros(len(END_CAUSES), dtype=np.int64),
        "repair_stats": np.zeros(2),
        "member_trust": np.empty(width),
        "member_tau": np.empty(width),
        "pair_trust": np.empty((width, width)),
    }


# --------------------------------------------------------------------------- whole runs

SEEDS = (0, 1, 2)


def runs(**overrides):
    """The cached runs of seeds :data:`SEEDS` with ``overrides``."""
    return [cached_run(seed=s, **overrides) for s in SEEDS]


def total(results, cause):
    """Dissolutions by ``cause`` over ``results``."""
    return sum(r.summary["dissolutions_by_cause"][cause] for r in results)


def mean(results, key):
    """Mean of the summary figure ``key`` over ``results``."""
    return float(np.mean([r.summary[key] for r in results]))


def work_rate(results):
    """Progress per good month, and share of good months, over all partnerships."""
    p = [r.partnerships for r in results]
    worked = [x[x.good_months > 0] for x in p]
    per_good = np.mean([(x.progress / x.good_months).mean() for x in worked])
    good_share = np.mean([(x.good_months / (x.good_months + x.bad_months)).mean() for x in worked])
    return per_good, good_share
