"""Turning Hydra and OmegaConf failures into one-line :class:`ConfigError` messages.

Hydra reports bad input as multi-line text meant for developers. Users need one line that
names the key, the value and what is allowed; this module extracts those three from the
exception objects Hydra and OmegaConf raise.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from hydra.errors import (
    ConfigCompositionException,
    MissingConfigException,
    OverrideParseException,
)
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException
from yaml import MarkedYAMLError

from collab_sim.config.groups import CONFIG_GROUPS, group_options, searchpath_dirs
from collab_sim.config.schema import ConfigError

_TYPE_WORDS = {"Integer": "an integer", "Float": "a number", "Boolean": "true or false"}


def _override_value(key: str, overrides: Iterable[str]) -> str | None:
    for text in overrides:
        name, sep, value = text.lstrip("+~").partition("=")
        if sep and name == key:
            return value
    return None


def _omegaconf_cause(exc: BaseException) -> OmegaConfBaseException | None:
    """The OmegaConf error behind ``exc``: itself, its cause, or the error it was raised in."""
    for candidate in (exc, exc.__cause__, exc.__context__):
        if isinstance(candidate, OmegaConfBaseException):
            return candidate
    return None


def _field_names(schema: object) -> list[str]:
    """Field names of a schema dataclass, or [] when ``schema`` is not one."""
    if isinstance(schema, type) and dataclasses.is_dataclass(schema):
        return [field.name for field in dataclasses.fields(schema)]
    return []


def config_error_from(exc: BaseException, overrides: Iterable[str] = ()) -> ConfigError | None:
    """Map a Hydra/OmegaConf exception to a one-line ConfigError.

    Args:
        exc: The exception raised while composing the config.
        overrides: The override strings the user gave, to recover the raw value.

    Returns:
        A ConfigError naming key, value and what is allowed, or None if ``exc`` is not a
        configuration problem.
    """
    overrides = list(overrides)
    if isinstance(exc, ConfigError):
        return exc
    if isinstance(exc, MissingConfigException):
        match = re.search(r"Could not find '([^/']+)/([^']*)'", str(exc))  # '' for `power=`
        if match and match.group(1) in CONFIG_GROUPS:
            group, option = match.groups()
            return ConfigError(
                group,
                option,
                "unknown option; allowed: "
                + ", ".join(group_options(group, searchpath_dirs(overrides))),
            )
        return ConfigError("config", str(exc).splitlines()[0], "config file not found")
    if isinstance(exc, MarkedYAMLError):  # a config file that is not valid YAML
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.name}, line {mark.line + 1}" if mark else "a config file"
        return ConfigError("config", where, f"not valid YAML: {exc.problem or exc.context}")
    ambiguous = re.match(r"Ambiguous value for argument '([^=']+)=([^']*)'", str(exc))
    if isinstance(exc, ConfigCompositionException) and ambiguous:
        return ConfigError(
            ambiguous[1],
            ambiguous[2],
            "several values make a sweep: add -m (--multirun), or quote one value that "
            "holds commas",
        )
    # a sweep function without -m: "Sweep parameters 'steps=range(1,3)' requires --multirun"
    sweep = re.match(r"Sweep parameters '([^=']+)=(.*)' requires --multirun", str(exc))
    if isinstance(exc, ConfigCompositionException) and sweep:
        return ConfigError(sweep[1], sweep[2], "a sweep: add -m (--multirun)")
    # +key=value for a key the config has: "Could not append to config. An item is already
    # at 'bottlenecks.role_ambiguity'."
    present = re.search(r"An item is already at '([^']+)'", str(exc))
    if isinstance(exc, ConfigCompositionException) and present:
        value = _override_value(present[1], overrides) or ""
        return ConfigError(
            present[1],
            value,
            f"the key exists: set it without '+' ({present[1]}={value})",
        )
    if isinstance(exc, OverrideParseException):
        first = str(exc).splitlines()[0].removeprefix("Error parsing override ").strip("'")
        return ConfigError("override", first, "write KEY=VALUE (see collab-sim --help)")
    cause = _omegaconf_cause(exc)
    if cause is not None:
        key = getattr(cause, "full_key", None) or "config"
        raw = _override_value(key, overrides)
        value = raw if raw is not None else getattr(cause, "value", None)
        # A bad key inside a config file (a scenario, say) reaches us wrapped in Hydra's
        # composition error, which names the file: "In 'scenario/typo': ...".
        source = re.match(r"In '([^']+)'", str(exc))
        if value is None and source:
            value = f"set in {source[1]}.yaml"
        if isinstance(cause, (ConfigAttributeError, ConfigKeyError)):
            parent = key.rpartition(".")[0]
            hint = f"unknown key under '{parent}'" if parent else "unknown key"
            if key in CONFIG_GROUPS:
                hint = "allowed: " + ", ".join(group_options(key))
            elif known := _field_names(getattr(cause, "object_type", None)):
                hint += "; allowed: " + ", ".join(known)
            return ConfigError(key, value, hint)
        text = str(cause).splitlines()[0]
        match = re.search(r"could not be converted to (\w+)", text)
        if match:
            return ConfigError(key, value, "must be " + _TYPE_WORDS.get(match[1], match[1].lower()))
        return ConfigError(key, value, text)
    return None
