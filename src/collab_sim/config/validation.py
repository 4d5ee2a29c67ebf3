"""Validation of a schema instance: every range, choice and relation the schema declares.

:func:`validate` checks each field against the bounds and choices :func:`param
<collab_sim.config.schema.param>` put in its metadata, then the relations between fields
(lengths of per-stage lists, counts that must add up); the first bad value raises a
:class:`~collab_sim.config.schema.ConfigError` naming key, value and what is allowed.
:func:`to_dict` gives a config as plain data for YAML and JSON. Standard library only, like
the schema.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from collab_sim.config.schema import (
    ConfigError,
    SimConfig,
)
from collab_sim.vocabulary import (
    DOMAINS,
    SECTORS,
    STAGES,
)


def range_parts(meta: Mapping[str, Any]) -> list[str]:
    """The bounds a field declares, e.g. ``[">= 0.0", "<= 1.0"]``."""
    bounds = (("gt", ">"), ("ge", ">="), ("le", "<="))
    return [f"{sign} {meta[name]}" for name, sign in bounds if meta.get(name) is not None]


def _describe(meta: Mapping[str, Any]) -> str:
    if meta.get("choices"):
        return "allowed: " + ", ".join(meta["choices"])
    parts = range_parts(meta)
    return "must be " + " and ".join(parts) if parts else "invalid"


def _check_scalar(key: str, value: Any, meta: Mapping[str, Any]) -> None:
    if meta.get("choices") and value not in meta["choices"]:
        raise ConfigError(key, value, _describe(meta))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(key, value, "must be a finite number")
    lo_ok = meta.get("ge") is None or value >= meta["ge"]
    gt_ok = meta.get("gt") is None or value > meta["gt"]
    hi_ok = meta.get("le") is None or value <= meta["le"]
    if not (lo_ok and gt_ok and hi_ok):
        raise ConfigError(key, value, _describe(meta))


def _validate_node(obj: Any, prefix: str) -> None:
    for f in dataclasses.fields(obj):
        key = f"{prefix}{f.name}"
        value = getattr(obj, f.name)
        meta = f.metadata
        if dataclasses.is_dataclass(value):
            _validate_node(value, key + ".")
        elif isinstance(value, dict):
            for name, item in value.items():
                if dataclasses.is_dataclass(item):
                    _validate_node(item, f"{key}.{name}.")
        elif isinstance(value, list):
            if meta.get("length") is not None and len(value) != meta["length"]:
                raise ConfigError(key, value, f"must be a list of {meta['length']} numbers")
            for i, item in enumerate(value):
                if isinstance(item, list):
                    if len(item) != len(DOMAINS):
                        raise ConfigError(
                            f"{key}[{i}]", item, f"must be a list of {len(DOMAINS)} numbers"
                        )
                    for d, x in enumerate(item):
                        _check_scalar(f"{key}[{i}][{d}]", x, meta)
                else:
                    _check_scalar(f"{key}[{i}]", item, meta)
        else:
            _check_scalar(key, value, meta)


def _validate_relations(cfg: SimConfig) -> None:
    c = cfg.collaboration
    if c.duration_max_months < c.duration_min_months:
        raise ConfigError(
            "collaboration.duration_max_months",
            c.duration_max_months,
            f"must be >= collaboration.duration_min_months ({c.duration_min_months})",
        )
    needs = cfg.pipeline.stage_needs
    if len(needs) != len(STAGES):
        raise ConfigError(
            "pipeline.stage_needs", needs, f"must have {len(STAGES)} rows, one per stage"
        )
    for i, row in enumerate(needs):
        if sum(row) <= 0:
            raise ConfigError(f"pipeline.stage_needs[{i}]", row, "must need some capability")
    at, whole = cfg.pipeline.discovery_milestone_months, cfg.pipeline.stage_months[0]
    if any(b <= a for a, b in zip(at, at[1:], strict=False)) or at[-1] >= whole:
        raise ConfigError(
            "pipeline.discovery_milestone_months",
            at,
            f"must rise and stay below pipeline.stage_months[0] ({whole})",
        )
    passed = math.prod(cfg.pipeline.discovery_milestone_success)
    if passed < cfg.pipeline.stage_success[0]:
        raise ConfigError(
            "pipeline.discovery_milestone_success",
            cfg.pipeline.discovery_milestone_success,
            f"their product must be at least pipeline.stage_success[0] "
            f"({cfg.pipeline.stage_success[0]}), discovery's whole success",
        )
    shares = cfg.pipeline.initial_stage_shares
    if sum(shares) <= 0:
        raise ConfigError("pipeline.initial_stage_shares", shares, "must not all be 0")
    total = sum(t.count for t in cfg.population.types.values())
    if total < 2:
        raise ConfigError("population.types", total, "the counts must add up to at least 2")
    _validate_deals(cfg)


def _validate_deals(cfg: SimConfig) -> None:
    types = cfg.deals.types
    if not types:
        raise ConfigError("deals.types", {}, "must name at least one deal type")
    for name, t in types.items():
        if STAGES.index(t.last_stage) < STAGES.index(t.first_stage):
            raise ConfigError(
                f"deals.types.{name}.last_stage",
                t.last_stage,
                f"must not come before first_stage ({t.first_stage})",
            )
        for key in ("lead_sectors", "partner_sectors"):
            if not getattr(t, key):
                raise ConfigError(f"deals.types.{name}.{key}", [], "must name a sector")
    name, last = list(types.items())[-1]
    catch_all = (
        last.first_stage == STAGES[0]
        and last.last_stage == STAGES[-1]
        and set(last.lead_sectors) == set(last.partner_sectors) == set(SECTORS)
        and last.min_members == 2
        and not last.from_partner
    )
    if not catch_all:
        raise ConfigError(
            f"deals.types.{name}",
            "(the last type)",
            "the last deal type must fit every partnership: first_stage discovery, "
            "last_stage review, every sector in lead_sectors and partner_sectors, "
            "min_members 2, from_partner false",
        )


def validate(cfg: SimConfig) -> SimConfig:
    """Check every range, choice and relation the schema declares.

    Args:
        cfg: A schema instance.

    Returns:
        The same instance, for chaining.

    Raises:
        ConfigError: naming the first bad key, its value and what is allowed.
    """
    _validate_node(cfg, "")
    _validate_relations(cfg)
    return cfg


def validate_seed(cfg: SimConfig) -> SimConfig:
    """Check ``cfg.seed`` alone, for a config validated apart from its seed.

    Raises:
        ConfigError: naming ``seed``, its value and its range.
    """
    meta = next(f.metadata for f in dataclasses.fields(SimConfig) if f.name == "seed")
    _check_scalar("seed", cfg.seed, meta)
    return cfg


def to_dict(cfg: SimConfig) -> dict[str, Any]:
    """Plain nested dict of a config, for YAML and JSON output.

    ``sensitivity`` is left out when unset, so a plain run's config.yaml holds only what
    the model reads.
    """
    out = dataclasses.asdict(cfg)
    if out.get("sensitivity") is None:
        out.pop("sensitivity", None)
    return out
