"""The collab-sim command, run as a user would (a new process each time)."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from collab_sim.outputs.files import OUTPUT_FILES

EXE = str(Path(sys.executable).with_name("collab-sim"))


def cli(*args, cwd):
    return subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_run_writes_the_four_outputs(tmp_path):
    out = tmp_path / "run"
    proc = cli(
        "seed=7",
        "steps=60",
        "trust=experience",
        "power=equal",
        f"hydra.run.dir={out}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert "partnerships formed" in proc.stdout and str(out) in proc.stdout
    summary = json.loads((out / "summary.json").read_text())
    for key in (
        "partnerships_formed", "partnerships_dissolved", "mean_partnership_duration_months",
        "dissolutions_by_cause", "nonprofit_participation", "value_share_by_sector",
        "value_gini", "mean_trust",
    ):  # fmt: skip
        assert key in summary
    assert summary["power_rule"] == "equal" and summary["steps"] == 60 and summary["seed"] == 7
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["seed"] == 7 and config["power"]["rule"] == "equal"
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 60 and ts.step.tolist() == list(range(1, 61))
    parts = pd.read_parquet(out / "partnerships.parquet")
    assert len(parts) == summary["partnerships_formed"]
    for column in ("partnership_id", "member_ids", "member_sectors", "lead", "formed_step",
                   "ended_step", "end_cause"):  # fmt: skip
        assert column in parts.columns


def test_same_seed_new_process_gives_identical_bytes(tmp_path):
    runs = []
    for name in ("a", "b"):
        proc = cli("seed=3", "steps=120", f"hydra.run.dir={tmp_path / name}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        runs.append(tmp_path / name)
    for name in OUTPUT_FILES:
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


BAD_INPUTS = [
    (["steps=-1"], "steps=-1"),
    (["population.types.biotech_sme.count=-3"], "population.types.biotech_sme.count=-3"),
    (["collaboration.failure_hazard=1.5"], "collaboration.failure_hazard=1.5"),
    (["funding.subcontract.min_commit_share=-0.1"], "funding.subcontract.min_commit_share=-0.1"),
    (["trust=nonsense"], "trust='nonsense'"),
    (["power=feudal"], "power='feudal'"),
    (["scenario=utopia"], "scenario='utopia'"),
    (["steps=many"], "steps='many'"),
    (["seed=1.5"], "seed='1.5'"),
    (["not_a_key=1"], "not_a_key"),
    # a key added with + or ++ was dropped without a word when the schema was built
    (["+bottlenecks.typo=0.3"], "bottlenecks.typo=0.3: unknown key under 'bottlenecks'"),
    (["++bottlenecks.typo=5"], "bottlenecks.typo=5: unknown key under 'bottlenecks'"),
    (["+population.types.biotech_sme.colour=3"], "population.types.biotech_sme.colour=3"),
    (["+foo=1"], "foo=1: unknown key; allowed: seed"),
    (["steps"], "steps"),
    # several values without -m were a Hydra traceback; an empty group option a garble
    (["steps=24,48"], "steps='24,48': several values make a sweep: add -m"),
    (["power="], "power='': unknown option; allowed: contribution"),
    # a sweep function without -m, and + on a key that exists, were Hydra tracebacks
    (["steps=range(1,3)"], "steps='range(1,3)': a sweep: add -m (--multirun)"),
    (
        ["+bottlenecks.role_ambiguity=5"],
        "bottlenecks.role_ambiguity='5': the key exists: set it without '+'",
    ),
    (["seed=9223372036854775808"], "seed=9223372036854775808: must be >= 0 and <= "),
    (["population.types.biotech_sme.count=100000000"], "count=100000000: must be >= 0 and <="),
    (["deals.types.licensing.upfront_months=-1"], "deals.types.licensing.upfront_months"),
    (["deals.types.stage_collaboration.lead_sectors=[company]"], "the last deal type must fit"),
]


def test_an_empty_output_directory_is_bad_input(tmp_path):
    for key in ("hydra.run.dir", "hydra.sweep.dir"):
        proc = cli("steps=1", f"{key}=", *(["-m"] if "sweep" in key else []), cwd=tmp_path)
        assert proc.returncode == 2 and f"{key}='': must name a directory" in proc.stderr
        assert list(tmp_path.iterdir()) == []  # nothing written into the current directory


@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS)
def test_bad_input_one_line_exit_2_no_files(tmp_path, args, expected):
    out = tmp_path / "out"
    proc = cli(*args, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_directory_is_bad_input(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = cli("steps=2", f"hydra.run.dir={blocker / 'run'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "hydra.run.dir" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_default_output_directory_is_under_outputs(tmp_path):
    proc = cli("steps=3", "population=small", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    summaries = list((tmp_path / "outputs").glob("*/*/summary.json"))
    assert len(summaries) == 1


BAD_SWEEPS = [
    (["seed=1,-1"], "seed=-1"),
    (["scenario=baseline,utopia"], "scenario='utopia'"),
    (["steps=range(0,3)", "power=equal,feudal"], "power='feudal'"),
    (["experiment=policy_comparison", "replicates=0"], "replicates=0"),
    (["experiment=sensitivity", "sensitivity.samples=6"], "sensitivity.samples=6"),
]


@pytest.mark.parametrize(("args", "expected"), BAD_SWEEPS)
def test_a_bad_value_anywhere_in_a_sweep_stops_it_before_any_job(tmp_path, args, expected):
    out = tmp_path / "sweep"
    proc = cli("-m", *args, f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_value_in_an_experiment_grid_of_ones_own_is_caught_too(tmp_path):
    (tmp_path / "conf" / "experiment").mkdir(parents=True)
    (tmp_path / "conf" / "experiment" / "mine.yaml").write_text(
        "# @package _global_\nhydra:\n  sweeper:\n    params:\n      seed: 1,-1\n"
    )
    out = tmp_path / "sweep"
    proc = cli("-m", "experiment=mine", f"hydra.searchpath=[file://{tmp_path / 'conf'}]",
               f"hydra.sweep.dir={out}", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2 and "seed=-1" in proc.stderr, proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("sweep", [False, True])
def test_a_misspelt_key_inside_a_scenario_file_is_one_line_naming_key_and_file(tmp_path, sweep):
    (tmp_path / "conf" / "scenario").mkdir(parents=True)
    (tmp_path / "conf" / "scenario" / "typo.yaml").write_text(
        "# @package _global_\nscenario_name: typo\nbottlenecks:\n  cultural_mismtch: 1.0\n"
    )
    out = tmp_path / "out"
    mode = ["-m", f"hydra.sweep.dir={out}"] if sweep else [f"hydra.run.dir={out}"]
    proc = cli(*mode, "scenario=typo", f"hydra.searchpath=[file://{tmp_path / 'conf'}]",
               cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert "bottlenecks.cultural_mismtch" in proc.stderr and "scenario/typo.yaml" in proc.stderr
    assert "allowed: role_ambiguity, cultural_mismatch" in proc.stderr
    assert not out.exists()


def test_an_unknown_scenario_lists_the_scenarios_of_ones_own_search_path_too(tmp_path):
    (tmp_path / "conf" / "scenario").mkdir(parents=True)
    (tmp_path / "conf" / "scenario" / "prompt_payment.yaml").write_text(
        "# @package _global_\nscenario_name: prompt_payment\n"
    )
    out = tmp_path / "out"
    proc = cli("scenario=prompt_paymnt", f"hydra.searchpath=[file://{tmp_path / 'conf'}]",
               f"hydra.run.dir={out}", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "scenario='prompt_paymnt'" in proc.stderr and "prompt_payment" in proc.stderr
    assert "baseline" in proc.stderr and not out.exists()


def test_config_errors_survive_pickling_between_processes():
    import pickle

    from collab_sim.config.schema import ConfigError

    err = pickle.loads(pickle.dumps(ConfigError("seed", -1, "must be >= 0")))
    assert (err.key, err.value, str(err)) == ("seed", -1, "seed=-1: must be >= 0")


def test_a_run_of_zero_months_prints_a_summary(tmp_path):
    proc = cli("steps=0", "population=small", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "mean trust n/a" in proc.stdout


def test_sweep_points_try_every_choice_and_the_ends_of_numeric_sweeps():
    from collab_sim.sweeps.cli import sweep_points

    points = sweep_points(["steps=12", "seed=range(0,500)", "power=equal,resource_weighted"])
    assert points == [
        ["steps=12", "seed=0", "power=equal"],
        ["steps=12", "seed=499", "power=equal"],
        ["steps=12", "seed=0", "power=resource_weighted"],
    ]
    assert ["seed=1.5"] in sweep_points(["seed=1,1.5,2"])  # a non-integer is still tried
