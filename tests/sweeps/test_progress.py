"""Progress: how many runs a sweep makes, bars on terminals, lines in logs."""

import io

from collab_sim.outputs.progress import Progress
from collab_sim.sweeps.progress import SweepProgress, expected_runs


def test_expected_runs_counts_jobs_times_replicates():
    params = {"scenario": "baseline,microgrants,co_credit"}
    assert expected_runs(params, ["seed=0,1", "steps=12"], replicates=10) == 60
    assert expected_runs(params, ["scenario=baseline"], replicates=4) == 4  # command line wins
    assert expected_runs({}, ["seed=range(0,5)", "replicates=2,3"], replicates=1) == 25


def test_expected_runs_counts_a_glob_over_a_config_group_as_hydra_expands_it():
    from hydra import initialize_config_dir

    from collab_sim.config.groups import conf_dir

    rules = sorted(p.stem for p in (conf_dir() / "power").glob("*.yaml"))
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        assert expected_runs({}, ["power=glob(*)"], replicates=2) == 2 * len(rules)
        assert expected_runs({}, ["power=glob(*,exclude=equal)"], replicates=1) == len(rules) - 1


def test_a_log_gets_progress_lines_with_counts_and_a_last_line():
    log = io.StringIO()
    progress = Progress(10, "run", "sweep", stream=log, delay=0, interval=0)
    progress.set(5)
    progress.set(10)
    progress.close()
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("sweep: 5/10 runs (50%)") and "left" in lines[0]
    assert lines[-1].startswith("sweep: 10/10 runs (100%)")


def test_short_work_stays_silent():
    log = io.StringIO()
    progress = Progress(10, "month", "run", stream=log, delay=60)
    progress.set(10)
    progress.close()
    assert log.getvalue() == ""


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_tqdm_bar():
    term = _Terminal()
    progress = Progress(8, "month", "run", stream=term, delay=0)
    progress.set(8)
    progress.close()
    assert "8/8" in term.getvalue() and "\r" in term.getvalue()


def test_sweep_progress_counts_complete_runs_on_disk(tmp_path):
    (tmp_path / "0").mkdir()
    (tmp_path / "0" / "summary.json").write_text("{}")
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / ".summary.json.x.tmp").write_text("{")  # being written: not complete
    log = io.StringIO()
    watch = SweepProgress(tmp_path, total=2, poll=0.01, stream=log)
    assert watch.close() == 1
    assert log.getvalue().splitlines()[-1].startswith("collab-sim sweep: 1/2 runs (50%)")
