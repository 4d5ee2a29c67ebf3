"""The compiled month: stepping month by month and running many months per call agree."""

import pandas as pd

from collab_sim.config.composition import make_config
from collab_sim.core.columns import array_columns
from collab_sim.core.model import EcosystemModel
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.outputs.tables import timeseries_frame
from collab_sim.simulation import collect, run


def _frames(model):
    r = collect(model, 0.0)  # the frames a run returns and writes
    return r.timeseries, r.partnerships, r.projects


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
    # shrink the partnership table to a month's room, so the compiled loop must stop to
    # grow it several times
    table = small.partnerships
    for column in array_columns(PartnershipTable):
        setattr(table, column, getattr(table, column)[: table.count + small.orgs.n].copy())
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


def test_shuffle_is_a_uniform_permutation_drawn_from_the_generator():
    import numpy as np
    from scipy.stats import chisquare

    from collab_sim.kernels.month import shuffle

    for n in [0, 1, 2, 17, 250]:
        a = np.arange(n, dtype=np.int32) * 3
        shuffle(np.random.default_rng(n), a)
        assert sorted(a.tolist()) == [3 * k for k in range(n)], n
        b = np.arange(n, dtype=np.int32) * 3
        shuffle(np.random.default_rng(n), b)
        assert np.array_equal(a, b), n  # same seed, same order
    # every element lands in every position equally often (4 elements, 24,000 shuffles)
    rng = np.random.default_rng(7)
    counts = np.zeros((4, 4))
    for _ in range(24_000):
        a = np.arange(4, dtype=np.int32)
        shuffle(rng, a)
        counts[a, np.arange(4)] += 1
    assert chisquare(counts.ravel()).pvalue > 1e-4


def test_candidates_ranked_by_descending_score_ties_in_index_order():
    import numpy as np

    from collab_sim.kernels.partnering import by_score

    rng = np.random.default_rng(3)
    for n in range(40):
        for _ in range(50):
            scores = rng.choice([-np.inf, -0.2, 0.0, 0.3, 0.3, 0.7, np.nan], size=n)
            scores[rng.random(n) < 0.5] = rng.standard_normal() if n else 0.0
            order = np.full(n, -1, dtype=np.intp)
            by_score(scores, n, order)
            # NumPy's stable sort of the negated scores: descending, ties by index, NaN last
            assert np.array_equal(order, np.argsort(-scores, kind="stable")), scores
