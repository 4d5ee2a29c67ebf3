import numpy as np
import pytest

from collab_sim.outputs.summary import gini, shares_by_sector


def test_gini_of_known_distributions():
    assert gini(np.ones(10)) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)
    assert gini(np.zeros(5)) == 0.0
    assert 0 < gini(np.array([1.0, 2, 3, 4])) < 0.5


def test_shares_by_sector_sum_to_one():
    shares = shares_by_sector(np.array([1.0, 1, 2]), np.array([0, 1, 1], dtype=np.int8))
    assert shares == {"company": 0.25, "nonprofit": 0.75, "agency": 0.0}
