"""The kiosk commands of the CLI: ``--kiosk [--config F]``, ``kiosk hash-pin``, ``kiosk run``
and ``serve``. :mod:`groupfinder.cli.main` adds them to its parser and calls :func:`run_command`.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from groupfinder.cli.settings import Settings
from groupfinder.domain.errors import InputError, Problem
from groupfinder.domain.i18n import N_, tr

if TYPE_CHECKING:
    from groupfinder.domain.models import Language
    from groupfinder.modes.kiosk import KioskConfig

EXIT_OK, EXIT_BAD_INPUT = 0, 2
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
DEFAULT_MAX_SESSIONS = 8
SUPPRESS = argparse.SUPPRESS

Translate = Callable[[str], str]


def add_arguments(
    parser: argparse.ArgumentParser,
    commands: argparse._SubParsersAction[Any],
    _t: Translate,
    data_help: str,
) -> None:
    """``--kiosk`` and ``--config`` on ``parser``, and the ``kiosk`` and ``serve`` commands."""
    kiosk_help = _t(N_("kiosk mode: for a public terminal; leaving it needs the PIN"))
    config_help = _t(
        N_(
            "the kiosk settings (default: $GROUPFINDER_KIOSK_CONFIG, else kiosk.toml in the "
            "current folder)"
        )
    )
    parser.add_argument("--kiosk", action="store_true", help=kiosk_help)
    parser.add_argument("--config", type=Path, metavar="FILE", help=config_help)

    kiosk = commands.add_parser(
        "kiosk",
        help=_t(N_("make the exit PIN, run the kiosk under a supervisor")),
        description=_t(N_("Tools for kiosk mode on a public terminal.")),
    )
    kiosk_commands = kiosk.add_subparsers(
        dest="kiosk_command", metavar="COMMAND", required=True, parser_class=type(parser)
    )
    kiosk_commands.add_parser(
        "hash-pin",
        help=_t(N_("print a salted hash of the exit PIN, for kiosk.toml")),
        description=_t(
            N_(
                "Ask for the exit PIN (4 to 12 digits) twice, or read it once from standard "
                "input when that is not a terminal, and print the pin_hash line for kiosk.toml."
            )
        ),
    )
    run = kiosk_commands.add_parser(
        "run",
        help=_t(N_("run the kiosk and start it again when it crashes")),
        description=_t(
            N_(
                "Run groupfinder --kiosk and start it again after a crash, at most five times "
                "a minute. Stops when the app is left with the PIN, or when the settings are "
                "invalid. Each crash is logged as one line: the time, the exit status and the "
                "restart count, never anything a person answered."
            )
        ),
    )
    run.add_argument("--config", type=Path, metavar="FILE", help=config_help, default=SUPPRESS)
    run.add_argument("--data", type=Path, metavar="DIR", help=data_help, default=SUPPRESS)
    run.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help=_t(
            N_(
                "append the crash lines to FILE (default: standard error, which is also the "
                "screen the app draws on)"
            )
        ),
    )

    serve = commands.add_parser(
        "serve",
        help=_t(N_("serve the app to a web browser (textual-serve)")),
        description=_t(
            N_(
                "Serve the app to a web browser with textual-serve. Every browser tab gets its "
                "own app. Only this computer can connect unless you choose another --host."
            )
        ),
    )
    serve.add_argument("--kiosk", action="store_true", help=kiosk_help, default=SUPPRESS)
    serve.add_argument("--config", type=Path, metavar="FILE", help=config_help, default=SUPPRESS)
    serve.add_argument("--data", type=Path, metavar="DIR", help=data_help, default=SUPPRESS)
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=_t(N_("the address to listen on (default: 127.0.0.1, this computer only)")),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_t(N_("the port to listen on (default: 8000)")),
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=_t(
            N_(
                "at most N sessions at once, each its own app; beyond that a browser is "
                "asked to try again in a minute (default: 8)"
            )
        ),
    )


def load_kiosk(args: argparse.Namespace, settings: Settings) -> KioskConfig | None:
    """The validated kiosk settings when ``--kiosk`` was given, else None.

    Raises InputError (exit status 2) for a missing or invalid kiosk.toml, and when
    ``--config`` is given without ``--kiosk``.
    """
    if not getattr(args, "kiosk", False):
        if getattr(args, "config", None) is not None:
            raise InputError(
                [Problem(str(args.config), N_("--config works with --kiosk"), field="--config")]
            )
        return None
    from groupfinder.modes.kiosk import load_kiosk_config

    places = None
    if settings.data_dir is not None:
        from groupfinder.catalog.loader import load_places

        places = load_places(settings.data_dir)
    return load_kiosk_config(settings.kiosk_config, places)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    lang = settings.language
    if args.command == "serve":
        return cmd_serve(args, lang, settings)
    if args.kiosk_command == "hash-pin":
        return cmd_hash_pin(lang)
    return cmd_kiosk_run(args, lang, settings)


# --------------------------------------------------------------------------- hash-pin


def read_pin(lang: Language) -> tuple[str, str | None]:
    """The PIN, and the PIN typed again (None when read from a pipe)."""
    if sys.stdin.isatty():
        first = getpass.getpass(tr(lang, "Exit PIN (4 to 12 digits): "))
        again = getpass.getpass(tr(lang, "The same PIN again: "))
        return first, again
    return sys.stdin.readline().rstrip("\r\n"), None


def cmd_hash_pin(lang: Language) -> int:
    from groupfinder.modes.kiosk import PinError, hash_pin

    pin, again = read_pin(lang)
    if again is not None and again != pin:
        print(tr(lang, "groupfinder: the two PINs differ; nothing was made."), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        stored = hash_pin(pin)
    except PinError as exc:
        print(f"groupfinder: {tr(lang, exc.message, **exc.values)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f'pin_hash = "{stored}"')
    return EXIT_OK


# --------------------------------------------------------------------------- kiosk run


def app_command(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The command that starts the app the way ``args`` ask (kiosk, settings, data)."""
    command = [sys.executable, "-m", "groupfinder"]
    if settings.data_dir is not None:
        command += ["--data", str(settings.data_dir.resolve())]
    if getattr(args, "kiosk", False):
        command += ["--kiosk", "--config", str(settings.kiosk_config.resolve())]
    return command


