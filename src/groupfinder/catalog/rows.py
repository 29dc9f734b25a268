"""Group rows checked a column at a time: the one validation path of groups.csv and the
HSDS import.

:func:`check_rows` takes rows (their line numbers and cells, in the order of a header) and
checks each column of a few thousand rows at once: the text gate over a column's cells
joined, each distinct value of a column of few values parsed once (by the same cell parsers
as a single row), numbers with ``float``, the rules between columns (age and size order,
coordinates in range and in their country, the cost) with numpy. A row the column checks
cannot pass goes through :func:`groupfinder.catalog.loader.parse_row`, the per-row path,
which says exactly what is wrong with it; so the problems are those of the per-row path,
only found faster.

What a valid row yields is kept as columns (:class:`GroupColumns`, which the matcher ranks
on) and as its cells; a :class:`~groupfinder.domain.models.Group` is built by the per-row
path only when one is asked for (:class:`GroupRows`, a lazy sequence that caches it).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast, overload

import numpy as np
from numpy.typing import NDArray

from groupfinder.catalog.loader import (
    _PARSERS,
    MULTILINE_COLUMNS,
    REQUIRED_COLUMNS,
    Places,
    _parse_row,
)
from groupfinder.catalog.places import BOUNDS
from groupfinder.domain.errors import FieldError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import MAX_COST_EUR, Group
from groupfinder.domain.schedule import COLUMNS as SCHEDULE_COLUMNS
from groupfinder.domain.schedule import Schedule, ScheduleFieldError, parse_schedule
from groupfinder.domain.text import unguard_cell, unsafe_char

FloatArray = NDArray[np.float64]
Codes = NDArray[np.int32]

#: How many rows are checked together: large enough that each column check is one call,
#: small enough that the cells of a chunk stay a few megabytes.
CHUNK_ROWS = 8192
#: Joins the cells of a valid row (the text gate refuses it in every cell).
_SEP = "\x00"
_NAN = math.nan


@dataclass(frozen=True)
class Factor:
    """A column of few distinct values: each row's code into ``levels``."""

    codes: Codes
    levels: tuple[Any, ...]

    def map(self, function: Callable[[Any], Any], dtype: Any) -> NDArray[Any]:
        """``function`` of every row's value, computed once per distinct value."""
        table = np.array([function(level) for level in self.levels], dtype=dtype)
        result: NDArray[Any] = (
            table[self.codes] if len(table) else np.zeros(len(self.codes), dtype=dtype)
        )
        return result

    @classmethod
    def of(cls, values: Iterable[Hashable]) -> Factor:
        index: dict[Hashable, int] = {}
        codes = [index.setdefault(value, len(index)) for value in values]
        return cls(np.array(codes, np.int32), tuple(index))


#: The columns of :class:`GroupColumns` that are factors, and how a Group gives each.
FACTORS: dict[str, Callable[[Group], Hashable]] = {
    "format": lambda g: g.format,
    "topics": lambda g: g.topics,
    "leadership": lambda g: g.leadership,
    "setting": lambda g: g.setting,
    "drop_in": lambda g: g.drop_in,
    "languages": lambda g: g.languages,
    "last_verified": lambda g: g.last_verified,
    "for_whom": lambda g: g.for_whom,
    "restricted_to": lambda g: g.restricted_to,
    "timetable": lambda g: g.timetable,
}
#: The columns of :class:`GroupColumns` that are numbers (NaN where blank).
NUMBERS = ("size_min", "size_max", "latitude", "longitude", "cost_eur", "age_min", "age_max")


@dataclass(frozen=True)
class GroupColumns:
    """What the matcher reads of every group, one column per field (row i is group i)."""

    ids: list[str]
    format: Factor
    topics: Factor
    leadership: Factor
    setting: Factor
    drop_in: Factor
    languages: Factor
    last_verified: Factor
    for_whom: Factor
    restricted_to: Factor
    timetable: Factor
    size_min: FloatArray
    size_max: FloatArray
    latitude: FloatArray
    longitude: FloatArray
    cost_eur: FloatArray
    age_min: FloatArray
    age_max: FloatArray

    def __len__(self) -> int:
        return len(self.ids)


def columns_of(groups: Sequence[Group]) -> GroupColumns:
    """The columns of groups that are already objects (a catalog made in code, or a test's)."""
    factors = {name: Factor.of(get(g) for g in groups) for name, get in FACTORS.items()}
    numbers = {
        name: np.array(
            [_NAN if (v := getattr(g, name)) is None else v for g in groups], np.float64
        ).reshape(len(groups))
        for name in NUMBERS
    }
    return GroupColumns(ids=[g.id for g in groups], **cast(dict[str, Any], factors | numbers))


