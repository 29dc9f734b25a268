"""Load and validate the catalog: formats.toml, groups.csv, helplines.toml, directories.toml.

Everything is validated once, here, into typed objects; the rest of the code never
re-parses a string. Every problem names the file, the line and the field and says what was
expected, and all problems of a file are collected before :class:`CatalogError` is raised.
The catalog files are only ever read, never written.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from groupfinder.catalog.csvfile import open_csv
from groupfinder.catalog.places import BOUNDS, PlaceIndex
from groupfinder.domain.errors import CatalogError, FieldError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import (
    FORMAT_IDS,
    LANGUAGES,
    MAX_COST_EUR,
    Advice,
    Catalog,
    Contact,
    Country,
    Format,
    Group,
    GroupFor,
    Helpline,
    Leadership,
    Need,
    NeedInfo,
    Setting,
    Text,
    Topic,
    Wheelchair,
)
from groupfinder.domain.text import check_text, check_tree, unguard_cell

if TYPE_CHECKING:
    # directories.py reads its file with the helpers of this module; it is imported where
    # the catalog is loaded, so that the two modules do not import each other at start-up.
    from groupfinder.catalog.rows import GroupRows
    from groupfinder.domain.directory import Directory
from groupfinder.domain.schedule import COLUMNS as SCHEDULE_COLUMNS
from groupfinder.domain.schedule import Schedule, ScheduleFieldError, parse_schedule

FORMATS_FILE = "formats.toml"
GROUPS_FILE = "groups.csv"
HELPLINES_FILE = "helplines.toml"
PLACES_FILE = "places.csv"

#: The place list, or a function that loads it when a row first needs it.
Places = PlaceIndex | Callable[[], PlaceIndex] | None

REQUIRED_COLUMNS = ("id", "name", "format", "topics", "leadership", "setting", "languages")
COLUMNS = (
    "id",
    "name",
    "format",
    "topics",
    "leadership",
    "size_min",
    "size_max",
    "setting",
    "drop_in",
    "address",
    "postcode",
    "city",
    "country",
    "latitude",
    "longitude",
    "languages",
    "schedule",
    "cost_eur",
    "contact_phone",
    "contact_email",
    "website",
    "wheelchair",
    "audience",
    "description",
    "last_verified",
    # version 2
    "for_whom",
    "age_min",
    "age_max",
    "restricted_to",
    # version 2, optional: carried from an HSDS import to an export
    "organization",
    "hsds_service_id",
    "hsds_organization_id",
    *SCHEDULE_COLUMNS,
)


def shipped_data_dir() -> Path:
    """The catalog that ships with groupfinder: inside the wheel, or ``data/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data"
    return installed if installed.is_dir() else package.parents[1] / "data"


def data_file(name: str, data_dir: Path | None = None) -> Path:
    """``name`` from the operator's folder ``data_dir`` when it has one, else the shipped
    file. (The command line resolves ``--data`` and ``$GROUPFINDER_DATA`` into ``data_dir``.)
    """
    if data_dir is not None:
        candidate = data_dir / name
        if candidate.exists():
            return candidate
    return shipped_data_dir() / name


# --------------------------------------------------------------------------- reading files

#: The largest data file read (formats.toml, groups.csv, helplines.toml, places.csv,
#: kiosk.toml): far above any real catalog, and a stream such as /dev/zero ends here.
MAX_DATA_BYTES = 32 * 1024 * 1024
#: The largest groups.csv read: about a million groups. It is read as a stream, never whole.
MAX_GROUPS_BYTES = 512 * 1024 * 1024
#: How deep tables and lists may nest in a TOML or JSON file.
MAX_DEPTH = 32
#: At most this many problems are listed per file; the rest are counted.
MAX_PROBLEMS = 100


