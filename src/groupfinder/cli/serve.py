"""``groupfinder serve``: textual-serve's :class:`~textual_serve.server.Server`, made safe to put
in front of a browser kiosk.

What it changes in textual-serve 1.1.3:

- **Nothing from the network.** textual-serve's page asks Google Fonts for its font. Ours
  (``web/templates/app_index.html``) loads the font, styles and scripts from this server only:
  the font ships in ``web/assets/fonts`` (Roboto Mono, Apache License 2.0, see
  ATTRIBUTION.md); textual-serve's own xterm.js bundle and its CSS come from the installed
  textual_serve package, under ``/static``. Every page carries a Content-Security-Policy that
  lets the browser load nothing from another host.
- **Only the served host.** A request whose ``Host`` is not the served host is refused (403),
  which stops DNS rebinding; a WebSocket whose ``Origin`` is not the page's own host is
  refused (403), so another site open in the same browser cannot drive the app.
- **A limit on sessions.** Each session is one app process. Beyond ``max_sessions`` live
  sessions a page in the browser's language says "busy, try again in a minute" and tries
  again by itself, instead of starting another process.
- Bind errors (port in use, unknown host) are bad input: :class:`InputError`, exit status 2.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import textual_serve
from aiohttp import hdrs, web
from rich.console import Console
from rich.logging import RichHandler
from textual_serve.server import Server, to_int
from yarl import URL

from groupfinder.domain.errors import InputError, Problem
from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.models import LANGUAGES, Helpline, Language
from groupfinder.matching.helplines import crisis_numbers

log = logging.getLogger("groupfinder.cli.serve")

WEB = Path(__file__).parent.parent / "web"
#: textual-serve's own statics: textual.js (xterm.js and the protocol) and xterm.css.
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).parent / "static"
DEFAULT_LANGUAGE: Language = "nl"
DEFAULT_MAX_SESSIONS = 8
RETRY_SECONDS = 60
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Listening on every address: the names a browser may use are not known beforehand.
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # xterm.js adds <style> elements of its own.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --------------------------------------------------------------------------- small rules


def page_language(accept_language: str | None) -> Language:
    """The language of a page: the browser's most preferred of nl, fr and en, else Dutch.

    ``accept_language`` is the ``Accept-Language`` header, e.g. ``"fr-BE,fr;q=0.9,en;q=0.5"``.
    """
    best: tuple[float, int, Language] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        code = tag.strip().split("-")[0].lower()
        if code not in LANGUAGES:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        candidate = (-quality, position, code)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANGUAGE


def served_hosts(host: str) -> frozenset[str] | None:
    """The host names a browser may use to reach a server listening on ``host``; None: any.

    On a loopback address, the loopback names; on a wildcard address (0.0.0.0, ::), any
    name, since the names of this computer on its networks are not known here.
    """
    name = host.strip("[]").lower()
    if name in WILDCARD_HOSTS:
        return None
    from groupfinder.cli.kiosk import is_loopback

    if is_loopback(name):
        return LOOPBACK_NAMES | {name}
    return frozenset({name})


def same_origin(origin: str | None, url: URL) -> bool:
    """True when the ``Origin`` header names the scheme-less host and port of ``url``.

    A missing, ``null`` or malformed origin is never the same.
    """
    if not origin:
        return False
    try:
        parsed = URL(origin)
    except ValueError:
        return False
    if parsed.scheme not in ("http", "https") or not parsed.host or url.host is None:
        return False
    return (parsed.host.lower(), parsed.port) == (url.host.lower(), url.port)


def listen_problem(exc: OSError, host: str, port: int) -> Problem:
    """What to tell the person when the server cannot listen on ``host``:``port``."""
    if isinstance(exc, socket.gaierror):
        return Problem(host, N_("unknown host: no address has this name"), field="--host")
    if exc.errno == errno.EADDRINUSE:
        return Problem(
            str(port),
            N_("already in use on {host}: stop what uses it, or choose another --port"),
            field="--port",
            values={"host": host},
        )
    if exc.errno == errno.EACCES:
        return Problem(
            str(port),
            N_("not allowed: ports below 1024 need extra rights; choose another --port"),
            field="--port",
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return Problem(host, N_("is not an address of this computer"), field="--host")
    return Problem(
        f"{host}:{port}",
        N_("cannot listen here: {reason}"),
        field="--host",
        values={"reason": exc.strerror or str(exc)},
    )


def check_listen(host: str, port: int) -> Problem | None:
    """Whether a server can listen on ``host``:``port``: None, or the problem.

    Each address of ``host`` is bound once (as aiohttp binds it, with SO_REUSEADDR) and let
    go at once, before aiohttp starts: so the start-up message is only printed when the
    server can listen.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        return listen_problem(exc, host, port)
    for family, kind, protocol, _, address in addresses:
        try:
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
        except OSError as exc:
            return listen_problem(exc, host, port)
    return None


