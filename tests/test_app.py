"""The educator app: its pure functions, the teaching presets, and the app in a browser.

The browser test starts the app with ``solara run`` on a free localhost port and drives
Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/install-browser``) with
Playwright for Python; it never downloads a browser.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import solara
import yaml
from mesa.visualization.solara_viz import _build_model_init_kwargs

from collab_sim.app import page as app
from collab_sim.config.schema import ConfigError
from collab_sim.core.model import EcosystemModel
from collab_sim.core.partnerships import PartnershipTable
from collab_sim.outputs.tables import timeseries_frame
from collab_sim.vocabulary import SECTORS

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def short_run():
    """The app's model (baseline, seed 0) after 36 months."""
    model = app.ClassroomModel(seed=0, draw=False)
    model.run(36)
    return model


# --------------------------------------------------------------------------- network


def test_cluster_layout_keeps_subtypes_together_and_is_deterministic():
    sector = np.array([0, 0, 0, 1, 1, 2, 0, 1])
    subtype = np.array([0, 0, 1, 2, 2, 3, 1, 2])
    pos = app.cluster_layout(sector, subtype)
    assert pos.shape == (8, 2) and np.isfinite(pos).all()
    assert np.array_equal(pos, app.cluster_layout(sector, subtype))  # no randomness
    assert len({tuple(p) for p in pos.round(9)}) == 8  # no two organisations overlap
    centres = {t: pos[subtype == t].mean(axis=0) for t in range(4)}
    for t in range(4):
        spread = np.linalg.norm(pos[subtype == t] - centres[t], axis=1).max()
        nearest_other = min(np.linalg.norm(centres[t] - centres[u]) for u in centres if u != t)
        assert spread < nearest_other / 2  # each subtype is its own cluster


def test_fade_alpha_fades_ended_links_out_over_the_fade_months():
    alpha = app.fade_alpha(np.array([0, 1, 3, 6, 10, -1]), 6)
    assert alpha[0] == 1.0
    assert 1.0 > alpha[1] > alpha[2] > alpha[3] == 0.0
    assert alpha[4] == 0.0 and alpha[5] == 0.0
    assert np.allclose(alpha[2], 0.5)
    assert (app.fade_alpha(np.array([0, 2]), 0) == 0).all()


def _table() -> PartnershipTable:
    table = PartnershipTable.empty(8, 4)
    rows = [  # members, active, ended
        ([0, 1], True, -1),
        ([2, 3, 4], True, -1),  # a consortium: three pairs
        ([5, 6], False, 18),  # ended 2 months ago: still shown, fading
        ([7, 0], False, 5),  # ended long ago: gone
        ([1, 2], False, 20),  # ended this month
    ]
    for p, (members, active, ended) in enumerate(rows):
        table.members[p, : len(members)] = members
        table.size[p] = len(members)
        table.is_active[p] = active
        table.ended[p] = ended
    table.count = len(rows)
    return table


def test_partnership_links_pair_members_of_active_and_recently_ended_partnerships():
    links = app.partnership_links(_table(), now=20, fade_months=6)
    pairs = {(int(a), int(b)) for a, b in zip(links.source, links.target, strict=True)}
    assert pairs == {(0, 1), (2, 3), (2, 4), (3, 4), (5, 6), (1, 2)}
    assert len(links) == 6
    assert links.active.tolist() == [True, True, True, True, False, False]  # active first
    ended = ~links.active
    ended_age = dict(zip(links.partnership[ended].tolist(), links.age[ended], strict=True))
    assert ended_age == {2: 2, 4: 0}
    assert (links.age[links.active] == 0).all()
    assert len(app.partnership_links(PartnershipTable.empty(4, 2), now=3)) == 0


def test_node_sizes_grow_with_money_and_stay_bounded():
    sizes = app.node_sizes(np.array([-5.0, 0.0, 1.0, 40.0, 2000.0, 1e12]))
    assert sizes[0] == sizes[1] == 8.0  # debt draws like no money
    assert (np.diff(sizes[1:5]) > 0).all()
    assert sizes.max() == 120.0


