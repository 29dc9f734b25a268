"""Group rows checked a column at a time: the one validation path of groups.csv and the
HSDS import.

:func:`check_chunks` takes rows in chunks of a few thousand (their line numbers and cells, in
the order of a header, as :meth:`CsvFile.chunks <groupfinder.catalog.csvfile.CsvFile.chunks>`
reads them; :func:`check_rows` takes them one by one) and checks each column of a chunk at
once: the text gate over the code units of the whole chunk (column by column only where it
finds something), each distinct value of a column of few values parsed once (by the same
cell parsers as a single row), numbers with ``float``, the rules between columns (age and
size order, coordinates in range and in their country, the cost) with numpy. A row the
column checks cannot pass goes through ``loader._parse_row``, the per-row path, which says
exactly what is wrong with it; so the problems are those of the per-row path, only found
faster.

What a valid row yields is kept as columns (:class:`GroupColumns`, which the matcher ranks
on) and as its cells; a :class:`~groupfinder.domain.models.Group` is built by the per-row
path only when one is asked for (:class:`GroupRows`, a lazy sequence that caches it).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import math
import operator
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
from groupfinder.domain.schedule import ScheduleFieldError, parse_schedule
from groupfinder.domain.text import REFUSED_IN_A_LINE, unguard_cell, unsafe_char

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


class _Column:
    """A column of few distinct values in one file: the code of each distinct cell (kept
    across chunks) and what each code stands for (_BAD for a value the checks refuse)."""

    def __init__(self) -> None:
        self.memo: dict[Any, int] = {}
        self.levels: list[Any] = []

    def add(self, value: Any) -> int:
        self.levels.append(value)
        return len(self.levels) - 1

    def codes(self, cells: Sequence[Any], parse: Callable[[Any], Any]) -> Codes:
        memo = self.memo
        codes = np.fromiter(map(memo.get, cells, itertools.repeat(-1)), np.int32, len(cells))
        for i in np.flatnonzero(codes < 0).tolist():
            raw = cells[i]
            if raw not in memo:
                memo[raw] = self.add(parse(raw))
            codes[i] = memo[raw]
        return codes

    def code(self, raw: Any, parse: Callable[[Any], Any]) -> int:
        code = self.memo.get(raw)
        if code is None:
            code = self.memo[raw] = self.add(parse(raw))
        return code

    def per_level(self, function: Callable[[Any], Any], dtype: Any) -> NDArray[Any]:
        return np.array([function(level) for level in self.levels], dtype=dtype)

    def refused(self, codes: Codes) -> NDArray[np.bool_]:
        result: NDArray[np.bool_] = self.per_level(lambda v: v is _BAD, np.bool_)[codes]
        return result

    def floats(self, codes: Codes) -> FloatArray:
        table = self.per_level(lambda v: _NAN if v is None or v is _BAD else v, np.float64)
        result: FloatArray = table[codes]
        return result

    def factor(self, codes: Codes, normal: Callable[[Any], Any] = lambda v: v) -> Factor:
        """The factor of the rows kept: only the levels they use."""
        used = np.flatnonzero(np.bincount(codes, minlength=len(self.levels)))
        renumber = np.zeros(len(self.levels), np.int32)
        renumber[used] = np.arange(len(used), dtype=np.int32)
        levels = tuple(normal(self.levels[code]) for code in used.tolist())
        return Factor(renumber[codes], levels)


#: The columns checked by their distinct values.
_FEW_VALUES = (
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


#: The columns of few values looked up together (not the dates and postcodes: they vary).
_COMBINED = tuple(name for name in _FEW_VALUES if name not in ("last_verified", "postcode"))


class _Checker:
    """The column checks of one file."""

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
        self.columns = {name: _Column() for name in (*_FEW_VALUES, "timetable")}
        self.postcodes: dict[tuple[Any, Any], tuple[float, float] | None] = {}
        #: The columns of few values that also come in few combinations: each combination's
        #: number, and the codes of its cells (row n for combination n).
        self.combinations: dict[tuple[str, ...], int] = {}
        self.combination_codes = np.zeros((0, len(_COMBINED)), np.int32)

    def combined(self, rows: Sequence[tuple[str, ...]]) -> dict[str, Codes]:
        """The codes of the columns of :data:`_COMBINED`, one look-up per row."""
        known = self.combinations
        numbers = np.fromiter(map(known.get, rows, itertools.repeat(-1)), np.int32, len(rows))
        new: list[list[int]] = []
        for i in np.flatnonzero(numbers < 0).tolist():
            key = rows[i]
            if key not in known:
                known[key] = len(self.combination_codes) + len(new)
                new.append(
                    [
                        self.columns[name].code(raw, functools.partial(self.parse, name))
                        for name, raw in zip(_COMBINED, key, strict=True)
                    ]
                )
            numbers[i] = known[key]
        if new:
            self.combination_codes = np.concatenate(
                [self.combination_codes, np.array(new, np.int32)]
            )
        table = self.combination_codes[numbers]
        return {name: table[:, n] for n, name in enumerate(_COMBINED)}

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

    def schedule(self, raws: tuple[str, ...]) -> Any:
        cells = {}
        for column, raw in zip(SCHEDULE_COLUMNS, raws, strict=True):
            value = self.parse(column, raw)
            if value is _BAD:
                return _BAD
            cells[column] = value or ""
        try:
            return parse_schedule(cells)
        except ScheduleFieldError:
            return _BAD

    def place(self, country: Any, postcode: str) -> tuple[float, float] | None:
        key = (country, postcode)
        if key not in self.postcodes:
            index = self.places() if callable(self.places) else self.places
            place = index.by_postcode(country, postcode) if index else None
            self.postcodes[key] = None if place is None else (place.latitude, place.longitude)
        return self.postcodes[key]

    def numbers(self, column: str, cells: Sequence[str]) -> tuple[FloatArray, NDArray[np.bool_]]:
        """A column of many distinct numbers (coordinates) and which rows it refuses."""
        size = len(cells)
        bad = np.zeros(size, np.bool_)
        try:
            array = np.array([float(raw) if raw else _NAN for raw in cells], np.float64)
        except ValueError:
            floats = []
            for i, raw in enumerate(cells):
                try:
                    floats.append(float(raw) if raw else _NAN)
                except ValueError:
                    value = self.parse(column, raw)
                    floats.append(_NAN if value is None or value is _BAD else value)
                    bad[i] = value is _BAD
            array = np.array(floats, np.float64)
        # float() reads "nan" and "inf", which the per-row path refuses.
        bad |= np.isinf(array)
        missing = np.isnan(array)
        if np.count_nonzero(missing) != cells.count(""):  # not only the blank cells
            for i in np.flatnonzero(missing).tolist():
                bad[i] |= bool(cells[i])
        return array.reshape(size), bad


#: Which UTF-16 code units the text gate refuses in a one-line cell.
_REFUSED = np.zeros(1 << 16, np.bool_)
for _first, _last in REFUSED_IN_A_LINE:
    if _last > 0xFFFF:  # _plain looks at UTF-16 units: such a character would be two
        raise ValueError(f"the text gate refuses U+{_last:04X}; _plain cannot see it")
    _REFUSED[_first : _last + 1] = True


def _plain(texts: list[str], width: int) -> bool:
    """Whether no cell of a chunk holds a character the text gate refuses in a line, when
    ``texts`` are its rows, each its ``width`` cells joined by _SEP: one look at the code
    units of the whole chunk. (Every character the gate refuses is below U+10000, so it is
    one UTF-16 unit; a surrogate is never refused.)"""
    units = np.frombuffer(_SEP.join(texts).encode("utf-16-le", "surrogatepass"), np.uint16)
    # Below U+0020 only the separators (_SEP is U+0000): no control, no _SEP in a cell.
    if np.count_nonzero(units < 0x20) != len(texts) * width - 1:
        return False
    return not _REFUSED[units[units >= 0x7F]].any()


def _gate(column: str, cells: Sequence[str]) -> NDArray[np.bool_] | None:
    """The rows whose cell the text gate refuses; None when every cell passes."""
    multiline = column in MULTILINE_COLUMNS
    # Joined by a space, a carriage return that ends a cell stays one the gate sees.
    joined = " ".join(cells) if multiline else "".join(cells)
    if joined.isprintable() or unsafe_char(joined, multiline=multiline) is None:
        return None
    return np.fromiter(
        (unsafe_char(raw, multiline=multiline) is not None for raw in cells), np.bool_, len(cells)
    )


def _required_text(
    checker: _Checker, column: str, cells: Sequence[str]
) -> tuple[list[str], list[int]]:
    """A required text column (id, name): each cell as read (stripped), and the rows whose
    cell the per-row path refuses (empty once read)."""
    values = list(map(str.strip, cells))
    if all(values) and not any(map(operator.methodcaller("startswith", "'"), cells)):
        return values, []
    refused = []
    for i, raw in enumerate(cells):
        if not values[i] or raw[0] == "'":
            value = checker.parse(column, raw)
            if value is _BAD:
                refused.append(i)
            else:
                values[i] = value
    return values, refused


@dataclass
class _Chunk:
    """The columns of the valid rows of one chunk."""

    ids: list[str]
    lines: list[int]
    cells: list[str]
    codes: dict[str, Codes]
    numbers: dict[str, FloatArray]


def _check_chunk(
    checker: _Checker, lines: Sequence[int], rows: list[list[str]], problems: list[Problem]
) -> _Chunk:
    header = checker.header
    size = len(rows)
    blank = ("",) * size
    position = {name: n for n, name in enumerate(header)}
    by_column: dict[str, Sequence[str]] = {}

    def column(name: str) -> Sequence[str]:
        if name not in by_column:
            n = position.get(name)
            by_column[name] = blank if n is None else list(map(operator.itemgetter(n), rows))
        return by_column[name]

    def keys(names: Sequence[str]) -> list[tuple[str, ...]]:
        """The cells of several columns, a tuple per row."""
        if all(name in position for name in names):
            return list(map(operator.itemgetter(*(position[name] for name in names)), rows))
        return list(zip(*(column(name) for name in names), strict=True))

    bad = np.zeros(size, np.bool_)
    # The cells of each row, as kept; a chunk of plain one-line text passes the gate at once.
    texts = list(map(_SEP.join, rows))
    if not _plain(texts, len(header)):
        for name in header:
            refused = _gate(name, column(name))
            if refused is not None:
                bad |= refused

    ids, refused_ids = _required_text(checker, "id", column("id"))
    _, refused_names = _required_text(checker, "name", column("name"))
    bad[refused_ids + refused_names] = True
    columns = checker.columns
    codes = checker.combined(keys(_COMBINED))
    for name in _FEW_VALUES:
        if name not in codes:
            codes[name] = columns[name].codes(column(name), functools.partial(checker.parse, name))
    raws = keys(SCHEDULE_COLUMNS)
    codes["timetable"] = columns["timetable"].codes(raws, checker.schedule)
    for name, column_codes in codes.items():
        bad |= columns[name].refused(column_codes)

    numbers = {name: columns[name].floats(codes[name]) for name in _NUMBERS_OF_FEW}
    latitude, refused_lat = checker.numbers("latitude", column("latitude"))
    longitude, refused_lon = checker.numbers("longitude", column("longitude"))
    cost = numbers["cost_eur"]
    country = columns["country"]
    with np.errstate(invalid="ignore"):
        bad |= refused_lat | refused_lon
        bad |= numbers["age_min"] > numbers["age_max"]
        bad |= numbers["size_min"] > numbers["size_max"]
        bad |= (cost < 0) | (cost > MAX_COST_EUR)
        bad |= (latitude < -90) | (latitude > 90) | (longitude < -180) | (longitude > 180)
        bad |= np.isnan(latitude) != np.isnan(longitude)
        # Coordinates in the country the row names (BOUNDS: lat_min, lat_max, lon_min, lon_max).
        bounds = country.per_level(lambda v: BOUNDS.get(v, (_NAN,) * 4), np.float64)
        within = bounds.reshape(-1, 4)[codes["country"]]
        bad |= (latitude < within[:, 0]) | (latitude > within[:, 1])
        bad |= (longitude < within[:, 2]) | (longitude > within[:, 3])

    # Rows without coordinates are placed by their postcode (not online groups).
    postcodes, settings = columns["postcode"].levels, columns["setting"].levels
    for i in np.flatnonzero(~bad & np.isnan(latitude)).tolist():
        postcode = postcodes[codes["postcode"][i]]
        if not postcode or settings[codes["setting"][i]] == "online":
            continue
        place = checker.place(country.levels[codes["country"][i]], postcode)
        if place is None:
            bad[i] = True
        else:
            latitude[i], longitude[i] = place
    numbers.update(latitude=latitude, longitude=longitude)

    keep = ~bad
    # The per-row path for every row the column checks refuse: its problems, or its group.
    for i in np.flatnonzero(bad).tolist():
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
            codes[name][i] = columns[name].add(get(group))
        for name in NUMBERS:
            value = getattr(group, name)
            numbers[name][i] = _NAN if value is None else value
    factor_codes = {name: codes[name] for name in FACTORS}
    if keep.all():
        return _Chunk(ids, list(lines), texts, factor_codes, numbers)
    kept = np.flatnonzero(keep).tolist()
    return _Chunk(
        [ids[i] for i in kept],
        [lines[i] for i in kept],
        [texts[i] for i in kept],
        {name: array[keep] for name, array in factor_codes.items()},
        {name: array[keep] for name, array in numbers.items()},
    )


#: The numbers read as columns of few values.
_NUMBERS_OF_FEW = ("size_min", "size_max", "age_min", "age_max", "cost_eur")


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
    iterator = iter(rows)

    def chunks() -> Iterator[tuple[list[int], list[list[str]]]]:
        while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
            yield [line for line, _ in chunk], [cells for _, cells in chunk]

    return check_chunks(file, header, chunks(), format_ids, topic_ids, places, audience_ids)


def check_chunks(
    file: str,
    header: list[str],
    chunks: Iterable[tuple[Sequence[int], list[list[str]]]],
    format_ids: Iterable[str],
    topic_ids: Iterable[str],
    places: Places = None,
    audience_ids: Iterable[str] = (),
) -> tuple[GroupRows, list[Problem]]:
    """:func:`check_rows` of rows that come in chunks (their lines, their cells), as
    :meth:`CsvFile.chunks <groupfinder.catalog.csvfile.CsvFile.chunks>` reads them."""
    formats, topics = frozenset(format_ids), frozenset(topic_ids)
    audiences = frozenset(audience_ids)
    checker = _Checker(file, header, formats, topics, places, audiences)
    problems: list[Problem] = []
    checked: list[_Chunk] = []
    with without_gc():
        for chunk_lines, chunk_rows in chunks:
            checked.append(_check_chunk(checker, chunk_lines, chunk_rows, problems))

    chain = itertools.chain.from_iterable
    ids = list(chain(c.ids for c in checked))
    lines = np.fromiter(chain(c.lines for c in checked), np.int64)
    cells = list(chain(c.cells for c in checked))
    codes = {
        name: np.concatenate([c.codes[name] for c in checked] or [np.zeros(0, np.int32)])
        for name in FACTORS
    }
    numbers = {
        name: np.concatenate([c.numbers[name] for c in checked] or [np.zeros(0)])
        for name in NUMBERS
    }
    del checked
    if len(set(ids)) != len(ids):
        keep = _first_ids(file, ids, lines, problems)
        ids = [ids[i] for i in keep]
        lines = lines[keep]
        cells = [cells[i] for i in keep]
        codes = {name: array[keep] for name, array in codes.items()}
        numbers = {name: array[keep] for name, array in numbers.items()}
    factors = {
        name: checker.columns[name].factor(
            array, (lambda v: v or "both") if name == "for_whom" else (lambda v: v)
        )
        for name, array in codes.items()
    }
    columns = GroupColumns(ids=ids, **cast(dict[str, Any], factors | numbers))
    build = functools.partial(_build, file, header, formats, topics, places, audiences)
    problems.sort(key=lambda p: p.line or 0)
    return GroupRows(columns, lines, cells, build), problems


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """No cyclic garbage collection while rows are read (here and by the HSDS import): rows
    and cells make no cycles, and collecting while millions of them are made costs a third
    of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
