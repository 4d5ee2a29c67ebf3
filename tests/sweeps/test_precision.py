"""replicates=auto: batches until the paired effects are precise enough; resume-safe."""

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from collab_sim.sweeps.precision import Spread, next_replicates, reference_point, spreads
from collab_sim.sweeps.seeds import replicate_seeds

EXE = str(Path(sys.executable).with_name("collab-sim"))


def _table(points: dict[str, tuple[float, float]], seeds: int, rng) -> pd.DataFrame:
    """A synthetic sweep: per point, approvals = luck(seed) + effect + noise * N(0, 1)."""
    luck = rng.normal(50, 6, seeds)
    rows = []
    for job, (effect, noise) in points.items():
        for s in range(seeds):
            value = luck[s] + effect + noise * rng.normal()
            rows.append((f"{job}/replicate_{s:04d}", s, value))
    return pd.DataFrame(rows, columns=["run_dir", "seed", "approvals"])


def test_the_spread_is_the_paired_interval_against_the_first_point():
    rng = np.random.default_rng(0)
    table = _table({"0": (0, 0), "1": (5, 1.0), "2": (0, 3.0)}, 40, rng)
    found = {s.point: s for s in spreads(table, ["approvals"])}
    assert set(found) == {"1", "2"}  # job 0 is the reference
    assert found["1"].half_width == pytest.approx(1.96 * 1.0 / math.sqrt(40), rel=0.3)
    assert found["2"].half_width > 2 * found["1"].half_width  # noisier point, wider
    assert found["1"].pairs == 40


def test_the_baseline_scenario_is_the_reference_wherever_its_job_is():
    table = pd.DataFrame(
        {"run_dir": ["0/r", "1/r", "2/r"], "scenario_name": ["microgrants", "baseline", "x"]}
    )
    assert reference_point(table, table.run_dir.str[0]) == "1"


def test_batches_grow_toward_the_target_and_stop_there_or_at_the_cap():
    def spread(rel):
        return Spread("1", "approvals", 10, 50.0, rel * 50.0, 1.0)

    assert next_replicates([spread(0.019)], 0.02, 10, 400) is None  # reached
    assert next_replicates([spread(0.03)], 0.02, 10, 400) == 23  # 10 * 1.5**2 = 22.5
    assert next_replicates([spread(0.021)], 0.02, 10, 400) == 15  # grows at least 1.5x
    assert next_replicates([spread(0.2)], 0.02, 10, 400) == 40  # at most 4x per batch
    assert next_replicates([spread(0.2)], 0.02, 10, 25) == 25  # at most the cap
    assert next_replicates([spread(0.2)], 0.02, 25, 25) is None  # at the cap: stop
    assert next_replicates([spread(0.01), spread(0.04)], 0.02, 10, 400) == 40  # the widest


def _auto(args, cwd, **kw):
    return subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, **kw)


def test_a_sweep_whose_points_do_not_differ_stops_after_its_first_batch(tmp_path):
    out = tmp_path / "sweep"
    args = ["-m", "scenario_name=baseline,same", "replicates=auto", "precision.first=3",
            "steps=24", "population=small", f"hydra.sweep.dir={out}"]  # fmt: skip
    proc = _auto(args, tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    record = json.loads((out / "precision.json").read_text())
    assert record["reached"] and [b["replicates"] for b in record["batches"]] == [3]
    assert len(pd.read_parquet(out / "results.parquet")) == 6


def test_bad_auto_settings_are_one_line_errors_before_any_run(tmp_path):
    for args, key in (
        (["replicates=auto"], "replicates"),
        (["-m", "replicates=auto", "precision.outcomes=[nope]"], "precision.outcomes"),
        (["-m", "replicates=auto", "precision.first=50", "precision.max_replicates=20"],
         "precision.max_replicates"),
        (["-m", "replicates=auto", "precision.target=0"], "precision.target"),
    ):  # fmt: skip
        proc = _auto([*args, f"hydra.sweep.dir={tmp_path / 'x'}"], tmp_path, timeout=120)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and key in proc.stderr, proc.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.slow  # three batches, killed in the second and resumed (about 40 s)
def test_an_auto_sweep_killed_mid_batch_resumes_and_counts_each_run_once(tmp_path):
    out = tmp_path / "sweep"
    args = ["-m", "remedies.partnership_managers=0,1", "replicates=auto",
            "precision.first=2", "precision.max_replicates=8", "precision.target=0.0001",
            "steps=120", "population=small", f"hydra.sweep.dir={out}"]  # fmt: skip
    with open(tmp_path / "log.txt", "w") as log:
        proc = subprocess.Popen(
            [EXE, *args], cwd=tmp_path, stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.time() + 300
        while not (out / "precision.json").exists() and time.time() < deadline:
            time.sleep(0.2)  # the first batch (2 per point) is done and measured
        while len(list(out.rglob("summary.json"))) < 6 and time.time() < deadline:
            time.sleep(0.05)  # the second batch (8 per point) has made some of its runs
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(list(out.rglob("summary.json"))) < 16  # killed before the end
    again = _auto(args, tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr
    table = pd.read_parquet(out / "results.parquet")
    assert len(table) == 16 and not table.duplicated(["run_dir"]).any()
    for _, runs in table.groupby("config.remedies.partnership_managers"):
        assert sorted(runs.seed) == sorted(replicate_seeds(0, [], 8))  # paired, a prefix
    record = json.loads((out / "precision.json").read_text())
    assert record["replicates"] == 8 and not record["reached"]
