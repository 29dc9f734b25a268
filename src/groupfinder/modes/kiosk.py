"""Kiosk mode without the UI: the configuration file, the exit PIN, the take-home QR code,
the printed handout and the supervisor that restarts the app after a crash.

**kiosk.toml** (flat keys, UTF-8)::

    centre = "Buurthuis De Brug"          # shown on the welcome screen
    country = "BE"                        # BE | NL
    location = "9000"                     # the centre's postcode: the default location
    language = "nl"                       # nl | fr | en (default nl)
    idle_seconds = 90                     # reset after this long without a key (>= 15)
    warning_seconds = 20                  # warn this long before the reset (>= 5, < idle)
    pin_hash = "scrypt$16384$8$1$...$..." # from `groupfinder kiosk hash-pin`
    print_command = ["lp", "-d", "desk"]  # optional; an argv list, never a shell string

The handout is written to the print command's standard input, so nothing touches the disk.

**The QR code in text.** :func:`qr_text_rows` draws two modules per character cell, the
upper one and the lower one, with four characters:

========  ==========  ============
char      upper       lower
========  ==========  ============
``█``     dark        dark
``▀``     dark        light
``▄``     light       dark
`` ``     light       light
========  ==========  ============

Draw every row in **black on white** (foreground ``#000000``, background ``#FFFFFF``), whatever
the theme: dark modules are then the foreground and light ones the background, which is what
phones expect. The rows include the four-module quiet zone; when the code has an odd number of
module rows, the last text row has a light lower half (more quiet zone).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Final, TextIO

import segno
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from groupfinder.catalog.loader import describe_error, read_toml, toml_line
from groupfinder.catalog.places import Place, PlaceIndex
from groupfinder.domain.errors import CatalogError, FieldError, InputError, Problem
from groupfinder.domain.i18n import N_, tr, trn
from groupfinder.domain.models import Group, Helpline, Topic
from groupfinder.domain.text import has_control, one_line
from groupfinder.domain.vocabulary import Country, Language
from groupfinder.domain.words import who_for
from groupfinder.present.facts import contact_lines

CONFIG_ENV: Final = "GROUPFINDER_KIOSK_CONFIG"
DEFAULT_CONFIG: Final = Path("kiosk.toml")

# --------------------------------------------------------------------------- the exit PIN

PIN_SCHEME: Final = "scrypt"
#: scrypt cost: 16 MiB of memory and some tens of milliseconds per try.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 16384, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
PIN_DIGITS: Final = (4, 12)
_PIN = re.compile(r"[0-9]{4,12}")


class PinError(FieldError):
    """A PIN or a stored PIN hash that cannot be used; the message is a translatable template."""


def check_pin(pin: str) -> str:
    """``pin`` when it is 4 to 12 digits (ASCII 0-9); :class:`PinError` otherwise."""
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise PinError(
            N_("the PIN must be {low} to {high} digits (0-9), nothing else"),
            low=PIN_DIGITS[0],
            high=PIN_DIGITS[1],
        )
    return pin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


#: The most memory a PIN check may use; a hash needing more could never be verified.
SCRYPT_MAXMEM: Final = 256 * 1024 * 1024


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=SCRYPT_MAXMEM
    )


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of ``pin``: ``scrypt$16384$8$1$<salt base64>$<hash base64>``.

    Raises :class:`PinError` (a ValueError) when the PIN is not 4 to 12 digits.
    """
    check_pin(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(
        (PIN_SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest))
    )


