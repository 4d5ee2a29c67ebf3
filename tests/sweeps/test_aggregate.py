"""Sweeps end in one results.parquet; collab-sim-aggregate rebuilds it for any sweep."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from collab_sim.sweeps.aggregate import aggregate, main

EXE = str(Path(sys.executable).with_name("collab-sim"))


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    out = root / "multirun"
    args = ["-m", "seed=0,1", "power=equal,resource_weighted", "steps=12", "population=small",
            f"hydra.sweep.dir={out}"]  # fmt: skip
    proc = subprocess.run([EXE, *args], cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    (root / "stderr.txt").write_text(proc.stderr)
    return out


@pytest.mark.slow  # a real sweep in subprocesses (about 8 s)
def test_a_sweep_reports_its_progress_in_runs(sweep):
    stderr = (sweep.parent / "stderr.txt").read_text()
    assert stderr.splitlines()[-1].startswith("collab-sim sweep: 4/4 runs (100%)")


def test_a_sweep_ends_with_one_row_per_run_keyed_by_swept_parameters_and_seed(sweep):
    table = pd.read_parquet(sweep / "results.parquet")
    assert len(table) == 4
    assert set(zip(table["config.power.rule"], table["seed"], strict=True)) == {
        ("equal", 0), ("equal", 1), ("resource_weighted", 0), ("resource_weighted", 1),
    }  # fmt: skip
    assert table.power_rule.tolist() == table["config.power.rule"].tolist()
    expected = (
        "partnerships_formed",
        "dissolutions_by_cause.completed",
        "approvals",
        "phase_transition_rates.phase1_to_phase2",
        "value_share_by_sector.nonprofit",
    )
    assert set(expected) <= set(table.columns)
    assert "config.steps" not in table.columns  # not swept
    for suffix in ("png", "svg"):  # one figure of outcomes by power rule, with CIs
        assert (sweep / f"by_power.rule.{suffix}").stat().st_size > 1000


def test_aggregate_counts_only_completed_runs_of_an_interrupted_sweep(sweep, tmp_path):
    import shutil

    copy = tmp_path / "interrupted"
    shutil.copytree(sweep, copy)
    (copy / "results.parquet").unlink()
    (copy / "2" / "summary.json").unlink()  # killed before it finished
    (copy / "3" / ".summary.json.tmp").write_text("{half")  # a write cut short
    table = aggregate(copy)
    assert len(table) == 3 and "2" not in table.run_dir.tolist()
    assert len(pd.read_parquet(copy / "results.parquet")) == 3


def test_aggregate_of_an_empty_directory_is_a_one_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([str(tmp_path)])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.slow
def test_a_sweep_killed_part_way_then_rerun_has_every_run_exactly_once(tmp_path):
    import os
    import signal
    import time

    out = tmp_path / "multirun"
    args = [EXE, "-m", "power=equal,resource_weighted", "replicates=4", "steps=600",
            f"hydra.sweep.dir={out}"]  # fmt: skip
    with open(tmp_path / "log.txt", "w") as log:
        proc = subprocess.Popen(args, cwd=tmp_path, stdout=log, stderr=log,
                                start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 120
        while not list(out.rglob("summary.json")) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the launcher and its workers, mid-sweep
        proc.wait()
    done = {p: p.stat().st_mtime_ns for p in out.rglob("summary.json")}
    assert 1 <= len(done) < 8
    assert not (out / "results.parquet").exists()

    rerun = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    last = rerun.stderr.splitlines()[-1]
    assert last.startswith("collab-sim sweep: 8/8 runs (100%)")
    assert last.endswith(f", {len(done)} complete already")
    assert all(p.stat().st_mtime_ns == t for p, t in done.items())  # not run again
    table = pd.read_parquet(out / "results.parquet")
    assert len(table) == 8 and table.run_dir.is_unique
    assert table.groupby("config.power.rule").seed.nunique().tolist() == [4, 4]
    assert not list(out.rglob("*.tmp"))  # no half-written file survives the rerun


@pytest.mark.parametrize("name", ["policy_comparison", "trust_threshold", "bottleneck_strength",
                                  "population_scale"])  # fmt: skip
def test_experiment_files_compose(name):
    import collab_sim

    cfg = collab_sim.make_config(experiment=name)
    assert cfg.replicates >= 3


@pytest.mark.slow
def test_policy_comparison_sweeps_every_scenario(tmp_path):
    from collab_sim.config.groups import group_options

    out = tmp_path / "multirun"
    args = ["-m", "experiment=policy_comparison", "replicates=1", "steps=6", "population=small",
            f"hydra.sweep.dir={out}"]  # fmt: skip
    proc = subprocess.run([EXE, *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / "results.parquet")
    assert sorted(table.scenario) == group_options("scenario")
    assert (out / "scenario_comparison.png").stat().st_size > 1000


def test_figures_suit_the_swept_keys(tmp_path):
    import numpy as np

    from collab_sim.analysis.plots import sweep_figures

    rng = np.random.default_rng(0)
    grid = pd.DataFrame(
        [(a, b, s) for a in (0.1, 0.3) for b in (0.2, 0.4) for s in range(3)],
        columns=["config.x", "config.y", "seed"],
    )
    grid["approvals"] = rng.integers(0, 50, len(grid))
    grid["mean_trust"] = rng.random(len(grid))
    heatmaps = sweep_figures(grid, tmp_path)
    assert {p.name for p in heatmaps} >= {"heatmap_approvals.png", "heatmap_mean_trust.svg"}
    line = sweep_figures(grid.drop(columns="config.y"), tmp_path)
    assert [p.name for p in line] == ["outcomes_vs_x.png", "outcomes_vs_x.svg"]
    assert sweep_figures(grid.drop(columns=["config.x", "config.y"]), tmp_path) == []


SWEEP_ARGS = ["-m", "seed=0,1", "power=equal,resource_weighted", "steps=12", "population=small"]


@pytest.mark.slow  # a real sweep in subprocesses (about 8 s)
def test_a_rerun_redoes_runs_whose_files_are_damaged(sweep, tmp_path):
    import shutil

    copy = tmp_path / "damaged"
    shutil.copytree(sweep, copy)
    whole = {name: (sweep / "0" / name).read_bytes() for name in ("summary.json",)}
    with open(copy / "0" / "summary.json", "r+b") as f:
        f.truncate(100)
    with open(copy / "1" / "timeseries.parquet", "r+b") as f:
        f.truncate(500)
    (copy / "2" / "projects.parquet").unlink()
    proc = subprocess.run(
        [EXE, *SWEEP_ARGS, f"hydra.sweep.dir={copy}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (copy / "0" / "summary.json").read_bytes() == whole["summary.json"]  # redone
    for job in ("0", "1", "2", "3"):
        for name in ("timeseries.parquet", "partnerships.parquet", "projects.parquet"):
            assert (copy / job / name).read_bytes() == (sweep / job / name).read_bytes()
    table = pd.read_parquet(copy / "results.parquet")
    pd.testing.assert_frame_equal(table, pd.read_parquet(sweep / "results.parquet"))


@pytest.mark.slow  # a real sweep in subprocesses (about 8 s)
def test_a_sweep_whose_aggregation_fails_exits_1_naming_the_file_and_leaves_no_table(
    sweep, tmp_path
):
    import shutil

    copy = tmp_path / "broken"
    shutil.copytree(sweep, copy)
    shutil.copytree(copy / "1", copy / "9")  # a run of an earlier sweep into this directory
    summary = copy / "9" / "summary.json"
    summary.write_text(summary.read_text()[:100])  # not one of this sweep's jobs: not redone
    assert (copy / "results.parquet").exists()  # the earlier sweep's table
    proc = subprocess.run(
        [EXE, *SWEEP_ARGS, f"hydra.sweep.dir={copy}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and str(summary) in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (copy / "results.parquet").exists()  # no stale table under the new sweep

    cmd = [str(Path(sys.executable).with_name("collab-sim-aggregate")), str(copy)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and str(summary) in proc.stderr, proc.stderr
    assert not (copy / "results.parquet").exists()


@pytest.mark.slow  # a real sweep in subprocesses (about 8 s)
def test_a_different_sweep_into_a_sweep_directory_is_refused(sweep, tmp_path):
    import shutil

    copy = tmp_path / "claimed"
    shutil.copytree(sweep, copy)
    assert (copy / "sweep.yaml").is_file()  # the fixture's sweep named its directory
    before = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    other = ["-m", "seed=0,1", "power=equal", "steps=12", "population=small"]
    proc = subprocess.run(
        [EXE, *other, f"hydra.sweep.dir={copy}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "hydra.sweep.dir" in proc.stderr, proc.stderr
    assert "holds another sweep" in proc.stderr
    assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == before  # nothing written
    reordered = ["-m", "population=small", "steps=12", "power=equal,resource_weighted",
                 "seed=0,1", f"hydra.sweep.dir={copy}"]  # fmt: skip
    proc = subprocess.run([EXE, *reordered], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr  # the same sweep, its overrides in another order


@pytest.mark.slow  # two real sweeps (about 15 s)
def test_a_summary_only_sweep_gives_the_same_results_as_an_all_files_sweep(tmp_path):
    tables = {}
    for mode in ("all", "summary"):
        out = tmp_path / mode
        args = [EXE, "-m", "power=equal,resource_weighted", "replicates=3", "steps=36",
                "population=small", f"outputs={mode}", f"hydra.sweep.dir={out}"]  # fmt: skip
        proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        tables[mode] = pd.read_parquet(out / "results.parquet")
        assert len(list(out.rglob("*.parquet"))) == (1 + 18 if mode == "all" else 1)
    pd.testing.assert_frame_equal(tables["all"], tables["summary"])


def test_completed_runs_are_the_directories_rglob_finds(tmp_path):
    from collab_sim.sweeps.aggregate import completed_runs

    for rel in ["0/replicate_0000", "0/replicate_0001", "1", "10/deep/er", ".hidden/2", ""]:
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        (tmp_path / rel / "summary.json").write_text("{}")
    (tmp_path / "3").mkdir()  # an incomplete run
    (tmp_path / "3" / "config.yaml").write_text("seed: 1\n")
    (tmp_path / "link").symlink_to(tmp_path / "1")  # not followed, as rglob in Python 3.12
    expected = sorted(p.parent for p in tmp_path.rglob("summary.json"))
    assert completed_runs(tmp_path) == expected
    assert len(expected) == 6
    assert completed_runs(tmp_path / "missing") == []
