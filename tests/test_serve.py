"""``groupfinder serve`` for real: start the server, open it in headless Chromium, read the
terminal the browser draws, press a key; check that the page loads nothing from another host,
that a WebSocket from another origin is refused, that bind errors are exit 2, and that beyond
``--max-sessions`` a browser sees the busy page.

textual-serve draws the app with xterm.js on a canvas, so the text is not in the page's DOM.
The test reads xterm.js's own screen buffer instead (``terminal.buffer.active``): when the
browser fetches textual.js, the test hands it the same file with one change, which keeps a
reference to the Terminal it creates in ``window.__groupfinderTerminal``.

Needs Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it) and the Playwright
Python package (test extra), which drives that Chromium and never downloads a browser.
Without a browser the browser tests are skipped, except on CI (``CI=true``), where they fail.
Every server listens on 127.0.0.1 and every client talks to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest
from yarl import URL

from groupfinder.catalog.loader import HELPLINES_FILE, data_file, load_helplines
from groupfinder.cli.main import main
from groupfinder.cli.serve import (
    GroupfinderServer,
    listen_problem,
    page_language,
    same_origin,
    served_hosts,
)
from groupfinder.domain.errors import InputError
from groupfinder.matching.helplines import crisis_numbers

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Playwright, Request, Route, WebSocket

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
BUSY = {
    "nl": "Alle plaatsen zijn nu bezet",
    "fr": "Toutes les places sont occupées pour le moment",
    "en": "Every place is taken right now",
}
FOREIGN_ORIGIN = "http://elsewhere.example"
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
FONT_STATUS = """() => [...document.fonts]
    .filter((face) => face.family.replace(/["']/g, "") === "Roboto Mono")
    .map((face) => face.style + " " + face.status)"""


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "nl"),
        ("", "nl"),
        ("de-DE,de;q=0.9", "nl"),
        ("fr-BE,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,en;q=0.9", "en"),
        ("de,en;q=0.5,fr;q=0.7", "fr"),
        ("nl-BE, fr;q=1", "nl"),  # equal quality: the first one
        ("fr;q=0,en;q=0.1", "en"),
        ("fr;q=zero, en", "en"),
        ("NL-be", "nl"),
    ],
)
def test_the_page_language_follows_accept_language(header: str | None, language: str) -> None:
    assert page_language(header) == language


@pytest.mark.parametrize(
    ("origin", "same"),
    [
        ("http://127.0.0.1:8000", True),
        ("HTTP://127.0.0.1:8000", True),
        ("http://127.0.0.1:8001", False),
        ("http://127.0.0.1", False),
        ("http://localhost:8000", False),
        (FOREIGN_ORIGIN, False),
        ("null", False),
        ("", False),
        (None, False),
        ("file:///tmp/x.html", False),
        ("http://[bad", False),
    ],
)
def test_a_websocket_origin_must_be_the_page_s_own_host(origin: str | None, same: bool) -> None:
    assert same_origin(origin, URL("http://127.0.0.1:8000/ws")) is same


def test_the_host_names_a_browser_may_use() -> None:
    loopback = frozenset({"127.0.0.1", "localhost", "::1"})
    assert served_hosts("127.0.0.1") == loopback
    assert served_hosts("[::1]") == loopback
    assert served_hosts("Kiosk.Local") == frozenset({"kiosk.local"})
    assert served_hosts("0.0.0.0") is None
    assert served_hosts("::") is None


@pytest.mark.parametrize(
    ("error", "field", "words"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "--host", "unknown"),
        (OSError(errno.EADDRINUSE, "address already in use"), "--port", "already in use"),
        (OSError(errno.EACCES, "permission denied"), "--port", "below 1024"),
        (OSError(errno.EADDRNOTAVAIL, "cannot assign"), "--host", "not an address"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "--host", "unreachable"),
    ],
)
def test_bind_errors_become_problems(error: OSError, field: str, words: str) -> None:
    problem = listen_problem(error, "kiosk.local", 8000)
    assert problem.field == field
    assert words in problem.render("en")


def test_the_busy_page_names_the_crisis_lines() -> None:
    numbers = crisis_numbers(load_helplines(data_file(HELPLINES_FILE)))
    assert numbers.split(" · ")[-1] == "112"
    assert "BE 1813" in numbers
    assert numbers.startswith(("BE ", "NL "))


# --------------------------------------------------------------------------- exit 2


def test_a_busy_port_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "groupfinder", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GROUPFINDER_LANG": "en"},
            cwd=tmp_path,
        )
    assert result.returncode == 2, result.stderr
    assert f"{port}: --port: already in use on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_host_is_found_before_the_server_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_such_name(*args: object, **kwargs: object) -> None:
        # What a lookup of a name that no resolver knows raises (no lookup is made here).
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    server = GroupfinderServer("true", host="no-such-host.invalid", port=8125, language="en")
    with pytest.raises(InputError) as caught:
        asyncio.run(server._make_app())
    assert [p.render("en") for p in caught.value.problems] == [
        "no-such-host.invalid: --host: unknown host: no address has this name"
    ]


def test_a_bad_session_limit_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--max-sessions", "0"]) == 2
    err = capsys.readouterr().err
    assert "0: --max-sessions: expected a whole number of at least 1" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- a real server


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


@contextlib.contextmanager
def serving(tmp_path: Path, *options: str) -> Iterator[int]:
    """``groupfinder serve`` on a free port of 127.0.0.1, in its own process group."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "GROUPFINDER_LANG": "nl", "COLUMNS": "120", "LINES": "40"}
    env.pop("GROUPFINDER_DATA", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "groupfinder", "serve", "--port", str(port), *options],
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


TIMEOUT = aiohttp.ClientTimeout(total=20)


async def handshake_status(port: int, headers: dict[str, str]) -> int:
    """The HTTP status of a WebSocket handshake with these headers (101: accepted)."""
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        try:
            async with session.ws_connect(
                f"ws://127.0.0.1:{port}/ws?width=80&height=24", headers=headers
            ) as websocket:
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def test_websockets_from_another_origin_or_host_are_refused(tmp_path: Path) -> None:
    with serving(tmp_path) as port:
        own = f"http://127.0.0.1:{port}"
        assert await handshake_status(port, {"Origin": FOREIGN_ORIGIN}) == 403
        assert await handshake_status(port, {"Origin": f"http://127.0.0.1:{port + 1}"}) == 403
        assert await handshake_status(port, {}) == 403  # no Origin at all
        # DNS rebinding: another site's name that points at 127.0.0.1.
        rebound = {
            "Origin": f"http://elsewhere.example:{port}",
            "Host": f"elsewhere.example:{port}",
        }
        assert await handshake_status(port, rebound) == 403
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.get(own, headers={"Host": f"elsewhere.example:{port}"}) as page:
                assert page.status == 403
            async with session.get(own) as page:
                assert page.status == 200
                assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        # The page's own origin opens a session.
        assert await handshake_status(port, {"Origin": own}) == 101


async def test_beyond_max_sessions_the_page_and_the_websocket_say_busy(tmp_path: Path) -> None:
    with serving(tmp_path, "--max-sessions", "1") as port:
        own = f"http://127.0.0.1:{port}"
        url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            first = await session.ws_connect(url, headers={"Origin": own})
            # A page loaded while the place was free is sent to the busy page.
            async with session.ws_connect(url, headers={"Origin": own}) as second:
                message = await second.receive(timeout=10)
                assert message.type == aiohttp.WSMsgType.TEXT
                assert json.loads(message.data) == ["open_url", {"url": "/busy", "new_tab": False}]
            for header, language in (("fr-BE,fr;q=0.9", "fr"), ("de", "nl"), ("en", "en")):
                async with session.get(own, headers={"Accept-Language": header}) as page:
                    assert page.status == 503
                    assert page.headers["Retry-After"] == "60"
                    text = await page.text()
                    assert BUSY[language] in text
                    assert f'<html lang="{language}">' in text
                    assert "112" in text
            await first.close()
            # The place is free again once the first session has stopped its app.
            deadline = time.monotonic() + 15
            status = 0
            while time.monotonic() < deadline:
                async with session.get(own) as page:
                    status = page.status
                if status == 200:
                    break
                await asyncio.sleep(0.2)
            assert status == 200


# --------------------------------------------------------------------------- in a browser


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


@pytest.fixture
def server(browser_path: str, tmp_path: Path) -> Iterator[int]:
    with serving(tmp_path) as port:
        yield port


@dataclass
class Traffic:
    """Every URL the browser asked for, and what it was not given."""

    port: int
    urls: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    policy: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        own = re.compile(rf"^(https?|wss?)://127\.0\.0\.1:{self.port}/")

        def request(request: Request) -> None:
            self.urls.append(request.url)

        def websocket(socket: WebSocket) -> None:
            self.urls.append(socket.url)

        def elsewhere(route: Route) -> None:
            # A safety net: nothing ever leaves this computer, even when the test fails.
            self.refused.append(route.request.url)
            route.abort()

        page.on("request", request)
        page.on("websocket", websocket)
        page.on(
            "console",
            lambda message: (
                self.policy.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.route(lambda url: own.match(url) is None, elsewhere)

    def elsewhere(self) -> list[str]:
        prefixes = (f"http://127.0.0.1:{self.port}/", f"ws://127.0.0.1:{self.port}/")
        return [url for url in self.urls if not url.startswith(prefixes)]


def launch(playwright: Playwright, browser_path: str, profile: Path) -> BrowserContext:
    # A fresh profile (--user-data-dir) for every run.
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=browser_path,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport={"width": 1200, "height": 800},
        timeout=20_000,
    )


def open_page(context: BrowserContext, traffic: Traffic, language: str | None = None) -> Page:
    page = context.new_page()
    page.set_default_timeout(15_000)
    if language is not None:
        page.set_extra_http_headers({"Accept-Language": language})
    traffic.watch(page)
    page.route("**/static/js/textual.js", expose_terminal)
    return page


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


def test_the_served_app_runs_in_headless_chromium_and_loads_nothing_from_elsewhere(
    browser_path: str, server: int, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    traffic = Traffic(server)
    with sync_playwright() as playwright:
        context = launch(playwright, browser_path, tmp_path / "profile")
        try:
            page = open_page(context, traffic)
            page.goto(f"http://127.0.0.1:{server}/")
            welcome = wait_for_text(page, WELCOME, timeout=15)
            assert FIRST_QUESTION not in welcome
            page.evaluate("() => window.__groupfinderTerminal.focus()")
            page.keyboard.press("Enter")
            question = wait_for_text(page, FIRST_QUESTION, timeout=10)
            assert WELCOME not in question
            fonts = page.evaluate(FONT_STATUS)
        finally:
            context.close()
    print("requests:", *traffic.urls, sep="\n  ")
    assert traffic.elsewhere() == [] and traffic.refused == []
    assert traffic.policy == []  # nothing the page tried was blocked by its own policy
    paths = {URL(url).path for url in traffic.urls}
    assert {"/", "/ws", "/static/js/textual.js", "/assets/groupfinder.css"} <= paths
    assert "/assets/fonts/RobotoMono-VariableFont_wght.ttf" in paths
    assert "normal loaded" in fonts  # the terminal draws with the font this server ships


def test_beyond_max_sessions_a_browser_sees_the_busy_page_in_its_language(
    browser_path: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with serving(tmp_path, "--max-sessions", "1") as port:
        traffic = Traffic(port)
        home = f"http://127.0.0.1:{port}/"
        with sync_playwright() as playwright:
            context = launch(playwright, browser_path, tmp_path / "profile")
            try:
                first = open_page(context, traffic)
                first.goto(home)
                wait_for_text(first, WELCOME, timeout=15)

                french = open_page(context, traffic, "fr-BE,fr;q=0.9,en;q=0.5")
                french.goto(home)
                assert french.locator("h1").inner_text() == BUSY["fr"]
                assert "112" in french.locator(".crisis").inner_text()
                german = open_page(context, traffic, "de-DE,de;q=0.9")
                german.goto(home)
                assert german.locator("h1").inner_text() == BUSY["nl"]
                german.close()

                first.close()  # its session ends, and with it its app
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline:
                    french.goto(home)
                    if french.locator("#terminal").count():
                        break
                    time.sleep(0.3)
                wait_for_text(french, WELCOME, timeout=15)
            finally:
                context.close()
        assert traffic.elsewhere() == [] and traffic.refused == []
        assert traffic.policy == []
