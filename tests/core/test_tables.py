"""Each state table and the record the kernels get from it list the same array columns."""

import dataclasses

import pytest

from collab_sim.core.partnerships import PartnershipState, PartnershipTable
from collab_sim.core.projects import ProjectState, ProjectTable


@pytest.mark.parametrize(
    ("table", "record"),
    [(PartnershipTable, PartnershipState), (ProjectTable, ProjectState)],
    ids=lambda c: c.__name__,
)
def test_a_table_and_its_record_have_the_same_columns_in_the_same_order(table, record):
    """A column added to the table but not to its record would never reach the kernels."""
    columns = [f.name for f in dataclasses.fields(table) if f.type in ("np.ndarray", "ndarray")]
    assert columns == list(record._fields), (
        f"{table.__name__} columns {sorted(set(columns) - set(record._fields))} are not in "
        f"{record.__name__}; {record.__name__} fields "
        f"{sorted(set(record._fields) - set(columns))} are not table columns"
    )
