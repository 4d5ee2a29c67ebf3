"""Documentation that cannot drift: README's Python block runs, its tables are current.

The parameter table (docs/parameters.md) is checked in tests/config/test_paramtable.py.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_example_runs(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert namespace["result"].summary["partnerships_formed"] > 0
    assert list(tmp_path.iterdir()) == []  # the Python API wrote nothing


def test_readme_quick_start_is_the_two_make_commands():
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", quick, flags=re.M)
    assert commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_shows_the_current_calibration_table():
    text = (ROOT / "README.md").read_text()
    shown = text.split("<!-- calibration:start -->\n", 1)[1].split("<!-- calibration:end -->")[0]
    assert shown == (ROOT / "results" / "calibration.md").read_text()


def test_readme_policy_table_is_the_canonical_report():
    from collab_sim.analysis.report import summary_block

    text = (ROOT / "README.md").read_text()
    shown = text.split("<!-- policy:start -->\n", 1)[1].split("<!-- policy:end -->")[0]
    report = (ROOT / "results" / "policy_comparison" / "report.md").read_text()
    assert shown == summary_block(report), "after make policy-report, paste its summary table"
    for name in ("report.html", "report_effects.csv", "report_effects.png"):
        assert (ROOT / "results" / "policy_comparison" / name).stat().st_size > 1000


def test_odd_shows_the_current_calibration_table():
    odd = (ROOT / "docs" / "ODD.md").read_text()
    assert (ROOT / "results" / "calibration.md").read_text() in odd, (
        "after make calibrate, paste results/calibration.md into docs/ODD.md 1.3"
    )
