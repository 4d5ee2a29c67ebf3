import numpy as np

from collab_sim.kernels.summation import STACK, numpy_sum, pairwise_sum


def test_numpy_sum_is_bit_identical_to_ndarray_sum():
    rng = np.random.default_rng(0)
    sizes = [*range(0, 300), 1000, 8191, 8192, 8193, 100_003]
    left_to_right_differs = 0
    for n in sizes:
        a = rng.standard_normal(n) * rng.random(n) * 1e3
        assert numpy_sum(a) == a.sum(), n
        total = 0.0
        for x in a.tolist():
            total += x
        left_to_right_differs += total != a.sum()
    assert left_to_right_differs > 100  # the order matters: a plain loop would fail here


def test_pairwise_sum_on_a_reused_stack_equals_numpy_sum():
    rng = np.random.default_rng(1)
    stack = np.full((2, STACK), 7, dtype=np.int64)  # stale contents: must not matter
    partial = np.full(STACK, np.nan)
    for n in [0, 1, 127, 128, 129, 1000, 8193]:
        a = rng.standard_normal(n) * 1e3
        assert pairwise_sum(a, stack[0], stack[1], partial) == numpy_sum(a) == a.sum(), n
