"""Sensitivity checks: how much of the indices is replicate noise, and do they converge."""

import math

import numpy as np
import pandas as pd
import pytest

from collab_sim.config.schema import SensitivityConfig
from collab_sim.sweeps.convergence import markdown, noise_shares
from collab_sim.sweeps.sensitivity import design, indices, indices_by_size


def _spec(**kwargs):
    base = {"parameters": {"bottlenecks.cultural_mismatch": [0.0, 1.0],
                           "funding.microgrants.max_grant": [0.05, 0.5]},
            "outputs": ["conflicts"], "samples": 64}  # fmt: skip
    return SensitivityConfig(**(base | kwargs))


def _runs(point_values: np.ndarray, noise: float, replicates: int, rng) -> pd.DataFrame:
    rows = [
        (p, v + noise * rng.normal()) for p, v in enumerate(point_values) for _ in range(replicates)
    ]
    return pd.DataFrame(rows, columns=["point", "conflicts"])


def test_the_noise_share_is_the_noise_in_the_point_means_over_their_variance():
    rng = np.random.default_rng(0)
    signal = rng.normal(0, 1.0, 400)  # variance 1 across the design
    runs = _runs(signal, noise=2.0, replicates=4, rng=rng)  # mean of 4: noise variance 1
    share = noise_shares(runs, ["conflicts"])["conflicts"]
    assert share == pytest.approx(1.0 / 2.0, rel=0.15)  # noise 1 of total 1 + 1
    quiet = noise_shares(_runs(signal, 0.0, 4, rng), ["conflicts"])["conflicts"]
    assert quiet == 0.0
    assert math.isnan(noise_shares(_runs(signal, 1.0, 1, rng), ["conflicts"])["conflicts"])


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_convergence_ends_with_the_full_designs_indices(method):
    spec = _spec(method=method, samples=64 if method == "sobol" else 16)
    x = design(spec)
    y = pd.DataFrame({"conflicts": 5 * x[:, 0] + np.random.default_rng(2).normal(0, 0.1, len(x))})
    steps = indices_by_size(spec, y, x)
    sizes = sorted(steps.samples.unique())
    assert sizes == sorted({max(2, math.ceil(spec.samples * f)) for f in (1 / 8, 1 / 4, 1 / 2, 1)})
    full = steps[steps.samples == spec.samples].drop(columns="samples").reset_index(drop=True)
    pd.testing.assert_frame_equal(full, indices(spec, y, x))
    col, conf = ("ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf")
    lead = steps[steps.parameter == "bottlenecks.cultural_mismatch"].set_index("samples")
    assert lead[conf].iloc[-1] < lead[conf].iloc[0]  # intervals narrow as the design grows
    text = markdown(spec, {"conflicts": 0.02}, steps)
    assert "| conflicts | 2.0% |" in text
