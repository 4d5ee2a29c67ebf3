"""The chart frame in plain words, its labels, and the live charts."""

from __future__ import annotations

import numpy as np

from collab_sim.app import charts
from collab_sim.outputs.tables import timeseries_frame
from collab_sim.vocabulary import SECTORS


def test_chart_frame_speaks_plain_words_with_running_totals_and_shares(short_run):
    ts = timeseries_frame(short_run.recorder)
    frame = charts.chart_frame(ts)
    assert list(frame.columns) == charts.chart_columns()
    assert frame.index.tolist() == ts["step"].tolist()
    assert (frame["Conflict"].to_numpy() == ts["dissolved_conflict"].cumsum().to_numpy()).all()
    assert (np.diff(frame["Completed"]) >= 0).all()
    shares = frame[[charts.value_share_label(s) for s in SECTORS]].dropna()
    assert not shares.empty and np.allclose(shares.sum(axis=1), 1.0)
    assert short_run.datacollector.get_model_vars_dataframe() is (
        short_run.datacollector.get_model_vars_dataframe()
    )  # built once per month for all charts


def test_live_chart_follows_the_frame(short_run):
    spec = charts.chart_specs()[0]
    chart = charts.LiveChart(spec)
    frame = short_run.datacollector.get_model_vars_dataframe()
    assert chart.png(frame)[:4] == b"\x89PNG"
    line = chart.lines[charts.ACTIVE]
    assert np.array_equal(line.get_ydata(), frame[charts.ACTIVE].to_numpy())
    assert chart.ax.get_xlim()[1] == max(12, frame.index[-1])
    assert chart.ax.get_ylim()[1] >= frame[charts.ACTIVE].max()
