"""The app's settings: what a teacher can set, the config keys it sets, and its inputs.

A setting is one control of the page (a slider, a menu or the seed box). Its value goes
into a config override (:func:`config_key`, :func:`settings_overrides`), so the app runs
the same validated :class:`~collab_sim.config.schema.SimConfig` every other front end
runs; settings that cannot run give the baseline and a one-line message
(:func:`build_config`). A scenario stands for a complete set of settings
(:func:`scenario_settings`), and :class:`Setup` is what the controls hold between Resets.

The inputs are Mesa's (``Slider`` and the input dicts of ``UserInputs``); each slider
shows its current value on its thumb (:func:`SettingInputs`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import solara
from mesa.visualization import Slider
from mesa.visualization.solara_viz import UserInputs

from collab_sim.config.composition import make_config
from collab_sim.config.groups import conf_dir, group_options
from collab_sim.config.schema import ConfigError, SimConfig

#: Months a run is configured for; the app can play on past it (the recorder grows).
APP_MONTHS = 600

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
#: called ``scenario``: Mesa models have a ``scenario`` of their own, which Mesa's Reset
#: passes to the model when the model takes a ``scenario`` argument.
CHOICE_SETTINGS = {
    "population": "population",
    "policy_scenario": "scenario",
    **{group: group for group in RULE_GROUPS},
}

#: Control labels in plain words.
SETTING_LABELS = {
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
#: Where a slider shows its value: on its thumb, always (Vuetify's ``thumb-label``), so a
#: class can read it off a projector; solara's default, ``True``, shows it only while the
#: slider is dragged.
THUMB_LABEL = "always"
#: Room above a slider for its value's bubble, which would cover the input above it.
THUMB_ROOM = {"padding-top": "26px"}


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


def scenario_title(scenario: str) -> tuple[str, str]:
    """Heading and paragraph for a scenario."""
    return f"Scenario: {scenario.replace('_', ' ')}", scenario_note(scenario)


#: Settings a second world may change (comparison mode): the bottlenecks, the remedies
#: and the rules. Not the population or the seed: the two worlds share their
#: organisations and their starting pipeline.
CONTRAST_SETTINGS = (*BOTTLENECKS, *REMEDIES, *RULE_GROUPS)


@dataclass(frozen=True)
class Contrast:
    """The one setting the second world of a comparison changes, and its value there.

    Attributes:
        setting: A name from :data:`CONTRAST_SETTINGS`.
        value: The second world's value (a strength or share 0-1, or a rule's name).
    """

    setting: str
    value: Any

    def __post_init__(self) -> None:
        if self.setting not in CONTRAST_SETTINGS:
            allowed = ", ".join(CONTRAST_SETTINGS)
            raise ConfigError("compare.setting", self.setting, f"allowed: {allowed}")
        if self.setting in RULE_GROUPS:
            options = group_options(self.setting)
            if self.value not in options:
                raise ConfigError(self.setting, self.value, f"allowed: {', '.join(options)}")
        elif (
            isinstance(self.value, bool)
            or not isinstance(self.value, int | float)
            or not (0.0 <= self.value <= 1.0)
        ):
            raise ConfigError(self.setting, self.value, "must be a number from 0 to 1")

    def applied_to(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The second world's settings: ``settings`` with this one setting changed."""
        value = self.value if self.setting in RULE_GROUPS else float(self.value)
        return {**settings, self.setting: value}

    def phrase(self) -> str:
        """The second world in plain words, e.g. ``"without cultural mismatch"``."""
        label = SETTING_LABELS[self.setting].removeprefix("Remedy: ")
        if self.setting in RULE_GROUPS:
            return f"with the '{self.value}' {label.lower()}"
        if float(self.value) == 0.0:
            return f"without {label.lower()}"
        return f"with {label.lower()} at {float(self.value):g}"


def other_value(setting: str, value: Any) -> Any:
    """A second world's first value for ``setting``, changed from the first world's ``value``.

    A strength or adoption share above 0 becomes 0 (the world without it), 0 becomes 1;
    a rule becomes the group's next rule.
    """
    if setting in RULE_GROUPS:
        options = group_options(setting)
        return (
            options[(options.index(value) + 1) % len(options)] if value in options else options[0]
        )
    return 0.0 if float(value) > 0.0 else 1.0


