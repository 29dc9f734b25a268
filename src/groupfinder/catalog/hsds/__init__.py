"""Open Referral HSDS 3 tabular data packages in and out of groupfinder.

An HSDS package is a folder of CSV files, one per table, often described by a
``datapackage.json`` (a Frictionless tabular data package). groupfinder reads and writes
twelve of its tables: organizations, services, locations, service_at_location, addresses,
schedules, languages, accessibility, cost_options, phones, taxonomy_terms and attributes.

A group is one HSDS service. Where HSDS has a field, the group uses it:

==========================  ===========================================================
groupfinder (groups.csv)    HSDS 3
==========================  ===========================================================
name, description           service.name, service.description
contact_email, website      service.email, service.url
audience                    service.eligibility_description
last_verified               service.assured_date ("the date the information was checked")
setting                     the service's locations (service_at_location): physical =
                            in_person, virtual = online, both = hybrid
latitude, longitude         location.latitude, location.longitude of the physical location
address, postcode, city,    addresses.csv of that location (address_1, postal_code, city,
country                     country); an online group keeps them on its virtual location,
                            and a country alone in an attribute
languages                   languages.csv rows of the service (ISO 639-1 code), in order
schedule                    schedules.csv description
cost_eur                    cost_options.csv amount, currency EUR
contact_phone               phones.csv number
wheelchair                  accessibility.csv of the location: "Wheelchair accessible" or
                            "Not wheelchair accessible"; none = unknown
==========================  ===========================================================

HSDS has no field for the rest, so it travels as attributes (attributes.csv, link_entity
"service") pointing at terms of the taxonomy "groupfinder" (taxonomy_terms.csv): the terms
``format:<id>``, ``topic:<id>`` and ``leadership:<id>``, and the terms ``id``, ``drop_in``,
``size_min``, ``size_max`` and ``country`` whose attribute carries the value. Export, then
import, gives back exactly the same groups.

Services from another directory use other taxonomies. The mapping file
(``data/hsds_mapping.toml``, documented inside) says which of their terms give a format,
topics and a leadership. A service the mapping does not settle is not imported: the import
lists it with the reason and writes the others. Nothing is guessed.

Ids are UUIDs derived from the groupfinder id (uuid5), so an export is the same every time
and a group keeps its HSDS ids from one export to the next. The export puts every group under
one organization, "groupfinder catalog". The import keeps the id of the groupfinder term
``id`` when there is one, else takes the service id; a service at several physical locations
becomes one group per location, with the id ``<service id>@<location id>``. Postal locations
are not places to meet, and only active services are imported.

Two kinds of trouble are kept apart. A malformed package (a missing table or column, a
reference to an id that does not exist, a value of the wrong type) raises
:class:`PackageError` with every problem's file, line and field; nothing is imported. A
well-formed service that groupfinder cannot use (no format, a language it does not offer, an
address abroad) becomes a :class:`ServiceNote` and is left out.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from groupfinder.catalog.loader import (
    COLUMNS,
    GROUPS_FILE,
    Catalog,
    describe_error,
    load_groups,
    read_text,
    read_toml,
    toml_line,
)
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import CatalogError, FieldError, InputError, Problem
from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.models import (
    LANGUAGES,
    LEADERSHIPS,
    Group,
    Language,
    Leadership,
    Setting,
    Wheelchair,
)
from groupfinder.domain.text import one_line

HSDS_VERSION = "3.0"
DESCRIPTOR = "datapackage.json"
MAPPING_FILE = "hsds_mapping.toml"
#: The taxonomy of groupfinder's own terms.
TAXONOMY = "groupfinder"
#: Never change it: every exported id is derived from it.
NAMESPACE = uuid.UUID("8f0e7f4c-3a51-4d1e-9c2b-6a7d5e4b3c21")

#: Terms of the groupfinder taxonomy whose attribute carries a value.
VALUE_TERMS = ("id", "drop_in", "size_min", "size_max", "country", "for_whom", "restricted_to")
#: What the export writes in accessibility.csv, always understood by the import.
WHEELCHAIR_TEXT: dict[Wheelchair, str] = {
    "yes": "Wheelchair accessible",
    "no": "Not wheelchair accessible",
}
LANGUAGE_NAMES: dict[Language, str] = {"nl": "Dutch", "fr": "French", "en": "English"}
LEADERSHIP_NAMES: dict[Leadership, str] = {
    "professional": "Led by a professional",
    "trained": "Led by a trained facilitator",
    "peer": "Led by peers",
}
ORGANIZATION_NAME = "groupfinder catalog"


class PackageError(InputError):
    """An HSDS package is missing, malformed or inconsistent."""


# =========================================================================== the tables


@dataclass(frozen=True)
class Column:
    """One column of an HSDS table, as its datapackage.json field describes it."""

    name: str
    type: str = "string"
    format: str | None = None
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    #: The table whose ids this column holds.
    references: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[Column, ...]
    #: Columns the import reads that must be in the header and filled in every row.
    needs: tuple[str, ...] = ("id",)
    #: True when the import cannot do without the file.
    required: bool = False
    #: Other file names seen in the wild, tried when there is no datapackage.json.
    alternates: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _id() -> Column:
    return Column("id", format="uuid", required=True, unique=True)


def _link(name: str, table: str | None, required: bool = False) -> Column:
    return Column(name, format="uuid", required=required, references=table)


def _texts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name) for name in names)


def _typed(kind: str, *names: str) -> tuple[Column, ...]:
    return tuple(Column(name, type=kind) for name in names)


_LOCATION_TYPES = ("physical", "postal", "virtual")
_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        "organizations.csv",
        (
            _id(),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description", required=True),
            Column("email", format="email"),
            Column("website", format="uri"),
            *_texts("tax_status", "tax_id"),
            Column("year_incorporated", type="number"),
            Column("legal_status"),
            Column("logo", format="uri"),
            Column("uri", format="uri"),
            _link("parent_organization_id", "organization"),
        ),
        required=True,
    ),
    Table(
        "service",
        "services.csv",
        (
            _id(),
            _link("organization_id", "organization", required=True),
            _link("program_id", None),
            Column("name", required=True),
            *_texts("alternate_name", "description"),
            Column("url", format="uri"),
            Column("email", format="email"),
            Column("status", required=True, enum=_STATUSES),
            *_texts(
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "fees",
                "accreditations",
                "eligibility_description",
            ),
            *_typed("number", "minimum_age", "maximum_age"),
            Column("assured_date", type="date"),
            Column("assurer_email", format="email"),
            *_texts("licenses", "alert"),
            Column("last_modified", type="datetime"),
        ),
        needs=("id", "name", "organization_id", "status"),
        required=True,
    ),
    Table(
        "location",
        "locations.csv",
        (
            _id(),
            Column("location_type", required=True, enum=_LOCATION_TYPES),
            Column("url", format="uri"),
            _link("organization_id", "organization"),
            *_texts("name", "alternate_name", "description", "transportation"),
            *_typed("number", "latitude", "longitude"),
            *_texts("external_identifier", "external_identifier_type"),
        ),
        needs=("id", "location_type"),
        required=True,
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        (
            _id(),
            _link("service_id", "service", required=True),
            _link("location_id", "location", required=True),
            Column("description"),
        ),
        needs=("id", "service_id", "location_id"),
        required=True,
        alternates=("service_at_locations.csv", "services_at_location.csv"),
    ),
    Table(
        "address",
        "addresses.csv",
        (
            _id(),
            _link("location_id", "location"),
            Column("attention"),
            Column("address_1", required=True),
            Column("address_2"),
            Column("city", required=True),
            Column("region"),
            Column("state_province", required=True),
            Column("postal_code", required=True),
            Column("country", required=True),
            Column("address_type", required=True, enum=_LOCATION_TYPES),
        ),
        needs=("id", "location_id"),
        alternates=("address.csv",),
    ),
    Table(
        "schedule",
        "schedules.csv",
        (
            _id(),
            _link("service_id", "service"),
            _link("location_id", "location"),
            _link("service_at_location_id", "service_at_location"),
            *_typed("date", "valid_from", "valid_to", "dtstart"),
            Column("timezone", type="number"),
            Column("until", type="date"),
            Column("count", type="number"),
            Column("wkst", enum=_WEEKDAYS),
            Column("freq", enum=("WEEKLY", "MONTHLY")),
            Column("interval", type="number"),
            *_texts("byday", "byweekno", "bymonthday", "byyearday", "description"),
            *_typed("time", "opens_at", "closes_at"),
            Column("schedule_link", format="uri"),
            *_texts("attending_type", "notes"),
        ),
        alternates=("schedule.csv",),
    ),
    Table(
        "language",
        "languages.csv",
        (
            _id(),
            _link("service_id", "service"),
            _link("location_id", "location"),
            _link("phone_id", "phone"),
            *_texts("name", "code", "note"),
        ),
        alternates=("language.csv",),
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        (
            _id(),
            _link("location_id", "location"),
            *_texts("description", "details"),
            Column("url", format="uri"),
        ),
        needs=("id", "location_id"),
        alternates=("accessibility_for_disabilities.csv",),
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        (
            _id(),
            _link("service_id", "service", required=True),
            *_typed("date", "valid_from", "valid_to"),
            *_texts("option", "currency"),
            Column("amount", type="number"),
            Column("amount_description"),
        ),
        needs=("id", "service_id"),
        alternates=("cost_option.csv",),
    ),
    Table(
        "phone",
        "phones.csv",
        (
            _id(),
            _link("location_id", "location"),
            _link("service_id", "service"),
            _link("organization_id", "organization"),
            _link("contact_id", None),
            _link("service_at_location_id", "service_at_location"),
            Column("number", required=True),
            Column("extension", type="number"),
            *_texts("type", "description"),
        ),
        needs=("id", "number"),
        alternates=("phone.csv",),
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        (
            _id(),
            Column("code", unique=True),
            Column("name", required=True),
            Column("description", required=True),
            _link("parent_id", "taxonomy_term"),
            *_texts("taxonomy", "language"),
            _link("taxonomy_id", None),
            Column("term_uri", format="uri"),
        ),
        needs=("id", "name"),
        required=True,
        alternates=("taxonomy_term.csv",),
    ),
    Table(
        "attribute",
        "attributes.csv",
        (
            _id(),
            _link("link_id", None, required=True),
            _link("taxonomy_term_id", "taxonomy_term", required=True),
            Column("link_type"),
            Column("link_entity", required=True),
            *_texts("value", "label"),
        ),
        needs=("id", "link_id", "taxonomy_term_id"),
        required=True,
        alternates=("attribute.csv",),
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}


# =========================================================================== reading


@dataclass
class Row:
    """One row of an HSDS table: its cells as text, and the typed values the import checked."""

    line: int
    cells: dict[str, str]
    values: dict[str, Any] = dataclasses.field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


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
        if not value:
            return []
        if column not in self._index:
            index: dict[str, list[Row]] = {}
            for row in self.rows:
                index.setdefault(row.get(column), []).append(row)
            self._index[column] = index
        return self._index[column].get(value, [])


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
CHECKS: dict[tuple[str, str], Callable[[str], Any]] = {
    ("service", "status"): _choice(_STATUSES),
    ("service", "assured_date"): _date,
    ("service", "last_modified"): _datetime_date,
    ("location", "location_type"): _choice(_LOCATION_TYPES),
    ("location", "latitude"): _coordinate(90),
    ("location", "longitude"): _coordinate(180),
    ("address", "address_type"): _choice(_LOCATION_TYPES),
    ("cost_option", "amount"): _amount,
}


def read_package(path: Path) -> Package:
    """Read and check every table of the package at ``path`` (a folder or its datapackage.json).

    Raises :class:`PackageError` with all problems of all files.
    """
    folder = _package_folder(path)
    paths, problems = _table_paths(folder)
    complete = not problems  # every table found
    sheets: dict[str, Sheet] = {}
    for table in TABLES:
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
    for table in TABLES:
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
    for table in TABLES:
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
    except CatalogError as exc:
        return None, exc.problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        return None, [Problem(file, N_("is empty; expected a header row"), 1)]
    except csv.Error as exc:
        return None, [
            Problem(file, N_("is not valid CSV: {reason}"), 1, values={"reason": str(exc)})
        ]
    problems = _header_problems(file, table, header)
    if problems:
        return None, problems
    sheet = Sheet(table, file)
    problems = _read_rows(sheet, reader, header)
    return sheet, problems


def _header_problems(file: str, table: Table, header: list[str]) -> list[Problem]:
    problems = [
        Problem(file, N_("required column is missing from the header"), 1, column)
        for column in table.needs
        if column not in header
    ]
    seen: set[str] = set()
    for column in header:
        if column in seen and column:
            problems.append(Problem(file, N_("column appears twice in the header"), 1, column))
        seen.add(column)
    return problems


class _Reader(Protocol):
    """What a ``csv.reader`` offers."""

    line_num: int

    def __next__(self) -> list[str]: ...


def _read_rows(sheet: Sheet, reader: _Reader, header: list[str]) -> list[Problem]:
    file, problems = sheet.file, []
    while True:
        line = reader.line_num + 1  # where the next row starts (a quoted cell may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(file, N_("is not valid CSV: {reason}"), line, values={"reason": str(exc)})
            )
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    file,
                    N_("row has {fields} fields but the header has {columns}"),
                    line,
                    values={"fields": len(cells), "columns": len(header)},
                )
            )
            continue
        row = Row(line, dict(zip(header, cells, strict=True)))
        problems.extend(_row_problems(sheet, row))
        _add_row(sheet, row, problems)
    return problems


def _row_problems(sheet: Sheet, row: Row) -> list[Problem]:
    problems = [
        Problem(sheet.file, N_("required; this cell is empty"), row.line, column)
        for column in sheet.table.needs
        if not row.get(column)
    ]
    for column in sheet.table.column_names:
        check = CHECKS.get((sheet.table.name, column))
        raw = row.get(column)
        if check is None or not raw:
            continue
        try:
            row.values[column] = check(raw)
        except FieldError as exc:
            problems.append(Problem(sheet.file, exc.message, row.line, column, exc.values))
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
    """Every id that points at a row that is not there."""
    problems: list[Problem] = []
    for table in TABLES:
        sheet = sheets[table.name]
        for column in table.columns:
            if column.references is None:
                continue
            target = sheets[column.references]
            for row in sheet.rows:
                value = row.get(column.name)
                if value and value not in target.by_id:
                    problems.append(_broken(sheet, row, column.name, value, target))
    attributes = sheets["attribute"]
    for row in attributes.rows:
        entity = _entity(row.get("link_entity"))
        value = row.get("link_id")
        if entity is not None and value and value not in sheets[entity].by_id:
            problems.append(_broken(attributes, row, "link_id", value, sheets[entity]))
    return problems


def _broken(sheet: Sheet, row: Row, column: str, value: str, target: Sheet) -> Problem:
    return Problem(
        sheet.file,
        N_("{value!r} is not an id in {table}"),
        row.line,
        column,
        {"value": value, "table": target.file_name},
    )


def _entity(link_entity: str) -> str | None:
    """The table an attribute's link_entity names ("service", "services", "services.csv")."""
    name = link_entity.strip().lower().removesuffix(".csv")
    for table in TABLES:
        if name in (table.name, Path(table.path).stem):
            return table.name
    return None


