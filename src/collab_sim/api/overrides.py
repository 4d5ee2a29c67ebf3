"""Fast, validated overrides: a config for a new parameter point in about a millisecond.

    >>> import collab_sim
    >>> cfg = collab_sim.configure({"power": "equal", "bottlenecks.role_ambiguity": 0.8})

Composing a config with Hydra (:func:`collab_sim.make_config`) costs about 170 ms, most of
an experiment's cost when a tool such as EMA Workbench asks for thousands of points. Here
Hydra composes once per set of config-group choices (``power=equal``, ``scenario=...``;
cached), and the other keys are set on the typed schema and validated by the same code
as the command line's, with its errors: a float for an integer key, a bool or string for
a number, an unknown key or a value out of range is a :class:`ConfigError` naming the
key, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from collab_sim.config.groups import CONFIG_GROUPS
from collab_sim.config.keys import replace_key
from collab_sim.config.schema import ConfigError, SimConfig
from collab_sim.config.validation import validate


def _items(overrides: Mapping[str, Any] | Iterable[str]) -> list[tuple[str, Any]]:
    """``(key, value)`` pairs; ``KEY=VALUE`` strings are read with the command line's grammar.

    Hydra's override parser, not YAML: the two differ (``1e9`` is a number to Hydra and text
    to YAML 1.1), and a string override must mean what it means on the command line.
    """
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    items = []
    for text in overrides:
        key, sep, value = str(text).partition("=")
        if not sep:
            raise ConfigError("override", text, "must be KEY=VALUE")
        try:
            items.append((key, parser.parse_override(str(text)).value()))
        except HydraException as err:  # a syntax error, as the command line reports it
            raise ConfigError(key, value, str(err).splitlines()[0]) from None
    return items


@lru_cache(maxsize=64)
def _composed(groups: tuple[tuple[str, str], ...]) -> SimConfig:
    from collab_sim.config.composition import make_config

    return make_config([f"{k}={v}" for k, v in groups])


def _typed(key: str, value: Any, current: Any) -> Any:
    """``value`` checked against the type of the field's current value (as the CLI does)."""
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(key, value, "must be true or false")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, value, "must be an integer")
        return int(value)
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(key, value, "must be a number")
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ConfigError(key, value, "must be text")
        return value
    if isinstance(current, list):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(key, value, "must be a list")
        if current and not isinstance(current[0], list):
            return [_typed(f"{key}[{i}]", v, current[0]) for i, v in enumerate(value)]
        return list(value)
    return value


def configure(overrides: Mapping[str, Any] | Iterable[str] = ()) -> SimConfig:
    """A validated config: the defaults with ``overrides`` applied.

    Args:
        overrides: ``{"power": "equal", "bottlenecks.role_ambiguity": 0.8}``, or the
            command line's ``["power=equal", "bottlenecks.role_ambiguity=0.8"]``. Config
            groups (:data:`collab_sim.config.groups.CONFIG_GROUPS`, except ``experiment``)
            select their YAML files first; the other keys are then set in order.

    Returns:
        The config, validated as the command line validates it.

    Raises:
        ConfigError: naming the key, the value and what is allowed.
    """
    items = _items(overrides)
    groups = tuple(sorted((k, str(v)) for k, v in items if k in CONFIG_GROUPS))
    if any(k == "experiment" for k, _ in groups):
        raise ConfigError("experiment", dict(groups)["experiment"], "sets a sweep, not a run")
    cfg = _composed(groups)
    for key, value in items:
        if key not in CONFIG_GROUPS:
            cfg = replace_key(
                cfg, key, lambda current, k=key, v=value: _typed(k, v, current), error_value=value
            )
    return validate(cfg)
