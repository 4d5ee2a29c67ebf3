"""The partnership network picture: who works with whom, drawn at fixed positions.

Organisations are dots coloured by sector and sized by money; a line joins the members
of each active partnership, coloured and thickened by the partners' trust; a partnership
that ended in the last :data:`FADE_MONTHS` months is a grey dashed line fading out. The
layout is fixed per model (clusters by subtype on a ring grouped by sector, no
randomness), so a step never re-lays out the graph: :class:`NetworkPicture` is built
once per model and only its sizes and lines change each month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from collab_sim.app.charts import SECTOR_COLOURS, SECTOR_PLURALS, figure_png
from collab_sim.core.model import EcosystemModel
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.vocabulary import SECTORS

#: Months over which an ended partnership's line fades out of the network.
FADE_MONTHS = 6
#: A partnership line's colour by the partners' trust: red little, green a lot.
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
        name: The world's name in the title (comparison mode), or ``None``.

    Attributes:
        positions: ``(N, 2)`` node positions (:func:`cluster_layout`).
        figure: The matplotlib figure (not attached to pyplot).
    """

    def __init__(
        self,
        model: EcosystemModel,
        *,
        size: tuple[float, float] = (5.6, 3.9),
        name: str | None = None,
    ) -> None:
        self.model = model
        self.name = name
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
        # x stays adjustable (auto=True): the equal aspect widens it around its centre, as
        # matplotlib does for fixed limits too, but without warning that it ignores them
        ax.set_xlim(lo[0] - pad, hi[0] + pad, auto=True)
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
        who = "Who works with whom" if self.name is None else self.name
        self.title.set_text(f"{who} - month {int(model.steps)}: {n_active} partnerships")
        return links

    def png(self) -> bytes:
        """The figure as PNG bytes, after :meth:`update`."""
        self.update()
        return figure_png(self.figure)
