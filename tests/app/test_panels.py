"""The panels' sentences: the status line and the watch line."""

from __future__ import annotations

from collab_sim.app import panels


def test_watch_line_names_measure_and_reference(book):
    line = panels.watch_line(book.get("culture_clash"), 12.0, 0.0, changed=False)
    assert line == "Conflict (so far): this run 12; 'No bottlenecks' with the same seed 0."
    assert "changed" in panels.watch_line(book.get("culture_clash"), 1.0, 0.0, changed=True)
    line = panels.watch_line(book.get("short_termism"), 0.5, 0.6, False)
    assert line.startswith("Average trust (average so far): this run 0.50;")
    assert panels.watch_line(book.get("power_co_credit"), 1, float("nan"), False).endswith("n/a.")
