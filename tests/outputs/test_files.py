import json

import pandas as pd
import pytest

import collab_sim
from collab_sim.outputs import files as recording
from collab_sim.outputs.files import OUTPUT_FILES, write_run


def test_outputs_round_trip(tmp_path):
    result = collab_sim.run(seed=1, steps=48, population="small")
    result.save(tmp_path)
    ts = pd.read_parquet(tmp_path / "timeseries.parquet")
    pd.testing.assert_frame_equal(ts, result.timeseries)
    parts = pd.read_parquet(tmp_path / "partnerships.parquet")
    assert parts.partnership_id.tolist() == result.partnerships.partnership_id.tolist()
    assert parts.member_ids.map(list).tolist() == result.partnerships.member_ids.tolist()
    assert (
        parts.end_cause.astype(str).tolist() == result.partnerships.end_cause.astype(str).tolist()
    )
    assert json.loads((tmp_path / "summary.json").read_text()) == result.summary


def test_python_api_writes_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    collab_sim.run(seed=1, steps=12, population="small")
    assert list(tmp_path.iterdir()) == []


def write_all(result, out):
    tables = (result.timeseries, result.partnerships, result.projects)
    write_run(out, "x: 1\n", *tables, result.summary)


def test_failed_write_leaves_no_partial_outputs(tmp_path, monkeypatch):
    result = collab_sim.run(seed=1, steps=12, population="small")

    def broken(frame, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(recording, "write_parquet", broken)
    with pytest.raises(OSError):
        write_all(result, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_summary_marks_completion_and_a_failure_there_removes_the_rest(tmp_path, monkeypatch):
    result = collab_sim.run(seed=1, steps=12, population="small")

    def broken(obj, path):
        assert all((tmp_path / name).exists() for name in OUTPUT_FILES[:-1])  # written before
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(recording, "write_json", broken)
    with pytest.raises(OSError):
        write_all(result, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_rewrite_that_fails_part_way_leaves_no_complete_run(tmp_path, monkeypatch):
    """Old results never stand under a new config: the old summary goes first."""
    from collab_sim.outputs.files import run_complete

    first = collab_sim.run(seed=1, steps=12, population="small")
    write_run(tmp_path, "seed: 1\n", first.timeseries, first.partnerships, first.projects,
              first.summary)  # fmt: skip
    assert run_complete(tmp_path, "seed: 1\n")
    calls = []

    def killed_after_one(frame, path):
        calls.append(path)
        if len(calls) > 1:
            raise KeyboardInterrupt  # the process is stopped part way through the rewrite
        pd.DataFrame(frame).to_parquet(path)

    monkeypatch.setattr(recording, "write_parquet", killed_after_one)
    second = collab_sim.run(seed=2, steps=12, population="small")
    with pytest.raises(KeyboardInterrupt):
        write_run(tmp_path, "seed: 2\n", second.timeseries, second.partnerships,
                  second.projects, second.summary)  # fmt: skip
    assert (tmp_path / "config.yaml").read_text() == "seed: 2\n"
    assert not run_complete(tmp_path, "seed: 2\n")
    assert not run_complete(tmp_path, "seed: 1\n")
    assert not (tmp_path / "summary.json").exists()


def test_a_run_with_a_truncated_or_missing_file_is_not_complete(tmp_path):
    from collab_sim.outputs.files import damaged_file, run_complete

    result = collab_sim.run(seed=1, steps=12, population="small")
    write_run(tmp_path, "x: 1\n", result.timeseries, result.partnerships, result.projects,
              result.summary)  # fmt: skip
    assert damaged_file(tmp_path) is None and run_complete(tmp_path, "x: 1\n")
    for name, damage in [
        ("summary.json", lambda p: p.write_text(p.read_text()[:50])),
        ("partnerships.parquet", lambda p: p.write_bytes(p.read_bytes()[:500])),
        ("projects.parquet", lambda p: p.unlink()),
    ]:
        whole = (tmp_path / name).read_bytes()
        damage(tmp_path / name)
        assert damaged_file(tmp_path) == name
        assert not run_complete(tmp_path, "x: 1\n")
        (tmp_path / name).write_bytes(whole)
    assert run_complete(tmp_path, "x: 1\n")


@pytest.mark.parametrize(
    ("mode", "files"),
    [
        ("summary", ["config.yaml", "summary.json"]),
        ("tables", ["config.yaml", "summary.json", "timeseries.parquet"]),
    ],
)
def test_a_run_writes_the_files_of_its_outputs_mode_and_the_same_summary(tmp_path, mode, files):
    from collab_sim.outputs.files import damaged_file, run_complete
    from collab_sim.simulation import config_yaml

    full = collab_sim.run(seed=4, steps=36, population="small")
    cfg = collab_sim.make_config(seed=4, steps=36, population="small", outputs=mode)
    lean = collab_sim.run(cfg)
    assert lean.summary == full.summary  # the tables are not part of the run, only its files
    assert lean.partnerships is None and lean.projects is None
    assert (lean.timeseries is None) == (mode == "summary")
    full.save(tmp_path)  # an earlier run with every file, then this one into the same place
    lean.save(tmp_path, config_yaml(cfg))
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no stale tables left
    assert damaged_file(tmp_path) is None and run_complete(tmp_path, config_yaml(cfg))
    (tmp_path / "summary.json").write_text("{")
    assert damaged_file(tmp_path) == "summary.json"


def test_a_run_is_locked_while_written_and_flushed_once_all_its_files_are_in(tmp_path, monkeypatch):
    from collab_sim.outputs.locking import LOCK_FILE

    result = collab_sim.run(seed=1, steps=12, population="small")
    flushed = []

    def sync(directory, names):
        assert (directory / LOCK_FILE).exists()  # still held
        assert sorted(p.name for p in directory.iterdir() if p.name != LOCK_FILE) == sorted(
            OUTPUT_FILES
        )
        flushed.append(sorted(names))

    monkeypatch.setattr(recording, "sync_directory", sync)
    write_all(result, tmp_path)
    assert flushed == [sorted(OUTPUT_FILES)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_FILES)  # lock file gone


def test_a_run_whose_flush_fails_is_not_left_complete(tmp_path, monkeypatch):
    """A disk that reports the error only when flushed (delayed allocation) still fails it."""
    result = collab_sim.run(seed=1, steps=12, population="small")

    def broken(directory, names):
        raise OSError(28, "No space left on device", str(directory))

    monkeypatch.setattr(recording, "sync_directory", broken)
    with pytest.raises(OSError):
        write_all(result, tmp_path)
    assert list(tmp_path.iterdir()) == []
