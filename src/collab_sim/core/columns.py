"""Growable column tables: dataclasses whose numpy array fields share a row count."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

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
