"""A config's dotted keys: every settable field (:func:`iter_keys`), and setting one.

:func:`iter_keys` is read by the parameter table (:mod:`collab_sim.config.paramtable`) and
the parameter space (:mod:`collab_sim.api.space`); :func:`replace_key` by fast overrides
(:mod:`collab_sim.api.overrides`) and the points of a sensitivity design
(:mod:`collab_sim.sweeps.sensitivity`), each deciding how the new value is checked
against the field's current one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from collab_sim.config.schema import ConfigError, SensitivityConfig


def iter_keys(
    obj: Any, prefix: str = "", *, named: bool = False
) -> Iterator[tuple[str, dataclasses.Field, Any]]:
    """Every leaf field of a config: ``(dotted key, field, value)``, in schema order.

    Nested sections are walked into; an unset ``sensitivity`` section is walked with its
    defaults. Named entries (population subtypes, deal types: dicts of sections) are
    walked into under their names when ``named``, else left out.
    """
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = prefix + f.name
        if dataclasses.is_dataclass(value):
            yield from iter_keys(value, key + ".", named=named)
        elif value is None and f.name == "sensitivity":  # unset in a plain run: its keys
            yield from iter_keys(SensitivityConfig(), key + ".", named=named)
        elif (
            isinstance(value, dict)
            and value
            and all(dataclasses.is_dataclass(v) for v in value.values())
        ):
            if named:
                for name, item in value.items():
                    yield from iter_keys(item, f"{key}.{name}.", named=named)
        else:
            yield key, f, value


def replace_key(
    obj: Any,
    key: str,
    leaf: Callable[[Any], Any],
    *,
    error_key: str | None = None,
    error_value: Any = None,
) -> Any:
    """A copy of ``obj`` (nested dataclasses and dicts) with the field at ``key`` set.

    Args:
        obj: The config (or a section of it).
        key: The dotted key, e.g. ``bottlenecks.role_ambiguity`` or
            ``population.types.large_pharma.count``.
        leaf: ``current value -> new value``; may raise its own :class:`ConfigError`.
        error_key: The key an unknown key is reported under (default ``key``).
        error_value: The value reported with an unknown key.

    Raises:
        ConfigError: ``is not a config key`` when a part of ``key`` names no field.
    """

    def walk(node: Any, parts: list[str]) -> Any:
        name, rest = parts[0], parts[1:]
        if isinstance(node, dict):
            if name not in node:
                raise ConfigError(error_key or key, error_value, "is not a config key")
            return {**node, name: walk(node[name], rest) if rest else leaf(node[name])}
        if not dataclasses.is_dataclass(node) or name not in {
            f.name for f in dataclasses.fields(node)
        }:
            raise ConfigError(error_key or key, error_value, "is not a config key")
        current = getattr(node, name)
        return dataclasses.replace(node, **{name: walk(current, rest) if rest else leaf(current)})

    return walk(obj, key.split("."))
