"""R&D projects as column arrays (:class:`ProjectTable`) and the pipeline at month 0."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collab_sim.config.schema import PipelineConfig
from collab_sim.core.columns import grow_columns, record_type
from collab_sim.vocabulary import STAGE_NAMES, STAGES

_MINUS_ONE = frozenset(
    {"partnership", "origin_partnership", "sponsor", "origin", "entered", "ended", "enrol_taken"}
)


@dataclass
class ProjectTable:
    """Column arrays of all projects (``count`` rows in use).

    ``partnered_clinical`` is true once a partnership ran the project in a month of
    phase 1, 2 or 3; ``restarts`` counts the times a deal carrying it broke inside its
    scope (each costs the months to find a way on and agree it). ``planned`` holds the
    months drawn for each stage at entry, ``stage_end_reason`` how each stage ended
    (``STAGE_END_REASONS``). Enrolment of the current clinical stage's trial:
    ``enrolled`` (share, 1 outside phases 1-3), ``attainment`` (the trial's own pace),
    ``enrol_months`` (months enrolling so far); per phase 1-3, ``enrol_planned`` and
    ``enrol_taken`` (planned and actual enrolment months, -1 until enrolled). ``waiting``
    counts the months it has waited for a partner who may direct its stage; ``origin`` is
    the organisation that started it (or held it at month 0). ``key`` ties its own luck
    (stage outcomes and months, trial pace) to it (:mod:`collab_sim.kernels.draws`).
    ``milestone`` counts the internal milestones of discovery it has passed (hit, lead;
    :mod:`collab_sim.kernels.stage_outcome`). A later trial of its partnership waits for
    its site agreements until month ``sites_ready``; ``site_months`` sums those waits
    (:func:`collab_sim.kernels.contracting.site_agreement_months`).
    """

    count: int
    stage: np.ndarray
    outcome: np.ndarray
    partnership: np.ndarray
    origin_partnership: np.ndarray
    sponsor: np.ndarray
    rare: np.ndarray
    entered: np.ndarray
    stage_end: np.ndarray
    started: np.ndarray
    ended: np.ndarray
    spent: np.ndarray
    handovers: np.ndarray
    reach: np.ndarray
    stalled: np.ndarray
    stop_reason: np.ndarray
    delay: np.ndarray
    partnered_clinical: np.ndarray
    restarts: np.ndarray
    planned: np.ndarray
    stage_end_reason: np.ndarray
    enrolled: np.ndarray
    attainment: np.ndarray
    enrol_months: np.ndarray
    enrol_planned: np.ndarray
    enrol_taken: np.ndarray
    waiting: np.ndarray
    origin: np.ndarray
    key: np.ndarray
    milestone: np.ndarray
    sites_ready: np.ndarray
    site_months: np.ndarray

    @classmethod
    def empty(cls, capacity: int) -> ProjectTable:
        """A table with room for ``capacity`` projects."""
        c = capacity
        return cls(
            count=0,
            stage=np.zeros(c, dtype=np.int8),
            outcome=np.zeros(c, dtype=np.int8),
            partnership=np.full(c, -1, dtype=np.int32),
            origin_partnership=np.full(c, -1, dtype=np.int32),
            sponsor=np.full(c, -1, dtype=np.int32),
            rare=np.zeros(c, dtype=np.bool_),
            entered=np.full((c, len(STAGE_NAMES)), -1, dtype=np.int32),
            stage_end=np.zeros(c, dtype=np.int32),
            started=np.zeros(c, dtype=np.int32),
            ended=np.full(c, -1, dtype=np.int32),
            spent=np.zeros(c),
            handovers=np.zeros(c, dtype=np.int32),
            reach=np.zeros(c),
            stalled=np.zeros(c, dtype=np.int32),
            stop_reason=np.zeros(c, dtype=np.int8),
            delay=np.zeros(c),
            partnered_clinical=np.zeros(c, dtype=np.bool_),
            restarts=np.zeros(c, dtype=np.int16),
            planned=np.zeros((c, len(STAGES)), dtype=np.int16),
            stage_end_reason=np.zeros((c, len(STAGES)), dtype=np.int8),
            enrolled=np.ones(c),
            attainment=np.ones(c),
            enrol_months=np.zeros(c, dtype=np.int16),
            enrol_planned=np.zeros((c, 3), dtype=np.int16),
            enrol_taken=np.full((c, 3), -1, dtype=np.int16),
            waiting=np.zeros(c, dtype=np.int16),
            origin=np.full(c, -1, dtype=np.int32),
            key=np.zeros(c, dtype=np.uint64),
            milestone=np.zeros(c, dtype=np.int8),
            sites_ready=np.zeros(c, dtype=np.int32),
            site_months=np.zeros(c, dtype=np.int16),
        )

    def reserve(self, extra: int) -> None:
        """Make room for ``extra`` more projects (amortised doubling)."""
        need = self.count + extra
        if need <= self.stage.size:
            return
        grow_columns(self, max(need, 2 * self.stage.size), _MINUS_ONE)

    def state(self) -> ProjectState:
        """The column arrays as one record for the kernels (rebuilt after the table grows)."""
        return ProjectState(*(getattr(self, name) for name in ProjectState._fields))


ProjectState = record_type(
    ProjectTable,
    "ProjectState",
    """The projects as the kernels see them (``projects``): one record of arrays.

The array columns of :class:`ProjectTable`, same names, meanings and order (derived from
the table's fields); row ``j`` is project ``j``.
""",
)


def initial_projects(
    cfg: PipelineConfig,
    counts: np.ndarray,
    capability: np.ndarray,
    threshold: float,
    rng: np.random.Generator,
) -> list[tuple[int, int, int, bool]]:
    """The pipeline at month 0: ``(sponsor, stage, months_left, rare)`` per project.

    Stages follow ``initial_stage_shares``; each project is a uniform way through its
    stage's drawn duration.
    """
    shares = np.asarray(cfg.initial_stage_shares, dtype=float)
    shares /= shares.sum()
    sponsors = np.repeat(np.arange(counts.size), counts)
    stages = rng.choice(len(STAGES), size=sponsors.size, p=shares)
    needs = np.asarray(cfg.stage_needs, dtype=float)
    covered = np.minimum(1.0, capability[sponsors] / threshold)
    cov = (covered * needs[stages]).sum(axis=1) / needs[stages].sum(axis=1)
    mean = np.asarray(cfg.stage_months)[stages] * (1.0 + cfg.coverage_on_duration * (1.0 - cov))
    full = rng.gamma(cfg.duration_shape, mean / cfg.duration_shape)
    left = np.maximum(1, np.round(full * rng.random(sponsors.size))).astype(int)
    rare = rng.random(sponsors.size) < cfg.rare_disease_share
    return list(zip(sponsors.tolist(), stages.tolist(), left.tolist(), rare.tolist(), strict=True))