def _harden_signals() -> None:
    """On the kiosk's own terminal, Ctrl+C, Ctrl+\\ and Ctrl+Z between two runs of the app
    must not drop a visitor into a shell; SIGTERM stops the app and then the supervisor."""
    for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(number, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _clear_screen() -> None:
    """Wipe what a crash left on the screen (it may show answers) before the next visitor."""
    if sys.stdout.isatty():
        sys.stdout.write("\x1b[0m\x1b[2J\x1b[3J\x1b[H")
        sys.stdout.flush()


def cmd_kiosk_run(
    args: argparse.Namespace,
    lang: Language,
    settings: Settings,
    run: Callable[[Sequence[str]], int] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> int:
    """The supervisor; ``run`` and ``sleep`` are for tests."""
    from groupfinder.modes.kiosk import run_child, supervise

    args.kiosk = True
    load_kiosk(args, settings)  # a bad kiosk.toml is reported now, not after the first start
    log_path: Path | None = args.log
    if run is None and sys.stdin.isatty():
        _harden_signals()
    log = None
    try:
        if log_path is not None:
            try:
                log = log_path.open("a", encoding="utf-8")
            except OSError as exc:
                raise InputError(
                    [
                        Problem(
                            str(log_path),
                            N_("cannot write: {reason}"),
                            field="--log",
                            values={"reason": exc.strerror},
                        )
                    ]
                ) from None
        kwargs: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        return supervise(
            app_command(args, settings),
            run=run or run_child,
            log=log,
            on_fault=_clear_screen,
            **kwargs,
        )
    finally:
        if log is not None:
            log.close()


# --------------------------------------------------------------------------- serve


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_extra_missing(lang: Language) -> bool:
    """True, after saying how to install it, when the serve extra (textual-serve) is not."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        print(
            tr(
                lang,
                "groupfinder serve needs the serve extra (textual-serve), which is not "
                "installed. Install it with: pip install 'groupfinder[serve]' (or pipx "
                "install 'groupfinder[serve]', uv tool install 'groupfinder[serve]'; in a "
                "checkout: make serve).",
            ),
            file=sys.stderr,
        )
        return True
    return False


def cmd_serve(args: argparse.Namespace, lang: Language, settings: Settings) -> int:
    if serve_extra_missing(lang):
        return EXIT_BAD_INPUT
    from groupfinder.cli.serve import GroupfinderServer, listen_problem  # needs textual_serve

    load_kiosk(args, settings)
    if not 0 < args.port < 65536:
        raise InputError(
            [
                Problem(
                    str(args.port),
                    N_("expected a port number from 1 to 65535"),
                    field="--port",
                )
            ]
        )
    if args.max_sessions < 1:
        raise InputError(
            [
                Problem(
                    str(args.max_sessions),
                    N_("expected a whole number of at least 1"),
                    field="--max-sessions",
                )
            ]
        )
    if not is_loopback(args.host):
        print(
            tr(
                lang,
                "Warning: serving on {host}: anyone who can reach this address can use the "
                "app, and answers travel over the network unencrypted.",
                host=args.host,
            ),
            file=sys.stderr,
        )
    from groupfinder.catalog.loader import HELPLINES_FILE, data_file, load_helplines

    helplines = load_helplines(data_file(HELPLINES_FILE, settings.data_dir))
    server = GroupfinderServer(
        shlex.join(app_command(args, settings)),
        host=args.host,
        port=args.port,
        language=lang,
        max_sessions=args.max_sessions,
        helplines=helplines,
    )
    try:
        server.serve()  # raises InputError when it cannot listen
    except OSError as exc:  # the port was taken in the moment after the server checked
        raise InputError([listen_problem(exc, args.host, args.port)]) from None
    return EXIT_OK
