"""collab-sim-report: every scenario against the baseline, with 95% CIs, as text and figures."""

import base64
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import collab_sim
from collab_sim.analysis.effects import OUTCOMES, compute_effects, welch_interval
from collab_sim.analysis.report import main, markdown_table, write_report, write_report_files
from collab_sim.analysis.wording import sentence
from collab_sim.sweeps.aggregate import aggregate

EXE = str(Path(sys.executable).with_name("collab-sim-report"))
REPLICATES = 4
WRITTEN = (
    "report.md",
    "report.html",
    "report_effects.csv",
    "report_effects.png",
    "report_effects.svg",
)
OUTCOME = {o.name: o for o in OUTCOMES}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A real sweep: baseline and microgrants, 4 replicates each, 24 months, small population."""
    out = tmp_path_factory.mktemp("report") / "sweep"
    for scenario in ("baseline", "microgrants"):
        for r in range(REPLICATES):
            cfg = collab_sim.make_config(scenario=scenario, seed=r, steps=24, population="small")
            collab_sim.run(cfg).save(out / scenario / f"replicate_{r:04d}")
    aggregate(out)
    return out


@pytest.fixture(scope="module")
def report(sweep, tmp_path_factory):
    out = tmp_path_factory.mktemp("report_out")
    paths = write_report_files(sweep, out)
    assert [p.name for p in paths] == list(WRITTEN)
    return out


def synthetic(groups: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """A results table: one row per run, from values per scenario and outcome column."""
    frames = [pd.DataFrame(values).assign(scenario=name) for name, values in groups.items()]
    table = pd.concat(frames, ignore_index=True)
    table["seed"] = range(len(table))
    return table


def write_results(table: pd.DataFrame, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    table.to_parquet(directory / "results.parquet", index=False)
    return directory


def test_the_report_renders_markdown_html_csv_and_figures(report):
    for name in WRITTEN:
        assert (report / name).stat().st_size > 1000, name
    text = (report / "report.md").read_text()
    assert "## Summary of effects" in text and "### `microgrants`" in text
    assert "mean of the per-seed differences" in text  # the fixture's runs share seeds
    assert "Benjamini-Hochberg" in text and "## Precision, and the replicates" in text
    assert "agencies set aside a monthly budget" in text  # the policy, from the scenario file
    assert f"{REPLICATES} runs per scenario" in text
    assert "![" in text and "(report_effects.png)" in text  # relative path
    # one sentence per outcome; in 24-month runs no candidate goes from phase 1 to
    # approval, and the report says the months are undefined rather than inventing them
    assert len(re.findall(r"^- The microgrants scenario[ :]", text, flags=re.M)) == len(OUTCOMES)
    assert "no runs with a value for months from phase 1 to approval" in text
    assert (report / "report_effects.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (report / "report_effects.svg").read_text()


def test_the_html_is_self_contained_with_the_figure_embedded(report):
    page = (report / "report.html").read_text()
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert match, "figure not embedded"
    assert base64.b64decode(match.group(1)) == (report / "report_effects.png").read_bytes()
    assert 'src="report_effects.png"' not in page
    assert "<table>" in page and "<th>scenario</th>" in page  # tables extension


def test_differences_are_differences_of_means_and_cis_contain_them(sweep, report):
    runs = pd.read_parquet(sweep / "results.parquet")
    means = runs.groupby("config.scenario_name")["approvals"].mean()
    effects = pd.read_csv(report / "report_effects.csv")
    assert len(effects) == len(OUTCOMES)
    row = effects.set_index("outcome").loc["approvals"]
    assert row.difference == pytest.approx(means["microgrants"] - means["baseline"], abs=1e-12)
    assert row.n_baseline == row.n_scenario == REPLICATES
    assert set(effects.design) == {"paired"}
    for r in effects.itertuples():
        if r.n_baseline == 0:  # undefined in every run (months to approval in 24 months)
            assert np.isnan(r.difference) and np.isnan(r.ci_low), r.outcome  # "n/a"
            continue
        assert r.ci_low <= r.difference <= r.ci_high, r.outcome
        assert r.ci_low_adjusted <= r.ci_low and r.ci_high <= r.ci_high_adjusted, r.outcome


def test_welch_interval_matches_the_textbook_formula():
    a, b = np.array([3.0, 5.0, 4.0, 6.0, 7.0]), np.array([1.0, 2.0, 2.5, 0.5])
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    diff = a.mean() - b.mean()
    assert welch_interval(a, b) == pytest.approx((diff, diff - half, diff + half), rel=1e-12)
    assert welch_interval([2.0, 2.0], [1.0, 1.0, 1.0]) == (1.0, 1.0, 1.0)  # constant: exact
    one = welch_interval([2.0], [1.0, 3.0])
    assert one[0] == 0.0 and math.isnan(one[1]) and math.isnan(one[2])


def test_the_ci_widens_with_fewer_replicates():
    pattern = [1.0, 3.0]
    many = welch_interval(np.tile(pattern, 10) + 1, np.tile(pattern, 10))
    few = welch_interval(np.tile(pattern, 2) + 1, np.tile(pattern, 2))
    assert many[0] == few[0] == pytest.approx(1.0)
    assert few[2] - few[1] > many[2] - many[1]


def test_a_clearly_better_scenario_is_said_to_raise_and_be_better(tmp_path):
    base = [0.40, 0.42, 0.44, 0.46, 0.48]
    table = synthetic(
        {
            "baseline": {"nonprofit_participation": base, "value_gini": [0.7] * 5,
                         "approvals": [10, 11, 12, 13, 14]},
            "microgrants": {"nonprofit_participation": [v + 0.2 for v in base],
                            "value_gini": [0.5, 0.51, 0.52, 0.53, 0.54],
                            "approvals": [2, 3, 4, 5, 6]},
        }
    )  # fmt: skip
    write_report(write_results(table, tmp_path / "sweep"))
    text = (tmp_path / "sweep" / "report.md").read_text()
    assert (
        "The microgrants scenario raises nonprofit participation by 20.0 percentage points "
        "(adjusted CI 15.4 to 24.6) against the baseline, which is better." in text
    )
    assert "lowers the inequality of value (Gini) by 0.180" in text
    assert "leads to 8.0 fewer approvals per run" in text and "which is worse" in text
    # outcomes missing from the results are left out, and the report says so
    assert "left out: loa_phase1" in text
    effects = pd.read_csv(tmp_path / "sweep" / "report_effects.csv")
    verdicts = effects.set_index("outcome").verdict
    assert verdicts.to_dict() == {
        "approvals": "worse", "nonprofit_participation": "better", "value_gini": "better",
    }  # fmt: skip


def test_identical_groups_have_no_clear_effect():
    values = {"approvals": [3, 5, 4, 6], "value_gini": [0.5] * 4}
    effects = compute_effects(synthetic({"baseline": values, "co_credit": values}))
    rows = effects.set_index("outcome")
    text = sentence("co_credit", OUTCOME["approvals"], rows.loc["approvals"])
    assert text.startswith("The co credit scenario has no clear effect on approvals (difference")
    assert "adjusted CI \N{MINUS SIGN}" in text
    assert rows.loc["value_gini", "verdict"] == "no clear effect"  # constant: CI [0, 0]


def test_without_a_baseline_it_is_a_one_line_error_and_writes_nothing(tmp_path):
    sweep = write_results(synthetic({"a": {"approvals": [1, 2]}, "b": {"approvals": [2, 3]}}),
                          tmp_path / "sweep")  # fmt: skip
    before = sorted(sweep.iterdir())
    proc = subprocess.run([EXE, str(sweep)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"collab-sim-report: error: SWEEP_DIR={sweep}: no baseline scenario among runs "
        "(found: a, b); run collab-sim -m experiment=policy_comparison\n"
    )
    assert proc.stdout == ""
    assert sorted(sweep.iterdir()) == before


def test_a_sweep_of_runs_without_a_baseline_writes_nothing(sweep, tmp_path, capsys):
    runs = tmp_path / "runs"
    shutil.copytree(sweep / "microgrants", runs / "microgrants")
    with pytest.raises(SystemExit) as exit_:
        main([str(runs), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(found: microgrants)" in err
    assert not (runs / "results.parquet").exists() and not (tmp_path / "out").exists()


def test_a_damaged_summary_is_named_and_nothing_is_written(sweep, tmp_path, capsys):
    runs = tmp_path / "runs"
    shutil.copytree(sweep, runs)
    (runs / "results.parquet").unlink(missing_ok=True)
    damaged = next(runs.rglob("summary.json"))
    damaged.write_text(damaged.read_text()[:40])  # a killed writer's truncated file
    with pytest.raises(SystemExit) as exit_:
        main([str(runs), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{damaged} is damaged" in err and "Traceback" not in err
    assert not (runs / "results.parquet").exists() and not (tmp_path / "out").exists()


def test_only_the_baseline_is_an_error(tmp_path, capsys):
    sweep = write_results(synthetic({"baseline": {"approvals": [1, 2]}}), tmp_path / "sweep")
    with pytest.raises(SystemExit) as exit_:
        main([str(sweep)])
    assert exit_.value.code == 2
    assert "nothing to compare" in capsys.readouterr().err


def test_same_input_gives_identical_files(sweep, report, tmp_path):
    write_report(sweep, tmp_path)
    for name in WRITTEN:
        assert (tmp_path / name).read_bytes() == (report / name).read_bytes(), name


def test_the_command_builds_results_writes_into_the_sweep_and_prints_paths(sweep, tmp_path, capsys):
    copy = tmp_path / "sweep"
    shutil.copytree(sweep, copy, ignore=shutil.ignore_patterns("results.parquet", "*.png", "*.svg"))
    main([str(copy)])
    printed = capsys.readouterr().out.split()
    assert printed == [str(copy / name) for name in WRITTEN]
    assert (copy / "results.parquet").exists()
    assert all((copy / name).exists() for name in WRITTEN)


def test_tables_are_unpadded_pipe_tables():
    text = markdown_table(("scenario", "runs", "seeds"), [("`a`", 4, "0, 1"), ("`bb`", 2, "")])
    assert text == (
        "| scenario | runs | seeds |\n|---|---|---|\n| `a` | 4 | 0, 1 |\n| `bb` | 2 |  |"
    )


def test_the_template_ships_inside_the_package():
    from importlib import resources

    template = resources.files("collab_sim.analysis") / "templates" / "report.md.j2"
    assert "## Summary of effects" in template.read_text(encoding="utf-8")