# =========================================================================== the mapping


def _key(text: str) -> str:
    """How terms are compared: case and extra spaces do not matter."""
    return " ".join(text.split()).casefold()


class _Rule(BaseModel):
    """One [[terms]] entry of the mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    match: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    taxonomy: str | None = None
    format: str | None = None
    topics: list[str] = []
    leadership: Leadership | None = None

    @model_validator(mode="after")
    def _says_something(self) -> _Rule:
        if self.format is None and not self.topics and self.leadership is None:
            raise FieldError(N_("give at least one of format, topics or leadership"))
        return self

    def matches(self, term: Row) -> bool:
        if self.taxonomy is not None and _key(self.taxonomy) != _key(term.get("taxonomy")):
            return False
        keys = {_key(term.get("code")), _key(term.get("name"))} - {""}
        return any(_key(text) in keys for text in self.match)


class _Choice(BaseModel):
    """A [services."<id>"] entry: what one service is, whatever its terms say."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    format: str | None = None
    topics: list[str] | None = None
    leadership: Leadership | None = None


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    leadership: dict[str, Leadership] = {}
    topics: list[str] = []


class _WheelchairWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    yes: list[str] = []
    no: list[str] = []


class _MappingFile(BaseModel):
    """The shape of hsds_mapping.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: Literal[1]
    terms: list[_Rule] = []
    defaults: _Defaults = _Defaults()
    languages: dict[Language, list[str]] = {}
    wheelchair: _WheelchairWords = _WheelchairWords()
    services: dict[str, _Choice] = {}


@dataclass(frozen=True)
class HsdsMapping:
    """The mapping file, checked against the catalog's formats and topics."""

    file: str
    rules: tuple[_Rule, ...]
    defaults: _Defaults
    services: dict[str, _Choice]
    languages: dict[str, Language]
    wheelchair: dict[str, Wheelchair]

    def rules_for(self, term: Row) -> list[_Rule]:
        return [rule for rule in self.rules if rule.matches(term)]

    def language(self, row: Row) -> Language | None:
        for text in (row.get("code"), row.get("name")):
            found = self.languages.get(_key(text))
            if found is not None:
                return found
        return None

    def wheelchair_of(self, row: Row) -> Wheelchair | None:
        for text in (row.get("description"), row.get("details")):
            found = self.wheelchair.get(_key(text))
            if found is not None:
                return found
        return None