def public_url(host: str, port: int) -> str:
    name = host.strip("[]")
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


# --------------------------------------------------------------------------- the server


class GroupfinderServer(Server):
    """textual-serve's server with our page, a host and origin check, and a session limit."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        language: Language,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        helplines: Iterable[Helpline] = (),
        title: str = "groupfinder",
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=public_url(host, port),
            statics_path=TEXTUAL_SERVE_STATIC,
            templates_path=WEB / "templates",
        )
        self.language = language
        self.max_sessions = max_sessions
        self.sessions = 0
        self.hosts = served_hosts(host)
        self.numbers = crisis_numbers(helplines)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(WEB / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    # -- set-up ----------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Log to standard error, and never a traceback's local variables: they may hold
        what a person typed."""
        logging.basicConfig(
            level="DEBUG" if self.debug else "INFO",
            format="%(message)s",
            handlers=[
                RichHandler(
                    show_path=False,
                    show_time=False,
                    rich_tracebacks=False,
                    console=Console(stderr=True),
                )
            ],
        )

    async def _make_app(self) -> web.Application:
        # Before anything else: a busy port or an unknown host is bad input (exit 2), and it
        # is found here, where it cannot be mistaken for another fault of the start-up.
        problem = check_listen(self.host, self.port)
        if problem is not None:
            raise InputError([problem])
        app = web.Application(middlewares=[self.guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/busy", self.handle_busy, name="busy"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
                web.static("/assets", WEB / "assets", name="assets"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        print(
            tr(
                self.language,
                "groupfinder: serving at {url} (Ctrl+C stops)",
                url=self.public_url,
            ),
            file=sys.stderr,
            flush=True,
        )

    # -- every request ---------------------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a host name that is not the served host; security headers on every page."""
        name = (request.url.host or "").lower()
        if self.hosts is not None and name not in self.hosts:
            log.warning("refused a request for another host: %r", request.host)
            raise web.HTTPForbidden(text="groupfinder: unknown host\n")
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    # -- pages -----------------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **context: Any) -> web.Response:
        page = self.templates.get_template(name).render(**context)
        return web.Response(text=page, content_type="text/html", status=status)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page of a new session, or the busy page when every place is taken."""
        lang = page_language(request.headers.get(hdrs.ACCEPT_LANGUAGE))
        if self.sessions >= self.max_sessions:
            return self.busy_page(lang, status=503)
        scheme = "wss" if request.secure else "ws"
        return self.render(
            "app_index.html",
            lang=lang,
            title=self.title,
            font_size=to_int(request.query.get("fontsize", "16"), 16),
            websocket_url=f"{scheme}://{request.host}/ws",
            start=tr(lang, "Start"),
            ended=tr(lang, "This session has ended."),
            restart=tr(lang, "Start again"),
        )

    async def handle_busy(self, request: web.Request) -> web.StreamResponse:
        return self.busy_page(page_language(request.headers.get(hdrs.ACCEPT_LANGUAGE)))

    def busy_page(self, lang: Language, status: int = 200) -> web.Response:
        response = self.render(
            "busy.html",
            status=status,
            lang=lang,
            title=self.title,
            retry_seconds=RETRY_SECONDS,
            heading=tr(lang, "Every place is taken right now"),
            text=tr(
                lang,
                "Everyone who can use groupfinder here at the same time is using it. Please "
                "try again in a minute: this page tries again by itself.",
            ),
            again=tr(lang, "Try again"),
            crisis=(
                tr(lang, "In crisis? Call {numbers}", numbers=self.numbers) if self.numbers else ""
            ),
        )
        response.headers[hdrs.RETRY_AFTER] = str(RETRY_SECONDS)
        return response

    # -- sessions --------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A session, when the page is our own and a place is free."""
        if not same_origin(request.headers.get(hdrs.ORIGIN), request.url):
            log.warning(
                "refused a WebSocket from another origin: %r", request.headers.get(hdrs.ORIGIN)
            )
            raise web.HTTPForbidden(text="groupfinder: this page may not open a session\n")
        if self.sessions >= self.max_sessions:
            # The page was loaded while a place was free: send it to the busy page.
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.send_json(["open_url", {"url": "/busy", "new_tab": False}])
            await websocket.close()
            return websocket
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
