"""NumPy's summation order, compiled, so compiled kernels reproduce ``ndarray.sum()`` exactly.

NumPy sums float64 arrays pairwise (blocks of 128 with eight partial sums, halves above
that), while a plain loop in numba sums left to right; the two differ in the last bits.
Kernels that replace a NumPy ``.sum()`` call :func:`numpy_sum` so that moving work into
compiled code does not change any output of a seeded run. Written by hand because neither
NumPy nor numba exposes the pairwise routine to compiled code; checked against
``ndarray.sum`` for many lengths in ``tests/kernels/test_summation.py``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from collab_sim.kernels.jit import leaf

_BLOCK = 128  # NumPy's PW_BLOCKSIZE
_UNROLL = 8
#: Entries of each working buffer of :func:`pairwise_sum` (two per halving: enough for any
#: array that fits in memory).
STACK = 256


@leaf
def _block(a: np.ndarray, lo: int, n: int) -> float:
    """Sum of ``a[lo:lo+n]`` for ``n <= 128``, in NumPy's order."""
    if n < _UNROLL:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    # eight partial sums (NumPy's unrolling), in scalars rather than a copied array
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = _UNROLL
    while i < n - (n % _UNROLL):
        k = lo + i
        r0 += a[k]
        r1 += a[k + 1]
        r2 += a[k + 2]
        r3 += a[k + 3]
        r4 += a[k + 4]
        r5 += a[k + 5]
        r6 += a[k + 6]
        r7 += a[k + 7]
        i += _UNROLL
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def numpy_sum(a: np.ndarray) -> float:
    """Sum of a contiguous 1-D float64 array, bit-identical to ``a.sum()``.

    Allocates the working stack of :func:`pairwise_sum` when ``a`` is longer than a block.
    """
    if a.size <= _BLOCK:
        return _block(a, 0, a.size)
    ops_lo = np.empty(STACK, dtype=np.int64)
    ops_n = np.empty(STACK, dtype=np.int64)
    partial = np.empty(STACK)
    return pairwise_sum(a, ops_lo, ops_n, partial)


@leaf
def pairwise_sum(a, ops_lo, ops_n, partial) -> float:
    """:func:`numpy_sum` on a given working stack (allocates nothing).

    NumPy recurses: ``sum(lo, n) = sum(lo, h) + sum(lo + h, n - h)`` with ``h`` half of
    ``n`` rounded down to a multiple of 8, down to blocks of at most 128. The recursion
    runs here on an explicit stack (numba cannot cache recursive functions).

    Args:
        a: A contiguous 1-D float64 array.
        ops_lo: int64, :data:`STACK` entries (contents ignored).
        ops_n: int64, :data:`STACK` entries (contents ignored); -1 marks "add the last two
            partial sums".
        partial: float64, :data:`STACK` entries (contents ignored).
    """
    if a.size <= _BLOCK:
        return _block(a, 0, a.size)
    ops_lo[0], ops_n[0] = 0, a.size
    top, done = 1, 0
    while top > 0:
        top -= 1
        lo, n = ops_lo[top], ops_n[top]
        if n < 0:
            partial[done - 2] += partial[done - 1]
            done -= 1
        elif n <= _BLOCK:
            partial[done] = _block(a, lo, n)
            done += 1
        else:
            half = n // 2
            half -= half % _UNROLL
            ops_lo[top], ops_n[top] = lo, -1
            ops_lo[top + 1], ops_n[top + 1] = lo + half, n - half
            ops_lo[top + 2], ops_n[top + 2] = lo, half
            top += 3
    return partial[0]