def test_network_picture_draws_active_links_by_trust_and_keeps_its_layout(short_run):
    picture = app.NetworkPicture(short_run)
    positions = picture.positions.copy()
    links = picture.update()
    n_active, n_ended = int(links.active.sum()), int((~links.active).sum())
    assert n_active > 0
    assert len(picture.active_lines.get_segments()) == n_active
    assert len(picture.ended_lines.get_segments()) == n_ended
    widths = np.asarray(picture.active_lines.get_linewidths())
    trust = app.pair_trust(short_run, links)[links.active]
    assert np.allclose(widths, 0.6 + 2.4 * trust)  # thicker line, more trust
    assert picture.png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"month {int(short_run.steps)}" in picture.title.get_text()
    short_run.step()
    picture.update()
    assert np.array_equal(picture.positions, positions)  # no re-layout on a step
    assert np.allclose(
        picture.nodes.get_sizes(), app.node_sizes(short_run.orgs.resources)
    )  # sizes follow money


def test_pair_trust_is_the_mean_of_both_directions(short_run):
    links = app.partnership_links(short_run.partnerships, int(short_run.steps))
    i, j = int(links.source[0]), int(links.target[0])
    sector, now = short_run.orgs.sector, int(short_run.steps)
    expected = 0.5 * (short_run.trust.of(sector, i, j, now) + short_run.trust.of(sector, j, i, now))
    assert app.pair_trust(short_run, links)[0] == pytest.approx(expected)


# --------------------------------------------------------------------------- charts


def test_chart_frame_speaks_plain_words_with_running_totals_and_shares(short_run):
    ts = timeseries_frame(short_run.recorder)
    frame = app.chart_frame(ts)
    assert list(frame.columns) == app.chart_columns()
    assert frame.index.tolist() == ts["step"].tolist()
    assert (frame["Conflict"].to_numpy() == ts["dissolved_conflict"].cumsum().to_numpy()).all()
    assert (np.diff(frame["Completed"]) >= 0).all()
    shares = frame[[app.value_share_label(s) for s in SECTORS]].dropna()
    assert not shares.empty and np.allclose(shares.sum(axis=1), 1.0)
    assert short_run.datacollector.get_model_vars_dataframe() is (
        short_run.datacollector.get_model_vars_dataframe()
    )  # built once per month for all charts


def test_live_chart_follows_the_frame(short_run):
    spec = app.chart_specs()[0]
    chart = app.LiveChart(spec)
    frame = short_run.datacollector.get_model_vars_dataframe()
    assert chart.png(frame)[:4] == b"\x89PNG"
    line = chart.lines[app.ACTIVE]
    assert np.array_equal(line.get_ydata(), frame[app.ACTIVE].to_numpy())
    assert chart.ax.get_xlim()[1] == max(12, frame.index[-1])
    assert chart.ax.get_ylim()[1] >= frame[app.ACTIVE].max()


def test_pictures_are_drawn_after_each_step_not_when_shown():
    model = app.ClassroomModel(seed=0, population="small")
    pictures = model.pictures
    assert pictures.month == 0 and len(pictures.chart_pngs) == len(app.chart_specs())
    first = (pictures.network_png, list(pictures.chart_pngs))
    model.step()
    assert pictures.month == 1
    assert pictures.network_png != first[0] and pictures.chart_pngs[0] != first[1][0]
    assert all(png[:4] == b"\x89PNG" for png in pictures.chart_pngs)
    headless = app.ClassroomModel(seed=0, population="small", draw=False)
    headless.step()
    assert headless.pictures is None


# --------------------------------------------------------------------------- settings


def test_settings_become_config_overrides():
    over = app.settings_overrides(
        {"seed": " 7 ", "trust": "reputation", "cultural_mismatch": 0.9, "co_credit": None}
    )
    assert over == {
        "steps": app.APP_MONTHS,
        "seed": 7,
        "trust": "reputation",
        "bottlenecks.cultural_mismatch": 0.9,
    }
    with pytest.raises(ConfigError, match="seed"):
        app.settings_overrides({"seed": "abc"})
    with pytest.raises(ConfigError, match="not an app setting"):
        app.settings_overrides({"steps": 3})


def test_bad_settings_give_one_line_and_the_baseline():
    cfg, message = app.build_config({"seed": "-1"})
    assert cfg.seed == 0 and cfg.scenario_name == "baseline"
    assert message is not None and "\n" not in message and "seed" in message
    model = app.ClassroomModel(seed=2, cultural_mismatch=1.5, draw=False)
    assert model.app_message is not None and "bottlenecks.cultural_mismatch" in model.app_message
    assert model.config.bottlenecks.cultural_mismatch == 0.5  # the baseline runs instead
    ok = app.ClassroomModel(seed="3", power_imbalance=0.2, funding="microgrants", draw=False)
    assert ok.app_message is None
    assert (ok.config.seed, ok.config.funding.rule) == (3, "microgrants")
    assert ok.config.bottlenecks.power_imbalance == 0.2


