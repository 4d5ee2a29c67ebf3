"""The parameter table of docs/parameters.md is the one the schema renders now."""

from pathlib import Path

from collab_sim.config.paramtable import parameter_table

ROOT = Path(__file__).resolve().parents[2]


def test_parameter_table_is_current():
    current = (ROOT / "docs" / "parameters.md").read_text()
    assert current == parameter_table(), (
        "regenerate: python -m collab_sim.config.paramtable > docs/parameters.md"
    )
