"""Growable column tables: dataclasses whose numpy array fields share a row count."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, NamedTuple

import numpy as np


def grow_columns(table: Any, rows: int, minus_one: frozenset[str]) -> None:
    """Reallocate every array field of ``table`` to ``rows`` rows, keeping the data.

    New rows are filled with -1 for the fields named in ``minus_one`` (ids and months that
    mean "none yet") and 0 elsewhere.
    """
    for f in fields(table):
        arr = getattr(table, f.name)
        if not isinstance(arr, np.ndarray):
            continue
        grown = np.empty((rows, *arr.shape[1:]), dtype=arr.dtype)
        grown[: arr.shape[0]] = arr
        grown[arr.shape[0] :] = -1 if f.name in minus_one else 0
        setattr(table, f.name, grown)


def array_columns(table_cls: type) -> list[str]:
    """The array columns of a table dataclass (fields annotated ``np.ndarray``), in order."""
    return [f.name for f in fields(table_cls) if f.type in ("np.ndarray", np.ndarray)]


def record_type(table_cls: type, name: str, doc: str) -> type:
    """The ``NamedTuple`` the kernels get from a table: one field per array column.

    Derived from the table's own fields, so a column is declared once (on the table) and
    always reaches the kernels. ``name`` must be the module attribute the type is bound to
    (numba's cache pickles the type by its name).
    """
    record = NamedTuple(name, [(column, np.ndarray) for column in array_columns(table_cls)])
    record.__module__ = table_cls.__module__
    record.__doc__ = doc
    return record
