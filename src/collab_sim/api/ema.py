"""EMA Workbench adapter: the model as an ``ema_workbench.Model`` (``pip install collab-sim[ema]``).

    >>> from ema_workbench import MultiprocessingEvaluator, perform_experiments
    >>> from collab_sim.api.ema import model
    >>> m = model(
    ...     uncertainties=["bottlenecks.role_ambiguity", "bottlenecks.cultural_mismatch"],
    ...     levers={"remedies.partnership_managers": (0.0, 1.0)},
    ...     replications=3,
    ... )
    >>> with MultiprocessingEvaluator(m, n_processes=2) as evaluator:
    ...     experiments, outcomes = perform_experiments(m, 100, evaluator=evaluator)

Parameters come from :func:`collab_sim.parameter_space`: a float key becomes a
``RealParameter``, an integer key an ``IntegerParameter``, a config group or a text key
with choices a ``CategoricalParameter``, over the schema's range unless narrower bounds
are given, which are checked against the schema before any experiment runs (a
:class:`ConfigError` naming the key). EMA names are identifiers (``.`` -> ``__``); each
parameter's ``variable_name`` is the dotted key. Each experiment runs ``replications``
paired seeds (:func:`collab_sim.replicate_seeds` of ``seed``) with ``outputs=summary``,
and its outcomes are the flat outcomes (:func:`collab_sim.outcome_names`; ``outcomes=
"scalars"``: every summary scalar) averaged over
them (NaN-aware) and, with more than one replication, their standard deviations
(``<outcome>_sd``). The kernels are compiled (or loaded) before the model is returned, so
workers only load them from numba's cache.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from collab_sim.api.outcomes import outcome_names
from collab_sim.api.space import Parameter, parameter_space
from collab_sim.config.schema import ConfigError

Spec = Sequence[str] | Mapping[str, Any]


def ema_name(key: str) -> str:
    """The EMA name of a dotted key (an identifier): ``.`` becomes ``__``."""
    return key.replace(".", "__").replace("-", "_")


class Experiment:
    """What one EMA experiment runs: a point, ``replications`` paired seeds, mean outcomes.

    A module-level class, so EMA's multiprocessing evaluator can pickle it.
    """

    def __init__(
        self, constants: Mapping[str, Any], replications: int, seed: int, outcomes: list[str]
    ) -> None:
        self.constants = dict(constants)
        self.replications = replications
        self.seed = seed
        self.outcomes = outcomes

    def __call__(self, **point: Any) -> dict[str, float]:
        """Run the point (keys dotted, values as EMA samples them); mean outcomes."""
        import dataclasses

        from collab_sim.api.outcomes import flat_outcomes
        from collab_sim.api.overrides import configure
        from collab_sim.simulation import run
        from collab_sim.sweeps.seeds import replicate_seeds

        values = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in point.items()}
        cfg = dataclasses.replace(configure({**self.constants, **values}), outputs="summary")
        runs = [
            flat_outcomes(run(dataclasses.replace(cfg, seed=s)).summary, all_scalars=True)
            for s in replicate_seeds(self.seed, [], self.replications)
        ]
        out = {}
        for name in self.outcomes:
            column = np.array([r[name] for r in runs], dtype=float)
            known = column[~np.isnan(column)]
            out[name] = float(known.mean()) if known.size else math.nan
            if self.replications > 1:
                sd = float(known.std(ddof=1)) if known.size > 1 else math.nan
                out[f"{name}_sd"] = sd
        return out


def _bounds(p: Parameter, given: Any) -> tuple[float, float]:
    low, high = (p.low, p.high) if given is None else given
    if p.low is not None and (low < p.low or (low == p.low and not p.low_inclusive)):
        raise ConfigError(p.key, low, f"is below the key's range (from {p.low})")
    if p.high is not None and high > p.high:
        raise ConfigError(p.key, high, f"is above the key's range (to {p.high})")
    if not low < high:
        raise ConfigError(p.key, [low, high], "bounds must be low < high")
    return low, high


def _parameters(spec: Spec | None, space: dict[str, Parameter]) -> list[Any]:
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    items = dict(spec) if isinstance(spec, Mapping) else dict.fromkeys(spec or [])
    made = []
    for key, given in items.items():
        if key not in space:
            raise ConfigError(key, given, "is not a config key (collab_sim.parameter_space())")
        p = space[key]
        name = ema_name(key)
        if p.choices is not None:
            choices = list(given) if given is not None else list(p.choices)
            bad = [c for c in choices if c not in p.choices]
            if bad:
                raise ConfigError(key, bad[0], "allowed: " + ", ".join(p.choices))
            made.append(CategoricalParameter(name, choices, variable_name=key))
        elif p.kind == "float":
            low, high = _bounds(p, given)
            if not p.low_inclusive and low == p.low:
                low = math.nextafter(low, math.inf)
            made.append(RealParameter(name, float(low), float(high), variable_name=key))
        elif p.kind == "int":
            low, high = _bounds(p, given)
            made.append(IntegerParameter(name, int(low), int(high), variable_name=key))
        else:
            raise ConfigError(key, p.kind, "must be a number, a text key with choices or a group")
    return made


def model(
    uncertainties: Spec = (),
    levers: Spec = (),
    *,
    outcomes: str | Sequence[str] = "all",
    replications: int = 1,
    seed: int = 0,
    constants: Mapping[str, Any] | None = None,
    name: str = "collab_sim",
) -> Any:
    """A ready ``ema_workbench.Model`` of collab_sim.

    Args:
        uncertainties: Keys (the schema's ranges) or ``{key: (low, high)}`` /
            ``{group: [options]}``.
        levers: The same, for policy levers.
        outcomes: ``"all"`` (the documented flat outcomes), ``"scalars"`` (every summary
            scalar, ``outcome_names(all_scalars=True)``) or a list of their identifiers.
        replications: Paired seeds per experiment.
        seed: The seed the replications' seeds come from.
        constants: Overrides every experiment shares (``{"steps": 120}``).
        name: The model's EMA name.

    Returns:
        The EMA model.

    Raises:
        ConfigError: for an unknown key, bounds outside the schema's, an unknown outcome
            or a bad constant, before anything runs.
    """
    from ema_workbench import Model, ScalarOutcome

    from collab_sim.api.overrides import configure
    from collab_sim.core.model import EcosystemModel

    if replications < 1:
        raise ConfigError("replications", replications, "must be >= 1")
    space = parameter_space()
    every = [o.identifier for o in outcome_names(all_scalars=True)]
    if outcomes in ("all", "scalars"):
        chosen = [o.identifier for o in outcome_names()] if outcomes == "all" else every
    else:
        chosen = list(outcomes)
    for o in chosen:
        if o not in every:
            raise ConfigError(
                "outcomes", o, "must name outcomes of collab_sim.outcome_names(all_scalars=True)"
            )
    base = configure(constants or {})  # a bad constant fails here, once
    m = Model(name, function=Experiment(constants or {}, replications, seed, chosen))
    m.uncertainties = _parameters(uncertainties, space)
    m.levers = _parameters(levers, space)
    names = [*chosen, *(f"{o}_sd" for o in chosen)] if replications > 1 else chosen
    m.outcomes = [ScalarOutcome(n) for n in names]
    EcosystemModel(base)  # compile or load the kernels before any worker starts
    return m
