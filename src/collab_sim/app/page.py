"""The educator app: watch partnerships form and break, live in the browser.

Start it with ``make app`` (or ``solara run src/collab_sim/app/page.py --host 127.0.0.1``).
It is a Mesa :class:`~mesa.visualization.SolaraViz` page with:

* a partnership network: organisations coloured by sector and sized by money, lines for
  active partnerships coloured by the partners' trust, ended partnerships fading out;
* live charts of active partnerships, endings by cause, candidates by pipeline stage and
  approvals, value share by sector, and trust (read from ``model.datacollector``, the
  interface Mesa's plot components read);
* a plain-words legend and a "watch" panel with the active teaching preset's measure,
  next to the same measure in a reference run with the same seed;
* Mesa's controller (play, step, reset), Mesa's inputs for the settings (bottleneck
  strengths, remedy adoption shares, trust / funding / power rules, population, seed),
  and teaching presets and scenarios (``conf/app/presets.yaml``, ``conf/scenario``),
  one click each.

Only the model's public state is read: ``model.orgs``, ``model.partnerships``,
``model.trust``, ``timeseries_frame(model.recorder)`` and the config. The network layout is
fixed per model (clusters by subtype on a ring grouped by sector, no randomness), so a
step never re-lays out the graph; the pictures are drawn once per month, after the step.

The pure functions (layout, links, fading, chart frame, settings, presets) carry the
logic and are unit-tested; the solara components only arrange them.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import seaborn as sns
import solara
import yaml
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.solara_viz import UserInputs
from mesa.visualization.utils import update_counter

from collab_sim.config.composition import make_config
from collab_sim.config.groups import conf_dir, group_options
from collab_sim.config.schema import ConfigError, SimConfig
from collab_sim.core.model import EcosystemModel
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.outputs.tables import timeseries_frame
from collab_sim.vocabulary import DISSOLUTION_CAUSES, SECTORS, STAGES

#: Months a run is configured for; the app can play on past it (the recorder grows).
APP_MONTHS = 600
#: Months over which an ended partnership's line fades out of the network.
FADE_MONTHS = 6
#: The presets file, under the config tree.
PRESETS_FILE = Path("app") / "presets.yaml"

# --------------------------------------------------------------------------- controls

BOTTLENECKS = (
    "role_ambiguity",
    "cultural_mismatch",
    "data_friction",
    "transactional_mindset",
    "power_imbalance",
)
REMEDIES = ("joint_planning", "co_credit", "partnership_managers", "learning_loops")
RULE_GROUPS = ("trust", "funding", "power")
#: Settings chosen from a config group, and their group. The scenario setting is not
#: called ``scenario``: Mesa models have a ``scenario`` of their own, which SolaraViz
#: passes to the model on Reset when the model takes a ``scenario`` argument.
CHOICE_SETTINGS = {
    "population": "population",
    "policy_scenario": "scenario",
    **{group: group for group in RULE_GROUPS},
}

#: Slider labels in plain words.
LABELS = {
    "role_ambiguity": "Unclear roles",
    "cultural_mismatch": "Cultural mismatch",
    "data_friction": "Data friction",
    "transactional_mindset": "Short-term mindset",
    "power_imbalance": "Power imbalance",
    "joint_planning": "Remedy: joint planning",
    "co_credit": "Remedy: co-branded credit",
    "partnership_managers": "Remedy: partnership managers",
    "learning_loops": "Remedy: learning loops",
    "population": "Population size",
    "trust": "Trust rule",
    "funding": "Funding rule",
    "power": "Power rule",
    "seed": "Seed (whole number)",
}
SETTING_KEYS = (*CHOICE_SETTINGS, "seed", *BOTTLENECKS, *REMEDIES)


def config_key(name: str) -> str:
    """Dotted config key (or config group) an app setting sets, e.g. ``bottlenecks.x``."""
    if name in BOTTLENECKS:
        return f"bottlenecks.{name}"
    if name in REMEDIES:
        return f"remedies.{name}"
    if name in CHOICE_SETTINGS:
        return CHOICE_SETTINGS[name]
    if name in SETTING_KEYS:
        return name
    raise KeyError(f"unknown app setting {name!r}; known: {', '.join(SETTING_KEYS)}")


def parse_seed(value: Any) -> int:
    """A seed from a slider or a text box: a whole number >= 0.

    Raises:
        ConfigError: naming ``seed`` when the value is not a whole number >= 0.
    """
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d+", text):
        raise ConfigError("seed", value, "must be a whole number >= 0")
    return int(text)


def settings_overrides(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Config overrides for app settings (``None`` values are left to the scenario).

    Args:
        settings: App setting name -> value (see ``SETTING_KEYS``).

    Returns:
        Overrides for :func:`collab_sim.config.make_config`, with ``steps`` set to
        ``APP_MONTHS``.

    Raises:
        ConfigError: for an unknown setting or a bad seed.
    """
    out: dict[str, Any] = {"steps": APP_MONTHS}
    for name, value in settings.items():
        if name not in SETTING_KEYS:
            raise ConfigError(name, value, "not an app setting; known: " + ", ".join(SETTING_KEYS))
        if value is None:
            continue
        out[config_key(name)] = parse_seed(value) if name == "seed" else value
    return out


def settings_changed(asked: Mapping[str, Any], used: Mapping[str, Any]) -> bool:
    """Whether ``used`` differs from ``asked`` in any setting ``asked`` names.

    Seeds compare as numbers (the seed box gives text) and strengths as floats.
    """

    def norm(name: str, value: Any) -> Any:
        if name == "seed":
            try:
                return parse_seed(value)
            except ConfigError:
                return value
        if name in BOTTLENECKS or name in REMEDIES:
            return None if value is None else round(float(value), 9)
        return value

    return any(norm(k, used.get(k)) != norm(k, v) for k, v in asked.items())


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (the app shows one line, never a traceback)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def build_config(settings: Mapping[str, Any]) -> tuple[SimConfig, str | None]:
    """The run's config from app settings, or the baseline with a one-line message.

    Args:
        settings: App setting name -> value.

    Returns:
        The validated config and ``None``, or, when the settings cannot be used, the
        baseline config and a one-line message naming the problem.
    """
    try:
        return make_config(settings_overrides(settings)), None
    except Exception as exc:  # any bad combination becomes one line in the app
        message = f"These settings cannot run ({first_line(exc)}); showing the baseline instead."
        return make_config({"steps": APP_MONTHS}), message


