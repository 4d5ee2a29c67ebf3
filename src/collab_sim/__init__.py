"""collab_sim: an agent-based simulation of collaborative R&D ecosystems, built on Mesa.

Quick use from Python::

    import collab_sim
    cfg = collab_sim.make_config(seed=7, steps=240, power="equal")
    result = collab_sim.run(cfg)            # nothing written unless out_dir=... is given
    result.summary, result.timeseries, result.partnerships
"""

from collab_sim.config import ConfigError, SimConfig, make_config
from collab_sim.model import EcosystemModel
from collab_sim.simulation import RunResult, run

__all__ = ["ConfigError", "EcosystemModel", "RunResult", "SimConfig", "make_config", "run"]
__version__ = "0.1.0"
