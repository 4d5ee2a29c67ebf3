"""The compiled month: stepping month by month and running many months per call agree."""

import pandas as pd

from collab_sim.config.composition import make_config
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.tables import partnerships_frame, projects_frame, timeseries_frame
from collab_sim.simulation import run


def _frames(model):
    orgs = model.orgs
    return (
        timeseries_frame(model.recorder),
        partnerships_frame(model.partnerships, orgs.sector, orgs.subtype, orgs.subtype_names),
        projects_frame(model.projects, orgs.sector),
    )


def test_step_by_step_equals_run_in_one_call():
    cfg = make_config(seed=21, steps=60, scenario="microgrants")
    stepped = EcosystemModel(cfg)
    for _ in range(60):
        stepped.step()
    batched = EcosystemModel(cfg).run()
    assert stepped.steps == batched.steps == 60
    assert stepped.time == batched.time == 60
    for a, b in zip(_frames(stepped), _frames(batched), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert stepped.rng.random() == batched.rng.random()  # the generator's state moved alike


def test_mixing_step_and_run_continues_the_same_run():
    cfg = make_config(seed=4, steps=36)
    mixed = EcosystemModel(cfg)
    mixed.run(10)
    mixed.step()
    mixed.run(25)
    whole = EcosystemModel(cfg).run()
    for a, b in zip(_frames(mixed), _frames(whole), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_tables_grow_mid_run_without_changing_results():
    cfg = make_config(seed=5, steps=48)
    small = EcosystemModel(cfg)
    # shrink the tables so the compiled loop must stop for room several times
    small.partnerships.reserve(0)
    from collab_sim.core.columns import grow_columns
    from collab_sim.core.partnerships import _MINUS_ONE

    grow_columns(small.partnerships, small.partnerships.count + small.orgs.n, _MINUS_ONE)
    small.run()
    big = EcosystemModel(cfg).run()
    assert small.partnerships.capacity > small.orgs.n  # it grew
    for a, b in zip(_frames(small), _frames(big), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_progress_chunks_give_the_same_run():
    cfg = make_config(seed=8, steps=30)
    quiet = run(cfg)
    shown = run(cfg, progress=True)
    pd.testing.assert_frame_equal(quiet.timeseries, shown.timeseries)
    assert list(shown.timeseries["step"]) == list(range(1, 31))


def test_events_on_mesa_clock_still_run_between_months():
    seen = []
    model = EcosystemModel(make_config(seed=2, steps=10))

    def look():
        seen.append(model.recorder.rows)

    model.schedule_event(look, at=5.5)
    model.run()
    assert seen == [5]  # after month 5, before month 6
    assert model.steps == 10 and model.time == 10
    plain = EcosystemModel(make_config(seed=2, steps=10)).run()
    pd.testing.assert_frame_equal(
        timeseries_frame(model.recorder), timeseries_frame(plain.recorder)
    )


def test_shuffle_draws_like_numpy_permutation():
    import numpy as np

    from collab_sim.kernels.month import shuffle

    for n in [0, 1, 2, 3, 17, 250, 1000]:
        ours, theirs = np.random.default_rng(n), np.random.default_rng(n)
        a = np.arange(n, dtype=np.int32) * 3
        expected = theirs.permutation(a)
        shuffle(ours, a)
        assert np.array_equal(a, expected), n
        assert ours.random() == theirs.random()  # and left the generator in the same state


def test_candidates_ranked_like_argsort_of_negated_scores():
    import numpy as np
    from numba import njit

    from collab_sim.kernels.partnering import STABLE_ARGSORT_MAX, by_score

    @njit
    def numba_argsort(scores):  # the ranking form_partnerships used before by_score
        return np.argsort(-scores)

    rng = np.random.default_rng(3)
    for n in range(STABLE_ARGSORT_MAX + 1):
        for _ in range(50):
            scores = rng.choice([-np.inf, -0.2, 0.0, 0.3, 0.3, 0.7, np.nan], size=n)
            scores[rng.random(n) < 0.5] = rng.standard_normal() if n else 0.0
            order = np.full(n, -1, dtype=np.intp)
            by_score(scores, n, order)
            assert np.array_equal(order, numba_argsort(scores)), scores