@functools.cache
def scenario_settings(scenario: str = "baseline") -> dict[str, Any]:
    """The app settings a scenario stands for (rules, bottleneck strengths, remedies).

    Args:
        scenario: A name from ``conf/scenario``.

    Returns:
        Setting name -> value, population ``default`` and seed 0.
    """
    cfg = make_config({"scenario": scenario})
    out: dict[str, Any] = {
        "population": "default",
        "policy_scenario": scenario,
        "trust": cfg.trust.rule,
        "funding": cfg.funding.rule,
        "power": cfg.power.rule,
        "seed": 0,
    }
    out |= {b: float(getattr(cfg.bottlenecks, b)) for b in BOTTLENECKS}
    out |= {r: float(getattr(cfg.remedies, r)) for r in REMEDIES}
    return out


def scenario_note(scenario: str) -> str:
    """The plain-words policy a scenario stands for: its YAML file's top comment."""
    path = conf_dir() / "scenario" / f"{scenario}.yaml"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if not text.startswith("@package"):
            lines.append(text)
    return " ".join(lines)


def control_params(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Mesa user inputs (sliders and menus) for the settings, starting at ``settings``.

    Args:
        settings: Complete app settings (see :func:`scenario_settings`).

    Returns:
        Setting name -> Mesa ``Slider`` or input dict, for Mesa's ``UserInputs``. The
        scenario is not among them: it is chosen with the presets, which load its values.
    """
    params: dict[str, Any] = {}
    for group in ("population", *RULE_GROUPS):
        params[group] = {
            "type": "Select",
            "value": settings[group],
            "values": group_options(group),
            "label": LABELS[group],
        }
    params["seed"] = {"type": "InputText", "value": str(settings["seed"]), "label": LABELS["seed"]}
    for name in (*BOTTLENECKS, *REMEDIES):
        value = float(settings[name])
        params[name] = Slider(LABELS[name], value=value, min=0.0, max=1.0, step=0.05)
    return params


# --------------------------------------------------------------------------- the model


class ClassroomModel(EcosystemModel):
    """The ecosystem model, built from the app's controls (never fails to build).

    A value left ``None`` takes the scenario's value. Mesa's SolaraViz re-creates the
    model on Reset with its fixed parameter ``session``, the page's settings store.

    Args:
        population: Population option (``conf/population``).
        policy_scenario: Scenario option (``conf/scenario``).
        trust: Trust rule option.
        funding: Funding rule option.
        power: Power rule option.
        seed: Seed, a whole number >= 0 (text from the seed box is accepted).
        role_ambiguity: Bottleneck strength, 0-1.
        cultural_mismatch: Bottleneck strength, 0-1.
        data_friction: Bottleneck strength, 0-1.
        transactional_mindset: Bottleneck strength, 0-1.
        power_imbalance: Bottleneck strength, 0-1.
        joint_planning: Remedy adoption share, 0-1.
        co_credit: Remedy adoption share, 0-1.
        partnership_managers: Remedy adoption share, 0-1.
        learning_loops: Remedy adoption share, 0-1.
        session: The page's settings store; when given, its settings are used instead
            of the arguments above (how Mesa's Reset button builds the model).
        draw: Draw the network and the charts after every month (the app does; a
            headless run need not).

    Attributes:
        settings: The settings asked for.
        app_message: One line saying why the settings could not run (the baseline runs
            instead), or ``None``.
        datacollector: The chart data Mesa's plot components read.
        pictures: The month's network and chart images, or ``None`` when not drawing.
    """

    def __init__(
        self,
        *,
        population: str | None = "default",
        policy_scenario: str | None = "baseline",
        trust: str | None = None,
        funding: str | None = None,
        power: str | None = None,
        seed: int | str | None = 0,
        role_ambiguity: float | None = None,
        cultural_mismatch: float | None = None,
        data_friction: float | None = None,
        transactional_mindset: float | None = None,
        power_imbalance: float | None = None,
        joint_planning: float | None = None,
        co_credit: float | None = None,
        partnership_managers: float | None = None,
        learning_loops: float | None = None,
        session: solara.Reactive[Setup | None] | None = None,
        draw: bool = True,
    ) -> None:
        settings = {
            "population": population,
            "policy_scenario": policy_scenario,
            "trust": trust,
            "funding": funding,
            "power": power,
            "seed": seed,
            "role_ambiguity": role_ambiguity,
            "cultural_mismatch": cultural_mismatch,
            "data_friction": data_friction,
            "transactional_mindset": transactional_mindset,
            "power_imbalance": power_imbalance,
            "joint_planning": joint_planning,
            "co_credit": co_credit,
            "partnership_managers": partnership_managers,
            "learning_loops": learning_loops,
        }
        if session is not None:  # Mesa's Reset: the session's controls decide
            settings = dict((session.value or initial_setup()).settings)
        config, message = build_config(settings)
        super().__init__(config)
        self.settings = settings
        self.app_message = message
        self.datacollector = ChartData(self)
        self.pictures = Pictures(self) if draw else None

    def step(self) -> None:
        """Advance one month, then draw the month's pictures (when drawing)."""
        super().step()
        if self.pictures is not None:
            self.pictures.draw()


# --------------------------------------------------------------------------- chart data

CAUSE_LABELS = {
    "completed": "Completed",
    "failed": "Failed",
    "conflict": "Conflict",
    "member_exit_dissatisfied": "Left: unhappy",
    "member_exit_unfair": "Left: unfair share",
    "member_exit_transactional": "Left: short-term returns",
    "member_broke": "Partner went broke",
    "funding_exhausted": "Funding ran out",
}
STAGE_LABELS = {
    "discovery": "Discovery",
    "preclinical": "Preclinical",
    "phase1": "Phase I",
    "phase2": "Phase II",
    "phase3": "Phase III",
    "review": "Regulatory review",
}
SECTOR_PLURALS = {"company": "companies", "nonprofit": "nonprofits", "agency": "agencies"}
ACTIVE = "Active partnerships"
CONSORTIA = "Consortia (3+ partners)"
APPROVED = "Approved (total)"
TRUST = "Average trust"
TRUST_CN = "Company-nonprofit trust"
REMEDY_SPEND = "Remedy spending ($M, total)"
PARTICIPATION = "Nonprofits taking part (last 12 months)"
#: Chart lines that are running totals.
RUNNING_TOTALS = frozenset({*CAUSE_LABELS.values(), APPROVED, REMEDY_SPEND})


def value_share_label(sector: str) -> str:
    """Chart line name of a sector's share of value received."""
    return f"Value share: {SECTOR_PLURALS[sector]}"


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


# --------------------------------------------------------------------------- the network

SECTOR_COLOURS = dict(zip(SECTORS, sns.color_palette("colorblind", len(SECTORS)), strict=True))
TRUST_CMAP = matplotlib.colormaps["RdYlGn"]
TRUST_NORM = Normalize(vmin=0.2, vmax=0.8)  # trust lives mostly here; wider range washes out
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def cluster_layout(sector: np.ndarray, subtype: np.ndarray) -> np.ndarray:
    """Fixed node positions: one disc per subtype on a ring, subtypes grouped by sector.

    Within a disc, organisations sit on a sunflower spiral in index order; disc areas
    grow with the subtype's count. No randomness: the same population always gets the
    same picture, and the layout is computed once per model, never per step.

    Args:
        sector: Sector index per organisation.
        subtype: Subtype index per organisation.

    Returns:
        ``(N, 2)`` positions, centred on the origin.
    """
    n = sector.size
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    groups = sorted({(int(s), int(t)) for s, t in zip(sector, subtype, strict=True)})
    members = [np.flatnonzero((sector == s) & (subtype == t)) for s, t in groups]
    radii = np.array([math.sqrt(m.size) for m in members])
    gap = 0.6 * radii.mean()
    spans = 2.0 * radii + gap
    ring = spans.sum() / (2.0 * math.pi) if len(groups) > 1 else 0.0
    angle = -math.pi / 2.0
    for ids, radius, span in zip(members, radii, spans, strict=True):
        angle += span / (2.0 * ring) if ring else 0.0
        centre = np.array([ring * math.cos(angle), ring * math.sin(angle)])
        k = np.arange(ids.size)
        r = radius * np.sqrt((k + 0.5) / ids.size)
        theta = k * _GOLDEN_ANGLE
        pos[ids] = centre + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        angle += span / (2.0 * ring) if ring else 0.0
    return pos


def fade_alpha(age: np.ndarray, fade_months: int = FADE_MONTHS) -> np.ndarray:
    """Opacity of an ended partnership's line ``age`` months after it ended.

    1 in the month it ends, falling linearly to 0 at ``fade_months``; 0 after that.
    """
    age = np.asarray(age, dtype=np.float64)
    if fade_months <= 0:
        return np.zeros_like(age)
    return np.clip(1.0 - age / fade_months, 0.0, 1.0) * (age >= 0)


@dataclass
class Links:
    """Pairs of organisations linked by a partnership (one row per pair).

    Attributes:
        source: First organisation of each pair.
        target: Second organisation of each pair.
        partnership: Partnership id of each pair.
        active: Whether the partnership is active now.
        age: Months since the partnership ended (0 for active ones).
    """

    source: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    partnership: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    active: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    age: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return int(self.source.size)


def partnership_links(table: PartnershipTable, now: int, fade_months: int = FADE_MONTHS) -> Links:
    """Member pairs of active partnerships and of those that ended in the last months.

    A consortium links every pair of its members.

    Args:
        table: The model's partnership table.
        now: The current month (``model.steps``).
        fade_months: How long an ended partnership stays visible.

    Returns:
        The links, active ones first in partnership order.
    """
    n = table.count
    active = table.is_active[:n]
    ended = table.ended[:n]
    recent = ~active & (ended >= 0) & (now - ended < fade_months)
    shown = np.flatnonzero(active | recent)
    shown = shown[np.argsort(~active[shown], kind="stable")]
    src, dst, pid = [], [], []
    for p in shown:
        team = table.members[p, : table.size[p]]
        a, b = np.triu_indices(team.size, k=1)
        src.append(team[a])
        dst.append(team[b])
        pid.append(np.full(a.size, p))
    if not src:
        return Links()
    pid_all = np.concatenate(pid).astype(np.int64)
    is_active = active[pid_all]
    return Links(
        source=np.concatenate(src).astype(np.int64),
        target=np.concatenate(dst).astype(np.int64),
        partnership=pid_all,
        active=is_active,
        age=np.where(is_active, 0, now - ended[pid_all]).astype(np.int64),
    )


def pair_trust(model: EcosystemModel, links: Links) -> np.ndarray:
    """Mutual trust of each linked pair now: the mean of both directions' trust."""
    sector, now = model.orgs.sector, int(model.steps)
    of = model.trust.of
    return np.array(
        [
            0.5 * (of(sector, i, j, now) + of(sector, j, i, now))
            for i, j in zip(links.source.tolist(), links.target.tolist(), strict=True)
        ]
    )


def node_sizes(resources: np.ndarray) -> np.ndarray:
    """Marker areas (points^2) growing with the log of money in hand ($M; debt as 0)."""
    money = np.clip(np.asarray(resources, dtype=np.float64), 0.0, None)
    return np.clip(8.0 + 22.0 * np.log10(1.0 + money), 8.0, 120.0)


def subtype_label(name: str) -> str:
    """A subtype name for the picture, e.g. ``large_pharma`` -> ``large pharma``."""
    return name.replace("_", " ")


class NetworkPicture:
    """The partnership network of one model, drawn at fixed positions, updated in place.

    The figure, the nodes and the subtype labels are made once per model; each month
    only the node sizes (money) and the lines (partnerships) change, so a frame costs
    one PNG encoding, not a re-layout or a new figure.

    Args:
        model: The model (its organisations, partnerships and trust are read).
        size: Figure size, inches.

    Attributes:
        positions: ``(N, 2)`` node positions (:func:`cluster_layout`).
        figure: The matplotlib figure (not attached to pyplot).
    """

    def __init__(self, model: EcosystemModel, *, size: tuple[float, float] = (5.6, 3.9)) -> None:
        self.model = model
        orgs = model.orgs
        self.positions = cluster_layout(orgs.sector, orgs.subtype)
        self.figure = Figure(figsize=size, dpi=100)
        ax = self.ax = self.figure.add_axes((0.0, 0.1, 1.0, 0.82))
        ax.set_axis_off()
        ax.set_aspect("equal", adjustable="datalim")
        self.ended_lines = LineCollection([], linewidths=1.0, linestyles="--", zorder=1)
        self.active_lines = LineCollection([], zorder=2)
        ax.add_collection(self.ended_lines)
        ax.add_collection(self.active_lines)
        colours = np.array([SECTOR_COLOURS[SECTORS[s]] for s in orgs.sector])
        self.nodes = ax.scatter(
            self.positions[:, 0], self.positions[:, 1], s=node_sizes(orgs.resources),
            c=colours, edgecolors="white", linewidths=0.4, zorder=3,
        )  # fmt: skip
        for t, name in enumerate(orgs.subtype_names):
            ids = np.flatnonzero(orgs.subtype == t)
            if ids.size:
                centre = self.positions[ids].mean(axis=0)
                top = (self.positions[ids, 1] - centre[1]).max()
                ax.annotate(subtype_label(name), (centre[0], centre[1] + top + 0.3),
                            ha="center", va="bottom", fontsize=7, color="0.3")  # fmt: skip
        handles = [
            Line2D([], [], marker="o", ls="", color=SECTOR_COLOURS[s], label=SECTOR_PLURALS[s])
            for s in SECTORS
        ]
        handles += [
            Line2D([], [], color=TRUST_CMAP(TRUST_NORM(0.8)), lw=2.5, label="high trust"),
            Line2D([], [], color=TRUST_CMAP(TRUST_NORM(0.2)), lw=1.0, label="low trust"),
            Line2D([], [], color="0.45", lw=1.0, ls="--", label="just ended"),
        ]
        self.figure.legend(handles=handles, loc="lower center", ncols=6, fontsize=7,
                           frameon=False, handlelength=1.5, columnspacing=1.0)  # fmt: skip
        lo, hi = self.positions.min(axis=0), self.positions.max(axis=0)
        pad = 0.08 * (hi - lo).max() + 1.0
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + 1.5 * pad)
        self.title = self.figure.suptitle("", fontsize=10, y=0.99)

    def update(self) -> Links:
        """Redraw for the model's current month; returns the links drawn."""
        model = self.model
        links = partnership_links(model.partnerships, int(model.steps))
        segments = np.stack(
            [self.positions[links.source], self.positions[links.target]], axis=1
        ).reshape(-1, 2, 2)
        ended = ~links.active
        grey = np.zeros((int(ended.sum()), 4))
        grey[:, :3] = 0.45
        grey[:, 3] = 0.8 * fade_alpha(links.age[ended])
        self.ended_lines.set_segments(segments[ended])
        self.ended_lines.set_color(grey)
        trust = pair_trust(model, links)[links.active] if len(links) else np.zeros(0)
        self.active_lines.set_segments(segments[links.active])
        self.active_lines.set_color(TRUST_CMAP(TRUST_NORM(trust)))
        self.active_lines.set_linewidths(0.6 + 2.4 * trust)
        self.nodes.set_sizes(node_sizes(model.orgs.resources))
        n_active = np.unique(links.partnership[links.active]).size
        self.title.set_text(
            f"Who works with whom - month {int(model.steps)}: {n_active} partnerships"
        )
        return links

    def png(self) -> bytes:
        """The figure as PNG bytes, after :meth:`update`."""
        self.update()
        return figure_png(self.figure)


def figure_png(figure: Figure) -> bytes:
    """A figure as PNG bytes (no tight bounding box: the layout is fixed, so it is cheap)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast, bigger
    return buffer.getvalue()


@dataclass(frozen=True)
class ChartSpec:
    """One live chart: its title, y label, lines (chart frame column -> colour), y range."""

    title: str
    ylabel: str
    lines: dict[str, str]
    ylim: tuple[float, float] | None = None


class LiveChart:
    """A line chart of chart-frame columns, built once per model and updated in place.

    Args:
        spec: What to draw.
        size: Figure size, inches.
    """

    def __init__(self, spec: ChartSpec, *, size: tuple[float, float] = (5.6, 3.4)) -> None:
        self.spec = spec
        self.figure = Figure(figsize=size, dpi=100)
        self.figure.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.14)
        ax = self.ax = self.figure.add_subplot()
        self.lines = {
            name: ax.plot([], [], color=colour, lw=1.4, label=name)[0]
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


class Pictures:
    """The network and chart images of a model's current month, drawn after each step.

    Drawing takes most of a month's time in the app. It happens here, in the thread
    that steps the model, and the components only show the bytes: a render is then
    quick, so renders never pile up behind Play (Mesa's play loop steps again as soon
    as its previous render was requested; with slow renders a click handler could keep
    re-rendering for ever and the page stopped updating).

    Args:
        model: The model to draw.

    Attributes:
        network: The network picture (fixed layout).
        charts: One live chart per :func:`chart_specs` entry.
        network_png: PNG bytes of the network now.
        chart_pngs: PNG bytes of each chart now.
        month: The month drawn.
    """

    def __init__(self, model: EcosystemModel) -> None:
        self.model = model
        self.network = NetworkPicture(model)
        self.charts = [LiveChart(spec) for spec in chart_specs()]
        self.network_png = b""
        self.chart_pngs: list[bytes] = []
        self.month = -1
        self.draw()

    def draw(self) -> None:
        """Draw the model's current month."""
        frame = self.model.datacollector.get_model_vars_dataframe()
        network_png = self.network.png()
        self.chart_pngs = [chart.png(frame) for chart in self.charts]
        self.network_png = network_png
        self.month = int(self.model.steps)


# --------------------------------------------------------------------------- presets


class PresetError(ValueError):
    """A teaching preset that does not fit the schema (names the preset and the field)."""


PRESET_KINDS = ("reference", "bottleneck", "remedy")
DIRECTIONS = ("up", "down", "flat")
REDUCTIONS = ("final", "mean")
_PRESET_FIELDS = {
    "id", "title", "kind", "bottleneck", "remedy", "base", "settings", "explanation", "watch",
}  # fmt: skip
_WATCH_FIELDS = {"measure", "reduce", "direction", "compare_to", "tolerance"}


@dataclass(frozen=True)
class Watch:
    """What a preset asks the viewer to watch, and how it must differ from a reference.

    Attributes:
        measure: A chart line (a column of :func:`chart_frame`).
        reduce: ``final`` (value at the month) or ``mean`` (mean over the months so far).
        direction: ``up``, ``down`` (vs the reference) or ``flat`` (within ``tolerance``).
        compare_to: Id of the reference preset (same seed).
        tolerance: Relative difference ``flat`` allows, and the least ``up``/``down``
            must show.
    """

    measure: str
    reduce: str
    direction: str
    compare_to: str
    tolerance: float


@dataclass(frozen=True)
class Preset:
    """A teaching preset: complete app settings plus what to watch and why.

    Attributes:
        id: Short identifier.
        title: Button label.
        kind: ``reference``, ``bottleneck`` or ``remedy``.
        settings: Complete app settings (see ``SETTING_KEYS``).
        explanation: One paragraph: what to watch for.
        bottleneck: The bottleneck it shows (bottleneck and remedy presets).
        remedy: The remedy it applies (remedy presets).
        watch: The headline measure, or ``None`` for references.
    """

    id: str
    title: str
    kind: str
    settings: dict[str, Any]
    explanation: str
    bottleneck: str | None = None
    remedy: str | None = None
    watch: Watch | None = None


@dataclass(frozen=True)
class PresetBook:
    """All presets of a file, in order, with the run length they are judged over.

    Attributes:
        months: Months within which each preset shows what its explanation says.
        presets: The presets, in file order.
    """

    months: int
    presets: tuple[Preset, ...]

    def get(self, preset_id: str) -> Preset:
        """The preset with this id (``KeyError`` when there is none)."""
        for preset in self.presets:
            if preset.id == preset_id:
                return preset
        raise KeyError(preset_id)


def chart_columns() -> list[str]:
    """Every measure a preset can watch: the columns of :func:`chart_frame`."""
    return [
        ACTIVE, CONSORTIA, *CAUSE_LABELS.values(), *STAGE_LABELS.values(), APPROVED,
        *(value_share_label(s) for s in SECTORS), TRUST, TRUST_CN, REMEDY_SPEND, PARTICIPATION,
    ]  # fmt: skip


def _check_setting(where: str, name: str, value: Any) -> Any:
    if name not in SETTING_KEYS:
        raise PresetError(f"{where}: unknown setting {name!r}; known: {', '.join(SETTING_KEYS)}")
    if name in CHOICE_SETTINGS:
        options = group_options(CHOICE_SETTINGS[name])
        if value not in options:
            raise PresetError(f"{where}: {name}={value!r}; allowed: {', '.join(options)}")
        return value
    if name == "seed":
        try:
            return parse_seed(value)
        except ConfigError as exc:
            raise PresetError(f"{where}: {exc}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise PresetError(f"{where}: {name}={value!r}; must be a number from 0 to 1")
    return float(value)


def _parse_watch(where: str, raw: Any, known_ids: set[str]) -> Watch:
    if not isinstance(raw, Mapping):
        raise PresetError(f"{where}: watch must be a mapping")
    unknown = set(raw) - _WATCH_FIELDS
    if unknown:
        raise PresetError(f"{where}: unknown watch field(s) {sorted(unknown)}")
    measure = raw.get("measure")
    if measure not in chart_columns():
        raise PresetError(f"{where}: watch.measure={measure!r}; allowed: {chart_columns()}")
    reduce = raw.get("reduce", "final")
    if reduce not in REDUCTIONS:
        raise PresetError(f"{where}: watch.reduce={reduce!r}; allowed: {REDUCTIONS}")
    direction = raw.get("direction")
    if direction not in DIRECTIONS:
        raise PresetError(f"{where}: watch.direction={direction!r}; allowed: {DIRECTIONS}")
    compare_to = raw.get("compare_to")
    if compare_to not in known_ids:
        raise PresetError(f"{where}: watch.compare_to={compare_to!r} is not an earlier preset")
    tolerance = raw.get("tolerance", 0.0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise PresetError(f"{where}: watch.tolerance={tolerance!r}; must be a number >= 0")
    return Watch(measure, reduce, direction, compare_to, float(tolerance))


def parse_presets(data: Any) -> PresetBook:
    """Validate the presets file's content and resolve each preset's settings.

    A preset's settings are its ``base`` preset's settings (or the baseline scenario's,
    with the file's ``seed``) updated with its own ``settings``.

    Args:
        data: The parsed YAML: ``{months, seed, presets: [...]}``.

    Returns:
        The presets, with complete settings.

    Raises:
        PresetError: naming the preset and the field at fault.
    """
    if not isinstance(data, Mapping):
        raise PresetError("presets file: top level must be a mapping")
    unknown = set(data) - {"months", "seed", "presets"}
    if unknown:
        raise PresetError(f"presets file: unknown top-level key(s) {sorted(unknown)}")
    months = data.get("months")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= APP_MONTHS:
        raise PresetError(f"presets file: months={months!r}; must be 1..{APP_MONTHS}")
    seed = _check_setting("presets file", "seed", data.get("seed", 0))
    raw_presets = data.get("presets")
    if not isinstance(raw_presets, list) or not raw_presets:
        raise PresetError("presets file: presets must be a non-empty list")
    presets: dict[str, Preset] = {}
    for k, raw in enumerate(raw_presets):
        where = f"preset #{k + 1}"
        if not isinstance(raw, Mapping):
            raise PresetError(f"{where}: must be a mapping")
        pid = raw.get("id")
        if not isinstance(pid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", pid):
            raise PresetError(f"{where}: id={pid!r}; must be lower_snake_case")
        where = f"preset {pid!r}"
        if pid in presets:
            raise PresetError(f"{where}: duplicate id")
        unknown = set(raw) - _PRESET_FIELDS
        if unknown:
            raise PresetError(f"{where}: unknown field(s) {sorted(unknown)}")
        for text_field in ("title", "explanation"):
            value = raw.get(text_field)
            if not isinstance(value, str) or not value.strip():
                raise PresetError(f"{where}: {text_field} must be non-empty text")
        kind = raw.get("kind")
        if kind not in PRESET_KINDS:
            raise PresetError(f"{where}: kind={kind!r}; allowed: {', '.join(PRESET_KINDS)}")
        bottleneck, remedy = raw.get("bottleneck"), raw.get("remedy")
        if kind != "reference" and bottleneck not in BOTTLENECKS:
            raise PresetError(f"{where}: bottleneck={bottleneck!r}; allowed: {BOTTLENECKS}")
        if kind == "remedy" and remedy not in REMEDIES:
            raise PresetError(f"{where}: remedy={remedy!r}; allowed: {REMEDIES}")
        base_id = raw.get("base")
        if base_id is None:
            settings = {**scenario_settings("baseline"), "seed": seed}
        elif base_id in presets:
            settings = dict(presets[base_id].settings)
        else:
            raise PresetError(f"{where}: base={base_id!r} is not an earlier preset")
        own = raw.get("settings") or {}
        if not isinstance(own, Mapping):
            raise PresetError(f"{where}: settings must be a mapping")
        if "policy_scenario" in own:
            scenario = _check_setting(where, "policy_scenario", own["policy_scenario"])
            settings |= {**scenario_settings(scenario), "seed": settings["seed"]}
        for name, value in own.items():
            settings[name] = _check_setting(where, name, value)
        watch = None
        if raw.get("watch") is not None:
            watch = _parse_watch(where, raw["watch"], set(presets))
        elif kind != "reference":
            raise PresetError(f"{where}: a {kind} preset needs a watch")
        presets[pid] = Preset(
            id=pid,
            title=raw["title"].strip(),
            kind=kind,
            settings=settings,
            explanation=" ".join(raw["explanation"].split()),
            bottleneck=bottleneck,
            remedy=remedy,
            watch=watch,
        )
    return PresetBook(months=months, presets=tuple(presets.values()))


def load_presets(path: Path | None = None) -> PresetBook:
    """Read and validate the teaching presets (default ``conf/app/presets.yaml``)."""
    path = conf_dir() / PRESETS_FILE if path is None else Path(path)
    with path.open(encoding="utf-8") as fh:
        return parse_presets(yaml.safe_load(fh))


@functools.cache
def default_presets() -> PresetBook:
    """The packaged presets, loaded once per process."""
    return load_presets()


def headline(frame: pd.DataFrame, watch: Watch, month: int | None = None) -> float:
    """The watched measure over the months up to ``month`` (default: all recorded).

    Args:
        frame: A chart frame (:func:`chart_frame`).
        watch: What to watch.
        month: Last month to include.

    Returns:
        The final value or the mean over the months (NaN when there are none).
    """
    series = frame[watch.measure]
    if month is not None:
        series = series[series.index <= month]
    series = series.dropna()
    if series.empty:
        return float("nan")
    return float(series.iloc[-1] if watch.reduce == "final" else series.mean())


def shows_claim(value: float, reference: float, watch: Watch) -> bool:
    """Whether ``value`` differs from ``reference`` the way ``watch`` says it does."""
    if not (math.isfinite(value) and math.isfinite(reference)):
        return False
    margin = watch.tolerance * max(abs(reference), 1e-9)
    if watch.direction == "up":
        return value > reference + margin
    if watch.direction == "down":
        return value < reference - margin
    return abs(value - reference) <= margin


def run_headless(settings: Mapping[str, Any], months: int) -> pd.DataFrame:
    """Run the app's model without a browser; the chart frame after ``months`` months."""
    model = ClassroomModel(**settings, draw=False)
    if model.app_message:
        raise ConfigError("settings", dict(settings), model.app_message)
    model.run(months)
    return chart_frame(timeseries_frame(model.recorder))


#: Months of the reference run a preset's watch line compares with.
REFERENCE_MONTHS = 360


@functools.lru_cache(maxsize=16)
def _reference_frame(items: tuple[tuple[str, Any], ...], months: int) -> pd.DataFrame:
    return run_headless(dict(items), months)


def reference_frame(settings: Mapping[str, Any], months: int = REFERENCE_MONTHS) -> pd.DataFrame:
    """The chart frame of a headless run of ``settings`` (cached; do not modify it)."""
    return _reference_frame(tuple(sorted(settings.items())), months)


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Setup:
    """What the page's controls hold: the settings the next Reset uses, and why.

    Attributes:
        settings: Complete app settings.
        preset: Id of the preset that set them, or ``None``.
        note: Title and paragraph shown for a chosen scenario.
        generation: Counts loads of a preset or scenario; a new one redraws the controls
            with the new values.
    """

    settings: dict[str, Any]
    preset: str | None = None
    note: tuple[str, str] | None = None
    generation: int = 0


#: The page state of each browser session (solara keeps reactives per session): the
#: controls' settings, and the model on screen (SolaraViz reads and resets it).
current_setup: solara.Reactive[Setup | None] = solara.reactive(None)
current_model: solara.Reactive[ClassroomModel | None] = solara.reactive(None)


def initial_setup() -> Setup:
    """The first thing a teacher sees: the baseline scenario, seed 0."""
    return Setup(settings=scenario_settings("baseline"), note=scenario_title("baseline"))


def scenario_title(scenario: str) -> tuple[str, str]:
    """Heading and paragraph for a scenario."""
    return f"Scenario: {scenario.replace('_', ' ')}", scenario_note(scenario)


def start_over(setup: Setup) -> None:
    """Load new settings into the controls and start a new model from them.

    SolaraViz stays mounted (its controller keeps working); only the model it shows and
    the controls' values change.
    """
    current_setup.set(setup)
    current_model.set(ClassroomModel(**setup.settings))


def load_preset(preset_id: str) -> None:
    """Start over from a preset (a preset button's action)."""
    previous = current_setup.value or initial_setup()
    preset = default_presets().get(preset_id)
    start_over(
        Setup(settings=dict(preset.settings), preset=preset_id, generation=previous.generation + 1)
    )


def load_scenario(scenario: str) -> None:
    """Start over from a scenario's settings (the scenario menu's action)."""
    previous = current_setup.value or initial_setup()
    settings = {**scenario_settings(scenario), "population": previous.settings["population"]}
    settings["seed"] = previous.settings["seed"]
    start_over(
        Setup(settings=settings, note=scenario_title(scenario), generation=previous.generation + 1)
    )


def change_setting(name: str, value: Any) -> None:
    """Record a control's new value; the next Reset uses it (a control's action)."""
    setup = current_setup.value or initial_setup()
    current_setup.set(dataclasses.replace(setup, settings={**setup.settings, name: value}))


LEGEND = (
    "<b>What you see.</b> Each dot is an organisation: <b>blue</b> companies (big drug "
    "makers and biotech start-ups), <b>orange</b> nonprofits (universities, patient "
    "groups, community clinics), <b>green</b> agencies (public funders, a regulator). A "
    "bigger dot has more money. A line joins organisations that work together now; its "
    "colour is how much they trust each other (<b>red</b> little, <b>green</b> a lot). A "
    "<b>grey dashed</b> line is a partnership that just ended; it fades out over six "
    "months. One step is one month."
)


def _fmt(value: float, digits: int = 0) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.{digits}f}"


def _paragraph(heading: str, text: str) -> str:
    """An HTML paragraph with a bold heading; both are escaped."""
    return f"<p><b>{html.escape(heading)}</b> {html.escape(text)}</p>"


def status_line(frame: pd.DataFrame, month: int) -> str:
    """One sentence with the month's headline numbers, from a chart frame."""
    if frame.empty:
        return f"Month {month}: press Step or Play to start."
    last = frame.iloc[-1]
    ended = sum(float(last[c]) for c in CAUSE_LABELS.values())
    spend = float(last[REMEDY_SPEND])
    return (
        f"Month {month}: {int(last[ACTIVE])} partnerships active, {ended:.0f} ended so far, "
        f"{int(last[APPROVED])} approvals, average trust {_fmt(float(last[TRUST]), 2)}"
        + (f", remedies cost ${spend:,.0f}M so far." if spend > 0 else ".")
    )


def watch_line(preset: Preset, value: float, reference: float, changed: bool) -> str:
    """The watch panel's sentence: the preset's measure now and in its reference run."""
    assert preset.watch is not None
    watch = preset.watch
    ref_title = default_presets().get(watch.compare_to).title
    counts = watch.measure in RUNNING_TOTALS or watch.measure in (ACTIVE, CONSORTIA)
    digits = 0 if counts else 2
    if watch.reduce == "mean":
        how = "average so far"
    else:
        how = "so far" if watch.measure in RUNNING_TOTALS else "now"
    text = (
        f"{watch.measure} ({how}): this run {_fmt(value, digits)}; "
        f"'{ref_title}' with the same seed {_fmt(reference, digits)}."
    )
    if changed:
        text += " (The controls were changed after the preset was loaded.)"
    return text


@solara.component
def LegendPanel(model: ClassroomModel) -> None:
    """Plain-words legend, live numbers, and what to watch in the chosen preset.

    A custom component: Mesa has no text panel that reads a model each step.
    """
    update_counter.get()
    frame = model.datacollector.get_model_vars_dataframe()
    setup = current_setup.value or initial_setup()
    style = {"padding": "0 8px", "font-size": "13px", "height": "100%", "overflow-y": "auto"}
    with solara.Column(gap="2px", style=style):
        if model.app_message:
            solara.Warning(model.app_message, dense=True)
        solara.HTML(tag="div", unsafe_innerHTML=f"<p>{LEGEND}</p>")
        solara.HTML(
            tag="div",
            unsafe_innerHTML=_paragraph("Now.", status_line(frame, int(model.steps))),
            classes=["collab-status"],
        )
        WatchPanel(model, setup, frame)


@solara.component
def WatchPanel(model: ClassroomModel, setup: Setup, frame: pd.DataFrame) -> None:
    """The chosen preset's explanation and its measure next to its reference run.

    The reference run (same seed, the reference preset's settings) is run once when the
    preset loads (:func:`reference_frame`), so a render only looks a month up in it.
    """
    book = default_presets()
    preset = book.get(setup.preset) if setup.preset else None
    reference = solara.use_memo(
        lambda: (
            reference_frame(book.get(preset.watch.compare_to).settings)
            if preset is not None and preset.watch is not None
            else None
        ),
        [setup.preset, setup.generation],
    )
    if preset is None:
        if setup.note:
            solara.HTML(tag="div", unsafe_innerHTML=_paragraph(f"{setup.note[0]}.", setup.note[1]))
        return
    solara.HTML(
        tag="div", unsafe_innerHTML=_paragraph(f"Preset: {preset.title}.", preset.explanation)
    )
    if preset.watch is None or reference is None:
        return
    month = int(model.steps)
    value = headline(frame, preset.watch, month) if not frame.empty else float("nan")
    changed = settings_changed(preset.settings, model.settings)
    covered = not reference.empty and month <= int(reference.index[-1])
    ref_value = headline(reference, preset.watch, month) if covered else float("nan")
    line = watch_line(preset, value, ref_value, changed)
    solara.HTML(tag="div", unsafe_innerHTML=_paragraph("Watch:", line), classes=["collab-watch"])


@solara.component
def NetworkView(model: ClassroomModel) -> None:
    """The partnership network, redrawn each month at positions fixed for the model.

    A custom component: Mesa's network space drawers need a Mesa Network space (the
    model keeps its partnerships in arrays) and compute a spring layout on every draw,
    which is the full re-layout per step this app must avoid. The picture is drawn
    after each step (:class:`Pictures`); the component only shows it.
    """
    update_counter.get()
    with solara.Div(classes=["collab-network"]):
        solara.Image(_pictures(model).network_png, format="png", width="100%")


def _palette(names: list[str], palette: str) -> dict[str, str]:
    colours = sns.color_palette(palette, len(names)).as_hex()
    return dict(zip(names, colours, strict=True))


def chart_specs() -> list[ChartSpec]:
    """The live charts, in display order."""
    causes = {
        "Completed": "#2ca02c",
        "Failed": "#7f7f7f",
        "Conflict": "#d62728",
        "Left: unhappy": "#9467bd",
        "Left: unfair share": "#8c564b",
        "Left: short-term returns": "#ff7f0e",
        "Partner went broke": "#000000",
        "Funding ran out": "#bcbd22",
    }
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


@solara.component
def ChartView(model: ClassroomModel, index: int) -> None:
    """One live chart of the model's chart frame.

    A custom component: Mesa's ``make_plot_component`` (matplotlib) builds a new figure
    and computes a tight bounding box on every render, about 0.2 s a chart on this
    machine, so five charts held play to about a month a second; the Altair backend
    needs vega from a CDN, which an offline classroom (and CI) cannot reach. The chart
    is drawn after each step (:class:`Pictures`) from the same ``model.datacollector``
    frame Mesa's components read; the component only shows it.
    """
    update_counter.get()
    with solara.Div(classes=["collab-chart"]):
        solara.Image(_pictures(model).chart_pngs[index], format="png", width="100%")


def chart_components() -> list[Callable[[ClassroomModel], Any]]:
    """The chart components for SolaraViz, one per :func:`chart_specs` entry."""

    def make(index: int) -> Callable[[ClassroomModel], Any]:
        def Chart(model: ClassroomModel) -> Any:  # noqa: N802 - a component factory
            return ChartView(model, index)

        return Chart

    return [make(index) for index in range(len(chart_specs()))]


def _pictures(model: ClassroomModel) -> Pictures:
    """The model's pictures (drawn now if the model was built without them)."""
    if model.pictures is None:
        model.pictures = Pictures(model)
    return model.pictures


@solara.component
def PresetPanel() -> None:
    """One-click teaching presets and scenarios (in the sidebar).

    A custom component: Mesa's controls have no buttons that load a set of values;
    a click here restarts SolaraViz with its controls set to the preset's values.
    """
    setup = current_setup.value or initial_setup()
    book = default_presets()
    with solara.Card("Teaching presets"):
        solara.Text("One click loads the settings and restarts the model.")
        for preset in book.presets:
            if preset.kind == "remedy":
                continue
            remedies = [
                p
                for p in book.presets
                if preset.kind == "bottleneck"
                and p.kind == "remedy"
                and p.bottleneck == preset.bottleneck
            ]
            with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
                for p in [preset, *remedies]:
                    solara.Button(
                        label=p.title if p.kind != "remedy" else f"+ {p.title}",
                        on_click=functools.partial(load_preset, p.id),
                        small=True,
                        outlined=p.id != setup.preset,
                        color="primary",
                        style={"text-transform": "none", "margin": "2px 0"},
                    )
        solara.Select(
            label="Or start from a scenario",
            value=setup.settings["policy_scenario"] if setup.preset is None else None,
            values=group_options("scenario"),
            on_value=load_scenario,
        )


@solara.component
def SettingsPanel() -> None:
    """The model's settings, drawn with Mesa's own inputs (sliders and menus).

    Mesa's ``ModelCreator`` keeps the values it passes to Reset to itself, so a preset
    could not set them; these inputs write to the page's settings store instead, which
    Reset reads (``ClassroomModel(session=...)``). A preset redraws them with its values.
    """
    setup = current_setup.value or initial_setup()
    summary = "Settings: bottlenecks, remedies, rules, seed (Reset applies them)"
    with solara.Sidebar(), solara.Card(), solara.Details(summary=summary):
        UserInputs(control_params(setup.settings), on_change=change_setting).key(
            f"inputs-{setup.generation}"
        )


@solara.component
def EducatorApp() -> None:
    """The page: presets, Mesa's SolaraViz (views, play/step/reset) and the settings."""
    if current_setup.value is None:
        current_setup.set(initial_setup())
    if current_model.value is None:
        current_model.set(ClassroomModel(**(current_setup.value or initial_setup()).settings))
    with solara.Sidebar():
        PresetPanel()
    SolaraViz(
        current_model,
        components=[NetworkView, LegendPanel, *chart_components()],
        model_params={"session": current_setup},
        name="collab_sim: partnerships in an R&D ecosystem",
        play_interval=20,
    )
    SettingsPanel()


page = EducatorApp()
