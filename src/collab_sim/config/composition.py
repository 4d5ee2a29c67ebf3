"""Building a validated config with Hydra's compose API, exactly as the command line does.

Importing this module registers the schema with Hydra's ConfigStore as ``schema``, the
name ``conf/config.yaml``'s defaults list starts from, so every way in (``collab-sim``,
:func:`make_config`, :func:`compose`) composes onto the typed schema. Hydra's failures
become one-line :class:`~collab_sim.config.schema.ConfigError` messages
(:mod:`collab_sim.config.hydra_errors`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf, open_dict

from collab_sim.config.groups import conf_dir, searchpath_dirs
from collab_sim.config.schema import (
    ConfigError,
    SimConfig,
)
from collab_sim.config.validation import (
    validate,
)


def register_configs() -> None:
    """Register the schema with Hydra's ConfigStore as ``schema`` (used by conf/config.yaml)."""
    ConfigStore.instance().store(name="schema", node=SimConfig)


register_configs()


def to_schema(cfg: DictConfig | SimConfig) -> SimConfig:
    """Turn a composed Hydra config into a validated :class:`SimConfig`.

    Args:
        cfg: A config composed by Hydra (or already a SimConfig).

    Returns:
        The validated schema instance.
    """
    if isinstance(cfg, SimConfig):
        return validate(cfg)
    _refuse_unknown_keys(cfg, SimConfig, "")
    node = OmegaConf.to_object(cfg)
    if isinstance(node, dict):  # composed without the schema: merge onto it
        merged = OmegaConf.merge(OmegaConf.structured(SimConfig), cfg)
        node = OmegaConf.to_object(merged)
    assert isinstance(node, SimConfig)
    return validate(node)


