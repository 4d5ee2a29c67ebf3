"""R&D projects as column arrays (:class:`ProjectTable`) and the pipeline at month 0."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from collab_sim.config.schema import PipelineConfig
from collab_sim.core.columns import grow_columns
from collab_sim.vocabulary import (
    OUTCOMES,
    SECTORS,
    STAGE_NAMES,
    STAGES,
    STOP_REASONS,
)

_MINUS_ONE = frozenset({"partnership", "origin_partnership", "sponsor", "entered", "ended"})


@dataclass
class ProjectTable:
    """Column arrays of all projects (``count`` rows in use)."""

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
        )

    def reserve(self, extra: int) -> None:
        """Make room for ``extra`` more projects (amortised doubling)."""
        need = self.count + extra
        if need <= self.stage.size:
            return
        grow_columns(self, max(need, 2 * self.stage.size), _MINUS_ONE)

    def to_frame(self, sector: np.ndarray) -> pd.DataFrame:
        """One row per project: ids, sponsor sector, stage reached, stage entry months, outcome."""
        n = self.count
        sponsor = self.sponsor[:n]
        frame = {
            "project_id": np.arange(n, dtype=np.int64),
            "partnership_id": _nullable(self.partnership[:n]),
            "origin_partnership_id": _nullable(self.origin_partnership[:n]),
            "sponsor_id": sponsor.astype(np.int64),
            "sponsor_sector": np.asarray(SECTORS)[sector[sponsor]] if n else np.array([], str),
            "rare_disease": self.rare[:n].copy(),
            "stage_reached": pd.Categorical.from_codes(self.stage[:n], list(STAGE_NAMES)),
            "outcome": pd.Categorical.from_codes(self.outcome[:n], list(OUTCOMES)),
            "started_step": self.started[:n].astype(np.int64),
            "ended_step": _nullable(self.ended[:n]),
            "stopped_because": pd.Categorical.from_codes(self.stop_reason[:n], list(STOP_REASONS)),
        }
        for k, name in enumerate(STAGE_NAMES):
            frame[f"entered_{name}"] = _nullable(self.entered[:n, k])
        frame |= {
            "handovers": self.handovers[:n].astype(np.int64),
            "spent": self.spent[:n],
            "patient_reach": self.reach[:n],
        }
        return pd.DataFrame(frame)


def _nullable(values: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), mask=values < 0)


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
