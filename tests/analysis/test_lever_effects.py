"""collab-sim-effects: the committed table and the tool that makes it."""

from pathlib import Path

import pandas as pd
import pytest

from collab_sim.analysis import lever_effects

ROOT = Path(__file__).resolve().parents[2]


def test_odd_shows_the_committed_effect_table():
    block = (ROOT / "results" / "effects.md").read_text()
    odd = (ROOT / "docs" / "ODD.md").read_text()
    shown = odd.split(lever_effects.BEGIN + "\n", 1)[1].split(lever_effects.END)[0]
    assert shown == block, "after make effects, docs/ODD.md shows the new table"


def test_every_bottleneck_costs_innovation_output_somewhere():
    """The issue's rule: for each bottleneck at 1 against 0, at least one of approvals,
    months from phase 1 to approval and patient reach moves the expected way with a 95%
    interval that excludes 0 (100 paired replicates)."""
    table = pd.read_csv(ROOT / "results" / "effects.csv")
    bottlenecks = table[table.kind == "bottleneck"]
    assert set(bottlenecks.lever) == set(lever_effects.BOTTLENECKS)
    assert bottlenecks.groupby("lever").as_expected.any().all()
    assert (table.n >= 90).all()


def test_the_tool_runs_paired_arms_and_writes_csv_and_block(tmp_path):
    odd = tmp_path / "odd.md"
    odd.write_text(f"before\n{lever_effects.BEGIN}\nOLD TABLE\n{lever_effects.END}\nafter\n")
    lever_effects.main(
        ["--replicates", "3", "--jobs", "1", "--out", str(tmp_path), "--odd", str(odd),
         "steps=36"]
    )  # fmt: skip
    table = pd.read_csv(tmp_path / "effects.csv")
    assert len(table) == 3 * (len(lever_effects.BOTTLENECKS) + 4)
    assert set(table.outcome) == set(lever_effects.OUTCOMES)
    text = odd.read_text()
    assert text.startswith("before\n") and text.endswith("after\n") and "OLD TABLE" not in text
    assert (tmp_path / "effects.md").read_text() in text


def test_paired_effect_uses_the_same_seeds_and_a_t_interval():
    treated = pd.Series([3.0, 5.0, 7.0, float("nan")])
    reference = pd.Series([1.0, 2.0, 3.0, 4.0])
    e = lever_effects.paired_effect(treated, reference)
    assert e["n"] == 3 and e["difference"] == pytest.approx(3.0)
    assert e["reference_mean"] == pytest.approx(2.0) and e["relative"] == pytest.approx(1.5)
    assert e["ci_low"] < 3.0 < e["ci_high"]


def test_bad_override_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        lever_effects.main(["steps=-3"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
