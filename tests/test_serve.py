"""``groupfinder serve`` for real: start the server, open it in headless Chromium, read the
terminal the browser draws, press a key.

textual-serve draws the app with xterm.js on a canvas, so the text is not in the page's DOM.
The test reads xterm.js's own screen buffer instead (``terminal.buffer.active``): when the
browser fetches textual.js, the test hands it the same file with one change, which keeps a
reference to the Terminal it creates in ``window.__groupfinderTerminal``.

Needs Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it) and the Playwright
Python package (test extra), which drives that Chromium and never downloads a browser.
Without a browser the test is skipped, except on CI (``CI=true``), where it fails.
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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WELCOME = "Vind een groep die je helpt om te helen"
FIRST_QUESTION = "Wat zoek je?"
# In textual-serve's textual.js: ``this.terminal=new v.Terminal({...})``.
TERMINAL_CREATED = re.compile(r"(this\.terminal=)(new [\w$]+\.Terminal\()")
SCREEN_TEXT = """() => {
    const terminal = window.__groupfinderTerminal;
    if (!terminal) return null;
    const buffer = terminal.buffer.active;
    const lines = [];
    for (let y = 0; y < terminal.rows; y++) {
        const line = buffer.getLine(buffer.viewportY + y);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
}"""


@pytest.fixture
def browser_path() -> str:
    """The Chromium to drive, or skip (fail on CI) with the reason, before any server starts."""
    chosen = os.environ.get("GROUPFINDER_TEST_BROWSER")
    names = (chosen,) if chosen else BROWSERS
    found = next((path for name in names if (path := shutil.which(name))), None)
    reason = None
    if found is None:
        reason = (
            f"GROUPFINDER_TEST_BROWSER={chosen} is not a program"
            if chosen
            else "no Chromium found (apt-get install chromium, or set GROUPFINDER_TEST_BROWSER)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing (pip install -e '.[test]')"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser test cannot run: {reason}")
        pytest.skip(reason)
    assert found is not None
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"groupfinder serve stopped ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    pytest.fail(f"groupfinder serve did not answer on port {port}:\n{log.read_text()}")


@pytest.fixture
def server(browser_path: str, tmp_path: Path) -> Iterator[int]:
    """``groupfinder serve`` on a free port of 127.0.0.1, in its own process group."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "GROUPFINDER_LANG": "nl", "COLUMNS": "120", "LINES": "40"}
    env.pop("GROUPFINDER_DATA", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "groupfinder", "serve", "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # the server and every app it starts: one group to stop
        )
    try:
        wait_for_port(port, process, log, timeout=15)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # an app the server left behind


def expose_terminal(route: Route) -> None:
    response = route.fetch()
    script, count = TERMINAL_CREATED.subn(r"\1window.__groupfinderTerminal=\2", response.text())
    assert count == 1, "textual.js changed: cannot find where it creates the xterm.js Terminal"
    route.fulfill(response=response, body=script)


def wait_for_text(page: Page, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = page.evaluate(SCREEN_TEXT) or ""
        if text in screen:
            return screen
        time.sleep(0.1)
    pytest.fail(f"{text!r} did not appear in the browser; the screen shows:\n{screen}")


def test_the_served_app_runs_in_headless_chromium(
    browser_path: str, server: int, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # A fresh profile (--user-data-dir) for every run.
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=browser_path,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1200, "height": 800},
            timeout=20_000,
        )
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            # Offline: only our server (the page also asks Google Fonts for a font).
            page.route(re.compile(r"^(?!http://127\.0\.0\.1:\d+/)"), lambda route: route.abort())
            page.route("**/static/js/textual.js", expose_terminal)
            page.goto(f"http://127.0.0.1:{server}/")
            welcome = wait_for_text(page, WELCOME, timeout=15)
            assert FIRST_QUESTION not in welcome
            page.evaluate("() => window.__groupfinderTerminal.focus()")
            page.keyboard.press("Enter")
            question = wait_for_text(page, FIRST_QUESTION, timeout=10)
            assert WELCOME not in question
        finally:
            context.close()