class GroupRows(Sequence[Group]):
    """The valid rows of a catalog as groups: each one built from its cells when it is
    first asked for (then kept), so that a catalog of 100,000 rows holds a few objects."""

    def __init__(
        self,
        columns: GroupColumns,
        lines: NDArray[np.int64],
        cells: list[str],
        build: Callable[[int, list[str]], Group],
    ) -> None:
        self.columns = columns
        self.lines = lines
        self._cells = cells
        self._build = build
        self._built: dict[int, Group] = {}

    def __len__(self) -> int:
        return len(self._cells)

    @overload
    def __getitem__(self, index: int) -> Group: ...

    @overload
    def __getitem__(self, index: slice) -> list[Group]: ...

    def __getitem__(self, index: int | slice) -> Group | list[Group]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self._cells):
            raise IndexError(index)
        group = self._built.get(index)
        if group is None:
            group = self._build(int(self.lines[index]), self._cells[index].split(_SEP))
            self._built[index] = group
        return group

    def __iter__(self) -> Iterator[Group]:
        return (self[i] for i in range(len(self)))

    @property
    def ids(self) -> list[str]:
        return self.columns.ids

    def __repr__(self) -> str:
        return f"GroupRows({len(self)} groups, {len(self._built)} built)"


class _Bad:
    """A value the column check refuses: its row goes the per-row path."""


_BAD: Any = _Bad()


class _Checker:
    """The column checks of one file: what each distinct value parses to, kept across chunks."""

    def __init__(
        self,
        file: str,
        header: list[str],
        formats: frozenset[str],
        topics: frozenset[str],
        places: Places,
        audiences: frozenset[str],
    ) -> None:
        self.file = file
        self.header = header
        self.formats, self.topics, self.audiences = formats, topics, audiences
        self.places = places
        self.memo: dict[str, dict[Any, Any]] = {}
        self.postcodes: dict[tuple[Any, Any], tuple[float, float] | None] = {}

    # -- one cell, exactly as the per-row path parses it --------------------------------

    def parse(self, column: str, raw: str) -> Any:
        """The value of one cell, or _BAD when the per-row path would report a problem."""
        if unsafe_char(raw, multiline=column in MULTILINE_COLUMNS) is not None:
            return _BAD
        try:
            value = _PARSERS[column](unguard_cell(raw))
        except FieldError:
            return _BAD
        if column in REQUIRED_COLUMNS and value in (None, ()):
            return _BAD
        if column == "format" and value and value not in self.formats:
            return _BAD
        if column == "topics" and not self.topics.issuperset(value):
            return _BAD
        if column == "restricted_to" and not self.audiences.issuperset(value):
            return _BAD
        return value

    def schedule(self, raws: tuple[str, ...]) -> Schedule | None:
        cells = {}
        for column, raw in zip(SCHEDULE_COLUMNS, raws, strict=True):
            value = self.parse(column, raw)
            if value is _BAD:
                return _BAD  # type: ignore[no-any-return]
            cells[column] = value or ""
        try:
            return parse_schedule(cells)
        except ScheduleFieldError:
            return _BAD  # type: ignore[no-any-return]

    def place(self, country: Any, postcode: str) -> tuple[float, float] | None:
        key = (country, postcode)
        if key not in self.postcodes:
            index = self.places() if callable(self.places) else self.places
            place = index.by_postcode(country, postcode) if index else None
            self.postcodes[key] = None if place is None else (place.latitude, place.longitude)
        return self.postcodes[key]

    # -- a column of a chunk ------------------------------------------------------------

    def values(self, column: str, cells: Sequence[str]) -> list[Any]:
        """Each cell's value, each distinct cell parsed once for the whole file."""
        memo = self.memo.setdefault(column, {})
        for raw in set(cells).difference(memo):
            memo[raw] = self.parse(column, raw)
        return list(map(memo.__getitem__, cells))

    def numbers(self, column: str, cells: Sequence[str]) -> tuple[FloatArray, NDArray[np.bool_]]:
        """A column of many distinct numbers (coordinates) and which rows it refuses."""
        try:
            floats = [float(raw) if raw else _NAN for raw in cells]
            bad = np.zeros(len(cells), np.bool_)
        except ValueError:
            floats, flags = [], []
            for raw in cells:
                try:
                    floats.append(float(raw) if raw else _NAN)
                    flags.append(False)
                except ValueError:
                    value = self.parse(column, raw)
                    floats.append(_NAN if value is None or value is _BAD else value)
                    flags.append(value is _BAD)
            bad = np.array(flags, np.bool_)
        array = np.array(floats, np.float64)
        # float() reads "nan" and "inf", which the per-row path refuses.
        blank = np.fromiter((not raw for raw in cells), np.bool_, len(cells))
        return array, bad | (~np.isfinite(array) & ~blank)