def default_contrast(settings: Mapping[str, Any]) -> Contrast:
    """The comparison a switch to comparison mode starts with.

    Without the strongest bottleneck the settings have (the first of equals), or, when
    every bottleneck is off, with unclear roles at full strength.
    """
    strongest = max(BOTTLENECKS, key=lambda b: float(settings[b]))
    if float(settings[strongest]) > 0.0:
        return Contrast(strongest, 0.0)
    return Contrast("role_ambiguity", 1.0)


@dataclass(frozen=True)
class Setup:
    """What the page's controls hold: the settings the next Reset uses, and why.

    Attributes:
        settings: Complete app settings.
        preset: Id of the preset that set them, or ``None``.
        note: Title and paragraph shown for a chosen scenario.
        generation: Counts loads of a preset or scenario; a new one redraws the controls
            with the new values.
        contrast: In comparison mode, what the second world changes; ``None`` shows one
            world.
    """

    settings: dict[str, Any]
    preset: str | None = None
    note: tuple[str, str] | None = None
    generation: int = 0
    contrast: Contrast | None = None


def initial_setup() -> Setup:
    """The first thing a teacher sees: the baseline scenario, seed 0."""
    return Setup(settings=scenario_settings("baseline"), note=scenario_title("baseline"))


def control_params(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Mesa user inputs (sliders and menus) for the settings, starting at ``settings``.

    Args:
        settings: Complete app settings (see :func:`scenario_settings`).

    Returns:
        Setting name -> Mesa ``Slider`` or input dict, for :func:`SettingInputs` (or
        Mesa's ``UserInputs``). The scenario is not among them: it is chosen with the
        presets, which load its values.
    """
    params: dict[str, Any] = {}
    for group in ("population", *RULE_GROUPS):
        params[group] = {
            "type": "Select",
            "value": settings[group],
            "values": group_options(group),
            "label": SETTING_LABELS[group],
        }
    params["seed"] = {
        "type": "InputText",
        "value": str(settings["seed"]),
        "label": SETTING_LABELS["seed"],
    }
    for name in (*BOTTLENECKS, *REMEDIES):
        value = float(settings[name])
        params[name] = Slider(SETTING_LABELS[name], value=value, min=0.0, max=1.0, step=0.05)
    return params


@solara.component
def ValueSlider(
    label: str,
    value: float | int | solara.Reactive[Any],
    *,
    min: float,
    max: float,
    step: float,
    on_value: Callable[[Any], None] | None = None,
    integer: bool = False,
) -> None:
    """A solara slider that always shows its current value (on its thumb).

    Args:
        label: The slider's label.
        value: Its value, or a reactive holding it.
        min: Lowest value.
        max: Highest value.
        step: Step between values.
        on_value: Called with the new value when the slider moves.
        integer: Whole numbers (``solara.SliderInt``) instead of floats.
    """
    slider = solara.SliderInt if integer else solara.SliderFloat
    with solara.Div(classes=["collab-slider"], style=THUMB_ROOM):
        slider(
            label, value=value, on_value=on_value, min=min, max=max, step=step,
            thumb_label=THUMB_LABEL,
        )  # fmt: skip


@solara.component
def SettingInputs(params: Mapping[str, Any], on_change: Callable[[str, Any], None]) -> None:
    """Mesa's inputs for ``params``, in order; each slider shows its current value.

    Mesa's ``UserInputs`` draws the menus and the seed box. Its sliders pass no
    ``thumb_label``, so their value shows only while one is dragged; the sliders here
    are the same solara sliders, with the value always shown (:func:`ValueSlider`).

    Args:
        params: Setting name -> Mesa ``Slider`` or input dict (:func:`control_params`).
        on_change: Called with ``(name, value)`` when an input changes.
    """
    for name, options in params.items():
        if not isinstance(options, Slider):
            UserInputs({name: options}, on_change=on_change)
            continue
        ValueSlider(
            options.label,
            value=options.value,
            on_value=functools.partial(on_change, name),
            min=options.min,
            max=options.max,
            step=options.step,
            integer=not options.is_float_slider,
        )
