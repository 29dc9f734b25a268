"""Reading an HSDS package: its folder or datapackage.json, every table's CSV, the typed
values of each cell and the links between tables.

As strict as the official HSDS 3.0 ``datapackage.json`` and no more. The package is refused
(:class:`PackageError`) only for what makes it unreadable: a missing table the import needs,
a missing column, a file that is not CSV or not UTF-8, a duplicate id, an empty id or link,
a foreign key that the official descriptor declares on a column the import uses and that
points at nothing, or a package of HSDS 1.x or 2.0. A cell the import cannot use (a status
``Active``, an amount ``5,00``, a date with a time, a latitude of 100) is kept in
:attr:`Row.errors`: it costs the service, location, phone or schedule of that row, which the
import leaves out with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from groupfinder.catalog.csvfile import CsvFile, open_csv
from groupfinder.catalog.hsds.schema import (
    DESCRIPTOR,
    HSDS_VERSION,
    LOCATION_TYPES,
    READ_TABLES,
    STATUSES,
    TABLES_BY_NAME,
    PackageError,
    Table,
)
from groupfinder.catalog.loader import (
    read_text,
    too_deep,
)
from groupfinder.domain.errors import CatalogError, FieldError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.text import unguard_cell

# =========================================================================== reading


class Row:
    """One row of an HSDS table: its cells as text, and the typed values the import checked.

    The cells are kept in the order of the file's columns, beside where each column is (the
    same for every row of the table), rather than in a dict of their own: the import reads
    180,000 rows for 20,000 services, and making a dict for each took a third of that.
    """

    __slots__ = ("_cells", "_where", "errors", "line", "values")

    def __init__(
        self,
        line: int,
        cells: Sequence[str],
        where: Mapping[str, int],
        values: dict[str, Any] | None = None,
        errors: dict[str, Problem] | None = None,
    ) -> None:
        self.line = line
        self._cells = cells
        #: The position of each column in ``cells``; shared with the table's other rows.
        self._where = where
        #: The values of the cells the import checked (a status, a number, a date).
        self.values: dict[str, Any] = {} if values is None else values
        #: The cells the import cannot use, by column: they cost what the row describes.
        self.errors: dict[str, Problem] = {} if errors is None else errors

    @classmethod
    def of(cls, line: int, cells: Mapping[str, str]) -> Row:
        """The row of ``cells`` by column."""
        return cls(line, list(cells.values()), {column: n for n, column in enumerate(cells)})

    def get(self, column: str) -> str:
        """The cell of ``column``, without surrounding spaces; "" when there is none."""
        at = self._where.get(column)
        return "" if at is None else self._cells[at]

    @property
    def cells(self) -> dict[str, str]:
        """The cells by column (made when asked for)."""
        return {column: self._cells[at] for column, at in self._where.items()}

    def __repr__(self) -> str:
        return f"Row(line={self.line}, cells={self.cells!r})"


def _columns_of(header: Sequence[str]) -> dict[str, int]:
    """Where each column of a header is (a name twice: the last, as in a dict of the row)."""
    return {column: n for n, column in enumerate(header)}


@dataclass
class Sheet:
    """One table of a package as read (empty when an optional file is absent)."""

    table: Table
    file: str
    rows: list[Row] = dataclasses.field(default_factory=list)
    by_id: dict[str, Row] = dataclasses.field(default_factory=dict)
    _index: dict[str, dict[str, list[Row]]] = dataclasses.field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return Path(self.file).name

    def where(self, column: str, value: str) -> list[Row]:
        """The rows whose ``column`` holds ``value``, in file order."""
        return self.index(column).get(value, []) if value else []

    def index(self, column: str) -> dict[str, list[Row]]:
        """The rows by what their ``column`` holds (never blank), in file order: for the
        import to look rows up without a call of :meth:`where` each. Not to be changed."""
        index = self._index.get(column)
        if index is None:
            index = self._index[column] = {}
            for row in self.rows:
                index.setdefault(row.get(column), []).append(row)
            index.pop("", None)
        return index


@dataclass(frozen=True)
class Package:
    folder: Path
    sheets: dict[str, Sheet]

    def __getitem__(self, table: str) -> Sheet:
        return self.sheets[table]


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise FieldError(
                N_("unknown value {value!r}; expected one of: {expected}"),
                value=value,
                expected=", ".join(choices),
            )
        return value

    return parse


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FieldError(N_("expected a number, got {value!r}"), value=value) from None
    if not math.isfinite(number):
        raise FieldError(N_("expected a number, got {value!r}"), value=value)
    return number


def _coordinate(limit: int) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = _number(value)
        if not -limit <= number <= limit:
            message = (
                N_("latitude must be between -90 and 90, got {value}")
                if limit == 90
                else N_("longitude must be between -180 and 180, got {value}")
            )
            raise FieldError(message, value=number)
        return number

    return parse


def _amount(value: str) -> float:
    number = _number(value)
    if number < 0:
        raise FieldError(N_("cost cannot be negative, got {value}"), value=number)
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(N_("expected a date as YYYY-MM-DD, got {value!r}"), value=value) from None


def _datetime_date(value: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise FieldError(
            N_("expected a date and time as YYYY-MM-DDTHH:MM:SS, got {value!r}"), value=value
        ) from None


#: The cells the import reads as something other than text, checked as the file is read.
#: What a check refuses goes to :attr:`Row.errors`, not to the package's problems.
CHECKS: dict[tuple[str, str], Callable[[str], Any]] = {
    ("service", "status"): _choice(STATUSES),
    ("service", "assured_date"): _date,
    ("service", "last_modified"): _datetime_date,
    ("location", "location_type"): _choice(LOCATION_TYPES),
    ("location", "latitude"): _coordinate(90),
    ("location", "longitude"): _coordinate(180),
    ("address", "address_type"): _choice(LOCATION_TYPES),
    ("cost_option", "amount"): _amount,
}
#: Cells the spec requires and the import needs for the row to mean something; an empty
#: one costs the row.
FILLED = frozenset({("service", "status"), ("location", "location_type")})
_CHECKS_BY_TABLE: dict[str, list[tuple[str, Callable[[str], Any]]]] = {}
for (_table, _column), _check in CHECKS.items():
    _CHECKS_BY_TABLE.setdefault(_table, []).append((_column, _check))
_FILLED_BY_TABLE: dict[str, list[str]] = {}
for _table, _column in sorted(FILLED):
    _FILLED_BY_TABLE.setdefault(_table, []).append(_column)


def read_package(path: Path) -> Package:
    """Read and check every table of the package at ``path`` (a folder or its datapackage.json).

    Raises :class:`PackageError` with all problems of all files.
    """
    folder = _package_folder(path)
    _refuse_old_versions(folder)
    paths, problems = _table_paths(folder)
    complete = not problems  # every table found
    sheets: dict[str, Sheet] = {}
    for table in READ_TABLES:
        found = paths.get(table.name)
        if found is None:
            sheets[table.name] = Sheet(table, str(folder / table.path))
            continue
        sheet, sheet_problems = _read_sheet(table, found)
        problems.extend(sheet_problems)
        if sheet is None:
            complete = False
        else:
            sheets[table.name] = sheet
    if complete:
        # Links between tables only mean something when every table could be read.
        problems.extend(_broken_links(sheets))
    if problems:
        raise PackageError(problems)
    return Package(folder, sheets)


def _package_folder(path: Path) -> Path:
    if path.is_dir():
        return path
    if path.is_file() and path.name == DESCRIPTOR:
        return path.parent
    message = (
        N_("expected the folder of an HSDS package, or its datapackage.json")
        if path.exists()
        else N_("not found; expected the folder of an HSDS package")
    )
    raise PackageError([Problem(str(path), message)])


def _table_paths(folder: Path) -> tuple[dict[str, Path | None], list[Problem]]:
    """Where each table is: as datapackage.json says, else under its usual file name."""
    descriptor = folder / DESCRIPTOR
    if descriptor.is_file():
        return _paths_from_descriptor(descriptor)
    paths: dict[str, Path | None] = {}
    problems: list[Problem] = []
    for table in READ_TABLES:
        candidates = [folder / name for name in (table.path, *table.alternates)]
        paths[table.name] = next((p for p in candidates if p.is_file()), None)
        if paths[table.name] is None and table.required:
            problems.append(
                Problem(str(folder / table.path), N_("file not found; an HSDS package needs it"))
            )
    return paths, problems


def _paths_from_descriptor(descriptor: Path) -> tuple[dict[str, Path | None], list[Problem]]:
    file = str(descriptor)
    try:
        data = json.loads(read_text(descriptor))
    except CatalogError as exc:
        return {}, exc.problems
    except json.JSONDecodeError as exc:
        problem = Problem(
            file,
            N_("is not valid JSON: {reason} (column {column})"),
            line=exc.lineno,
            values={"reason": exc.msg, "column": exc.colno},
        )
        return {}, [problem]
    except RecursionError:
        return {}, [too_deep(file)]
    except ValueError:  # an integer of more than 4,300 digits
        return {}, [Problem(file, N_("holds a number too large to be meant; check it"))]
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return {}, [Problem(file, N_("expected a list of resources"), field="resources")]
    listed: dict[str, Path] = {}
    named: set[str] = set()
    problems: list[Problem] = []
    for n, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(resource, dict) or name not in TABLES_BY_NAME:
            continue  # a table groupfinder does not read
        named.add(str(name))
        relative = resource.get("path")
        if not _is_inside(relative):
            problems.append(
                Problem(
                    file,
                    N_("expected the path of a CSV file inside the package, got {value!r}"),
                    field=f"resources.{n}.path",
                    values={"value": relative},
                )
            )
            continue
        listed[str(name)] = descriptor.parent / str(relative)
    paths: dict[str, Path | None] = {}
    for table in READ_TABLES:
        paths[table.name] = listed.get(table.name)
        if table.name not in named and table.required:
            problems.append(
                Problem(
                    file,
                    N_("no resource named {value!r}; an HSDS package needs it"),
                    field="resources",
                    values={"value": table.name},
                )
            )
    return paths, problems


def _is_inside(relative: object) -> bool:
    if not isinstance(relative, str) or not relative or "://" in relative:
        return False
    path = Path(relative)
    return not path.is_absolute() and ".." not in path.parts


def _read_sheet(table: Table, path: Path) -> tuple[Sheet | None, list[Problem]]:
    file = str(path)
    try:
        text = read_text(path)
        # The header as every CSV file's: its text, semicolons, missing and repeated columns.
        csv_file = open_csv(file, text, required=table.needs)
    except CatalogError as exc:
        return None, exc.problems
    sheet = Sheet(table, file)
    if _read_columns(sheet, csv_file):
        return sheet, []
    # Something that _read_rows reports: it reads the file again, a row at a time.
    sheet = Sheet(table, file)
    return sheet, _read_rows(sheet, open_csv(file, text, required=table.needs))


def _read_rows(sheet: Sheet, csv_file: CsvFile) -> list[Problem]:
    problems: list[Problem] = []
    where = _columns_of(csv_file.header)
    for line, cells in csv_file.rows(problems):
        row = Row(line, [_cell(cell) for cell in cells], where)
        problems.extend(_row_problems(sheet, row))
        _add_row(sheet, row, problems)
    return problems


def _read_columns(sheet: Sheet, csv_file: CsvFile) -> bool:
    """Read the rows into ``sheet`` exactly as :func:`_read_rows` does, but a column at a
    time (20,000 services are 180,000 rows). False, with ``sheet`` left half read, when the
    file has anything that :func:`_read_rows` reports: a CSV error, a row of another width,
    an empty required cell or a duplicate id.
    """
    problems: list[Problem] = []
    chunks = list(csv_file.chunks(problems, sys.maxsize))  # all rows in one (none if blank)
    if problems:
        return False
    if not chunks:
        return True
    ((lines, body),) = chunks
    header = csv_file.header
    # The cells of each column as _cell cleans them: without surrounding spaces, unguarded.
    columns: list[Sequence[str]] = []
    cleaned = False  # whether any cell changed
    for raw in zip(*body, strict=True):
        joined = "\x00".join(raw)
        if joined.startswith("'") or "\x00'" in joined:
            clean = [_cell(cell) for cell in raw]
        else:
            clean = list(map(str.strip, raw))
        cleaned = cleaned or clean != list(raw)
        columns.append(clean)
    position = _columns_of(header)
    table = sheet.table
    for column in table.needs:
        if (table.name, column) not in FILLED and not all(columns[position[column]]):
            return False  # a required cell that _read_rows reports
    cells_of_rows: Iterable[Sequence[str]] = zip(*columns, strict=True) if cleaned else body
    rows = [Row(line, cells, position) for line, cells in zip(lines, cells_of_rows, strict=True)]
    by_id = dict(zip(columns[position["id"]], rows, strict=True))
    if len(by_id) < len(rows):
        return False  # a duplicate id
    name = table.name
    for column in _FILLED_BY_TABLE.get(name, ()):
        found = position.get(column)
        for n, row in enumerate(rows):
            if found is None or not columns[found][n]:
                row.errors[column] = Problem(
                    sheet.file, N_("required; this cell is empty"), row.line, column
                )
    for column, check in _CHECKS_BY_TABLE.get(name, ()):
        found = position.get(column)
        if found is None:
            continue
        checked: dict[str, Any] = {}  # each value checked once
        for cell, row in zip(columns[found], rows, strict=True):
            if not cell:
                continue
            value = checked.get(cell, _UNCHECKED)
            if value is _UNCHECKED:
                try:
                    value = check(cell)
                except FieldError as exc:
                    value = exc
                checked[cell] = value
            if isinstance(value, FieldError):
                row.errors[column] = Problem(
                    sheet.file, value.message, row.line, column, dict(value.values)
                )
            else:
                row.values[column] = value
    sheet.rows = rows
    sheet.by_id = by_id
    return True


_UNCHECKED = object()


def _cell(text: str) -> str:
    return (unguard_cell(text) if text[:1] == "'" else text).strip()


def _row_problems(sheet: Sheet, row: Row) -> list[Problem]:
    name = sheet.table.name
    problems = [
        Problem(sheet.file, N_("required; this cell is empty"), row.line, column)
        for column in sheet.table.needs
        if not row.get(column) and (name, column) not in FILLED
    ]
    for column in _FILLED_BY_TABLE.get(name, ()):
        if not row.get(column):
            row.errors[column] = Problem(
                sheet.file, N_("required; this cell is empty"), row.line, column
            )
    for column, check in _CHECKS_BY_TABLE.get(name, ()):
        raw = row.get(column)
        if not raw:
            continue
        try:
            row.values[column] = check(raw)
        except FieldError as exc:
            row.errors[column] = Problem(sheet.file, exc.message, row.line, column, exc.values)
    return problems


def _add_row(sheet: Sheet, row: Row, problems: list[Problem]) -> None:
    row_id = row.get("id")
    first = sheet.by_id.get(row_id)
    if first is not None:
        problems.append(
            Problem(
                sheet.file,
                N_("duplicate id {value!r}; first used on line {first}"),
                row.line,
                "id",
                {"value": row_id, "first": first.line},
            )
        )
        return
    if row_id:
        sheet.by_id[row_id] = row
    sheet.rows.append(row)


def _broken_links(sheets: dict[str, Sheet]) -> list[Problem]:
    """Every id that points at a row that is not there, for the foreign keys the official
    descriptor declares on columns the import uses (:attr:`Column.references`)."""
    problems: list[Problem] = []
    for table in READ_TABLES:
        sheet = sheets[table.name]
        for column in table.columns:
            if column.references is None:
                continue
            target = sheets[column.references]
            values = [row.get(column.name) for row in sheet.rows]
            if not set(values).difference(target.by_id, [""]):
                continue  # every link holds
            for row, value in zip(sheet.rows, values, strict=True):
                if value and value not in target.by_id:
                    problems.append(_broken(sheet, row, column.name, value, target))
    return problems


def _broken(sheet: Sheet, row: Row, column: str, value: str, target: Sheet) -> Problem:
    return Problem(
        sheet.file,
        N_("{value!r} is not an id in {table}"),
        row.line,
        column,
        {"value": value, "table": target.file_name},
    )


@functools.lru_cache(maxsize=256)  # a few texts, for 40,000 attributes
def linked_entity(link_entity: str) -> str | None:
    """The table an attribute's link_entity names ("service", "services", "services.csv")."""
    return _ENTITIES.get(link_entity.strip().lower().removesuffix(".csv"))


