"""How the kernels' helpers are compiled.

numba counts references to every array a compiled function receives: on entry to each
call it increments, and on exit decrements, the count of each array argument (atomic
operations through calls into numba's runtime). A helper that takes ten arrays and does a
few comparisons, such as a trust lookup, spends most of its time on that bookkeeping
(about 100 ns a call, against 15 ns for the lookup), and the month calls such helpers
thousands of times.

:func:`leaf` compiles a helper without numba's runtime (numba's private option ``_nrt``),
so its array arguments are borrowed from the caller, uncounted. A helper compiled this
way must not allocate, return or keep an array; it may take views and call other
helpers. The arithmetic, and so every result, is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable

from numba import njit


def leaf[F: Callable](fn: F) -> F:
    """Compile ``fn`` (cached, like ``njit(cache=True)``) without reference counting.

    Args:
        fn: A helper that never allocates, returns or stores an array.

    Returns:
        The compiled dispatcher, callable from compiled code and from Python.
    """
    return njit(cache=True, _nrt=False)(fn)
