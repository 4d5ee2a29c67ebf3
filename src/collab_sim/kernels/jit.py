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

:func:`inlined` goes one step further for the helpers called for each partnership,
project, candidate or member pair. numba passes a record as every field of every one of
its arrays, one argument each (the partnership record alone is about 350 machine words),
so a call of a helper that takes whole records and that LLVM does not inline cost about
300 cycles before its first line ran: ``pay_month`` did a partnership's month of
payments in a tenth of that. Compiled into its caller (numba's ``inline="always"``, at
numba's IR level), a helper reads the caller's arrays directly, and LLVM optimises it
with the loop around it.
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


def inlined[F: Callable](fn: F) -> F:
    """Compile ``fn`` like :func:`leaf`, and into each compiled caller (``inline="always"``).

    For a helper called for each partnership, project, candidate or member pair (see the
    module docstring). Called from Python, it is an ordinary compiled function.

    Args:
        fn: A helper that never allocates, returns or stores an array.

    Returns:
        The compiled dispatcher.
    """
    return njit(cache=True, _nrt=False, inline="always")(fn)
