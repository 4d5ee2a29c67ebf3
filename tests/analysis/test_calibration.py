"""The calibration command reproduces the published pipeline figures and the README table."""

from pathlib import Path

import pandas as pd
import pytest

from collab_sim.analysis import calibration

ROOT = Path(__file__).resolve().parents[2]


def test_calibration_matches_published_rates_and_the_committed_table(tmp_path, capsys):
    calibration.main(["--out", str(tmp_path)])  # the defaults: 40 replicates, seed 0
    printed = capsys.readouterr().out
    written = (tmp_path / "calibration.md").read_text()
    assert written in printed
    # results/ holds exactly what the command prints (regenerate with `make calibrate`)
    assert (ROOT / "results" / "calibration.md").read_text() == written
    found = (tmp_path / "patterns.md").read_text()
    assert found in printed
    assert (ROOT / "results" / "patterns.md").read_text() == found
    odd = (ROOT / "docs" / "ODD.md").read_text()
    assert found in odd, "after make calibrate, paste results/patterns.md into docs/ODD.md 1.3"
    table = pd.read_csv(tmp_path / "calibration.csv").set_index("metric")
    # Tolerance: twice the half-width of the 95% bootstrap CI over replicates (about four
    # standard errors). The fit was made on other seeds (1000..1079), so these replicates
    # are an out-of-sample check; e.g. phase 1 -> 2 is held to about +-1.3 points.
    for metric, row in table.iterrows():
        half_width = (row.ci95_high - row.ci95_low) / 2
        assert abs(row.simulated - row.published) <= 2 * half_width, metric
    assert (
        table.loc["loa_phase1_rare_disease", "simulated"]
        > 1.5 * table.loc["loa_phase1", "simulated"]
    )


def test_bad_override_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        calibration.main(["steps=-3"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "steps=-3" in err
