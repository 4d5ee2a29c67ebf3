"""The page (``page.py``, what ``solara run`` serves): its composition, and the app in a browser.

The composition is checked by rendering the page with solara (no server, no browser):
no tab bar, no empty "Model Parameters" card, every slider showing its value. The browser
tests start the app as ``make app`` does (``python -m collab_sim.app.server``) on a free
localhost port, once for this module, and drive Debian's Chromium (``/usr/bin/chromium``, installed
by ``.ci/install-browser``) with Playwright for Python, a fresh page (a new browser
session of the app) per test; they never download a browser.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from collab_sim.app import page as app_page
from collab_sim.app import session
from collab_sim.app.settings import THUMB_LABEL

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "src" / "collab_sim" / "app" / "page.py"
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
#: The sidebar's cards with a title, top to bottom (the settings card has none).
CARD_TITLES = ["Teaching presets", "Compare two worlds", "Controls", "Information"]
#: Comparison mode's switch.
SWITCH = "Second world, same seed"
#: Every slider on the page: the settings (in their card) and Mesa's two controls.
SLIDERS = [
    "Unclear roles", "Cultural mismatch", "Data friction", "Short-term mindset",
    "Power imbalance", "Remedy: joint planning", "Remedy: co-branded credit",
    "Remedy: partnership managers", "Remedy: learning loops",
    "Play Interval (ms)", "Render Interval (steps)",
]  # fmt: skip


# --------------------------------------------------------------------------- composition


def _texts(widget) -> list[str]:
    """Every text of a widget tree (children and labels), in order."""
    found: list[str] = []

    def walk(item) -> None:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, ipywidgets.Widget):
            for name in ("label", "children"):
                value = getattr(item, name, None)
                for child in value if isinstance(value, list | tuple) else [value]:
                    walk(child)

    walk(widget)
    return found


@pytest.fixture
def rendered():
    """The page rendered with solara inside solara's app layout (sidebar included)."""

    @solara.component
    def Layout():
        with solara.AppLayout():
            app_page.EducatorApp()

    box, rc = solara.render(Layout(), handle_error=False)
    try:
        yield box, rc
    finally:
        rc.close()
        session.current_model.set(None)
        session.current_setup.set(None)


def test_page_has_no_tab_bar(rendered):
    box, rc = rendered
    assert not rc.find(v.Tabs).widgets and not rc.find(v.Tab).widgets
    assert not any(re.search(r"page \d", text, re.I) for text in _texts(box))
    grid = rc.find(solara.widgets.GridLayout).widget  # the views, straight in the grid
    assert len(grid.items) == 3 + 5  # network, legend, medicines, five charts


def test_page_has_no_model_parameters_card(rendered):
    box, rc = rendered
    titles = [_texts(title)[0] for title in rc.find(v.CardTitle).widgets]
    assert titles == CARD_TITLES
    assert "Model Parameters" not in _texts(box)
    assert rc.find(v.Btn, children=["Reset"]).widget  # Mesa's controller is still there


