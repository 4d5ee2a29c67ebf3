"""Teaching presets: one button each, with what to watch and the run it compares with.

The presets are data, ``conf/app/presets.yaml``; :func:`parse_presets` validates the file
and resolves each preset's complete settings (its ``base`` preset's or the baseline
scenario's, updated with its own). A preset's :class:`Watch` names a chart line
(:func:`~collab_sim.app.charts.chart_columns`) and how it differs from a reference
preset with the same seed; :func:`headline` reads it from a chart frame and
:func:`shows_claim` checks the difference (the tests run every preset headless). Its
``expect`` claims (:class:`Claim`) say the same of the innovation panel's figures
(:data:`~collab_sim.app.innovation.INNOVATION_MEASURES`) after the file's months.

A bottleneck or remedy preset is a comparison (:attr:`Preset.contrast`): the preset's
world against its reference's, which differs in exactly one setting (checked here).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from collab_sim.app.charts import chart_columns
from collab_sim.app.innovation import INNOVATION_MEASURES
from collab_sim.app.settings import (
    APP_MONTHS,
    BOTTLENECKS,
    CHOICE_SETTINGS,
    CONTRAST_SETTINGS,
    REMEDIES,
    SETTING_KEYS,
    Contrast,
    parse_seed,
    scenario_settings,
)
from collab_sim.config.groups import conf_dir, group_options
from collab_sim.config.schema import ConfigError

#: The presets file, under the config tree.
PRESETS_FILE = Path("app") / "presets.yaml"


class PresetError(ValueError):
    """A teaching preset that does not fit the schema (names the preset and the field)."""


PRESET_KINDS = ("reference", "bottleneck", "remedy")
DIRECTIONS = ("up", "down", "flat")
REDUCTIONS = ("final", "mean")
_PRESET_FIELDS = {
    "id", "title", "kind", "bottleneck", "remedy", "base", "settings", "explanation", "watch",
    "expect",
}  # fmt: skip
_WATCH_FIELDS = {"measure", "reduce", "direction", "compare_to", "tolerance"}
_CLAIM_FIELDS = {"measure", "direction", "tolerance"}


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
class Claim:
    """What the innovation panel shows after the file's months, against the reference.

    Attributes:
        measure: A name of :data:`~collab_sim.app.innovation.INNOVATION_MEASURES`.
        direction: ``up``, ``down`` or ``flat``, as in :class:`Watch`.
        tolerance: Relative difference, as in :class:`Watch`.
    """

    measure: str
    direction: str
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
        expect: What the innovation panel shows against the reference.
        contrast: The reference's world as a change of one setting of this preset's
            (the comparison's second world), or ``None`` for references.
    """

    id: str
    title: str
    kind: str
    settings: dict[str, Any]
    explanation: str
    bottleneck: str | None = None
    remedy: str | None = None
    watch: Watch | None = None
    expect: tuple[Claim, ...] = ()
    contrast: Contrast | None = None


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
    direction, tolerance = _direction_and_tolerance(where, "watch", raw)
    compare_to = raw.get("compare_to")
    if compare_to not in known_ids:
        raise PresetError(f"{where}: watch.compare_to={compare_to!r} is not an earlier preset")
    return Watch(measure, reduce, direction, compare_to, tolerance)


def _direction_and_tolerance(where: str, field: str, raw: Mapping) -> tuple[str, float]:
    """A claim's ``direction`` and ``tolerance`` (``field``: ``watch`` or ``expect``)."""
    direction = raw.get("direction")
    if direction not in DIRECTIONS:
        raise PresetError(f"{where}: {field}.direction={direction!r}; allowed: {DIRECTIONS}")
    tolerance = raw.get("tolerance", 0.0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise PresetError(f"{where}: {field}.tolerance={tolerance!r}; must be a number >= 0")
    return direction, float(tolerance)


def _parse_claims(where: str, raw: Any) -> tuple[Claim, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PresetError(f"{where}: expect must be a list of claims")
    claims = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - _CLAIM_FIELDS:
            raise PresetError(f"{where}: each expect claim has only {sorted(_CLAIM_FIELDS)}")
        measure = item.get("measure")
        if measure not in INNOVATION_MEASURES:
            allowed = list(INNOVATION_MEASURES)
            raise PresetError(f"{where}: expect.measure={measure!r}; allowed: {allowed}")
        claims.append(Claim(measure, *_direction_and_tolerance(where, "expect", item)))
    return tuple(claims)


def _contrast(where: str, settings: Mapping[str, Any], reference: Preset) -> Contrast:
    """The reference's world as one setting of ``settings`` changed."""
    differ = [k for k in SETTING_KEYS if settings[k] != reference.settings[k]]
    if len(differ) != 1 or differ[0] not in CONTRAST_SETTINGS:
        raise PresetError(
            f"{where}: differs from its compare_to preset {reference.id!r} in {differ}; "
            f"a comparison changes exactly one of {', '.join(CONTRAST_SETTINGS)}"
        )
    return Contrast(differ[0], reference.settings[differ[0]])


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
        watch, contrast = None, None
        if raw.get("watch") is not None:
            watch = _parse_watch(where, raw["watch"], set(presets))
            contrast = _contrast(where, settings, presets[watch.compare_to])
        elif kind != "reference":
            raise PresetError(f"{where}: a {kind} preset needs a watch")
        expect = _parse_claims(where, raw.get("expect"))
        if expect and watch is None:
            raise PresetError(f"{where}: expect needs a watch (its compare_to is the reference)")
        presets[pid] = Preset(
            id=pid,
            title=raw["title"].strip(),
            kind=kind,
            settings=settings,
            explanation=" ".join(raw["explanation"].split()),
            bottleneck=bottleneck,
            remedy=remedy,
            watch=watch,
            expect=expect,
            contrast=contrast,
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


def shows_claim(value: float, reference: float, watch: Watch | Claim) -> bool:
    """Whether ``value`` differs from ``reference`` the way ``watch`` says it does."""
    if not (math.isfinite(value) and math.isfinite(reference)):
        return False
    margin = watch.tolerance * max(abs(reference), 1e-9)
    if watch.direction == "up":
        return value > reference + margin
    if watch.direction == "down":
        return value < reference - margin
    return abs(value - reference) <= margin
