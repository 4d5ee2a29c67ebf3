"""The parameter space as public data: every settable key with its type, bounds and doc.

    >>> import collab_sim
    >>> space = collab_sim.parameter_space()
    >>> space["bottlenecks.role_ambiguity"].low, space["bottlenecks.role_ambiguity"].high
    (0.0, 1.0)

Read from the same schema the command line validates with
(:mod:`collab_sim.config.schema`), on the composed defaults (so population subtypes and
deal types appear under their names, ``population.types.large_pharma.count``), plus the
config groups and their options (``power``: ``equal``, ``resource_weighted``, ...).
Bounds that no published source gives are assumed (section 8 of docs/ODD.md); a
parameter's ``source`` names where its default comes from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

#: Groups whose option is a choice of a parameter point (``experiment`` sets sweeps, not runs).
POINT_GROUPS = ("population", "trust", "funding", "power", "deals", "scenario")


@dataclass(frozen=True)
class Parameter:
    """One settable key.

    Attributes:
        key: The dotted key (``bottlenecks.role_ambiguity``), or a config group's name.
        kind: ``float``, ``int``, ``bool``, ``str``, ``list[float]``, ``list[int]``,
            ``list[str]``, ``list[list[float]]``, ``dict`` or ``group``.
        default: The default value (a group's default option).
        low: Lowest allowed value (of each element for lists), or None.
        high: Highest allowed value, or None.
        low_inclusive: Whether ``low`` itself is allowed.
        choices: Allowed values of a string key or options of a group, or None.
        length: Required length of a list, or None.
        doc: What it means.
        source: Where its default comes from, or ``assumed``.
    """

    key: str
    kind: str
    default: Any
    low: float | None
    high: float | None
    low_inclusive: bool
    choices: tuple[str, ...] | None
    length: int | None
    doc: str
    source: str

    @property
    def numeric(self) -> bool:
        """Whether the key is one number (what an uncertainty or a lever can vary)."""
        return self.kind in ("float", "int")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        inner = {_kind(v) for v in value} or {"float"}
        inner = {"float"} if inner == {"int", "float"} else inner
        return f"list[{inner.pop()}]" if len(inner) == 1 else "list"
    return type(value).__name__


def _parameter(key: str, f: dataclasses.Field, value: Any) -> Parameter:
    meta = f.metadata
    return Parameter(
        key=key,
        kind=_kind(value),
        default=value,
        low=meta.get("ge") if meta.get("ge") is not None else meta.get("gt"),
        high=meta.get("le"),
        low_inclusive=meta.get("gt") is None,
        choices=meta.get("choices"),
        length=meta.get("length"),
        doc=meta.get("doc", ""),
        source=meta.get("source", ""),
    )


def group_defaults() -> dict[str, str]:
    """Each point group's default option, from the defaults list of ``conf/config.yaml``."""
    import yaml

    from collab_sim.config.groups import conf_dir

    listed = yaml.safe_load((conf_dir() / "config.yaml").read_text(encoding="utf-8"))
    found = {}
    for entry in listed.get("defaults", []):
        if isinstance(entry, dict):
            for group, option in entry.items():
                if group in POINT_GROUPS:
                    found[group] = str(option)
    return found


def _groups() -> list[Parameter]:
    from collab_sim.config.groups import group_options

    defaults = group_defaults()
    return [
        Parameter(
            key=group,
            kind="group",
            default=defaults[group],
            low=None,
            high=None,
            low_inclusive=True,
            choices=tuple(group_options(group)),
            length=None,
            doc=f"config group: which conf/{group}/*.yaml the run starts from",
            source="conf/" + group,
        )
        for group in POINT_GROUPS
    ]


def parameter_space() -> dict[str, Parameter]:
    """Every settable key of a run and every config group, by key, in schema order."""
    from collab_sim.config.composition import make_config
    from collab_sim.config.keys import iter_keys

    fields = [_parameter(*entry) for entry in iter_keys(make_config(), named=True)]
    return {p.key: p for p in [*_groups(), *fields]}
