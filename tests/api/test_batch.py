"""run_many: points x replicates in one tidy frame, the same with or without workers."""

import pandas as pd

import collab_sim
from collab_sim.sweeps.seeds import replicate_seeds

POINTS = [
    {"remedies.partnership_managers": 0.0, "steps": 36, "population": "small"},
    {"remedies.partnership_managers": 1.0, "steps": 36, "population": "small"},
]


def test_a_batch_is_paired_and_the_same_with_two_workers():
    alone = collab_sim.run_many(POINTS, replicates=3, seed=5)
    assert list(alone.columns[:6]) == [
        "point", "replicate", "seed", "remedies.partnership_managers", "steps", "population",
    ]  # fmt: skip
    assert len(alone) == 6
    for _, runs in alone.groupby("point"):  # the command line's paired seeds
        assert runs.seed.tolist() == replicate_seeds(5, [], 3)
    workers = collab_sim.run_many(POINTS, replicates=3, seed=5, processes=2)
    pd.testing.assert_frame_equal(alone, workers)
    one = alone.iloc[0]
    cfg = collab_sim.configure({**POINTS[0], "seed": int(one.seed)})
    assert one.approvals == collab_sim.run(cfg).summary["approvals"]


def test_independent_seeds_differ_between_points():
    runs = collab_sim.run_many(POINTS, replicates=2, seeds="independent")
    assert set(runs[runs.point == 0].seed).isdisjoint(runs[runs.point == 1].seed)