def test_every_slider_shows_its_value(rendered):
    _, rc = rendered
    sliders = rc.find(v.Slider).widgets
    assert sorted(s.label for s in sliders) == sorted(SLIDERS)
    assert all(s.thumb_label == THUMB_LABEL == "always" for s in sliders)


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
    """Serve the app as ``make app`` does, on a free localhost port; yield its URL."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "collab_sim.app.server", "--host", "127.0.0.1", "--port", str(port),
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


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app, served as ``make app`` serves it, for this module's browser tests."""
    _browser_or_skip()
    with _serve_app(tmp_path_factory.mktemp("app") / "solara.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium (one profile for the module)."""
    sync_playwright = _browser_or_skip()
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def js_errors() -> list[str]:
    """The JavaScript errors the test's page raised."""
    return []


@pytest.fixture
def page(browser, app_url, js_errors):
    """A fresh page of the app (a new browser session), its network and charts drawn.

    The test errors if the page raised a JavaScript error.
    """
    tab = browser.new_page()
    tab.set_default_timeout(60_000)
    tab.on("pageerror", lambda exc: js_errors.append(str(exc)))
    tab.goto(app_url)
    tab.locator(".collab-network img").wait_for(timeout=120_000)
    tab.locator(".collab-chart img").nth(4).wait_for()
    yield tab
    tab.close()
    assert not js_errors, js_errors


def _thumb_value(slider) -> str:
    """The value a slider shows on its thumb."""
    label = slider.locator(".v-slider__thumb-label")
    assert label.is_visible()
    return label.inner_text().strip()


def _save_screenshot(page, shot: Path, env_var: str) -> None:
    """A full-page screenshot at ``shot``, also copied where ``env_var`` says (if set)."""
    page.wait_for_timeout(500)  # the last frame in flight
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 100_000
    print(f"screenshot: {shot}")
    target = os.environ.get(env_var)
    if target:
        shutil.copyfile(shot, target)


def _play_until(page, month: int) -> None:
    """Press play, wait for ``month``, pause, and wait until Step works again."""
    page.get_by_role("button", name="▶", exact=True).click()
    _wait_for_month(page, month)
    page.get_by_role("button", name="❚❚", exact=True).click()
    step = page.get_by_role("button", name="Step", exact=True)
    _wait_until(step.is_enabled, "Step enabled again after pausing")


def test_app_in_browser(page, js_errors, tmp_path):
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

    # a preset: one click, its explanation and what to watch; with one world (comparison
    # mode switched off), the watch line compares with a headless reference run
    page.get_by_role("button", name="Culture clash", exact=True).click()
    page.get_by_text("Preset: Culture clash.").wait_for()
    page.locator(".collab-network img").nth(1).wait_for()  # a preset opens a comparison
    page.get_by_text(SWITCH, exact=True).click()  # the label: the ripple covers the input
    _wait_until(lambda: page.locator(".collab-network img").count() == 1, "one world again")
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
    _save_screenshot(page, tmp_path / "app_screenshot.png", "COLLAB_SIM_APP_SCREENSHOT")

    # play runs on by itself until paused
    _play_until(page, 7)

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
    assert not js_errors, js_errors


def test_no_page_tab_label_in_browser(page):
    assert page.locator(".v-tab").count() == 0
    assert not re.search(r"page \d", page.inner_text("body"), re.I)  # was "PAGE 0"
    assert page.get_by_text("What you see.").is_visible()  # the views are on the page


def test_no_model_parameters_card_in_browser(page):
    assert page.get_by_text("Model Parameters").count() == 0
    titles = page.locator(".v-card__title")
    assert [titles.nth(k).inner_text().strip() for k in range(titles.count())] == CARD_TITLES
    assert page.get_by_role("button", name="Reset", exact=True).is_visible()


def test_sliders_show_their_values_in_browser(page):
    page.get_by_text("Settings: bottlenecks, remedies").click()  # open the sliders
    for name in SLIDERS:
        slider = page.get_by_role("slider", name=name)
        assert _thumb_value(slider) == slider.get_attribute("aria-valuenow"), name
    slider = page.get_by_role("slider", name="Cultural mismatch")
    assert _thumb_value(slider) == "0.5"  # the baseline's strength
    slider.focus()
    for _ in range(2):
        slider.press("ArrowRight")
    page.wait_for_function(
        "s => s.querySelector('.v-slider__thumb-label').innerText.trim() === '0.6'",
        arg=slider.element_handle(),
    )
    assert slider.get_attribute("aria-valuenow") == "0.6" == _thumb_value(slider)
    page.get_by_role("button", name="Culture clash", exact=True).click()  # a preset: 1.0
    page.get_by_text("Preset: Culture clash.").wait_for()
    slider = page.get_by_role("slider", name="Cultural mismatch")
    _wait_until(lambda: _thumb_value(slider) == "1", "the preset's value on the thumb")
    assert slider.get_attribute("aria-valuenow") == "1"


def _numbers(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_comparison_in_browser(page, js_errors, tmp_path):
    """Two worlds: identical at month 0, diverging once the preset's setting acts."""
    page.get_by_role("button", name="Culture clash", exact=True).click()
    page.get_by_text("Preset: Culture clash.").wait_for()
    networks = page.locator(".collab-network img")
    networks.nth(1).wait_for()
    assert networks.count() == 2
    charts = page.locator(".collab-chart img")
    charts.nth(3).wait_for()
    assert charts.count() == 4
    assert page.get_by_label(SWITCH).is_checked()
    table = page.locator(".collab-innovation")
    assert "Without cultural mismatch" in table.inner_text()

    # month 0: the same organisations, partnerships and pipeline in both worlds
    status = _status(page)
    assert "Month 0" in status
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in table.inner_text().splitlines()
            if "\t" in line}  # fmt: skip
    assert rows["Medicines approved so far"][0] == rows["Medicines approved so far"][1] == "0"
    trials = rows["In clinical trials or review now"]
    assert trials[0] == trials[1] and int(trials[0]) > 0
    before = [networks.nth(k).screenshot() for k in range(2)]
    chart_before = charts.nth(1).screenshot()

    # step both worlds: the culture clash's conflicts appear in the left world only
    for month in range(1, 13):
        page.get_by_role("button", name="Step", exact=True).click()
        page.locator(".collab-status", has_text=f"Month {month}:").wait_for()
    watch = page.locator(".collab-watch")
    _wait_until(lambda: "(Culture clash)" in watch.inner_text(), "the comparison's watch line")
    conflicts = _numbers(watch.inner_text().split(":", 2)[-1])
    assert conflicts[0] > 0 == conflicts[1], watch.inner_text()
    for k in range(2):
        _wait_for_change(networks.nth(k), before[k])
    _wait_for_change(charts.nth(1), chart_before)
    status = _status(page)
    assert "Culture clash:" in status and "without cultural mismatch:" in status
    _save_screenshot(page, tmp_path / "app_comparison.png", "COLLAB_SIM_APP_COMPARISON_SCREENSHOT")

    # play and pause drive both worlds; Reset starts both again
    _play_until(page, 14)
    page.get_by_role("button", name="Reset", exact=True).click()
    page.locator(".collab-status", has_text="Month 0").wait_for()
    assert networks.count() == 2

    # another setting for the second world, applied by Reset
    page.locator(".v-select", has_text="The second world changes").click()
    page.get_by_role("option", name="Funding rule").click()
    page.get_by_text("Second world: with the").wait_for()
    page.get_by_role("button", name="Reset", exact=True).click()
    page.locator(".collab-innovation", has_text="funding rule").wait_for()
    assert not js_errors, js_errors


def test_served_app_refuses_other_hosts_and_origins_in_browser(app_url):
    """What a web page elsewhere would try (DNS rebinding, a foreign page's websocket)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect  # sync: Playwright's loop runs in this thread

    port = int(app_url.rstrip("/").rsplit(":", 1)[1])
    request = urllib.request.Request(app_url, headers={"Host": f"rebound.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400

    def session(origin: str) -> str:
        url = f"ws://127.0.0.1:{port}/jupyter/api/kernels/k0/channels?session_id=s0"
        try:
            with connect(url, origin=origin, open_timeout=20):
                return "accepted"
        except InvalidStatus as exc:
            return str(exc.response.status_code)

    assert session(f"http://evil.example:{port}") == "403"
    assert session(f"http://127.0.0.1:{port}") == "accepted"
