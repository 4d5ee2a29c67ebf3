"""Draws in compiled code: integer draws from the run's generator, and keyed draws."""

import numpy as np
import pytest
from numba import njit
from scipy import stats

import collab_sim
from collab_sim.core.model import EcosystemModel
from collab_sim.kernels.draws import keyed_gamma, keyed_uniform, mix, uniform_index

N = 20_000


@njit(cache=False)
def _uniforms(base, n):
    out = np.empty(n)
    for k in range(n):
        out[k] = keyed_uniform(mix(base, k))
    return out


@njit(cache=False)
def _gammas(base, n, shape, scale):
    out = np.empty(n)
    for k in range(n):
        out[k] = keyed_gamma(mix(base, k), shape, scale)
    return out


@njit(cache=False)
def _indices(rng, n, size):
    out = np.empty(size, dtype=np.int64)
    for k in range(size):
        out[k] = uniform_index(rng, n)
    return out


def test_keyed_uniforms_are_uniform_and_the_same_for_the_same_key():
    u = _uniforms(np.uint64(12345), N)
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.03  # neighbouring keys unrelated
    assert np.array_equal(u, _uniforms(np.uint64(12345), N))
    assert not np.array_equal(u, _uniforms(np.uint64(12346), N))


@pytest.mark.parametrize("shape", [0.5, 2.0, 4.0])
def test_keyed_gamma_draws_follow_the_gamma_distribution(shape):
    g = _gammas(np.uint64(7), N, shape, 3.0)
    assert stats.kstest(g, stats.gamma(shape, scale=3.0).cdf).pvalue > 1e-3
    assert np.array_equal(g, _gammas(np.uint64(7), N, shape, 3.0))


def test_uniform_indices_cover_the_range_evenly():
    counts = np.bincount(_indices(np.random.default_rng(0), 7, 70_000), minlength=7)
    assert stats.chisquare(counts).pvalue > 1e-3


def test_a_projects_luck_does_not_depend_on_the_draws_made_before_it():
    """Same seed, one partnership setting changed: the run's other draws shift, but the
    initial pipeline keeps its keys, and a project started alone by the same organisation
    in the same month gets the same key and the same discovery months in both runs."""
    runs = []
    for managers in (0.0, 1.0):
        cfg = collab_sim.make_config(
            seed=3, steps=36, **{"remedies.partnership_managers": managers}
        )
        model = EcosystemModel(cfg)
        model.run()
        runs.append(model)
    a, b = (m.projects for m in runs)
    first = int((a.started[: a.count] == 0).sum())
    assert first > 50 and np.array_equal(a.key[:first], b.key[:first])

    def alone(t):
        rows = np.flatnonzero((t.origin_partnership[: t.count] < 0) & (t.started[: t.count] > 0))
        return {(int(t.origin[j]), int(t.started[j])): j for j in rows}

    ours, theirs = alone(a), alone(b)
    shared = sorted(set(ours) & set(theirs))
    assert len(shared) > 0.8 * min(len(ours), len(theirs)) > 20
    for k in shared:
        assert a.key[ours[k]] == b.key[theirs[k]]
        assert a.planned[ours[k], 0] == b.planned[theirs[k], 0]
    # the runs themselves did diverge (managers change the partnerships)
    assert runs[0].partnerships.count != runs[1].partnerships.count or not np.array_equal(
        runs[0].partnerships.cause[: runs[0].partnerships.count],
        runs[1].partnerships.cause[: runs[1].partnerships.count],
    )
