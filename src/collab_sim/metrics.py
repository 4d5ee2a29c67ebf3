"""Measurements of a run: the one-row summary every run reports.

All functions read the model's arrays; none loops over agents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from collab_sim.config import SECTORS
from collab_sim.partnerships import COMPLETED, END_CAUSES

if TYPE_CHECKING:
    from collab_sim.model import EcosystemModel


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 all to one); 0 for all-zero."""
    x = np.sort(np.clip(np.asarray(values, dtype=np.float64), 0.0, None))
    n = x.size
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * np.sum(ranks * x) / (n * x.sum())) - (n + 1.0) / n)


def shares_by_sector(values: np.ndarray, sector: np.ndarray) -> dict[str, float]:
    """Share of the total of ``values`` held by each sector (zeros when the total is 0)."""
    sums = np.bincount(sector, weights=values, minlength=len(SECTORS))
    total = sums.sum()
    return {s: float(sums[k] / total) if total > 0 else 0.0 for k, s in enumerate(SECTORS)}


def summarise(model: EcosystemModel) -> dict[str, Any]:
    """The run's summary: scalar metrics, plus a few small objects keyed by name.

    Returns:
        A JSON-serialisable dict (see README for the meaning of each key).
    """
    orgs, table, cfg = model.orgs, model.partnerships, model.config
    n = table.count
    cause = table.cause[:n]
    ended = cause > 0
    durations = (table.ended[:n] - table.formed[:n])[ended]
    counts = np.bincount(cause, minlength=len(END_CAUSES))
    n_ended = int(ended.sum())
    return {
        "seed": cfg.seed,
        "steps": int(model.steps),
        "scenario": cfg.scenario_name,
        "trust_rule": cfg.trust.rule,
        "funding_rule": cfg.funding.rule,
        "power_rule": cfg.power.rule,
        "n_organisations": orgs.n,
        "partnerships_formed": int(n),
        "partnerships_dissolved": n_ended,
        "partnerships_active_end": int(table.is_active[:n].sum()),
        "consortium_share": float((table.size[:n] > 2).mean()) if n else 0.0,
        "mean_partnership_duration_months": float(durations.mean()) if n_ended else 0.0,
        "dissolutions_by_cause": {c: int(counts[k]) for k, c in enumerate(END_CAUSES) if k > 0},
        "completion_share": float(counts[COMPLETED] / n_ended) if n_ended else 0.0,
        "early_ending_share": float(1.0 - counts[COMPLETED] / n_ended) if n_ended else 0.0,
        "nonprofit_participation": model.nonprofit_participation(),
        "value_created": float(table.value_paid[:n].sum()),
        "value_share_by_sector": shares_by_sector(orgs.value_received, orgs.sector),
        "credit_share_by_sector": shares_by_sector(orgs.credit_received, orgs.sector),
        "value_gini": gini(orgs.value_received),
        "mean_trust": model.mean_trust(),
    }
