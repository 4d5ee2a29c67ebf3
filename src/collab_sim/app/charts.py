"""The live charts: every measure's label, the chart frame, and the chart pictures.

:data:`OUTCOME_LABELS` (read from the outcome registry) is where the app finds a measure's
label: the chart frame's columns, the chart lines, the presets' ``watch.measure`` and the
watch panel's sentence all use these words. :func:`chart_frame` turns the recorder's time
series into those columns (running totals of endings, value shares); :class:`ChartData` serves it as
``model.datacollector``, the interface Mesa's plot components read; :class:`LiveChart`
draws one chart per :func:`chart_specs` entry, built once per model and updated in place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.outcomes import chart_labels
from collab_sim.outputs.tables import timeseries_frame
from collab_sim.vocabulary import DISSOLUTION_CAUSES, SECTORS, STAGES

#: The measures the app charts, by the recorder's time-series column each is read from,
#: in the chart frame's column order. ``dissolved_<cause>`` is shown as a running total and
#: ``value_share_<sector>`` is the share of ``value_received_<sector>`` in the value
#: received so far.
CHART_SERIES: tuple[str, ...] = (
    "active_partnerships",
    "active_consortia",
    *(f"dissolved_{cause}" for cause in DISSOLUTION_CAUSES),
    *(f"candidates_{stage}" for stage in STAGES),
    "approvals_cumulative",
    *(f"value_share_{sector}" for sector in SECTORS),
    "mean_trust",
    "trust_company_nonprofit",
    "remedy_costs_cumulative",
    "nonprofit_participation",
)
#: Plain-words label of every measure the app shows, by its time-series column: the
#: outcome registry's chart line names (:func:`collab_sim.outputs.outcomes.chart_labels`).
OUTCOME_LABELS: dict[str, str] = {series: chart_labels()[series] for series in CHART_SERIES}

#: The labels by the code's names for them (all read from :data:`OUTCOME_LABELS`).
CAUSE_LABELS = {cause: OUTCOME_LABELS[f"dissolved_{cause}"] for cause in DISSOLUTION_CAUSES}
STAGE_LABELS = {stage: OUTCOME_LABELS[f"candidates_{stage}"] for stage in STAGES}
ACTIVE = OUTCOME_LABELS["active_partnerships"]
CONSORTIA = OUTCOME_LABELS["active_consortia"]
APPROVED = OUTCOME_LABELS["approvals_cumulative"]
TRUST = OUTCOME_LABELS["mean_trust"]
TRUST_CN = OUTCOME_LABELS["trust_company_nonprofit"]
REMEDY_SPEND = OUTCOME_LABELS["remedy_costs_cumulative"]
PARTICIPATION = OUTCOME_LABELS["nonprofit_participation"]
#: Chart lines that are running totals.
RUNNING_TOTALS = frozenset({*CAUSE_LABELS.values(), APPROVED, REMEDY_SPEND})

#: Sectors in plain words (the network's legend).
SECTOR_PLURALS = {"company": "companies", "nonprofit": "nonprofits", "agency": "agencies"}
#: One colour per sector, shared by the network's dots and the value-share lines.
SECTOR_COLOURS = dict(zip(SECTORS, sns.color_palette("colorblind", len(SECTORS)), strict=True))
CAUSE_COLOURS = {
    "completed": "#2ca02c",
    "failed": "#7f7f7f",
    "project_failed": "#17becf",
    "conflict": "#d62728",
    "member_exit_dissatisfied": "#9467bd",
    "member_exit_unfair": "#8c564b",
    "member_exit_transactional": "#ff7f0e",
    "member_broke": "#000000",
    "funding_exhausted": "#bcbd22",
}


def value_share_label(sector: str) -> str:
    """Chart line name of a sector's share of value received."""
    return OUTCOME_LABELS[f"value_share_{sector}"]


def chart_columns() -> list[str]:
    """Every measure the charts show and a preset can watch: the chart frame's columns."""
    return list(OUTCOME_LABELS.values())


def chart_frame(timeseries: pd.DataFrame) -> pd.DataFrame:
    """The time series in plain words, as the charts and the watch panel read it.

    Endings by cause are running totals; value shares are each sector's share of the
    value received so far (NaN before any value is paid).

    Args:
        timeseries: The recorder's frame (``timeseries_frame(model.recorder)``).

    Returns:
        One row per month, indexed by month (1, 2, ...), columns named in plain words.
    """
    ts = timeseries
    out = pd.DataFrame(index=pd.Index(ts["step"].to_numpy(), name="month"))
    out[ACTIVE] = ts["active_partnerships"].to_numpy()
    out[CONSORTIA] = ts["active_consortia"].to_numpy()
    for cause in DISSOLUTION_CAUSES:
        out[CAUSE_LABELS[cause]] = ts[f"dissolved_{cause}"].cumsum().to_numpy()
    for stage in STAGES:
        out[STAGE_LABELS[stage]] = ts[f"candidates_{stage}"].to_numpy()
    out[APPROVED] = ts["approvals_cumulative"].to_numpy()
    values = ts[[f"value_received_{s}" for s in SECTORS]].to_numpy(dtype=float)
    total = values.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, values / np.where(total > 0, total, 1.0), np.nan)
    for k, sector in enumerate(SECTORS):
        out[value_share_label(sector)] = shares[:, k]
    out[TRUST] = ts["mean_trust"].to_numpy()
    out[TRUST_CN] = ts["trust_company_nonprofit"].to_numpy()
    out[REMEDY_SPEND] = ts["remedy_costs_cumulative"].to_numpy()
    out[PARTICIPATION] = ts["nonprofit_participation"].to_numpy()
    return out