def load_mapping(path: Path, formats: Iterable[str], topics: Iterable[str]) -> HsdsMapping:
    """Read the mapping file; every problem names its line and field."""
    data, text = read_toml(path)
    file = str(path)
    try:
        parsed = _MappingFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_mapping_problems(exc, file, text)) from None
    problems = _unknown_ids(parsed, file, text, frozenset(formats), frozenset(topics))
    if problems:
        raise CatalogError(problems)
    languages: dict[str, Language] = {code: code for code in LANGUAGES}
    for language, names in parsed.languages.items():
        languages.update({_key(name): language for name in names})
    wheelchair: dict[str, Wheelchair] = {_key(t): w for w, t in WHEELCHAIR_TEXT.items()}
    wheelchair.update({_key(text): "yes" for text in parsed.wheelchair.yes})
    wheelchair.update({_key(text): "no" for text in parsed.wheelchair.no})
    return HsdsMapping(
        file, tuple(parsed.terms), parsed.defaults, dict(parsed.services), languages, wheelchair
    )


def _mapping_problems(error: ValidationError, file: str, text: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message, values = describe_error(item)
        field = ".".join(str(part) for part in loc) or None
        problems.append(Problem(file, message, _mapping_line(text, loc), field, values))
    return problems


def _mapping_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line of a key; [[terms]] entries are counted, since they have no name."""
    if len(loc) < 2 or loc[0] != "terms" or not isinstance(loc[1], int):
        return toml_line(text, loc)
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines) if line.strip() == "[[terms]]"]
    if loc[1] >= len(headers):
        return None
    start = headers[loc[1]]
    if len(loc) > 2:
        key = re.compile(rf"^\s*{re.escape(str(loc[2]))}\s*=")
        for number in range(start + 1, len(lines)):
            if lines[number].lstrip().startswith("["):
                break
            if key.match(lines[number]):
                return number + 1
    return start + 1


def _unknown_ids(
    parsed: _MappingFile, file: str, text: str, formats: frozenset[str], topics: frozenset[str]
) -> list[Problem]:
    """Formats and topics that the catalog does not have."""
    checks: list[tuple[tuple[str | int, ...], str | None, list[str]]] = []
    for n, rule in enumerate(parsed.terms):
        checks.append((("terms", n, "format"), rule.format, rule.topics))
    for service_id, choice in parsed.services.items():
        checks.append((("services", service_id, "format"), choice.format, choice.topics or []))
    for key in parsed.defaults.leadership:
        checks.append((("defaults", "leadership", key), key, []))
    checks.append((("defaults", "topics"), None, parsed.defaults.topics))

    problems = []
    for loc, format_id, topic_ids in checks:
        if format_id is not None and format_id not in formats:
            problems.append(
                _mapping_problem(
                    file,
                    text,
                    loc,
                    N_("unknown format {value!r}; expected one of: {expected}"),
                    format_id,
                    formats,
                )
            )
        topics_loc = loc if loc[-1] == "topics" else (*loc[:-1], "topics")
        for topic in topic_ids:
            if topic not in topics:
                problems.append(
                    _mapping_problem(
                        file,
                        text,
                        topics_loc,
                        N_("unknown topic {value!r}; expected one of: {expected}"),
                        topic,
                        topics,
                    )
                )
    return problems


def _mapping_problem(
    file: str,
    text: str,
    loc: tuple[str | int, ...],
    message: str,
    value: str,
    expected: frozenset[str],
) -> Problem:
    return Problem(
        file,
        message,
        _mapping_line(text, loc),
        ".".join(str(part) for part in loc),
        {"value": value, "expected": ", ".join(sorted(expected))},
    )


# =========================================================================== import


@dataclass(frozen=True)
class ServiceNote:
    """A service that was left out (``skipped``), or a detail of one that was imported."""

    file: str
    line: int
    service: str
    name: str
    message: str
    values: MappingOf[str, Any] = dataclasses.field(default_factory=dict)
    column: str | None = None
    skipped: bool = True

    def render(self, language: Language = "en") -> str:
        reason = tr(language, self.message, **self.values)
        if self.column:
            reason = f"{self.column}: {reason}"
        template = _SKIPPED if self.skipped else _NOTED
        text = tr(
            language,
            template,
            id=one_line(self.service),
            name=one_line(self.name),
            reason=one_line(reason),  # it may quote the package: show it literally
        )
        return f"{self.file}:{self.line}: {text}"


_SKIPPED = N_("service {id} ({name}) skipped: {reason}")
_NOTED = N_("service {id} ({name}): {reason}")


@dataclass(frozen=True)
class ImportResult:
    #: The groups.csv to write.
    groups_csv: str
    #: Its groups, as groupfinder loads them.
    groups: list[Group]
    #: How many services the package has.
    services: int
    notes: list[ServiceNote]

    @property
    def skipped(self) -> list[ServiceNote]:
        return [note for note in self.notes if note.skipped]


def import_package(
    path: Path,
    mapping: HsdsMapping,
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None = None,
    audiences: Iterable[str] = (),
) -> ImportResult:
    """Turn the HSDS package at ``path`` into the text of a groups.csv. Nothing is written.

    Raises :class:`PackageError` when the package is malformed.
    """
    package = read_package(path)
    format_ids, topic_ids = frozenset(formats), frozenset(topics)
    converter = _Converter(package, mapping, format_ids, topic_ids)
    candidates = converter.run()
    if converter.problems:
        raise PackageError(converter.problems)
    text, groups, rejected = _validated(candidates, format_ids, topic_ids, places, audiences)
    notes = sorted(converter.notes + rejected, key=lambda note: (note.line, note.service))
    return ImportResult(text, groups, len(package["service"].rows), notes)


class _Skip(Exception):
    """Why a service cannot become a group."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


@dataclass(frozen=True)
class _Candidate:
    """A group about to be written: the service it comes from and its groups.csv cells."""

    file: str
    service: Row
    cells: dict[str, str]


@dataclass(frozen=True)
class _Kind:
    format: str
    topics: list[str]
    leadership: str


@dataclass(frozen=True)
class _Where:
    """Where a service meets: the (service_at_location, location) pairs of each kind."""

    setting: Setting
    physical: list[tuple[Row, Row]]
    virtual: list[tuple[Row, Row]]

    @property
    def meetings(self) -> list[tuple[Row, Row]]:
        """One group per physical location; an online service is one group."""
        return self.physical or self.virtual[:1]


def _values_of(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class _Converter:
    """Services to groups.csv rows. Package errors go to ``problems``, left-out services to
    ``notes``."""

    def __init__(
        self,
        package: Package,
        mapping: HsdsMapping,
        formats: frozenset[str],
        topics: frozenset[str],
    ) -> None:
        self.package = package
        self.mapping = mapping
        self.formats = formats
        self.topics = topics
        self.problems: list[Problem] = []
        self.notes: list[ServiceNote] = []

    def run(self) -> list[_Candidate]:
        self._check_own_terms()
        candidates: list[_Candidate] = []
        for service in self.package["service"].rows:
            try:
                candidates.extend(self._service(service))
            except _Skip as skip:
                self.notes.append(self._note(service, skip.message, skip.values))
        return candidates

    def _note(
        self, service: Row, message: str, values: MappingOf[str, Any], skipped: bool = True
    ) -> ServiceNote:
        sheet = self.package["service"]
        return ServiceNote(
            sheet.file,
            service.line,
            service.get("id"),
            service.get("name"),
            message,
            dict(values),
            skipped=skipped,
        )

    # ---------------------------------------------------------------- terms

    def _check_own_terms(self) -> None:
        sheet = self.package["taxonomy_term"]
        for term in sheet.rows:
            code = _own_code(term)
            kind, _, value = code.partition(":")
            if not _is_own(term) or code in VALUE_TERMS or (value and kind in _KINDS):
                continue
            self.problems.append(
                Problem(
                    sheet.file,
                    N_(
                        "unknown groupfinder term {value!r}; expected format:<id>, "
                        "topic:<id>, leadership:<id>, id, drop_in, size_min, size_max, country, "
                        "for_whom or restricted_to"
                    ),
                    term.line,
                    "code",
                    {"value": _own_code(term)},
                )
            )

    def _terms(self, service: Row) -> list[tuple[Row, Row]]:
        """The (attribute, taxonomy term) pairs that describe ``service``."""
        terms = self.package["taxonomy_term"].by_id
        pairs = []
        for attribute in self.package["attribute"].where("link_id", service.get("id")):
            if _entity(attribute.get("link_entity")) in ("service", None):
                pairs.append((attribute, terms[attribute.get("taxonomy_term_id")]))
        return pairs

    def _own_values(self, terms: list[tuple[Row, Row]]) -> dict[str, str]:
        """The cells that groupfinder terms with a value give (id, drop_in, sizes, country)."""
        cells: dict[str, str] = {}
        sheet = self.package["attribute"]
        for attribute, term in terms:
            code = _own_code(term) if _is_own(term) else ""
            if code not in VALUE_TERMS:
                continue
            try:
                cells[code] = _VALUE_PARSERS[code](attribute.get("value"))
            except FieldError as exc:
                self.problems.append(
                    Problem(sheet.file, exc.message, attribute.line, "value", exc.values)
                )
        return cells

    def _kind(self, service: Row, terms: list[tuple[Row, Row]]) -> _Kind:
        own: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        mapped: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        for _, term in terms:
            if _is_own(term):
                kind, _, value = _own_code(term).partition(":")
                if kind in own:
                    own[kind].append(value)
                continue
            for rule in self.mapping.rules_for(term):
                mapped["format"].extend([rule.format] if rule.format else [])
                mapped["topic"].extend(rule.topics)
                mapped["leadership"].extend([rule.leadership] if rule.leadership else [])
        choice = self.mapping.services.get(service.get("id"), _Choice())
        format_id = choice.format or self._format(service, own["format"] or mapped["format"])
        topics = choice.topics or own["topic"] or mapped["topic"] or self.mapping.defaults.topics
        leadership = choice.leadership or self._leadership(
            service, format_id, own["leadership"] or mapped["leadership"]
        )
        return _Kind(format_id, self._topics(topics), leadership)

    def _format(self, service: Row, found: list[str]) -> str:
        values = _values_of(found)
        if not values:
            raise _Skip(N_("no format: none of its taxonomy terms maps to a format"))
        if len(values) > 1:
            raise _Skip(
                N_('several formats ({values}); choose one under [services."{id}"] in the mapping'),
                values=", ".join(values),
                id=service.get("id"),
            )
        if values[0] not in self.formats:
            raise _Skip(
                N_("unknown format {value!r}; expected one of: {expected}"),
                value=values[0],
                expected=", ".join(sorted(self.formats)),
            )
        return values[0]

    def _topics(self, found: list[str]) -> list[str]:
        values = _values_of(found)
        if not values:
            raise _Skip(N_("no topic: none of its taxonomy terms maps to a topic"))
        for topic in values:
            if topic not in self.topics:
                raise _Skip(
                    N_("unknown topic {value!r}; expected one of: {expected}"),
                    value=topic,
                    expected=", ".join(sorted(self.topics)),
                )
        return values

    def _leadership(self, service: Row, format_id: str, found: list[str]) -> str:
        values = _values_of(found)
        if not values:
            default = self.mapping.defaults.leadership.get(format_id)
            if default is None:
                raise _Skip(
                    N_(
                        "no leadership: none of its taxonomy terms maps to a leadership, "
                        "and the mapping has no default for {format}"
                    ),
                    format=format_id,
                )
            return default
        if len(values) > 1:
            raise _Skip(
                N_(
                    'several leaderships ({values}); choose one under [services."{id}"] '
                    "in the mapping"
                ),
                values=", ".join(values),
                id=service.get("id"),
            )
        if values[0] not in LEADERSHIPS:
            raise _Skip(
                N_("unknown value {value!r}; expected one of: {expected}"),
                value=values[0],
                expected=", ".join(LEADERSHIPS),
            )
        return values[0]

    # ---------------------------------------------------------------- a service

    def _service(self, service: Row) -> list[_Candidate]:
        status = service.values.get("status")
        if status != "active":
            raise _Skip(
                N_("its status is {value!r}; only active services are imported"), value=status
            )
        terms = self._terms(service)
        own = self._own_values(terms)
        kind = self._kind(service, terms)
        where = self._where(service)
        shared = self._service_cells(service, kind, where, own)
        base_id = own.get("id") or service.get("id")
        candidates = []
        for link, location in where.meetings:
            cells = {**shared, **self._location_cells(service, link, location, where, own)}
            several = len(where.meetings) > 1
            cells["id"] = f"{base_id}@{location.get('id')}" if several else base_id
            candidates.append(_Candidate(self.package["service"].file, service, cells))
        return candidates

    def _where(self, service: Row) -> _Where:
        locations = self.package["location"].by_id
        links = self.package["service_at_location"].where("service_id", service.get("id"))
        pairs = [(link, locations[link.get("location_id")]) for link in links]
        physical = [p for p in pairs if p[1].values.get("location_type") == "physical"]
        virtual = [p for p in pairs if p[1].values.get("location_type") == "virtual"]
        if not physical and not virtual:
            raise _Skip(
                N_(
                    "no place: service_at_location.csv links it to no physical or virtual "
                    "location, so it is neither in person nor online"
                )
            )
        setting: Setting = "online" if not physical else "hybrid" if virtual else "in_person"
        return _Where(setting, physical, virtual)

    def _service_cells(
        self, service: Row, kind: _Kind, where: _Where, own: dict[str, str]
    ) -> dict[str, str]:
        organization = self.package["organization"].by_id[service.get("organization_id")]
        virtual_url = next((loc.get("url") for _, loc in where.virtual if loc.get("url")), "")
        checked = service.values.get("assured_date") or service.values.get("last_modified")
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(
            name=service.get("name"),
            format=kind.format,
            topics=";".join(kind.topics),
            leadership=kind.leadership,
            setting=where.setting,
            drop_in=own.get("drop_in", ""),
            size_min=own.get("size_min", ""),
            size_max=own.get("size_max", ""),
            cost_eur=self._cost(service),
            contact_email=service.get("email") or organization.get("email"),
            website=service.get("url") or organization.get("website") or virtual_url,
            audience=service.get("eligibility_description"),
            description=service.get("description"),
            last_verified=checked.isoformat() if checked else "",
            for_whom=own.get("for_whom", ""),
            restricted_to=own.get("restricted_to", ""),
            age_min=_whole(service.get("minimum_age")),
            age_max=_whole(service.get("maximum_age")),
        )
        return cells

    def _location_cells(
        self, service: Row, link: Row, location: Row, where: _Where, own: dict[str, str]
    ) -> dict[str, str]:
        cells = {
            "country": own.get("country", ""),
            "languages": self._languages(service, location),
            "schedule": self._schedule(service, link, location),
            "contact_phone": self._phone(service, link, location),
            "wheelchair": self._wheelchair(location),
        }
        cells.update(self._address(location))
        for column in ("latitude", "longitude"):
            value = location.values.get(column)
            cells[column] = "" if value is None else repr(value)
        return cells

    # ---------------------------------------------------------------- details

    def _address(self, location: Row) -> dict[str, str]:
        rows = self.package["address"].where("location_id", location.get("id"))
        physical = [r for r in rows if r.values.get("address_type") in (None, "physical")]
        if not rows:
            return {}
        chosen = (physical or rows)[0]
        country = chosen.get("country").upper()
        if country and country not in ("BE", "NL"):
            raise _Skip(
                N_(
                    "its address is in {value!r}; groupfinder lists groups in Belgium (BE) "
                    "and the Netherlands (NL)"
                ),
                value=chosen.get("country"),
            )
        street = ", ".join(
            part for part in (chosen.get("address_1"), chosen.get("address_2")) if part
        )
        cells = {
            "address": street,
            "postcode": chosen.get("postal_code"),
            "city": chosen.get("city"),
        }
        if country:
            cells["country"] = country
        return cells

    def _languages(self, service: Row, location: Row) -> str:
        sheet = self.package["language"]
        rows = sheet.where("service_id", service.get("id")) or sheet.where(
            "location_id", location.get("id")
        )
        if not rows:
            raise _Skip(N_("no language: languages.csv has no row for it or its location"))
        known = _values_of(lang for row in rows if (lang := self.mapping.language(row)))
        if not known:
            others = ", ".join(row.get("code") or row.get("name") for row in rows)
            raise _Skip(
                N_("none of its languages ({values}) is Dutch, French or English"),
                values=others,
            )
        return ";".join(known)

    def _schedule(self, service: Row, link: Row, location: Row) -> str:
        sheet = self.package["schedule"]
        rows = (
            sheet.where("service_at_location_id", link.get("id"))
            or sheet.where("service_id", service.get("id"))
            or sheet.where("location_id", location.get("id"))
        )
        return "; ".join(text for text in map(_schedule_text, rows) if text)

    def _cost(self, service: Row) -> str:
        amounts: list[float] = []
        others: list[str] = []
        for row in self.package["cost_option"].where("service_id", service.get("id")):
            amount = row.values.get("amount")
            currency = row.get("currency").upper()
            if amount is None:
                continue
            if currency in ("", "EUR"):
                amounts.append(amount)
            else:
                others.append(currency)
        if amounts:
            return _number_text(min(amounts))
        if others:
            self.notes.append(
                self._note(
                    service,
                    N_("cost in {value} left out: groupfinder lists costs in euro"),
                    {"value": ", ".join(_values_of(others))},
                    skipped=False,
                )
            )
        return ""

    def _phone(self, service: Row, link: Row, location: Row) -> str:
        sheet = self.package["phone"]
        rows = (
            sheet.where("service_id", service.get("id"))
            or sheet.where("service_at_location_id", link.get("id"))
            or sheet.where("location_id", location.get("id"))
            or sheet.where("organization_id", service.get("organization_id"))
        )
        return rows[0].get("number") if rows else ""

    def _wheelchair(self, location: Row) -> str:
        for row in self.package["accessibility"].where("location_id", location.get("id")):
            found = self.mapping.wheelchair_of(row)
            if found is not None:
                return found
        return "unknown"


_KINDS = ("format", "topic", "leadership")


def _is_own(term: Row) -> bool:
    return _key(term.get("taxonomy")) == TAXONOMY


def _own_code(term: Row) -> str:
    return term.get("code") or term.get("name")


def _text_value(value: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(N_("required; this cell is empty"))
    return value


def _yes_no_value(value: str) -> str:
    value = value.strip().lower()
    if value not in ("yes", "no"):
        raise FieldError(N_("unknown value {value!r}; expected yes or no"), value=value)
    return value


def _size_value(value: str) -> str:
    try:
        number = int(value.strip())
    except ValueError:
        raise FieldError(N_("expected a whole number, got {value!r}"), value=value) from None
    if number < 1:
        raise FieldError(N_("expected a number of at least 1, got {value}"), value=number)
    return str(number)


def _country_value(value: str) -> str:
    country = value.strip().upper()
    if country not in ("BE", "NL"):
        raise FieldError(
            N_("unknown value {value!r}; expected one of: {expected}"),
            value=value,
            expected="BE, NL",
        )
    return country


def _for_whom_value(value: str) -> str:
    value = value.strip()
    if value not in ("self", "relatives", "both"):
        raise FieldError(
            N_("unknown value {value!r}; expected one of: {expected}"),
            value=value,
            expected="self, relatives, both",
        )
    return value


def _whole(value: str) -> str:
    """An HSDS number (``18`` or ``18.0``) as a whole number of years; blank when none."""
    try:
        return str(int(float(value))) if value else ""
    except ValueError:
        return value


_VALUE_PARSERS: dict[str, Callable[[str], str]] = {
    "for_whom": _for_whom_value,
    "restricted_to": _text_value,
    "id": _text_value,
    "drop_in": _yes_no_value,
    "size_min": _size_value,
    "size_max": _size_value,
    "country": _country_value,
}

_FREQUENCY_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _schedule_text(row: Row) -> str:
    """A schedule row as text: its description, else what its recurrence fields say."""
    if row.get("description"):
        return row.get("description")
    parts = []
    unit = _FREQUENCY_UNITS.get(row.get("freq").upper())
    interval = row.get("interval").removesuffix(".0")
    if unit:
        parts.append(f"every {interval} {unit}s" if interval not in ("", "1") else f"every {unit}")
    if row.get("byday"):
        parts.append("on " + row.get("byday"))
    if row.get("bymonthday"):
        parts.append("on day " + row.get("bymonthday"))
    hours = "-".join(t for t in (_clock(row.get("opens_at")), _clock(row.get("closes_at"))) if t)
    return ", ".join(part for part in (" ".join(parts), hours) if part)


def _clock(value: str) -> str:
    match = re.match(r"^(\d{1,2}:\d{2})", value)
    return match.group(1) if match else value


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _validated(
    candidates: list[_Candidate],
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None,
    audiences: Iterable[str] = (),
) -> tuple[str, list[Group], list[ServiceNote]]:
    """Load the rows exactly as groupfinder will; a row it refuses leaves its service out."""
    audience_ids = list(audiences)
    notes: list[ServiceNote] = []
    format_ids, topic_ids = list(formats), list(topics)
    with tempfile.TemporaryDirectory(prefix="groupfinder-import-") as folder:
        path = Path(folder) / GROUPS_FILE
        while True:
            text, starts = _groups_csv(candidates)
            path.write_text(text, encoding="utf-8")
            try:
                groups = load_groups(path, format_ids, topic_ids, places, audience_ids)
                return text, groups, notes
            except CatalogError as exc:
                refused: dict[int, Problem] = {}
                for problem in exc.problems:
                    if problem.line in starts:
                        refused.setdefault(starts[problem.line], problem)
                if not refused:
                    raise
                for index, problem in sorted(refused.items()):
                    notes.append(_refused_note(candidates[index], problem))
                candidates = [c for n, c in enumerate(candidates) if n not in refused]


def _refused_note(candidate: _Candidate, problem: Problem) -> ServiceNote:
    service = candidate.service
    return ServiceNote(
        candidate.file,
        service.line,
        service.get("id"),
        service.get("name"),
        problem.message,
        dict(problem.values),
        problem.field,
    )


def _groups_csv(candidates: list[_Candidate]) -> tuple[str, dict[int, int]]:
    """The text of groups.csv and, for each line where a row starts, that row's index."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(COLUMNS)
    parts = [header.getvalue()]
    starts: dict[int, int] = {}
    line = 2
    for index, candidate in enumerate(candidates):
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n").writerow(
            candidate.cells
        )
        chunk = buffer.getvalue()
        starts[line] = index
        line += sum(1 for _ in io.StringIO(chunk, newline=""))
        parts.append(chunk)
    return "".join(parts), starts


# =========================================================================== export


def _uuid(*parts: str) -> str:
    """A UUID that depends only on ``parts``: the same group gets the same ids every time."""
    return str(uuid.uuid5(NAMESPACE, json.dumps(parts)))


ORGANIZATION_ID = _uuid("organization")


def export_package(catalog: Catalog) -> dict[str, str]:
    """The catalog's groups as an HSDS 3 package: file name -> text, datapackage.json included."""
    rows: dict[str, list[dict[str, str]]] = {table.name: [] for table in TABLES}
    rows["organization"].append(
        {
            "id": ORGANIZATION_ID,
            "name": ORGANIZATION_NAME,
            "description": "The groups of a groupfinder catalog, exported as Open Referral HSDS.",
        }
    )
    rows["taxonomy_term"].extend(_vocabulary(catalog))
    for group in catalog.groups:
        for table, row in _group_rows(group):
            rows[table].append(row)
    files = {table.path: _table_csv(table, rows[table.name]) for table in TABLES}
    files[DESCRIPTOR] = json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"
    return files


def _vocabulary(catalog: Catalog) -> list[dict[str, str]]:
    """The groupfinder taxonomy: formats, topics, leadership and the terms with a value."""
    terms = [(f"format:{f.id}", f.name.en, f.description.en) for f in catalog.formats.values()]
    terms += [
        (f"topic:{t.id}", t.name.en, f"A group about: {t.name.en}") for t in catalog.topics.values()
    ]
    terms += [(f"leadership:{k}", LEADERSHIP_NAMES[k], LEADERSHIP_NAMES[k]) for k in LEADERSHIPS]
    terms += [
        ("id", "groupfinder id", "The id of the group in groupfinder's groups.csv."),
        ("drop_in", "Drop-in", "yes: people can join any session; no: they sign up first."),
        ("size_min", "Smallest group size", "The fewest participants the group meets with."),
        ("size_max", "Largest group size", "The most participants the group takes."),
        ("country", "Country", "The country an online group is for (BE or NL)."),
        ("for_whom", "For whom", "self, relatives or both: who the group is for."),
        (
            "restricted_to",
            "Only for",
            "The audiences (;-separated ids) a group is only for; none means open to all.",
        ),
    ]
    return [
        {
            "id": _uuid("taxonomy_term", code),
            "code": code,
            "name": name,
            "description": description,
            "taxonomy": TAXONOMY,
            "language": "en",
        }
        for code, name, description in sorted(terms)
    ]


def _group_rows(group: Group) -> Iterator[tuple[str, dict[str, str]]]:
    service_id = _uuid("service", group.id)
    yield (
        "service",
        {
            "id": service_id,
            "organization_id": ORGANIZATION_ID,
            "name": group.name,
            "description": group.description or "",
            "url": group.contact.website or "",
            "email": group.contact.email or "",
            "status": "active",
            "eligibility_description": group.audience or "",
            "minimum_age": "" if group.age_min is None else str(group.age_min),
            "maximum_age": "" if group.age_max is None else str(group.age_max),
            "assured_date": group.last_verified.isoformat() if group.last_verified else "",
        },
    )
    yield from _location_rows(group, service_id)
    yield from _detail_rows(group, service_id)
    yield from _attribute_rows(group, service_id)


_LOCATION_KINDS: dict[Setting, tuple[str, ...]] = {
    "in_person": ("physical",),
    "online": ("virtual",),
    "hybrid": ("physical", "virtual"),
}


def _location_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
    kinds = _LOCATION_KINDS[group.setting]
    meeting = kinds[0]  # the location that keeps the address, coordinates and access
    for kind in kinds:
        location_id = _uuid("location", group.id, kind)
        location = {"id": location_id, "location_type": kind, "name": group.name}
        if kind == "virtual":
            location["url"] = group.contact.website or ""
        if kind == meeting:
            location["latitude"] = _float_text(group.latitude)
            location["longitude"] = _float_text(group.longitude)
        yield "location", location
        yield (
            "service_at_location",
            {
                "id": _uuid("service_at_location", group.id, kind),
                "service_id": service_id,
                "location_id": location_id,
            },
        )
        if kind == meeting and _has_address(group):
            yield "address", _address_row(group, location_id, kind)
    if group.wheelchair != "unknown":
        yield (
            "accessibility",
            {
                "id": _uuid("accessibility", group.id),
                "location_id": _uuid("location", group.id, meeting),
                "description": WHEELCHAIR_TEXT[group.wheelchair],
            },
        )


def _has_address(group: Group) -> bool:
    """An online group with only a country keeps it in an attribute, not in an address."""
    street = any((group.address, group.postcode, group.city))
    return street or (group.country is not None and group.setting != "online")


def _address_row(group: Group, location_id: str, kind: str) -> dict[str, str]:
    return {
        "id": _uuid("address", group.id),
        "location_id": location_id,
        "address_1": group.address or "",
        "city": group.city or "",
        "state_province": belgian_province(group.postcode) if group.country == "BE" else "",
        "postal_code": group.postcode or "",
        "country": group.country or "",
        "address_type": kind,
    }


def _detail_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
    if group.schedule:
        yield (
            "schedule",
            {
                "id": _uuid("schedule", group.id),
                "service_id": service_id,
                "description": group.schedule,
            },
        )
    for code in group.languages:
        yield (
            "language",
            {
                "id": _uuid("language", group.id, code),
                "service_id": service_id,
                "name": LANGUAGE_NAMES[code],
                "code": code,
            },
        )
    if group.cost_eur is not None:
        yield (
            "cost_option",
            {
                "id": _uuid("cost_option", group.id),
                "service_id": service_id,
                "currency": "EUR",
                "amount": _number_text(group.cost_eur),
                "amount_description": "per session",
            },
        )
    if group.contact.phone:
        yield (
            "phone",
            {
                "id": _uuid("phone", group.id),
                "service_id": service_id,
                "number": group.contact.phone,
                "type": "voice",
            },
        )


def _attribute_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
    terms = [
        ("id", group.id),
        (f"format:{group.format}", ""),
        *((f"topic:{topic}", "") for topic in group.topics),
        (f"leadership:{group.leadership}", ""),
    ]
    if group.drop_in is not None:
        terms.append(("drop_in", "yes" if group.drop_in else "no"))
    if group.size_min is not None:
        terms.append(("size_min", str(group.size_min)))
    if group.size_max is not None:
        terms.append(("size_max", str(group.size_max)))
    if group.country and not _has_address(group):
        terms.append(("country", group.country))
    if group.for_whom != "both":
        terms.append(("for_whom", group.for_whom))
    if group.restricted_to:
        terms.append(("restricted_to", ";".join(group.restricted_to)))
    for code, value in terms:
        yield (
            "attribute",
            {
                "id": _uuid("attribute", group.id, code),
                "link_id": service_id,
                "taxonomy_term_id": _uuid("taxonomy_term", code),
                "link_entity": "service",
                "value": value,
            },
        )


def _float_text(value: float | None) -> str:
    return "" if value is None else repr(value)


#: Belgian postcodes by first digits (bpost): (first postcode, last postcode, province).
_BELGIAN_PROVINCES = (
    (1000, 1299, "Brussels-Capital Region"),
    (1300, 1499, "Walloon Brabant"),
    (1500, 1999, "Flemish Brabant"),
    (2000, 2999, "Antwerp"),
    (3000, 3499, "Flemish Brabant"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Liège"),
    (5000, 5999, "Namur"),
    (6000, 6599, "Hainaut"),
    (6600, 6999, "Luxembourg"),
    (7000, 7999, "Hainaut"),
    (8000, 8999, "West Flanders"),
    (9000, 9999, "East Flanders"),
)


def belgian_province(postcode: str | None) -> str:
    """The province of a Belgian postcode (Brussels is a region); "" when it is no postcode."""
    if not postcode or not postcode.strip().isdigit():
        return ""
    number = int(postcode)
    return next((name for low, high, name in _BELGIAN_PROVINCES if low <= number <= high), "")


def _table_csv(table: Table, rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.column_names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def descriptor() -> dict[str, Any]:
    """The datapackage.json of an export: one resource per table, with its fields and keys."""
    return {
        "profile": "tabular-data-package",
        "name": "groupfinder-groups",
        "title": "groupfinder groups",
        "description": (
            "Groups from a groupfinder catalog as Open Referral Human Services Data "
            "Specification (HSDS) tables. Terms of the taxonomy 'groupfinder' carry what "
            "HSDS has no field for."
        ),
        "version": HSDS_VERSION,
        "homepage": "https://docs.openreferral.org",
        "resources": [_resource(table) for table in TABLES],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "primaryKey": "id",
    }
    keys = [
        {"fields": c.name, "reference": {"resource": c.references, "fields": "id"}}
        for c in table.columns
        if c.references is not None
    ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.format:
        field["format"] = column.format
    constraints: dict[str, Any] = {"required": column.required, "unique": column.unique}
    if column.enum:
        constraints["enum"] = list(column.enum)
    field["constraints"] = constraints
    return field


# =========================================================================== writing


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half.

    The text goes to a temporary file in the same folder, which then replaces ``path``.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_package(folder: Path, files: MappingOf[str, str]) -> None:
    """Write every file of a package into ``folder`` (made when missing), each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        write_atomic(folder / name, files[name])
