"""Where to look further: real directories and organisations per region and topic.

``data/directories.toml`` lists public directories (a social map, a search site for mental
health care) and organisations that run or list groups (peer associations, family
associations), so that a person whose search found no fitting group still leaves with a
place to look. Every entry names the public page its facts were read from and the date
they were checked; :func:`stale_entries` says which are older than a year.

The file is validated once, here: every problem of the whole file is collected and raised
together as a :class:`~groupfinder.domain.errors.CatalogError` naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from groupfinder.catalog.loader import data_file, describe_error, read_toml
from groupfinder.domain.directory import GENERAL, Directory, Region, as_date
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.text import has_control

DIRECTORIES_FILE = "directories.toml"
_TABLE = "directories"

# --------------------------------------------------------------------------- loading


def directories_path(data_dir: Path | None = None) -> Path:
    """directories.toml from the operator's folder when it has one, else the shipped file."""
    return data_file(DIRECTORIES_FILE, data_dir)


def load_directories(
    path: Path,
    topic_ids: Iterable[str],
    format_ids: Iterable[str],
    *,
    today: dt.date | None = None,
) -> tuple[Directory, ...]:
    """Read directories.toml; every problem of the whole file is raised together.

    ``topic_ids`` and ``format_ids`` are the known ids (the ``[topics]`` and ``[formats]`` of
    formats.toml); ``today`` is the date a ``checked`` date may not be after.
    """
    data, text = read_toml(path)
    file = str(path)
    topics, formats = frozenset(topic_ids), frozenset(format_ids)
    today = today or dt.date.today()
    lines = text.splitlines()
    problems: list[Problem] = []

    for key in data:
        if key != _TABLE:
            problems.append(
                Problem(file, N_("unknown key"), line=_key_line(lines, 0, (key,)), field=key)
            )
    tables = data.get(_TABLE)
    if tables is None:
        problems.append(Problem(file, N_("missing; this field is required"), field=_TABLE))
        raise CatalogError(problems)
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(
            Problem(
                file,
                N_("expected a list [ ... ], got {value!r}"),
                line=_key_line(lines, 0, (_TABLE,)),
                field=_TABLE,
                values={"value": tables},
            )
        )
        raise CatalogError(problems)

    entries: list[Directory] = []
    first_line: dict[str, int | None] = {}
    # The header line of each [[directories]] table, found once (1-based).
    headers = [n for n, line in enumerate(lines, start=1) if line.strip() == f"[[{_TABLE}]]"]
    for index, table in enumerate(tables):
        start = headers[index] if index < len(headers) else None

        def fail(
            loc: tuple[str | int, ...],
            message: str,
            values: Mapping[str, Any],
            start: int | None = start,
            index: int = index,
        ) -> None:
            problems.append(
                Problem(
                    file,
                    message,
                    line=_key_line(lines, start, loc) or start,
                    field=".".join(str(p) for p in (_TABLE, index, *loc)),
                    values=dict(values),
                )
            )

        own = _check_raw(table, topics, formats, today, fail)
        raw_id = table.get("id")
        if isinstance(raw_id, str):
            if raw_id in first_line:
                own = True
                fail(
                    ("id",),
                    N_("duplicate id {value!r}; first used on line {first}"),
                    {"value": raw_id, "first": first_line[raw_id]},
                )
            else:
                first_line[raw_id] = start
        try:
            entry = Directory.model_validate(table)
        except ValidationError as exc:
            for item in _own_errors(exc):
                message, values = describe_error(item)
                fail(tuple(item["loc"]), message, values)
            continue
        if not own:
            entries.append(entry)
    if problems:
        raise CatalogError(problems)
    return tuple(entries)


def _own_errors(exc: ValidationError) -> list[Any]:
    """Pydantic's errors, without "too short" for a list whose items were refused."""
    items = exc.errors(include_url=False)
    refused = {tuple(i["loc"][:-1]) for i in items if isinstance(i["loc"][-1], int)}
    return [i for i in items if not (i["type"] == "too_short" and tuple(i["loc"]) in refused)]