def _gate(column: str, cells: Sequence[str]) -> NDArray[np.bool_] | None:
    """The rows whose cell the text gate refuses; None when every cell passes."""
    multiline = column in MULTILINE_COLUMNS
    # Joined by a space, a carriage return that ends a cell stays one the gate sees.
    joined = " ".join(cells) if multiline else "".join(cells)
    if multiline:
        if unsafe_char(joined, multiline=True) is None:
            return None
    elif unsafe_char(joined) is None:
        return None
    return np.fromiter(
        (unsafe_char(raw, multiline=multiline) is not None for raw in cells), np.bool_, len(cells)
    )


def _required_text(checker: _Checker, column: str, cells: Sequence[str]) -> list[Any]:
    """A required text column (id, name): each cell stripped, _BAD where it is empty."""
    values: list[Any] = list(map(str.strip, cells))
    for i, raw in enumerate(cells):
        if not values[i] or raw[0] == "'":
            values[i] = checker.parse(column, raw)
    return values


@dataclass
class _Chunk:
    """The columns of the valid rows of one chunk."""

    ids: list[str]
    lines: list[int]
    cells: list[str]
    factors: dict[str, list[Any]]
    numbers: dict[str, FloatArray]


def _check_chunk(
    checker: _Checker, chunk: list[tuple[int, list[str]]], problems: list[Problem]
) -> _Chunk:
    header = checker.header
    size = len(chunk)
    lines = [line for line, _ in chunk]
    rows = [cells for _, cells in chunk]
    blank = ("",) * size
    by_column: dict[str, Sequence[str]] = dict(zip(header, zip(*rows, strict=True), strict=True))

    def column(name: str) -> Sequence[str]:
        return by_column.get(name, blank)

    bad = np.zeros(size, np.bool_)
    for name, cells in by_column.items():
        refused = _gate(name, cells)
        if refused is not None:
            bad |= refused

    ids = _required_text(checker, "id", column("id"))
    names = _required_text(checker, "name", column("name"))
    values = {
        name: checker.values(name, column(name))
        for name in (
            "format",
            "topics",
            "leadership",
            "setting",
            "drop_in",
            "country",
            "languages",
            "wheelchair",
            "last_verified",
            "for_whom",
            "restricted_to",
            "postcode",
            "size_min",
            "size_max",
            "age_min",
            "age_max",
            "cost_eur",
        )
    }
    schedule_memo = checker.memo.setdefault("timetable", {})
    raws = list(zip(*(column(name) for name in SCHEDULE_COLUMNS), strict=True))
    for key in set(raws).difference(schedule_memo):
        schedule_memo[key] = checker.schedule(key)
    values["timetable"] = list(map(schedule_memo.__getitem__, raws))
    for cells in (ids, names, *values.values()):
        bad |= np.fromiter((value is _BAD for value in cells), np.bool_, size)

    def floats(name: str) -> FloatArray:
        return np.array(
            [_NAN if v is None or v is _BAD else v for v in values[name]], np.float64
        ).reshape(size)

    numbers = {name: floats(name) for name in ("size_min", "size_max", "age_min", "age_max")}
    cost = floats("cost_eur")
    latitude, refused_lat = checker.numbers("latitude", column("latitude"))
    longitude, refused_lon = checker.numbers("longitude", column("longitude"))
    with np.errstate(invalid="ignore"):
        bad |= refused_lat | refused_lon
        bad |= numbers["age_min"] > numbers["age_max"]
        bad |= numbers["size_min"] > numbers["size_max"]
        bad |= (cost < 0) | (cost > MAX_COST_EUR)
        bad |= (latitude < -90) | (latitude > 90) | (longitude < -180) | (longitude > 180)
        bad |= np.isnan(latitude) != np.isnan(longitude)
        for country, (lat_min, lat_max, lon_min, lon_max) in BOUNDS.items():
            here = np.fromiter((v == country for v in values["country"]), np.bool_, size)
            bad |= here & ((latitude < lat_min) | (latitude > lat_max))
            bad |= here & ((longitude < lon_min) | (longitude > lon_max))

    # Rows without coordinates are placed by their postcode (not online groups).
    for i in np.flatnonzero(~bad & np.isnan(latitude)):
        postcode, setting = values["postcode"][i], values["setting"][i]
        if not postcode or setting == "online":
            continue
        place = checker.place(values["country"][i], postcode)
        if place is None:
            bad[i] = True
        else:
            latitude[i], longitude[i] = place
    numbers.update(cost_eur=cost, latitude=latitude, longitude=longitude)

    factors = {name: values[name] for name in FACTORS}
    factors["for_whom"] = [v or "both" for v in factors["for_whom"]]
    keep = ~bad
    # The per-row path for every row the column checks refuse: its problems, or its group.
    for i in np.flatnonzero(bad):
        group, row_problems = _parse_row(
            checker.file,
            lines[i],
            dict(zip(header, rows[i], strict=True)),
            checker.formats,
            checker.topics,
            checker.places,
            checker.audiences,
        )
        problems.extend(row_problems)
        if group is None:
            continue
        keep[i] = True
        ids[i] = group.id
        for name, get in FACTORS.items():
            factors[name][i] = get(group)
        for name in NUMBERS:
            value = getattr(group, name)
            numbers[name][i] = _NAN if value is None else value
    kept = np.flatnonzero(keep).tolist()
    if len(kept) == size:
        return _Chunk(ids, lines, list(map(_SEP.join, rows)), factors, numbers)
    return _Chunk(
        [ids[i] for i in kept],
        [lines[i] for i in kept],
        [_SEP.join(rows[i]) for i in kept],
        {name: [values_[i] for i in kept] for name, values_ in factors.items()},
        {name: array[keep] for name, array in numbers.items()},
    )