def test_scenarios_load_their_settings_and_notes():
    s = app.scenario_settings("high_cultural_mismatch")
    assert s["cultural_mismatch"] == 1.0 and s["policy_scenario"] == "high_cultural_mismatch"
    assert app.scenario_settings("microgrants")["funding"] == "microgrants"
    note = app.scenario_note("co_credit")
    assert note.startswith("Co-branded credit") and "@package" not in note


def test_control_params_start_at_the_settings_and_build_that_model():
    settings = {**app.scenario_settings("baseline"), "seed": 4, "learning_loops": 0.25}
    params = app.control_params(settings)
    assert set(params) == set(app.SETTING_KEYS) - {"policy_scenario"}
    assert params["learning_loops"].value == 0.25
    assert params["seed"]["value"] == "4"
    assert set(params["trust"]["values"]) == {"experience", "reputation", "structural"}
    kwargs = {k: (v.value if hasattr(v, "value") else v["value"]) for k, v in params.items()}
    model = app.ClassroomModel(**kwargs, draw=False)
    assert model.app_message is None
    assert model.config.remedies.learning_loops == 0.25 and model.config.seed == 4
    assert not app.settings_changed(settings, model.settings)  # "4" is seed 4
    assert app.settings_changed(settings, {**model.settings, "learning_loops": 0.3})
    assert app.settings_changed(settings, {**model.settings, "seed": "5"})


def test_reset_builds_the_model_from_the_session_settings():
    """Mesa's Reset passes the fixed parameter ``session``; the model reads it then."""
    session = solara.reactive(app.Setup(settings=app.scenario_settings("baseline")))
    kwargs = _build_model_init_kwargs(
        app.ClassroomModel(seed=1, draw=False),
        {"session": session},
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    assert kwargs == {"session": session}  # no Mesa scenario is added
    setup = session.value
    session.set(dataclasses.replace(setup, settings={**setup.settings, "co_credit": 0.4}))
    model = app.ClassroomModel(**kwargs, draw=False)
    assert model.config.remedies.co_credit == 0.4
    assert model.settings["co_credit"] == 0.4


# --------------------------------------------------------------------------- presets


@pytest.fixture(scope="module")
def book():
    return app.load_presets()


@pytest.fixture(scope="module")
def raw_presets():
    path = app.conf_dir() / app.PRESETS_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_bottleneck_has_a_preset_and_a_remedy_preset(book):
    bottlenecks = {p.bottleneck for p in book.presets if p.kind == "bottleneck"}
    assert bottlenecks == set(app.BOTTLENECKS)
    for preset in book.presets:
        assert set(preset.settings) == set(app.SETTING_KEYS)
        assert len(preset.explanation.split()) >= 25  # a paragraph, not a label
        if preset.kind == "remedy":
            assert preset.settings[preset.remedy] == 1.0
            base = book.get(preset.watch.compare_to)
            assert base.bottleneck == preset.bottleneck and base.kind == "bottleneck"
        if preset.kind == "bottleneck":
            assert preset.settings[preset.bottleneck] == 1.0
            others = set(app.BOTTLENECKS) - {preset.bottleneck}
            assert all(preset.settings[b] == 0.0 for b in others)
    assert book.get("baseline").settings == {**app.scenario_settings(), "seed": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["presets"][2]["settings"].update(bogus=1), "unknown setting 'bogus'"),
        (lambda d: d["presets"][2]["settings"].update(role_ambiguity=1.5), "from 0 to 1"),
        (lambda d: d["presets"][2]["settings"].update(trust="gossip"), "allowed"),
        (lambda d: d["presets"][2]["watch"].update(measure="Happiness"), "watch.measure"),
        (lambda d: d["presets"][2]["watch"].update(compare_to="later"), "earlier preset"),
        (lambda d: d["presets"][2]["watch"].update(direction="sideways"), "watch.direction"),
        (lambda d: d["presets"][2].pop("watch"), "needs a watch"),
        (lambda d: d["presets"][2].update(base="nowhere"), "base='nowhere'"),
        (lambda d: d["presets"][3].update(id=d["presets"][2]["id"]), "duplicate id"),
        (lambda d: d["presets"][2].update(explanation=" "), "explanation"),
        (lambda d: d["presets"][2].update(colour="red"), "unknown field"),
        (lambda d: d.update(months=0), "months=0"),
        (lambda d: d.update(seed="x"), "seed"),
    ],
)
def test_bad_presets_are_rejected_naming_the_field(raw_presets, change, message):
    data = copy.deepcopy(raw_presets)
    change(data)
    with pytest.raises(app.PresetError, match=message.replace("(", r"\(")):
        app.parse_presets(data)