_ENTITIES = {
    **{Path(table.path).stem: table.name for table in READ_TABLES},
    **{table.name: table.name for table in READ_TABLES},
}


# =========================================================================== older versions

#: Files of HSDS 1.x and 2.0 that HSDS 3 has not got, and the versions that have them.
_OLD_FILES: dict[str, str] = {
    "regular_schedules.csv": "1.x",
    "holiday_schedules.csv": "1.x",
    "services_taxonomy.csv": "1.x",
    "service_attributes.csv": "2.0",
    "other_attributes.csv": "2.0",
    "physical_addresses.csv": "1.x / 2.0",
    "postal_addresses.csv": "1.x / 2.0",
    "payments_accepted.csv": "1.x / 2.0",
    "eligibility.csv": "1.x / 2.0",
}


def _refuse_old_versions(folder: Path) -> None:
    """Raise :class:`PackageError` naming the version when the package is HSDS 1.x or 2.0."""
    descriptor = folder / DESCRIPTOR
    version, file, field, evidence = "", str(folder), None, ""
    data: Any = None
    if descriptor.is_file():
        try:
            data = json.loads(read_text(descriptor))
        except (CatalogError, ValueError, RecursionError):
            return  # reading the descriptor again reports it
    if isinstance(data, dict):
        # "version" is the package's own version, except in the official descriptor (and
        # copies of it), named "human_services_data", where it is the version of HSDS.
        declared = data.get("version") if data.get("name") == "human_services_data" else None
        if isinstance(declared, str | int | float) and str(declared)[:1] in ("1", "2"):
            major = str(declared)[:1]
            version, file, field = ("1.x" if major == "1" else "2.0"), str(descriptor), "version"
            evidence = str(declared)
        elif isinstance(declared, str) and declared.startswith("3"):
            return
        resources = data.get("resources")
        paths = [r.get("path") for r in resources or [] if isinstance(r, dict)]
        names = [Path(p).name for p in paths if isinstance(p, str)]
    else:
        names = sorted(p.name for p in folder.glob("*.csv"))
    if not version:
        old = [name for name in names if name in _OLD_FILES]
        if not old:
            return
        version, evidence = _OLD_FILES[old[0]], ", ".join(old)
    raise PackageError(
        [
            Problem(
                file,
                N_(
                    "this is an HSDS {version} package ({evidence}); groupfinder reads HSDS "
                    "{expected}: convert it to HSDS {expected} first"
                ),
                field=field,
                values={"version": version, "evidence": evidence, "expected": HSDS_VERSION},
            )
        ]
    )