def read_bytes(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; :class:`OSError` as ``open`` raises it, and
    :class:`ValueError` when the file holds more."""
    with path.open("rb") as stream:
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(limit)
    return raw


def too_large(file: str, limit: int) -> Problem:
    return Problem(
        file,
        N_("is larger than {n} MiB; this is not a file groupfinder reads"),
        values={"n": max(1, limit // (1024 * 1024))},
    )


def read_text(path: Path, limit: int = MAX_DATA_BYTES) -> str:
    """The UTF-8 text of ``path`` (a BOM is allowed); a clear problem otherwise."""
    try:
        raw = read_bytes(path, limit)
    except ValueError:
        raise CatalogError([too_large(str(path), limit)]) from None
    except FileNotFoundError:
        raise CatalogError([Problem(str(path), N_("file not found"))]) from None
    except IsADirectoryError:
        raise CatalogError([Problem(str(path), N_("is a folder, expected a file"))]) from None
    except OSError as exc:
        raise CatalogError(
            [Problem(str(path), N_("cannot read: {reason}"), values={"reason": exc.strerror})]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError(
            [Problem(str(path), N_("is not UTF-8 text; save it as UTF-8 (CSV UTF-8)"), line=line)]
        ) from None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The table of a TOML file and its text; every string in it passed the text gate."""
    text = read_text(path)
    file = str(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise CatalogError([too_deep(file)]) from None
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _toml_error(file, exc) from None
        # An integer of more than 4,300 digits.
        raise CatalogError(
            [Problem(file, N_("holds a number too large to be meant; check it"))]
        ) from None
    if depth(data) > MAX_DEPTH:
        raise CatalogError([too_deep(file)])
    problems = check_tree(data, file=file, locate=lambda where: tree_line(text, where))
    if problems:
        raise CatalogError(capped(problems))
    return data, text


def too_deep(file: str, line: int | None = None) -> Problem:
    return Problem(
        file, N_("nests lists or tables more than {n} deep"), line=line, values={"n": MAX_DEPTH}
    )


def not_json(file: str, exc: json.JSONDecodeError) -> Problem:
    """A file that is not JSON: where the parser stopped, and why."""
    return Problem(
        file,
        N_("is not valid JSON: {reason} (column {column})"),
        line=exc.lineno,
        values={"reason": exc.msg, "column": exc.colno},
    )


def depth(data: object) -> int:
    """How deep lists and tables nest in decoded TOML or JSON ``data`` (without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, level) for item in items)
    return deepest


def capped(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, and one line counting the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(
            problems[0].file,
            N_("and one more problem") if rest == 1 else N_("and {n} more problems"),
            values={"n": rest},
        ),
    ]


def tree_line(text: str, where: tuple[str | int, ...]) -> int | None:
    """The line of a key in a TOML document, also inside an array of tables (``[[x]]``),
    its sub-tables (``[x.about]``) included."""
    if not (len(where) >= 2 and isinstance(where[0], str) and isinstance(where[1], int)):
        return toml_line(text, where)
    start = _array_table_line(text, where[0], where[1])
    if start is None or len(where) < 3:
        return start
    lines = text.splitlines()
    rest = [str(part) for part in where[2:]]
    for depth in range(len(rest) - 1, 0, -1):
        header = "[" + ".".join([where[0], *rest[:depth]]) + "]"
        for number in range(start, len(lines)):
            stripped = lines[number].strip()
            if stripped == f"[[{where[0]}]]":
                break
            if stripped == header:
                return _key_after(lines, number + 1, rest[depth]) or number + 1
    return _key_after(lines, start, rest[0]) or start


def _key_after(lines: list[str], begin: int, key: str) -> int | None:
    """The line of ``key = `` from line ``begin`` (0-based) to the next table header."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(begin, len(lines)):
        if lines[number].lstrip().startswith("["):
            return None
        if pattern.match(lines[number]):
            return number + 1
    return None


def _toml_error(file: str, exc: tomllib.TOMLDecodeError) -> CatalogError:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line = int(match.group(1)) if match else None
    message = _TOML_POSITION.sub("", message).strip()
    return CatalogError(
        [Problem(file, N_("is not valid TOML: {reason}"), line=line, values={"reason": message})]
    )


def toml_line(text: str, path: Iterable[str | int]) -> int | None:
    """Best-effort line of a key in a TOML document, for messages.

    ``path`` is the location pydantic reports, e.g. ``("formats", "workshop", "needs")``.
    We look for the deepest table header that matches a prefix, then for the key below it.
    """
    parts = [str(p) for p in path]
    lines = text.splitlines()
    best: int | None = None
    start = 0
    for depth in range(len(parts), 0, -1):
        header = "[" + ".".join(parts[:depth]) + "]"
        for number, line in enumerate(lines, start=1):
            if line.strip() in (header, "[" + header + "]"):
                best, start = number, number
                break
        if best is not None:
            remaining = parts[depth:]
            break
    else:
        remaining = parts
    for key in remaining:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=|\b{re.escape(key)}\s*=")
        for number in range(start, len(lines)):
            if pattern.search(lines[number]):
                best, start = number + 1, number + 1
                break
            if number > start and lines[number].lstrip().startswith("[") and best is not None:
                break
    return best


def problems_from_validation(
    error: ValidationError, file: str, text: str | None = None, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Turn pydantic's errors into our problems, one per field."""
    problems = []
    for n, item in enumerate(error.errors(include_url=False)):
        loc = prefix + tuple(item["loc"])
        dotted = ".".join(str(p) for p in loc if p != "__root__") or None
        # Only the problems listed get a line: looking up 100,000 keys is not worth it.
        line = toml_line(text, loc) if text is not None and n < MAX_PROBLEMS else None
        message, values = describe_error(item)
        problems.append(Problem(file, message, line=line, field=dotted, values=values))
    return capped(problems)


def describe_error(item: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A translatable message and its values for one pydantic error."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    if kind == "missing":
        return N_("missing; this field is required"), {}
    if kind == "extra_forbidden":
        return N_("unknown key"), {}
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return N_("unknown value {value!r}; expected one of: {expected}"), {
            "value": value,
            "expected": expected,
        }
    if kind == "value_error":
        error = ctx.get("error")
        if isinstance(error, FieldError):
            return error.message, error.values
        return N_("invalid value {value!r}: {reason}"), {"value": value, "reason": str(error)}
    if kind in ("too_short", "too_long") and isinstance(value, (list, tuple)):
        least = ctx.get("min_length", 1)
        if least == 1:
            return N_("expected at least one item"), {}
        return N_("expected at least {n} items"), {"n": least}
    if kind in ("greater_than_equal", "greater_than"):
        return N_("expected a number of at least {limit}, got {value!r}"), {
            "limit": ctx.get("ge", ctx.get("gt")),
            "value": value,
        }
    if kind in ("less_than_equal", "less_than"):
        return N_("expected a number of at most {limit}, got {value!r}"), {
            "limit": ctx.get("le", ctx.get("lt")),
            "value": value,
        }
    message = _EXPECTED.get(kind.removesuffix("_type").removesuffix("_parsing"))
    return message or N_("invalid value {value!r}"), {"value": value}


_EXPECTED = {
    "bool": N_("expected true or false, got {value!r}"),
    "int": N_("expected a whole number, got {value!r}"),
    "float": N_("expected a number, got {value!r}"),
    "string": N_("expected text, got {value!r}"),
    "list": N_("expected a list [ ... ], got {value!r}"),
    "tuple": N_("expected a list [ ... ], got {value!r}"),
    "dict": N_("expected a table {{ ... }}, got {value!r}"),
    "model": N_("expected a table {{ ... }}, got {value!r}"),
    "date": N_("expected a date as YYYY-MM-DD, got {value!r}"),
}


# --------------------------------------------------------------------------- formats.toml


class _TopicEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Text


class FormatsFile(BaseModel):
    """The shape of formats.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    formats: dict[str, dict[str, Any]]
    needs: dict[Need, NeedInfo]
    topics: dict[str, _TopicEntry]
    audiences: dict[str, _TopicEntry] = {}
    advice: list[Advice] = []


@dataclass(frozen=True)
class FormatsData:
    """What formats.toml declares."""

    formats: dict[str, Format]
    needs: dict[Need, NeedInfo]
    topics: dict[str, Topic]
    audiences: dict[str, Topic]
    advice: list[Advice]


def load_formats(path: Path) -> FormatsData:
    data, text = read_toml(path)
    file = str(path)
    try:
        parsed = FormatsFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(problems_from_validation(exc, file, text)) from None

    problems: list[Problem] = []
    formats: dict[str, Format] = {}
    for format_id, table in parsed.formats.items():
        loc = ("formats", format_id)
        if format_id not in FORMAT_IDS:
            problems.append(
                Problem(
                    file,
                    N_("unknown format id; expected one of: {expected}"),
                    line=toml_line(text, loc),
                    field=f"formats.{format_id}",
                    values={"expected": ", ".join(FORMAT_IDS)},
                )
            )
            continue
        try:
            fmt = Format.model_validate({"id": format_id, **table})
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, file, text, loc))
            continue
        for topic in fmt.topics:
            if topic not in parsed.topics:
                problems.append(
                    Problem(
                        file,
                        N_("unknown topic {value!r}; expected one of: {expected}"),
                        line=toml_line(text, (*loc, "topics")),
                        field=f"formats.{format_id}.topics",
                        values={"value": topic, "expected": ", ".join(sorted(parsed.topics))},
                    )
                )
        formats[format_id] = fmt
    for format_id in FORMAT_IDS:
        if format_id not in parsed.formats:
            problems.append(
                Problem(
                    file,
                    N_("missing; all seven formats are required"),
                    field=f"formats.{format_id}",
                )
            )
    for need in get_args(Need):
        if need not in parsed.needs:
            problems.append(
                Problem(file, N_("missing; this field is required"), field=f"needs.{need}")
            )
    if problems:
        raise CatalogError(problems)
    topics = {tid: Topic(id=tid, name=entry.name) for tid, entry in parsed.topics.items()}
    audiences = {aid: Topic(id=aid, name=entry.name) for aid, entry in parsed.audiences.items()}
    return FormatsData(formats, dict(parsed.needs), topics, audiences, list(parsed.advice))


# --------------------------------------------------------------------------- helplines.toml


class HelplinesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    helplines: list[Helpline]


#: The countries whose people the app serves: each needs a crisis line of its own.
HELPLINE_COUNTRIES = ("BE", "NL")
EMERGENCY_NUMBER = "112"


def load_helplines(path: Path) -> list[Helpline]:
    """The helplines, each with its languages, and hours, about texts and name in nl/fr/en;
    at least one crisis line for BE and for NL, and 112 (else a person in crisis could get
    no number at all)."""
    data, text = read_toml(path)
    try:
        helplines = list(HelplinesFile.model_validate(data).helplines)
    except ValidationError as exc:
        problems = []
        for n, item in enumerate(exc.errors(include_url=False)):
            loc = tuple(item["loc"])
            # "helplines.2.phone" -> the line of the third [[helplines]] table.
            listed = len(loc) > 1 and n < MAX_PROBLEMS
            line = _array_table_line(text, "helplines", loc[1]) if listed else None
            dotted = ".".join(str(p) for p in loc)
            message, values = describe_error(item)
            problems.append(Problem(str(path), message, line=line, field=dotted, values=values))
        raise CatalogError(capped(problems)) from None
    problems = _helpline_gaps(helplines, str(path), text)
    if problems:
        raise CatalogError(problems)
    return helplines


def _helpline_gaps(helplines: list[Helpline], file: str, text: str) -> list[Problem]:
    """What a person in crisis would miss: blank texts, a country without a crisis line, 112."""
    problems = []
    for n, line in enumerate(helplines):
        for name in ("name", "hours", "about"):
            texts: Text = getattr(line, name)
            for language in LANGUAGES:
                if not texts.get(language).strip():
                    problems.append(
                        Problem(
                            file,
                            N_("is blank; every helpline needs it in nl, fr and en"),
                            line=_array_table_line(text, "helplines", n),
                            field=f"helplines.{n}.{name}.{language}",
                        )
                    )
    for country in HELPLINE_COUNTRIES:
        if not any(h.crisis and h.country == country for h in helplines):
            problems.append(
                Problem(
                    file,
                    N_(
                        "no crisis line for {country}: a person there in crisis would get no "
                        'number to call; add one with country = "{country}" and crisis = true'
                    ),
                    field="helplines",
                    values={"country": country},
                )
            )
    if not any(h.crisis and h.phone.strip() == EMERGENCY_NUMBER for h in helplines):
        problems.append(
            Problem(
                file,
                N_(
                    'no line for the emergency number 112; add it with country = "EU", '
                    'phone = "112" and crisis = true'
                ),
                field="helplines",
            )
        )
    return problems


def _array_table_line(text: str, name: str, index: object) -> int | None:
    if not isinstance(index, int):
        return None
    seen = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == f"[[{name}]]":
            seen += 1
            if seen == index:
                return number
    return None


# --------------------------------------------------------------------------- groups.csv


def _text(value: str) -> str | None:
    value = value.strip()
    return value or None


def _whole(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 12:  # no count or age is that long, and int() refuses 4,300 digits
        raise FieldError(N_("expected a whole number, got {value!r}"), value=value)
    try:
        return int(value)
    except ValueError:
        raise FieldError(N_("expected a whole number, got {value!r}"), value=value) from None


def _int(value: str) -> int | None:
    number = _whole(value)
    if number is not None and number < 1:
        raise FieldError(N_("expected a number of at least 1, got {value}"), value=number)
    if number is not None and number > MAX_GROUP_SIZE:
        raise FieldError(
            N_("expected a number of at most {limit}, got {value!r}"),
            value=number,
            limit=MAX_GROUP_SIZE,
        )
    return number


def _float(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise FieldError(N_("expected a number, got {value!r}"), value=value) from None
    if not math.isfinite(number):
        raise FieldError(N_("expected a number, got {value!r}"), value=value)
    return number


def _choice(choices: tuple[str, ...]) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        if value not in choices:
            raise FieldError(
                N_("unknown value {value!r}; expected one of: {expected}"),
                value=value,
                expected=", ".join(choices),
            )
        return value

    return parse


def _yes_no(value: str) -> bool | None:
    value = value.strip().lower()
    if not value:
        return None
    if value not in ("yes", "no"):
        raise FieldError(N_("unknown value {value!r}; expected yes or no"), value=value)
    return value == "yes"


def _list(choices: tuple[str, ...] | None = None) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(p.strip() for p in value.split(";") if p.strip()))
        if choices is not None:
            for item in items:
                if item not in choices:
                    raise FieldError(
                        N_("unknown value {value!r}; expected ;-separated values of: {expected}"),
                        value=item,
                        expected=", ".join(choices),
                    )
        return items

    return parse


def _age(value: str) -> int | None:
    number = _whole(value)
    if number is None:
        return None
    if not 0 <= number <= MAX_AGE:
        raise FieldError(
            N_("expected an age from 0 to {limit}, got {value}"), value=number, limit=MAX_AGE
        )
    return number


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(N_("expected a date as YYYY-MM-DD, got {value!r}"), value=value) from None


_PARSERS: dict[str, Callable[[str], Any]] = {
    "id": _text,
    "name": _text,
    "format": _text,
    "topics": _list(),
    "leadership": _choice(get_args(Leadership)),
    "size_min": _int,
    "size_max": _int,
    "setting": _choice(get_args(Setting)),
    "drop_in": _yes_no,
    "address": _text,
    "postcode": _text,
    "city": _text,
    "country": _choice(get_args(Country)),
    "latitude": _float,
    "longitude": _float,
    "languages": _list(LANGUAGES),
    "schedule": _text,
    "cost_eur": _float,
    "contact_phone": _text,
    "contact_email": _text,
    "website": _text,
    "wheelchair": _choice(get_args(Wheelchair)),
    "audience": _text,
    "description": _text,
    "last_verified": _date,
    "for_whom": _choice(get_args(GroupFor)),
    "age_min": _age,
    "age_max": _age,
    "restricted_to": _list(),
    # The schedule columns are read together, by parse_schedule, in _parse_row.
    **dict.fromkeys(SCHEDULE_COLUMNS, _text),
    "organization": _text,
    "hsds_service_id": _text,
    "hsds_organization_id": _text,
}


MAX_AGE = 120
#: The largest group size a row may give; beyond it a value is a typo.
MAX_GROUP_SIZE = 1000
#: Which cells may hold several lines.
MULTILINE_COLUMNS = frozenset({"description"})


def load_groups(
    path: Path,
    format_ids: Iterable[str],
    topic_ids: Iterable[str],
    places: Places = None,
    audience_ids: Iterable[str] = (),
) -> GroupRows:
    """Read groups.csv into groups; every problem of the whole file is raised together.

    Version 1 files (without the version 2 columns) load as groups open to all. The rows are
    checked a column at a time (:func:`groupfinder.catalog.rows.check_chunks`); a group is
    built when it is first asked for.
    """
    from groupfinder.catalog import rows  # it builds on this module's parsers

    file = str(path)
    problems: list[Problem] = []
    try:
        with path.open("rb") as raw, _text_stream(raw, MAX_GROUPS_BYTES) as stream:
            try:
                table = open_csv(
                    file,
                    stream,
                    required=REQUIRED_COLUMNS,
                    known=_PARSERS,
                    expected=", ".join(COLUMNS),
                )
                groups, row_problems = rows.check_chunks(
                    file,
                    table.header,
                    table.chunks(problems, rows.CHUNK_ROWS),
                    format_ids,
                    topic_ids,
                    places,
                    audience_ids,
                )
            finally:
                # What cannot be decoded anywhere in the file is said first, as for any file.
                while stream.read(1 << 20):
                    pass
    except _TooLarge:
        raise CatalogError([too_large(file, MAX_GROUPS_BYTES)]) from None
    except (OSError, UnicodeDecodeError):
        read_text(path, MAX_GROUPS_BYTES)  # raises the problem with the file, naming its line
        raise
    problems = sorted(problems + row_problems, key=lambda problem: problem.line or 0)
    if problems:
        raise CatalogError(problems)
    return groups


class _TooLarge(Exception):
    pass


class _Bounded(io.RawIOBase):
    """A binary stream that raises :class:`_TooLarge` past ``limit`` bytes (/dev/zero ends)."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self._raw, self._left = raw, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._left -= count or 0
        if self._left < 0:
            raise _TooLarge
        return int(count or 0)


def _text_stream(raw: BinaryIO, limit: int) -> io.TextIOWrapper:
    """The UTF-8 text of ``raw`` (a BOM is allowed), read as it is needed."""
    return io.TextIOWrapper(
        io.BufferedReader(_Bounded(raw, limit)), encoding="utf-8-sig", newline=""
    )


def _parse_row(
    file: str,
    line: int,
    row: dict[str, str],
    formats: frozenset[str],
    topics: frozenset[str],
    places: Places,
    audiences: frozenset[str] = frozenset(),
) -> tuple[Group | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def fail(column: str, message: str, **args: Any) -> None:
        problems.append(Problem(file, message, line=line, field=column, values=args))

    for column, raw in row.items():
        problem = check_text(
            raw, file=file, line=line, field=column, multiline=column in MULTILINE_COLUMNS
        )
        if problem is not None:
            problems.append(problem)
            continue
        try:
            value = _PARSERS[column](unguard_cell(raw))
        except FieldError as exc:
            fail(column, exc.message, **exc.values)
            continue
        values[column] = value

    for column in REQUIRED_COLUMNS:
        if column in values and values[column] in (None, ()):
            fail(column, N_("required; this cell is empty"))
    if values.get("format") and values["format"] not in formats:
        fail(
            "format",
            N_("unknown format {value!r}; expected one of: {expected}"),
            value=values["format"],
            expected=", ".join(sorted(formats)),
        )
    vocabularies = (
        ("topics", topics, N_("unknown topic {value!r}; expected ;-separated ids of: {expected}")),
        (
            "restricted_to",
            audiences,
            N_("unknown audience {value!r}; expected ;-separated ids of: {expected}"),
        ),
    )
    for column, known, message in vocabularies:
        for item in values.get(column) or ():
            if item not in known:
                fail(column, message, value=item, expected=", ".join(sorted(known)))
    young, old = values.get("age_min"), values.get("age_max")
    if young is not None and old is not None and young > old:
        fail("age_min", N_("age_min ({low}) is larger than age_max ({high})"), low=young, high=old)
    low, high = values.get("size_min"), values.get("size_max")
    if low is not None and high is not None and low > high:
        fail(
            "size_min", N_("size_min ({low}) is larger than size_max ({high})"), low=low, high=high
        )
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is not None and not -90 <= lat <= 90:
        fail("latitude", N_("latitude must be between -90 and 90, got {value}"), value=lat)
    if lon is not None and not -180 <= lon <= 180:
        fail("longitude", N_("longitude must be between -180 and 180, got {value}"), value=lon)
    both_parsed = "latitude" in values and "longitude" in values
    if both_parsed and (lat is None) != (lon is None):
        fail(
            "latitude" if lat is None else "longitude",
            N_("give both latitude and longitude, or leave both empty"),
        )
    country = values.get("country")
    on_earth = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
    if on_earth and lat is not None and lon is not None and country in BOUNDS:
        lat_min, lat_max, lon_min, lon_max = BOUNDS[country]
        for column, number, low, high in (
            ("latitude", lat, lat_min, lat_max),
            ("longitude", lon, lon_min, lon_max),
        ):
            if not low <= number <= high:
                fail(
                    column,
                    N_("{value} is outside {country} ({low} to {high})"),
                    value=number,
                    country=country,
                    low=low,
                    high=high,
                )
    cost = values.get("cost_eur")
    if cost is not None and cost < 0:
        fail("cost_eur", N_("cost cannot be negative, got {value}"), value=cost)
    if cost is not None and cost > MAX_COST_EUR:
        fail(
            "cost_eur",
            N_("expected a cost per session of at most {limit}, got {value}"),
            value=cost,
            limit=MAX_COST_EUR,
        )
    timetable = _timetable(values, fail)
    if problems:
        return None, problems

    postcode = values.get("postcode")
    if lat is None and postcode and values.get("setting") != "online":
        index = places() if callable(places) else places
        place = index.by_postcode(values.get("country"), postcode) if index else None
        if place is None and index and len(index.postcode_places(None, postcode)) > 1:
            fail(
                "postcode",
                N_(
                    "postcode {value!r} exists in Belgium and in the Netherlands; "
                    "fill in the country column (BE or NL)"
                ),
                value=postcode,
            )
            return None, problems
        if place is None:
            fail(
                "postcode",
                N_(
                    "unknown postcode {value!r}; give latitude and longitude or a "
                    "postcode of Belgium or the Netherlands"
                ),
                value=postcode,
            )
            return None, problems
        values["latitude"], values["longitude"] = place.latitude, place.longitude
        values["country"] = values.get("country") or place.country
        values["city"] = values.get("city") or place.name

    written = tuple((row.get(column) or "").strip() for column in ("latitude", "longitude"))
    if all(written) and values.get("latitude") is not None:
        values["coordinates_text"] = written
    contact = Contact(
        phone=values.pop("contact_phone", None),
        email=values.pop("contact_email", None),
        website=values.pop("website", None),
    )
    values = {k: v for k, v in values.items() if v is not None}
    values.setdefault("wheelchair", "unknown")
    values.setdefault("for_whom", "both")
    if timetable is not None:
        values["timetable"] = timetable
    # Every field was parsed to its declared type above: no need to validate twice.
    return Group.model_construct(contact=contact, line=line, **values), problems


def _timetable(values: dict[str, Any], fail: Callable[..., None]) -> Schedule | None:
    """The schedule columns of a row (taken out of ``values``) as a Schedule, or None.

    Each bad column is its own problem, named by its field.
    """
    cells = {column: values.pop(column, None) or "" for column in SCHEDULE_COLUMNS}
    try:
        return parse_schedule(cells)
    except ScheduleFieldError as exc:
        for error in exc.errors:
            fail(error.field, error.message, **error.values)
    return None


# --------------------------------------------------------------------------- the catalog


def load_catalog(data_dir: Path | None = None, places: Places = None) -> Catalog:
    """Load and validate the whole catalog, collecting the problems of every file."""
    from groupfinder.catalog.directories import DIRECTORIES_FILE, load_directories
    from groupfinder.domain.directory import GENERAL

    names = (FORMATS_FILE, GROUPS_FILE, HELPLINES_FILE, DIRECTORIES_FILE)
    sources = {name: data_file(name, data_dir) for name in names}
    problems: list[Problem] = []
    declared = FormatsData({}, {}, {}, {}, [])
    groups: Sequence[Group] = []
    helplines: list[Helpline] = []
    try:
        declared = load_formats(sources[FORMATS_FILE])
    except CatalogError as exc:
        problems.extend(exc.problems)
    if places is None:
        # Only rows without coordinates need the place list: load it on first use.
        places = functools.cache(lambda: load_places(data_dir))
    if declared.formats:
        try:
            groups = load_groups(
                sources[GROUPS_FILE],
                declared.formats,
                declared.topics,
                places,
                declared.audiences,
            )
        except CatalogError as exc:
            problems.extend(exc.problems)
    try:
        helplines = load_helplines(sources[HELPLINES_FILE])
    except CatalogError as exc:
        problems.extend(exc.problems)
    directories: tuple[Directory, ...] = ()
    if declared.formats:
        try:
            # "general" (for every topic) is known even to an operator's own formats.toml.
            directories = load_directories(
                sources[DIRECTORIES_FILE], (*declared.topics, GENERAL), declared.formats
            )
        except CatalogError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogError(problems)
    return Catalog(
        declared.formats,
        declared.needs,
        declared.topics,
        declared.advice,
        groups,
        helplines,
        sources,
        declared.audiences,
        directories,
        is_sample=sources[GROUPS_FILE] == shipped_data_dir() / GROUPS_FILE,
    )


def load_places(data_dir: Path | None = None) -> PlaceIndex:
    path = data_file(PLACES_FILE, data_dir)
    if path == shipped_data_dir() / PLACES_FILE:
        return PlaceIndex.default()
    return PlaceIndex.load(path)