def test_shows_claim_reads_direction_and_tolerance():
    up = app.Watch("Conflict", "final", "up", "calm", 0.1)
    assert app.shows_claim(12, 10, up) and not app.shows_claim(11, 10, up)
    flat = app.Watch("Conflict", "final", "flat", "calm", 0.25)
    assert app.shows_claim(12, 10, flat) and not app.shows_claim(13, 10, flat)
    down = app.Watch("Conflict", "final", "down", "calm", 0.0)
    assert app.shows_claim(0, 1, down) and not app.shows_claim(1, 1, down)
    assert not app.shows_claim(float("nan"), 1, up)


_CONFIGS: dict[str, object] = {}
_FRAMES: dict[tuple[str, int], object] = {}


def _headline(book, preset, watch, seed):
    """The watched measure of ``preset`` run headless with ``seed`` (cached per session).

    The config is composed once per preset; other seeds replace only the seed.
    """
    if preset.id not in _CONFIGS:
        cfg, message = app.build_config(preset.settings)
        assert message is None, message
        _CONFIGS[preset.id] = cfg
    key = (preset.id, seed)
    if key not in _FRAMES:
        model = EcosystemModel(dataclasses.replace(_CONFIGS[preset.id], seed=seed))
        model.run(book.months)
        _FRAMES[key] = app.chart_frame(timeseries_frame(model.recorder))
    return app.headline(_FRAMES[key], watch)


def test_run_headless_matches_the_app_model(book):
    preset = book.get("culture_clash")
    frame = app.run_headless(preset.settings, 24)
    model = app.ClassroomModel(**preset.settings, draw=False)
    model.run(24)
    assert frame.equals(model.datacollector.get_model_vars_dataframe())
    with pytest.raises(ConfigError, match="cannot run"):
        app.run_headless({**preset.settings, "seed": "x"}, 3)


def test_each_preset_shows_what_its_explanation_says(book):
    """Headless, with the preset's own seed, over the months the file promises."""
    failures = []
    for preset in book.presets:
        if preset.watch is None:
            continue
        reference = book.get(preset.watch.compare_to)
        seed = preset.settings["seed"]
        value = _headline(book, preset, preset.watch, seed)
        ref = _headline(book, reference, preset.watch, seed)
        if not app.shows_claim(value, ref, preset.watch):
            failures.append(f"{preset.id}: {preset.watch.measure} {value} vs {ref}")
    assert not failures


@pytest.mark.slow
def test_presets_hold_on_average_over_other_seeds(book):
    """The direction is no accident of one seed: it holds for the mean over four more."""
    seeds = (0, 2, 3, 4)
    for preset in book.presets:
        watch = preset.watch
        if watch is None:
            continue
        reference = book.get(watch.compare_to)
        value = np.mean([_headline(book, preset, watch, s) for s in seeds])
        ref = np.mean([_headline(book, reference, watch, s) for s in seeds])
        loose = app.Watch(watch.measure, watch.reduce, watch.direction, watch.compare_to, 0.0)
        if watch.direction == "flat":
            loose = watch
        assert app.shows_claim(value, ref, loose), (preset.id, value, ref)


def test_watch_line_names_measure_and_reference(book):
    line = app.watch_line(book.get("culture_clash"), 12.0, 0.0, changed=False)
    assert line == "Conflict (so far): this run 12; 'No bottlenecks' with the same seed 0."
    assert "changed" in app.watch_line(book.get("culture_clash"), 1.0, 0.0, changed=True)
    line = app.watch_line(book.get("short_termism"), 0.5, 0.6, False)
    assert line.startswith("Average trust (average so far): this run 0.50;")
    assert app.watch_line(book.get("power_co_credit"), 1, float("nan"), False).endswith("n/a.")


