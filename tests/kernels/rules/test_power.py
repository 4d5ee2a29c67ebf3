import numpy as np
import pytest

from collab_sim.kernels.rules.power import EQUAL, RESOURCE_WEIGHTED, value_shares
from tests.conftest import cached_run


def shares(rule, resources, exponent=1.0):
    out = np.empty(len(resources))
    value_shares(rule, np.asarray(resources, dtype=float), exponent, out)
    return out


def test_equal_rule_splits_evenly():
    assert shares(EQUAL, [1000.0, 1.0, 5.0]) == pytest.approx([1 / 3] * 3)


def test_resource_weighted_rule_follows_resources():
    s = shares(RESOURCE_WEIGHTED, [300.0, 100.0])
    assert s == pytest.approx([0.75, 0.25])
    flatter = shares(RESOURCE_WEIGHTED, [300.0, 100.0], exponent=0.5)
    assert 0.5 < flatter[0] < s[0]
    assert shares(RESOURCE_WEIGHTED, [5.0, -3.0]).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equal_power_moves_value_toward_nonprofits(seed):
    weighted = cached_run(seed=seed, power="resource_weighted").summary
    equal = cached_run(seed=seed, power="equal").summary
    nonprofit_w = weighted["value_share_by_sector"]["nonprofit"]
    nonprofit_e = equal["value_share_by_sector"]["nonprofit"]
    assert nonprofit_e > nonprofit_w
    assert equal["value_gini"] < weighted["value_gini"]
    # nobody is under-credited by an equal split of a bilateral deal as often
    assert (
        equal["dissolutions_by_cause"]["member_exit_unfair"]
        < weighted["dissolutions_by_cause"]["member_exit_unfair"]
    )
