"""collab_sim: an agent-based simulation of collaborative R&D ecosystems, built on Mesa.

Quick use from Python::

    import collab_sim
    cfg = collab_sim.make_config(seed=7, steps=240, power="equal")
    result = collab_sim.run(cfg)            # nothing written unless out_dir=... is given
    result.summary, result.timeseries, result.partnerships

For analysts' tools (EMA Workbench, notebooks): ``parameter_space()`` (every settable key
with its type, bounds and doc), ``configure(overrides)`` (a validated config in about a
millisecond), ``outcome_names()`` and ``flat_outcomes(summary)`` (the summary as floats),
``replicate_seeds`` (the command line's seeds) and ``run_many(points, replicates=R,
processes=P)`` (one tidy DataFrame of runs).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collab_sim.api.batch import run_many
    from collab_sim.api.outcomes import flat_outcomes, outcome_names
    from collab_sim.api.overrides import configure
    from collab_sim.api.space import parameter_space
    from collab_sim.config.composition import make_config
    from collab_sim.config.schema import ConfigError, SimConfig
    from collab_sim.core.model import EcosystemModel
    from collab_sim.simulation import RunResult, run
    from collab_sim.sweeps.seeds import replicate_seeds

__all__ = [
    "ConfigError",
    "EcosystemModel",
    "RunResult",
    "SimConfig",
    "configure",
    "flat_outcomes",
    "make_config",
    "outcome_names",
    "parameter_space",
    "replicate_seeds",
    "run",
    "run_many",
]
__version__ = "0.1.0"

#: Where each public name lives. Imported on first use (PEP 562), so that a process that
#: needs only the configuration -- a sweep's launcher, ``collab-sim --help`` -- does not
#: pay for importing Mesa, numba and the kernels (about 2 s).
_HOME = {
    "ConfigError": "collab_sim.config.schema",
    "SimConfig": "collab_sim.config.schema",
    "make_config": "collab_sim.config.composition",
    "EcosystemModel": "collab_sim.core.model",
    "RunResult": "collab_sim.simulation",
    "run": "collab_sim.simulation",
    "parameter_space": "collab_sim.api.space",
    "configure": "collab_sim.api.overrides",
    "outcome_names": "collab_sim.api.outcomes",
    "flat_outcomes": "collab_sim.api.outcomes",
    "replicate_seeds": "collab_sim.sweeps.seeds",
    "run_many": "collab_sim.api.batch",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'collab_sim' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