# --------------------------------------------------------------------------- the browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_or_skip():
    """Playwright's sync API, or a skip (a failure under CI) saying what is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (run .ci/install-browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("Playwright for Python (pip install -e '.[dev]')")
    if missing:
        reason = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return sync_playwright


@contextlib.contextmanager
def _serve_app(log_path: Path, timeout: float = 120.0):
    """Run ``solara run src/collab_sim/app/page.py`` on a free localhost port; yield its URL."""
    port = _free_port()
    solara = Path(sys.executable).with_name("solara")
    cmd = [
        str(solara), "run", str(REPO / "src" / "collab_sim" / "app.py"),
        "--host", "127.0.0.1", "--port", str(port), "--production", "--no-open",
        "--no-check-version",
    ]  # fmt: skip
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the app exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer in {timeout:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _status(page) -> str:
    return page.locator(".collab-status").inner_text()


def _month(page) -> int:
    """The month the status line shows."""
    match = re.search(r"Month (\d+)", _status(page))
    assert match, _status(page)
    return int(match.group(1))


def _wait_until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        time.sleep(0.2)


def _wait_for_change(locator, before: bytes) -> None:
    """Wait until the element looks different from the screenshot ``before``."""
    _wait_until(lambda: locator.screenshot() != before, "the picture to change")


def _wait_for_month(page, at_least: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while (month := _month(page)) < at_least:
        assert time.monotonic() < deadline, f"still month {month} after {timeout:.0f} s"
        page.wait_for_timeout(200)
    return month


def test_app_in_browser(tmp_path):
    sync_playwright = _browser_or_skip()
    errors: list[str] = []
    with _serve_app(tmp_path / "solara.log") as url, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1900},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(60_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)

            # the network view and the five charts render as images
            network = page.locator(".collab-network img")
            network.wait_for(timeout=120_000)
            charts = page.locator(".collab-chart img")
            charts.nth(4).wait_for()
            assert charts.count() == 5
            for img in [network, *(charts.nth(k) for k in range(5))]:
                assert img.evaluate("i => i.complete && i.naturalWidth > 300")
            assert "Month 0" in _status(page)
            assert page.get_by_text("What you see.").is_visible()

            # step: the month advances and the charts change
            before = charts.nth(0).screenshot()
            net_before = network.screenshot()
            for month in (1, 2, 3):
                page.get_by_role("button", name="Step", exact=True).click()
                page.locator(".collab-status", has_text=f"Month {month}:").wait_for()
            _wait_for_change(charts.nth(0), before)
            _wait_for_change(network, net_before)

            # a preset: one click, its explanation and what to watch
            page.get_by_role("button", name="Culture clash", exact=True).click()
            page.get_by_text("Preset: Culture clash.").wait_for()
            page.locator(".collab-status", has_text="Month 0").wait_for()
            page.get_by_text("Settings: bottlenecks, remedies").click()  # open the sliders
            slider = page.get_by_role("slider", name="Cultural mismatch")
            assert slider.get_attribute("aria-valuenow") == "1"  # the preset set it
            for month in range(1, 7):
                page.get_by_role("button", name="Step", exact=True).click()
                page.locator(".collab-status", has_text=f"Month {month}:").wait_for()
            watch = page.locator(".collab-watch")
            assert "Conflict (so far): this run" in watch.inner_text()
            assert "'No bottlenecks' with the same seed" in watch.inner_text()
            assert "changed" not in watch.inner_text()
            page.wait_for_timeout(500)  # the last frame in flight
            shot = tmp_path / "app_screenshot.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 100_000
            print(f"app screenshot: {shot}")
            target = os.environ.get("COLLAB_SIM_APP_SCREENSHOT")
            if target:
                shutil.copyfile(shot, target)

            # play runs on by itself until paused
            page.get_by_role("button", name="▶", exact=True).click()
            _wait_for_month(page, 7)
            page.get_by_role("button", name="❚❚", exact=True).click()
            step = page.get_by_role("button", name="Step", exact=True)
            _wait_until(step.is_enabled, "Step enabled again after pausing")

            # move a slider, reset: the model runs with the new value
            slider.focus()
            for _ in range(4):
                slider.press("ArrowLeft")
            assert float(slider.get_attribute("aria-valuenow")) < 1.0
            page.get_by_role("button", name="Reset", exact=True).click()
            page.locator(".collab-status", has_text="Month 0").wait_for()
            page.locator(".collab-watch", has_text="controls were changed").wait_for()

            # a bad value: one line in the app, no traceback
            seed = page.get_by_label("Seed (whole number)")
            seed.fill("abc")
            seed.press("Enter")
            page.get_by_role("button", name="Reset", exact=True).click()
            warning = page.get_by_text("These settings cannot run")
            warning.wait_for()
            assert "seed='abc'" in warning.inner_text()
            assert "Traceback" not in page.inner_text("body")
            page.get_by_role("button", name="Step", exact=True).click()
            page.locator(".collab-status", has_text="Month 1:").wait_for()
        finally:
            context.close()
    assert not errors, errors