class ChartData:
    """What Mesa's plot components read as ``model.datacollector``.

    Mesa's ``make_plot_component`` plots columns of
    ``model.datacollector.get_model_vars_dataframe()``; the model records into columnar
    buffers instead of a DataCollector, so this adapter serves :func:`chart_frame` of the
    recorder, built once per month however many charts read it.

    Args:
        model: The model whose recorder is read.
    """

    def __init__(self, model: EcosystemModel) -> None:
        self._model = model
        self._month = -1
        self._frame = pd.DataFrame()

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """The chart frame up to the current month."""
        month = int(self._model.steps)
        if month != self._month:
            self._frame = chart_frame(timeseries_frame(self._model.recorder))
            self._month = month
        return self._frame


@dataclass(frozen=True)
class ChartSpec:
    """One live chart: its title, y label, lines (chart frame column -> colour), y range."""

    title: str
    ylabel: str
    lines: dict[str, str]
    ylim: tuple[float, float] | None = None


def _palette(names: list[str], palette: str) -> dict[str, str]:
    colours = sns.color_palette(palette, len(names)).as_hex()
    return dict(zip(names, colours, strict=True))


def chart_specs() -> list[ChartSpec]:
    """The live charts, in display order."""
    causes = {CAUSE_LABELS[cause]: colour for cause, colour in CAUSE_COLOURS.items()}
    stages = {**_palette(list(STAGE_LABELS.values()), "viridis"), APPROVED: "#d62728"}
    shares = {value_share_label(s): mcolors.to_hex(SECTOR_COLOURS[s]) for s in SECTORS}
    return [
        ChartSpec("Active partnerships", "partnerships", {ACTIVE: "#1f77b4", CONSORTIA: "#17becf"}),
        ChartSpec("Partnerships ended, by cause (running total)", "ended", causes),
        ChartSpec("Drug candidates by stage, and approvals (total)", "candidates", stages),
        ChartSpec("Share of value received so far, by sector", "share", shares, (0.0, 1.0)),
        ChartSpec(
            "Trust (0 none, 1 full)", "trust", {TRUST: "#2ca02c", TRUST_CN: "#ff7f0e"}, (0.0, 1.0)
        ),  # fmt: skip
    ]


def figure_png(figure: Figure) -> bytes:
    """A figure as PNG bytes (no tight bounding box: the layout is fixed, so it is cheap)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast, bigger
    return buffer.getvalue()


class LiveChart:
    """A line chart of chart-frame columns, built once per model and updated in place.

    Args:
        spec: What to draw.
        size: Figure size, inches.
        styles: Line style of some lines (default solid), e.g. ``{name: "--"}``.
    """

    def __init__(
        self,
        spec: ChartSpec,
        *,
        size: tuple[float, float] = (5.6, 3.4),
        styles: dict[str, str] | None = None,
    ) -> None:
        self.spec = spec
        styles = styles or {}
        self.figure = Figure(figsize=size, dpi=100)
        self.figure.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.14)
        ax = self.ax = self.figure.add_subplot()
        self.lines = {
            name: ax.plot([], [], color=colour, lw=1.4, ls=styles.get(name, "-"), label=name)[0]
            for name, colour in spec.lines.items()
        }
        ax.set_title(spec.title, fontsize=10)
        ax.set_xlabel("month")
        ax.set_ylabel(spec.ylabel)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=7, frameon=False, ncols=2)

    def update(self, frame: pd.DataFrame) -> None:
        """Show the columns of ``frame`` (a chart frame) up to its last month."""
        x = frame.index.to_numpy()
        for name, line in self.lines.items():
            line.set_data(x, frame[name].to_numpy() if name in frame else np.zeros(x.size))
        last = float(x[-1]) if x.size else 0.0
        self.ax.set_xlim(0, max(12.0, last))
        if self.spec.ylim is not None:
            self.ax.set_ylim(*self.spec.ylim)
        else:
            values = [line.get_ydata() for line in self.lines.values()]
            top = max((np.nanmax(v) for v in values if np.size(v) and np.isfinite(v).any()),
                      default=0.0)  # fmt: skip
            self.ax.set_ylim(0, max(1.0, 1.15 * top))

    def png(self, frame: pd.DataFrame) -> bytes:
        """The chart for ``frame`` as PNG bytes."""
        self.update(frame)
        return figure_png(self.figure)