def _check_raw(
    table: Mapping[str, Any],
    topics: frozenset[str],
    formats: frozenset[str],
    today: dt.date,
    fail: Any,
) -> bool:
    """The checks pydantic cannot make alone; whether any failed.

    Each looks only at values of the right type, so that a value pydantic already refuses
    is not reported twice.
    """
    failed = False

    def report(loc: tuple[str | int, ...], message: str, **values: Any) -> None:
        nonlocal failed
        failed = True
        fail(loc, message, values)

    for loc, value in _strings(table):
        if has_control(value):
            report(loc, N_("must be one line of text, without control characters"))
    for key, known in (("topics", topics), ("formats", formats)):
        values = table.get(key)
        if not isinstance(values, list):
            continue
        for position, value in enumerate(values):
            if isinstance(value, str) and value not in known:
                report(
                    (key, position),
                    N_("unknown value {value!r}; expected one of: {expected}"),
                    value=value,
                    expected=", ".join(sorted(known)),
                )
    checked = as_date(table.get("checked"))
    if checked is not None and checked > today:
        report(
            ("checked",),
            N_("date {value} is in the future; give the day the source was read"),
            value=checked.isoformat(),
        )
    return failed


def _strings(
    value: Any, loc: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every string in a TOML value, with where it is."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _strings(item, (*loc, position))


def _key_line(lines: Sequence[str], start: int | None, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line of ``loc`` (e.g. ``("about", "fr")``) in the table starting at ``start``.

    ``start`` is the 1-based line of the ``[[directories]]`` header (0 for the top of the
    file). A key is found as ``key = ...``, as a ``[directories.key]`` sub-table header, or
    inside an inline table on its parent's line, before the next ``[[...]]`` table; list
    positions are not lines of their own.
    """
    if start is None:
        return None
    end = next(
        (n for n in range(start, len(lines)) if lines[n].lstrip().startswith("[[")), len(lines)
    )
    found: int | None = None
    for part in loc:
        if not isinstance(part, str):
            break
        key = re.escape(part)
        own = re.compile(rf"^\s*(?:{key}\s*=|\[\s*{_TABLE}\s*\.\s*{key}\s*\])")
        inline = re.compile(rf"[{{,]\s*{key}\s*=")
        if found is not None and inline.search(lines[found - 1]):
            continue
        begin = start if found is None else found
        line = next((n + 1 for n in range(begin, end) if own.search(lines[n])), None)
        if line is None:
            return found
        found = line
    return found


# --------------------------------------------------------------------------- using


def stale_entries(directories: Iterable[Directory], today: dt.date) -> tuple[Directory, ...]:
    """The entries checked more than a year before ``today``, oldest first."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return tuple(
        sorted((d for d in directories if d.checked < year_ago), key=lambda d: (d.checked, d.id))
    )


#: Belgian postcodes of Brussels and Wallonia (bpost); every other Belgian postcode is Flemish.
_BELGIAN_REGIONS: tuple[tuple[int, int, Region], ...] = (
    (1000, 1299, "BE-BRU"),
    (1300, 1499, "BE-WAL"),
    (4000, 7999, "BE-WAL"),
)


def region_of(country: str | None, postcode: str | None) -> Region | None:
    """The region of a place: BE postcodes by range, NL as one region; None when unknown."""
    country = (country or "").strip().upper()
    if country == "NL":
        return "NL"
    if country != "BE":
        return None
    code = (postcode or "").strip()
    if not (len(code) == 4 and code.isascii() and code.isdigit()) or code.startswith("0"):
        return None
    number = int(code)
    return next((r for low, high, r in _BELGIAN_REGIONS if low <= number <= high), "BE-VLG")


def look_further(
    directories: Iterable[Directory],
    topics: Iterable[str],
    region: Region | None,
    limit: int = 5,
) -> tuple[Directory, ...]:
    """Where this person can look further, best first, at most ``limit`` entries.

    Entries of the person's region (every region when ``region`` is None) on one of the
    person's topics come first, then the general ones; within each, by id.
    """
    if limit < 0:
        raise ValueError("limit must be 0 or more")
    wanted = frozenset(topics) - {GENERAL}
    here = [d for d in directories if region is None or region in d.regions]
    specific = sorted((d for d in here if wanted.intersection(d.topics)), key=lambda d: d.id)
    chosen = {d.id for d in specific}
    general = sorted((d for d in here if d.general and d.id not in chosen), key=lambda d: d.id)
    return tuple([*specific, *general][:limit])
