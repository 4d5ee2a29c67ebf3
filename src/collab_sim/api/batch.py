"""Batches of runs from Python: points x replicates, one tidy DataFrame of flat outcomes.

    >>> import collab_sim
    >>> runs = collab_sim.run_many(
    ...     [{"remedies.partnership_managers": 0.0}, {"remedies.partnership_managers": 1.0}],
    ...     replicates=10, processes=2,
    ... )
    >>> runs.groupby("remedies.partnership_managers")["approvals"].mean()

Seeds are the command line's (:func:`collab_sim.sweeps.seeds.replicate_seeds`): paired by
default, so replicate r of every point has the same seed and points can be compared seed
by seed. Each run builds no tables (``outputs=summary``). With ``processes`` > 1 the runs
are spread over worker processes (joblib's loky); the kernels are compiled (or loaded
from numba's cache) in this process first, so workers only load them. The same points,
replicates and seed give the same frame whatever ``processes`` is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from collab_sim.api.outcomes import flat_outcomes
from collab_sim.api.overrides import configure
from collab_sim.config.schema import SimConfig
from collab_sim.sweeps.seeds import replicate_seeds


def _one(cfg: SimConfig, all_scalars: bool) -> dict[str, float]:
    from collab_sim.simulation import run

    return flat_outcomes(run(cfg).summary, all_scalars=all_scalars)


def run_many(
    points: Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    *,
    replicates: int = 1,
    seed: int = 0,
    seeds: str = "paired",
    processes: int = 1,
    all_scalars: bool = False,
) -> pd.DataFrame:
    """Run every point ``replicates`` times; one row per run.

    Args:
        points: Overrides per point (as :func:`collab_sim.configure` takes them); ``[{}]``
            is the baseline.
        replicates: Runs per point.
        seed: The batch's seed (replicate seeds are derived from it).
        seeds: ``paired`` (replicate r of every point has the same seed) or
            ``independent``.
        processes: Worker processes (1: in this process).
        all_scalars: Every numeric summary scalar, not only the documented outcomes.

    Returns:
        Columns ``point`` (its index), ``replicate``, ``seed``, each key any point sets
        (its value, NaN where a point does not set it), then the outcomes
        (:func:`collab_sim.outcome_names`).

    Raises:
        ConfigError: for a bad point, before any run.
    """
    points = [dict(p) for p in points]
    if replicates < 1:
        from collab_sim.config.schema import ConfigError

        raise ConfigError("replicates", replicates, "must be >= 1")
    configs = [dataclasses.replace(configure(p), outputs="summary") for p in points]
    tasks = []
    for k, (point, cfg) in enumerate(zip(points, configs, strict=True)):
        strings = [f"{key}={value}" for key, value in point.items()]
        for r, s in enumerate(replicate_seeds(seed, strings, replicates, seeds)):
            tasks.append((k, r, s, dataclasses.replace(cfg, seed=s)))
    if processes > 1 and len(tasks) > 1:
        from joblib import Parallel, delayed

        from collab_sim.core.model import EcosystemModel

        EcosystemModel(configs[0])  # compile or load the kernels here, before the workers
        outcomes = Parallel(n_jobs=processes)(delayed(_one)(cfg, all_scalars) for *_, cfg in tasks)
    else:
        outcomes = [_one(cfg, all_scalars) for *_, cfg in tasks]
    keys = list(dict.fromkeys(key for p in points for key in p))
    rows = []
    for (k, r, s, _), result in zip(tasks, outcomes, strict=True):
        rows.append({"point": k, "replicate": r, "seed": s, **points[k], **result})
    return pd.DataFrame(rows, columns=["point", "replicate", "seed", *keys, *outcomes[0]])
