"""collab_sim: an agent-based simulation of collaborative R&D ecosystems, built on Mesa.

Quick use from Python::

    import collab_sim
    cfg = collab_sim.make_config(seed=7, steps=240, power="equal")
    result = collab_sim.run(cfg)            # nothing written unless out_dir=... is given
    result.summary, result.timeseries, result.partnerships
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collab_sim.config.composition import make_config
    from collab_sim.config.schema import ConfigError, SimConfig
    from collab_sim.core.model import EcosystemModel
    from collab_sim.simulation import RunResult, run

__all__ = ["ConfigError", "EcosystemModel", "RunResult", "SimConfig", "make_config", "run"]
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
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'collab_sim' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