def _dataclass_in(hint: Any) -> type | None:
    """The dataclass a field's type names (``X`` or ``X | None``), else ``None``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next((a for a in typing.get_args(hint) if a is not type(None)), None)
    return hint if dataclasses.is_dataclass(hint) else None


def _refuse_unknown_keys(node: DictConfig, cls: type, prefix: str) -> None:
    """Raise :class:`ConfigError` for a key the schema does not have.

    OmegaConf lets ``+key=value`` and ``++key=value`` add keys to the composed config, and
    turning it into the schema's dataclasses then drops them without a word; a misspelt
    key must instead be an error naming it, like a misspelt key without the ``+``.
    """
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for key in node:
        name = f"{prefix}{key}"
        if key not in names:
            value = node[key]
            if isinstance(value, DictConfig):
                value = OmegaConf.to_container(value)
            parent = prefix.rstrip(".")
            where = f"unknown key under '{parent}'" if parent else "unknown key"
            raise ConfigError(name, value, f"{where}; allowed: {', '.join(names)}")
        child = node[key]
        if not isinstance(child, DictConfig):
            continue
        hint = hints[key]
        if (inner := _dataclass_in(hint)) is not None:
            _refuse_unknown_keys(child, inner, name + ".")
        elif typing.get_origin(hint) is dict:
            item = _dataclass_in(typing.get_args(hint)[1])
            for sub in child if item is not None else ():
                if isinstance(child[sub], DictConfig):
                    _refuse_unknown_keys(child[sub], item, f"{name}.{sub}.")


def _override_strings(overrides: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        out = []
        for key, value in overrides.items():
            if isinstance(value, bool):
                value = str(value).lower()
            elif isinstance(value, (list, tuple)):
                value = "[" + ",".join(str(v) for v in value) + "]"
            out.append(f"{key}={value}")
        return out
    return list(overrides)


def compose(overrides: Iterable[str] = (), *, with_hydra: bool = False) -> DictConfig:
    """Compose the config with Hydra's compose API, exactly as the CLI would.

    Args:
        overrides: Hydra override strings, e.g. ``["trust=experience", "steps=12"]``.
        with_hydra: Keep the ``hydra`` node (e.g. to read an experiment's sweep grid).

    Returns:
        The composed DictConfig (without the ``hydra`` node unless asked).
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        return hydra_compose(
            config_name="config", overrides=list(overrides), return_hydra_config=with_hydra
        )


#: Keys of a run, not of a policy: a scenario file that sets them would be overridden by
#: ``conf/config.yaml`` (which Hydra merges after the scenario) without a word.
RUN_KEYS = ("seed", "steps", "replicates", "seeds")


def _refuse_run_keys_in_scenario(strings: list[str]) -> None:
    """A scenario file that sets ``seed``, ``steps`` or ``replicates`` is an error.

    Hydra merges ``conf/config.yaml`` after the chosen scenario, so such a value would be
    silently replaced by the defaults; the user is told where those keys belong instead.
    """
    import yaml

    name = "baseline"
    for text in strings:
        key, _, value = text.partition("=")
        if key.lstrip("+~") == "scenario":
            name = value
    for directory in [*searchpath_dirs(strings), conf_dir()]:
        path = Path(directory) / "scenario" / f"{name}.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError:
            return  # composition reports the file's syntax error
        found = [k for k in RUN_KEYS if isinstance(data, dict) and k in data]
        if found:
            raise ConfigError(
                f"scenario.{name}",
                f"{found[0]}: {data[found[0]]}",
                f"a scenario sets policy, not the run: give {', '.join(RUN_KEYS)} on the "
                "command line or in an experiment (conf/experiment)",
            )
        return


def make_config(
    overrides: Mapping[str, Any] | Iterable[str] | None = None, **kwargs: Any
) -> SimConfig:
    """Build a validated config from the defaults plus overrides, as the CLI does.

    Group choices (``trust``, ``funding``, ``power``, ``population``, ``scenario``) and
    dotted keys are both accepted::

        make_config(seed=3, steps=120, power="equal")
        make_config({"population.types.biotech.count": 10, "trust": "experience"})
        make_config(["collaboration.failure_hazard=0.01"])

    Args:
        overrides: A mapping of dotted keys to values, or Hydra override strings.
        **kwargs: More overrides, as keyword arguments (top-level keys and groups).

    Returns:
        The validated :class:`SimConfig`.

    Raises:
        ConfigError: for any bad key, value or group option.
    """
    strings = _override_strings(overrides) + _override_strings(kwargs)
    return _composed_config(strings, with_hydra=False)[0]


def make_config_and_grid(
    overrides: Iterable[str] = (),
) -> tuple[SimConfig, dict[str, str]]:
    """The validated config of ``overrides`` and its experiment's sweep grid, composed once.

    A sweep's launching process needs both for its first point: the config to check it,
    and ``hydra.sweeper.params`` (an experiment's grid) to know the other points. Each
    composition costs about 0.3 s of the sweep's start-up, and one with the ``hydra`` node
    gives both.

    Args:
        overrides: Hydra override strings, as for :func:`make_config`.

    Returns:
        The :class:`SimConfig` (the same as ``make_config(overrides)``) and the grid,
        key to sweep string (``{}`` without an experiment grid).

    Raises:
        ConfigError: for any bad key, value or group option, as :func:`make_config`.
    """
    return _composed_config(list(overrides), with_hydra=True)


def _composed_config(strings: list[str], with_hydra: bool) -> tuple[SimConfig, dict[str, str]]:
    """Compose ``strings``, validate the result and read its sweep grid (with ``hydra``)."""
    from collab_sim.config.hydra_errors import config_error_from

    _refuse_run_keys_in_scenario(strings)
    try:
        composed = compose(strings, with_hydra=with_hydra)
        grid: dict[str, str] = {}
        if with_hydra:  # as Hydra's compose drops the node when not asked for it
            with open_dict(composed):
                hydra_node = composed.pop("hydra")
            params = hydra_node.sweeper.get("params") or {}
            grid = {str(k): v for k, v in params.items()}
        return to_schema(composed), grid
    except ConfigError:
        raise
    except Exception as exc:  # Hydra/OmegaConf errors become one ConfigError
        err = config_error_from(exc, strings)
        if err is None:
            raise
        raise err from None