def parse_pin_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """The parameters, salt and hash of a stored PIN hash; :class:`PinError` when malformed."""
    bad = PinError(
        N_("not a PIN hash; make one with: groupfinder kiosk hash-pin"),
    )
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != PIN_SCHEME:
        raise bad
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        raise bad from None
    # Sane bounds: a stored hash must not make a PIN check take minutes or gigabytes.
    if not (
        1024 <= n <= 2**20
        and n & (n - 1) == 0
        and 1 <= r <= 32
        and 1 <= p <= 16
        and len(salt) >= 8
        and 16 <= len(digest) <= 64
        # What OpenSSL's scrypt accepts: N below 2^(16r), and memory within SCRYPT_MAXMEM
        # (a hash beyond them validates but no PIN could ever match: staff locked in).
        and n < 2 ** (16 * r)
        and 128 * r * (n + p + 2) <= SCRYPT_MAXMEM
    ):
        raise bad
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored`` (from :func:`hash_pin`). Never raises.

    A malformed PIN or hash is simply no match; the comparison is constant-time.
    """
    try:
        check_pin(pin)
        n, r, p, salt, digest = parse_pin_hash(stored)
        candidate = _scrypt(pin, salt, n, r, p, len(digest))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, digest)


# --------------------------------------------------------------------------- kiosk.toml


class KioskConfigError(InputError):
    """kiosk.toml is missing, unreadable or invalid."""


MAX_TEXT: Final = 200


class KioskConfig(BaseModel):
    """A validated kiosk.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    centre: str
    country: Country
    location: str
    language: Language = "nl"
    idle_seconds: Annotated[int, Field(ge=15)] = 90
    warning_seconds: Annotated[int, Field(ge=5)] = 20
    pin_hash: str
    print_command: Annotated[list[str], Field(min_length=1)] | None = None

    @field_validator("centre", "location")
    @classmethod
    def _one_line_of_text(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > MAX_TEXT or has_control(value):
            raise FieldError(
                N_("expected a line of plain text (1 to {n} characters), got {value!r}"),
                n=MAX_TEXT,
                value=value,
            )
        return value

    @field_validator("pin_hash")
    @classmethod
    def _a_pin_hash(cls, value: str) -> str:
        parse_pin_hash(value)
        return value

    @field_validator("print_command", mode="before")
    @classmethod
    def _not_a_shell_string(cls, value: object) -> object:
        if isinstance(value, str):
            raise FieldError(
                N_(
                    "expected the command as a list of words, e.g. "
                    '["lp", "-d", "desk"], not one string'
                )
            )
        return value

    @field_validator("print_command")
    @classmethod
    def _an_argv(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not part or "\x00" in part for part in value):
            raise FieldError(N_("every part of the command must be non-empty text"))
        return value

    @field_validator("warning_seconds")
    @classmethod
    def _warning_before_reset(cls, value: int, info: ValidationInfo) -> int:
        idle = info.data.get("idle_seconds")
        if isinstance(idle, int) and value >= idle:
            raise FieldError(
                N_("must be less than idle_seconds ({idle}), got {value}"), idle=idle, value=value
            )
        return value

    def place(self, places: PlaceIndex | None = None) -> Place | None:
        """The centre's place (checked when the file was loaded, so normally found)."""
        return (places or PlaceIndex.default()).lookup(self.location, self.country).place


def config_path(path: Path | str | None, environ: Mapping[str, str] | None = None) -> Path:
    """The kiosk.toml to use: ``path``, else ``$GROUPFINDER_KIOSK_CONFIG``, else ./kiosk.toml."""
    if path is not None:
        return Path(path)
    env = os.environ if environ is None else environ
    return Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else DEFAULT_CONFIG


def load_kiosk_config(path: Path | str, places: PlaceIndex | None = None) -> KioskConfig:
    """Read and validate kiosk.toml; :class:`KioskConfigError` lists every problem.

    Each problem names the file, the line (best effort) and the key. The location must be a
    place in ``places`` (default: the shipped place list), in the configured country.
    """
    path = Path(path)
    file = str(path)
    try:
        data, text = read_toml(path)
    except CatalogError as exc:
        raise KioskConfigError(exc.problems) from None
    try:
        config = KioskConfig.model_validate(data)
    except ValidationError as exc:
        raise KioskConfigError(_problems(exc, file, text)) from None
    problem = _location_problem(config, places or PlaceIndex.default(), file, text)
    if problem is not None:
        raise KioskConfigError([problem])
    return config


def _problems(error: ValidationError, file: str, text: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message, values = describe_error(item)
        problems.append(
            Problem(
                file,
                message,
                line=toml_line(text, loc[:1]) if loc else None,
                field=".".join(str(part) for part in loc) or None,
                values=values,
            )
        )
    return problems


def _location_problem(
    config: KioskConfig, places: PlaceIndex, file: str, text: str
) -> Problem | None:
    found = places.lookup(config.location, config.country)
    line = toml_line(text, ("location",))
    if found.place is not None:
        if found.place.country != config.country:
            return Problem(
                file,
                N_("{value!r} is in {found}, but country is {country}"),
                line=line,
                field="location",
                values={
                    "value": config.location,
                    "found": found.place.country,
                    "country": config.country,
                },
            )
        return None
    if found.ambiguous:
        return Problem(
            file,
            N_("{value!r} can mean several places; use the postcode, one of: {places}"),
            line=line,
            field="location",
            values={
                "value": config.location,
                "places": ", ".join(p.label() for p in found.candidates[:6]),
            },
        )
    if found.suggestions:
        return Problem(
            file,
            N_("unknown place {value!r}; did you mean: {suggestions}"),
            line=line,
            field="location",
            values={"value": config.location, "suggestions": ", ".join(found.suggestions)},
        )
    return Problem(
        file,
        N_("unknown place {value!r}"),
        line=line,
        field="location",
        values={"value": config.location},
    )


# --------------------------------------------------------------------------- the QR code

#: The most a QR code holds: version 40, error correction L, byte mode.
QR_MAX_VERSION: Final = 40
QR_MAX_BYTES: Final = 2953
QR_BORDER: Final = 4
DARK_DARK, DARK_LIGHT, LIGHT_DARK, LIGHT_LIGHT = "█", "▀", "▄", " "
QR_CELLS: Final = {
    (True, True): DARK_DARK,
    (True, False): DARK_LIGHT,
    (False, True): LIGHT_DARK,
    (False, False): LIGHT_LIGHT,
}


def _make_qr(payload: str, max_version: int = QR_MAX_VERSION) -> segno.QRCode | None:
    """The QR code of ``payload`` (UTF-8, at least level L), or None when it does not fit."""
    try:
        qr = segno.make(payload, error="l", encoding="utf-8", micro=False, boost_error=True)
    except segno.DataOverflowError:
        return None
    version = qr.version
    return qr if isinstance(version, int) and version <= max_version else None


def qr_max_version(columns: int, rows: int) -> int:
    """The largest QR version whose text rows (with quiet zone) fit ``columns`` x ``rows``.

    0 when not even version 1 fits.
    """
    best = 0
    for version in range(1, QR_MAX_VERSION + 1):
        side = 17 + 4 * version + 2 * QR_BORDER
        if side <= columns and (side + 1) // 2 <= rows:
            best = version
    return best


def _payload(
    groups: Sequence[Group],
    left_out: int,
    helplines: Sequence[Helpline],
    hidden: int,
    language: Language,
    part: tuple[int, int] | None = None,
    audiences: Mapping[str, Topic] | None = None,
) -> str:
    lines = [tr(language, "groupfinder: your groups")]
    if part is not None:
        lines[0] += f" ({part[0]}/{part[1]})"
    for group in groups:
        lines.append("")
        lines.append(one_line(group.name))
        if audiences is not None:
            lines.append(one_line(who_for(group, audiences, language)))
        lines += contact_lines(group, language)
    if left_out:
        lines.extend(["", trn(language, "+{n} more group", "+{n} more groups", left_out)])
    if helplines or hidden:
        lines.extend(["", tr(language, "Help lines:")])
        lines.extend(f"{one_line(h.name)}: {one_line(h.phone)}" for h in helplines)
        if hidden:
            lines.append(trn(language, "+{n} more help line", "+{n} more help lines", hidden))
    return "\n".join(lines)


def qr_payload(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
) -> str:
    """The plain text a phone reads from the take-home QR code.

    The chosen groups (name, who it is for when the ``audiences`` vocabulary is given, phone,
    email, website) in order, then the help lines (name and phone). When it does not fit in a
    QR code of ``max_version`` (default 40, the largest; see :func:`qr_max_version` for a code
    that fits the screen), groups are left out from the end and a "+N more groups" line says
    so; help lines are only cut when no group is left.
    Raises ValueError when not even the heading fits.
    """
    for keep in range(len(groups), -1, -1):
        text = _payload(
            groups[:keep], len(groups) - keep, helplines, 0, language, audiences=audiences
        )
        if _make_qr(text, max_version) is not None:
            return text
    for keep in range(len(helplines) - 1, -1, -1):
        text = _payload(
            [], len(groups), helplines[:keep], len(helplines) - keep, language, audiences=audiences
        )
        if _make_qr(text, max_version) is not None:
            return text
    raise ValueError(f"no QR code up to version {max_version} holds even the heading")


def qr_pages(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
) -> list[str]:
    """The take-home payloads for codes no larger than ``max_version``, to show one by one.

    One code when everything fits. Otherwise the groups, in order, are spread over several
    codes, each headed "(1/3)", "(2/3)", ...; the help lines go on the last code, or on one
    of their own. Nothing is left out, so the list is empty when not even one group (or the
    help lines) fits a code that small: the screen is too small for a useful code.
    """
    everything = _payload(groups, 0, helplines, 0, language, audiences=audiences)
    if _make_qr(everything, max_version) is not None:
        return [everything]
    # Pack with the widest heading a page can get, so that the real one fits too.
    widest = (len(groups) + 1, len(groups) + 1)
    pages: list[Sequence[Group]] = []
    start = 0
    while start < len(groups):
        count = 0
        while start + count < len(groups):
            trial = _payload(
                groups[start : start + count + 1], 0, [], 0, language, widest, audiences=audiences
            )
            if _make_qr(trial, max_version) is None:
                break
            count += 1
        if count == 0:
            return []
        pages.append(groups[start : start + count])
        start += count
    with_help = bool(pages) and (
        _make_qr(
            _payload(pages[-1], 0, helplines, 0, language, widest, audiences=audiences), max_version
        )
        is not None
    )
    if (
        not with_help
        and _make_qr(
            _payload([], 0, helplines, 0, language, widest, audiences=audiences), max_version
        )
        is None
    ):
        return []
    total = len(pages) + (0 if with_help else 1)
    texts = [
        _payload(
            page,
            0,
            helplines if with_help and n == len(pages) else [],
            0,
            language,
            (n, total),
            audiences=audiences,
        )
        for n, page in enumerate(pages, start=1)
    ]
    if not with_help:
        texts.append(_payload([], 0, helplines, 0, language, (total, total), audiences=audiences))
    return texts


def qr_matrix(payload: str, max_version: int = QR_MAX_VERSION) -> list[list[bool]]:
    """The modules of the QR code of ``payload``, True = dark, with the 4-module quiet zone.

    Raises ValueError when ``payload`` does not fit (use :func:`qr_payload` first).
    """
    qr = _make_qr(payload, max_version)
    if qr is None:
        raise ValueError(f"the payload does not fit in a QR code up to version {max_version}")
    return [[bool(module) for module in row] for row in qr.matrix_iter(scale=1, border=QR_BORDER)]


def qr_text_rows(matrix: Sequence[Sequence[bool]]) -> list[str]:
    """Two module rows per text row, with the characters of :data:`QR_CELLS` (module docs).

    Draw the rows black on white. An odd last module row gets a light lower half.
    """
    rows: list[str] = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        rows.append(
            "".join(QR_CELLS[(bool(a), bool(b))] for a, b in zip(upper, lower, strict=True))
        )
    return rows


# --------------------------------------------------------------------------- printing


class PrintError(Exception):
    """The print command failed; ``message`` is a translatable template."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


def print_handout(command: Sequence[str], text: str, timeout: float = 30.0) -> None:
    """Send ``text`` (UTF-8) to ``command``'s standard input; nothing is written to disk.

    Raises :class:`PrintError` when the command cannot start, fails or takes too long.
    """
    try:
        result = subprocess.run(
            list(command),
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, ValueError) as exc:
        raise PrintError(
            N_("the print command could not start: {reason}"),
            reason=getattr(exc, "strerror", None) or type(exc).__name__,
        ) from None
    except subprocess.TimeoutExpired:
        raise PrintError(
            N_("the print command took longer than {seconds} seconds"), seconds=int(timeout)
        ) from None
    if result.returncode != 0:
        raise PrintError(
            N_("the print command failed with exit status {code}"), code=result.returncode
        )


# --------------------------------------------------------------------------- the supervisor

#: The kiosk app's exit status after the PIN was given: the supervisor stops too.
EXIT_AUTHORISED: Final = 0
#: Bad input (e.g. an invalid kiosk.toml): restarting cannot help, the supervisor stops.
EXIT_BAD_INPUT: Final = 2


def describe_exit(code: int) -> str:
    """``exit status 1`` or ``signal SIGSEGV`` (subprocess reports a signal as -number)."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def run_child(command: Sequence[str]) -> int:
    """Run the kiosk app in the foreground and wait; it gets the default signal handlers back.

    When the supervisor is stopped (SIGTERM, Ctrl+C), the app is stopped too.
    """

    def defaults() -> None:  # runs in the child, between fork and exec
        for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
            signal.signal(number, signal.SIG_DFL)

    process = subprocess.Popen(list(command), preexec_fn=defaults)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def supervise(
    command: Sequence[str],
    *,
    run: Callable[[Sequence[str]], int] = run_child,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    log: TextIO | None = None,
    backoff: float = 1.0,
    max_restarts_per_minute: int = 5,
    on_fault: Callable[[], None] | None = None,
) -> int:
    """Run ``command`` again and again until it exits with 0 (quit after the PIN).

    After any other exit it logs one line (time, exit status or signal, restart count: never
    anything the person answered, the app's output is not read) and starts it again after
    ``backoff`` seconds. At most ``max_restarts_per_minute`` restarts happen in any minute;
    beyond that it waits for the minute to pass. Exit status 2 (bad input, e.g. an invalid
    kiosk.toml) stops the supervisor with status 2, as restarting cannot fix it.
    Returns the status to exit with.
    """
    stream = log or sys.stderr
    recent: list[float] = []
    restarts = 0
    while True:
        code = run(command)
        if code == EXIT_AUTHORISED:
            return EXIT_AUTHORISED
        if on_fault is not None:
            on_fault()
        stamp = now().isoformat(timespec="seconds")
        if code == EXIT_BAD_INPUT:
            print(
                f"{stamp} groupfinder kiosk: {describe_exit(code)} (bad input); not restarting",
                file=stream,
                flush=True,
            )
            return EXIT_BAD_INPUT
        restarts += 1
        print(
            f"{stamp} groupfinder kiosk: {describe_exit(code)}; restart {restarts}",
            file=stream,
            flush=True,
        )
        wait = backoff
        started = clock()
        recent = [t for t in recent if started - t < 60.0]
        if len(recent) >= max_restarts_per_minute:
            wait = max(wait, 60.0 - (started - recent[0]))
        sleep(wait)
        recent.append(clock())
