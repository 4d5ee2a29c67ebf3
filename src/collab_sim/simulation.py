"""Running a simulation from Python: one call from config to pandas results.

    >>> import collab_sim
    >>> cfg = collab_sim.make_config(seed=3, steps=120, power="equal")
    >>> result = collab_sim.run(cfg)
    >>> result.summary["partnerships_formed"], result.timeseries.shape

Nothing is written to disk unless ``out_dir`` is given or :meth:`RunResult.save` is called.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from collab_sim.config.composition import make_config
from collab_sim.config.schema import SimConfig
from collab_sim.config.validation import to_dict
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.files import write_run
from collab_sim.outputs.progress import Progress
from collab_sim.outputs.summary import summarise
from collab_sim.outputs.tables import partnerships_frame, projects_frame, timeseries_frame

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: Months simulated per compiled call when progress is shown (a bar update a year).
PROGRESS_MONTHS = 12


@dataclass
class RunResult:
    """What a run produced.

    Attributes:
        config: The configuration the run used.
        timeseries: One row per month (``None`` when ``config.outputs`` is ``summary``).
        partnerships: One row per partnership (``None`` unless ``config.outputs`` is
            ``all``).
        projects: One row per R&D project (as ``partnerships``).
        summary: Scalar metrics (and a few small objects keyed by name).
        model: The model after the run, for further queries.
        wall_seconds: Wall time of the steps (excluding model construction).
    """

    config: SimConfig
    timeseries: pd.DataFrame | None
    partnerships: pd.DataFrame | None
    projects: pd.DataFrame | None
    summary: dict[str, Any]
    model: EcosystemModel
    wall_seconds: float

    def save(self, out_dir: str | Path, config_text: str | None = None) -> Path:
        """Write the run's files (config.yaml, three Parquet tables, summary.json) atomically.

        Args:
            out_dir: The run directory (created if missing).
            config_text: ``config_yaml(self.config)`` when the caller has it already.
        """
        out = Path(out_dir)
        write_run(
            out,
            config_text if config_text is not None else config_yaml(self.config),
            self.timeseries,
            self.partnerships,
            self.projects,
            self.summary,
        )
        return out


def config_yaml(cfg: SimConfig) -> str:
    """The resolved config as YAML.

    PyYAML's C dumper gives the same text as ``OmegaConf.to_yaml`` of the same dict
    (tested) in a third of the time, which matters once per run in sweeps.
    """
    return yaml.dump(to_dict(cfg), Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def config_yaml_by_seed(cfg: SimConfig) -> Callable[[int], str]:
    """``seed -> config_yaml(replace(cfg, seed=seed))``, dumping the config once.

    A sweep's replicates differ only in their seed; dumping the whole config costs about
    8 ms a run (PyYAML's representer is Python even with the C emitter), a quarter of a
    summary-only run. The seed is the first line of the dump (``seed: N``), so the text
    of every replicate is that line plus the rest, the same bytes (tested).
    """
    text = config_yaml(dataclasses.replace(cfg, seed=0))
    head, rest = text.split("\n", 1)
    if head != "seed: 0":  # the schema's field order changed: dump each time
        return lambda seed: config_yaml(dataclasses.replace(cfg, seed=seed))
    return lambda seed: f"seed: {seed}\n{rest}"


def run(
    config: SimConfig | None = None,
    *,
    out_dir: str | Path | None = None,
    progress: bool = False,
    **overrides: Any,
) -> RunResult:
    """Build a model, run it for ``config.steps`` months and collect its results.

    Args:
        config: A config from :func:`collab_sim.make_config`; default: the defaults.
        out_dir: If given, write the run's files there.
        progress: Show progress over months on stderr once the run has lasted 2 s
            (a bar on a terminal, a line every 30 s in a log).
        **overrides: Overrides applied to the defaults when ``config`` is omitted.

    Returns:
        The run's results as pandas objects.
    """
    if config is None:
        config = make_config(overrides)
    elif overrides:
        raise TypeError("pass either a config or overrides, not both")
    model = EcosystemModel(config)
    start = time.perf_counter()
    bar = Progress(config.steps, "month", "collab-sim run") if progress else None
    if bar is None:
        model.run(config.steps)
    else:
        for month in range(0, config.steps, PROGRESS_MONTHS):
            chunk = min(PROGRESS_MONTHS, config.steps - month)
            model.run(chunk)
            bar.set(month + chunk)
        bar.close()
    result = collect(model, time.perf_counter() - start)
    if out_dir is not None:
        result.save(out_dir)
    return result


def collect(model: EcosystemModel, wall_seconds: float) -> RunResult:
    """The results of a model that has run: its tables, summary and the model itself.

    The tables ``config.outputs`` asks for are built (all of them by default); the others
    are ``None``, which saves a sweep of summaries most of a run's cost outside its months.

    Args:
        model: The model after its months.
        wall_seconds: Wall time of the months, for :attr:`RunResult.wall_seconds`.
    """
    orgs = model.orgs
    mode = model.config.outputs
    everything = mode == "all"
    return RunResult(
        model.config,
        timeseries_frame(model.recorder) if mode != "summary" else None,
        partnerships_frame(
            model.partnerships,
            orgs.sector,
            orgs.subtype,
            orgs.subtype_names,
            list(model.config.deals.types),
        )
        if everything
        else None,
        projects_frame(model.projects, orgs.sector, model.partnerships) if everything else None,
        summarise(model),
        model,
        wall_seconds,
    )