def check_rows(
    file: str,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    format_ids: Iterable[str],
    topic_ids: Iterable[str],
    places: Places = None,
    audience_ids: Iterable[str] = (),
) -> tuple[GroupRows, list[Problem]]:
    """Check group rows (line, cells in the order of ``header``) a column at a time.

    Returns the valid rows as groups and every problem, in the order of the lines: exactly
    those the per-row path reports (duplicate ids included; a row with a problem is left out).
    """
    formats, topics = frozenset(format_ids), frozenset(topic_ids)
    audiences = frozenset(audience_ids)
    checker = _Checker(file, header, formats, topics, places, audiences)
    problems: list[Problem] = []
    chunks: list[_Chunk] = []
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        chunks.append(_check_chunk(checker, chunk, problems))

    ids = [i for c in chunks for i in c.ids]
    lines = np.array([n for c in chunks for n in c.lines], np.int64)
    cells = [row for c in chunks for row in c.cells]
    factor_values = {name: [v for c in chunks for v in c.factors[name]] for name in FACTORS}
    numbers = {
        name: np.concatenate([c.numbers[name] for c in chunks] or [np.zeros(0)]) for name in NUMBERS
    }
    del chunks
    if len(set(ids)) != len(ids):
        keep = _first_ids(file, ids, lines, problems)
        ids = [ids[i] for i in keep]
        lines = lines[keep]
        cells = [cells[i] for i in keep]
        factor_values = {name: [v[i] for i in keep] for name, v in factor_values.items()}
        numbers = {name: array[keep] for name, array in numbers.items()}
    factors = {name: Factor.of(v) for name, v in factor_values.items()}
    columns = GroupColumns(ids=ids, **cast(dict[str, Any], factors | numbers))
    build = functools.partial(_build, file, header, formats, topics, places, audiences)
    problems.sort(key=lambda p: p.line or 0)
    return GroupRows(columns, lines, cells, build), problems


def _first_ids(
    file: str, ids: list[str], lines: NDArray[np.int64], problems: list[Problem]
) -> list[int]:
    """The rows whose id is the first of its kind; a problem for each later one."""
    first: dict[str, int] = {}
    keep = []
    for i, (group_id, line) in enumerate(zip(ids, lines.tolist(), strict=True)):
        if group_id in first:
            problems.append(
                Problem(
                    file,
                    N_("duplicate id {value!r}; first used on line {first}"),
                    line=line,
                    field="id",
                    values={"value": group_id, "first": first[group_id]},
                )
            )
            continue
        first[group_id] = line
        keep.append(i)
    return keep


def _build(
    file: str,
    header: list[str],
    formats: frozenset[str],
    topics: frozenset[str],
    places: Places,
    audiences: frozenset[str],
    line: int,
    cells: list[str],
) -> Group:
    """The group of a valid row, by the per-row path."""
    group, problems = _parse_row(
        file, line, dict(zip(header, cells, strict=True)), formats, topics, places, audiences
    )
    if group is None:  # the row passed once; its cells have not changed since
        raise RuntimeError(f"{file}:{line}: {problems}")
    return group
