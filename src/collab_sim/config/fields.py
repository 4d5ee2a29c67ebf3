"""Declaring schema fields: :func:`param` and the error every bad value raises.

Kept apart from :mod:`collab_sim.config.schema` so that sections of the schema can live in
their own modules (:mod:`collab_sim.config.deals`). Standard library only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import field
from typing import Any

ASSUMED = "assumed"


class ConfigError(ValueError):
    """A configuration value outside what the schema allows.

    Attributes:
        key: Dotted path of the offending key.
        value: The value that was given.
        allowed: Plain-language description of what is allowed.
    """

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={value!r}: {allowed}")

    def __reduce__(self) -> tuple[type, tuple[str, Any, str]]:
        """Pickle by the three fields (sweep launchers send errors between processes)."""
        return (type(self), (self.key, self.value, self.allowed))


def param(
    default: Any = dataclasses.MISSING,
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    choices: Iterable[str] | None = None,
    length: int | None = None,
    source: str = ASSUMED,
    doc: str = "",
    factory: Any = None,
) -> Any:
    """Declare a schema field with its allowed range and the source of its default.

    Args:
        default: Default value (scalars).
        ge: Inclusive lower bound.
        le: Inclusive upper bound.
        gt: Exclusive lower bound.
        choices: Allowed string values.
        length: Required length of a list value.
        source: Where the default comes from, or "assumed".
        doc: One-line meaning of the parameter.
        factory: Default factory for mutable defaults (lists, nested configs).

    Returns:
        A dataclass field carrying the constraints in its metadata.
    """
    meta = {
        "ge": ge,
        "le": le,
        "gt": gt,
        "choices": tuple(choices) if choices is not None else None,
        "length": length,
        "source": source,
        "doc": doc,
    }
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def list_default(*values: Any) -> Any:
    """A default factory for a list field (``param(factory=list_default(0.5, 0.5))``)."""
    return lambda: list(values)
