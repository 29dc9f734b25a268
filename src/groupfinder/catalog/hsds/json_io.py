"""HSDS 3 JSON, the canonical form of HSDS since 3.0, in and out.

In: one service object (``service_full``), a list of them, or a Page (``{"total_items": ...,
"contents": [...]}``, as the HSDS API returns). Every nested object becomes a row of its
table, linked to the object it sits in (a phone inside a service gets that ``service_id``,
an attribute its ``link_id`` and ``link_entity``); an object met twice (the same phone under
the service and under its location) is one row. The rows are then read by
:func:`groupfinder.catalog.hsds.read.read_package`, exactly as a CSV package is, so the
import converts them the same way. Problems and notes name the JSON file and the line where
the object's ``id`` is.

Out: :func:`export_page`, a Page of ``service_full`` objects built from the rows of the CSV
export (:func:`groupfinder.catalog.hsds.export.export_rows`): valid against the official
schema ``schema/compiled/service.json``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from groupfinder.catalog.hsds.export import Provinces, Rows, export_rows, resource, resources
from groupfinder.catalog.hsds.read import Package, Sheet, read_package
from groupfinder.catalog.hsds.schema import DESCRIPTOR, PackageError
from groupfinder.catalog.loader import MAX_DEPTH, depth, not_json, read_text, too_deep
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Catalog
from groupfinder.domain.text import guard_cell

#: The file ``export-hsds --json`` writes.
JSON_FILE = "services.json"


@dataclasses.dataclass(frozen=True)
class _Nest:
    """A property of an object of ``table`` that holds objects of ``child``."""

    property: str
    child: str
    #: "many": a list whose items carry ``link`` = the parent's id; "one": an object whose
    #: id is the parent's ``link``.
    kind: str
    link: str


def _many(prop: str, child: str, link: str) -> _Nest:
    return _Nest(prop, child, "many", link)


def _one(prop: str, child: str, link: str) -> _Nest:
    return _Nest(prop, child, "one", link)


#: How HSDS 3 JSON nests the tables (schema/compiled/service.json); attributes (link_id,
#: link_entity) go with every table but attribute, taxonomy_term and taxonomy.
NESTS: dict[str, tuple[_Nest, ...]] = {
    "service": (
        _one("organization", "organization", "organization_id"),
        _one("program", "program", "program_id"),
        _many("phones", "phone", "service_id"),
        _many("schedules", "schedule", "service_id"),
        _many("service_areas", "service_area", "service_id"),
        _many("service_at_locations", "service_at_location", "service_id"),
        _many("languages", "language", "service_id"),
        _many("funding", "funding", "service_id"),
        _many("cost_options", "cost_option", "service_id"),
        _many("required_documents", "required_document", "service_id"),
        _many("contacts", "contact", "service_id"),
    ),
    "service_at_location": (
        _one("location", "location", "location_id"),
        _many("contacts", "contact", "service_at_location_id"),
        _many("phones", "phone", "service_at_location_id"),
        _many("schedules", "schedule", "service_at_location_id"),
    ),
    "location": (
        _many("languages", "language", "location_id"),
        _many("addresses", "address", "location_id"),
        _many("contacts", "contact", "location_id"),
        _many("accessibility", "accessibility", "location_id"),
        _many("phones", "phone", "location_id"),
        _many("schedules", "schedule", "location_id"),
    ),
    "organization": (
        _many("funding", "funding", "organization_id"),
        _many("contacts", "contact", "organization_id"),
        _many("phones", "phone", "organization_id"),
        _many("locations", "location", "organization_id"),
        _many("programs", "program", "organization_id"),
        _many("organization_identifiers", "organization_identifier", "organization_id"),
    ),
    "phone": (_many("languages", "language", "phone_id"),),
    "contact": (_many("phones", "phone", "contact_id"),),
    "attribute": (_one("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (_one("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}
_WITHOUT_ATTRIBUTES = frozenset({"attribute", "taxonomy_term", "taxonomy", "metadata"})


def _nests(table: str) -> tuple[_Nest, ...]:
    extra = () if table in _WITHOUT_ATTRIBUTES else (_many("attributes", "attribute", "link_id"),)
    return NESTS.get(table, ()) + extra


# =========================================================================== out


def export_page(catalog: Catalog, provinces: Provinces | None = None) -> dict[str, Any]:
    """The catalog's groups as a Page of HSDS 3 ``service_full`` objects."""
    rows = export_rows(catalog, provinces)
    index = _Index(rows)
    contents = [index.nest("service", row) for row in rows["service"]]
    count = len(contents)
    return {
        "total_items": count,
        "total_pages": 1,
        "page_number": 1,
        "size": count,
        "first_page": True,
        "last_page": True,
        "empty": count == 0,
        "contents": contents,
    }


def page_text(catalog: Catalog, provinces: Provinces | None = None) -> str:
    return json.dumps(export_page(catalog, provinces), indent=2, ensure_ascii=False) + "\n"


class _Index:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.by_id = {table: {r["id"]: r for r in items} for table, items in rows.items()}
        self.types = {r.name: {f["name"]: f["type"] for f in r.fields} for r in resources()}
        self.children: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for table, items in rows.items():
            links = {
                n.link
                for t in (*NESTS, "service")
                for n in _nests(t)
                if n.child == table and n.kind == "many"
            }
            for link in sorted(links):
                for item in items:
                    if item.get(link):
                        self.children.setdefault((table, link, item[link]), []).append(item)

    def nest(self, table: str, row: dict[str, str]) -> dict[str, Any]:
        types = self.types[table]
        result: dict[str, Any] = {
            name: _typed(types[name], value) for name, value in row.items() if value
        }
        for nest in _nests(table):
            if nest.kind == "one":
                target = self.by_id[nest.child].get(row.get(nest.link, ""))
                if target is not None:
                    result[nest.property] = self.nest(nest.child, target)
                continue
            items = self.children.get((nest.child, nest.link, row["id"]), [])
            if nest.child == "attribute":
                items = [i for i in items if i.get("link_entity") == table]
            if items:
                result[nest.property] = [self.nest(nest.child, item) for item in items]
        return result


def _typed(kind: str, value: str) -> Any:
    if kind == "number":
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


# =========================================================================== in


def is_json_input(path: Path) -> bool:
    """Whether ``path`` is an HSDS JSON file (any .json file but a datapackage.json)."""
    return path.suffix.lower() == ".json" and path.name != DESCRIPTOR and not path.is_dir()


def read_json_package(path: Path) -> Package:
    """The services of an HSDS 3 JSON file as the tables :func:`read_package` gives.

    Raises :class:`PackageError` (file, line, field) when it is not HSDS JSON or a value is
    wrong.
    """
    file = str(path)
    try:
        text = read_text(path)
    except CatalogError as exc:
        raise PackageError(exc.problems) from None
    data = _decode(file, text)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        services, where = data["contents"], "contents"
    elif isinstance(data, dict):
        services, where = [data], ""
    elif isinstance(data, list):
        services, where = data, ""
    else:
        services, where = None, ""
    if services is None or not all(isinstance(item, dict) for item in services):
        raise PackageError(
            [
                Problem(
                    file,
                    N_(
                        "expected an HSDS 3 service object, a list of services, or a Page "
                        "with its services in contents"
                    ),
                    field=where or None,
                )
            ]
        )
    flattener = _Flattener(file, text)
    for n, service in enumerate(services):
        flattener.add("service", service, f"{where}[{n}]" if where else f"[{n}]", None)
    if flattener.problems:
        raise PackageError(flattener.problems)
    return _read_rows(path, flattener)


def _decode(file: str, text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError([not_json(file, exc)]) from None
    except RecursionError:
        raise PackageError([too_deep(file)]) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise PackageError(
            [Problem(file, N_("holds a number too large to be meant; check it"))]
        ) from None
    if depth(data) > MAX_DEPTH:
        raise PackageError([too_deep(file)])
    return data


_ID = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


class _Flattener:
    """Nested objects to rows of their tables, each with the JSON line of its id."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.rows: dict[str, dict[str, dict[str, str]]] = {r.name: {} for r in resources()}
        self.lines: dict[tuple[str, str], int] = {}
        self.problems: list[Problem] = []
        self.id_lines: dict[str, int] = {}
        line, counted = 1, 0
        for match in _ID.finditer(text):
            line += text.count("\n", counted, match.start())
            counted = match.start()
            value = json.loads(f'"{match.group(1)}"')
            self.id_lines.setdefault(value, line)

    def add(self, table: str, item: dict[str, Any], where: str, parent: Parent) -> str:
        """Add ``item`` (and what it nests) to ``table``; returns its id."""
        columns = resource(table).columns
        cells: dict[str, str] = {}
        for name in columns:
            value = item.get(name)
            if isinstance(value, dict | list):
                self.problems.append(
                    Problem(
                        self.file,
                        N_("expected a single value, got a list or an object"),
                        line=self.id_lines.get(str(item.get("id"))),
                        field=f"{where}.{name}",
                    )
                )
                continue
            cells[name] = _cell(value)
        if parent is not None:
            link, parent_id, entity = parent
            if not cells.get(link):
                cells[link] = parent_id
            if table == "attribute" and not cells.get("link_entity"):
                cells["link_entity"] = entity
        row_id = cells.get("id", "")
        for nest in _nests(table):
            value = item.get(nest.property)
            if value is None:
                continue
            inner = f"{where}.{nest.property}"
            if nest.kind == "one":
                if not isinstance(value, dict):
                    self._not_object(item, inner)
                    continue
                child_id = self.add(nest.child, value, inner, None)
                if not cells.get(nest.link):
                    cells[nest.link] = child_id
                continue
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self._not_object(item, inner, many=True)
                continue
            for n, child in enumerate(value):
                self.add(nest.child, child, f"{inner}[{n}]", (nest.link, row_id, table))
        self._keep(table, row_id, cells)
        return row_id

    def _not_object(self, item: dict[str, Any], where: str, many: bool = False) -> None:
        message = N_("expected a list of objects") if many else N_("expected an object")
        line = self.id_lines.get(str(item.get("id")))
        self.problems.append(Problem(self.file, message, line=line, field=where))

    def _keep(self, table: str, row_id: str, cells: dict[str, str]) -> None:
        rows = self.rows[table]
        key = row_id or f"#{len(rows)}"  # read.py reports the missing id
        known = rows.get(key)
        if known is None:
            rows[key] = cells
            self.lines[(table, key)] = self.id_lines.get(row_id, 1)
            return
        for name, value in cells.items():  # the same object met again: add its links
            if value and not known.get(name):
                known[name] = value


Parent = tuple[str, str, str] | None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _read_rows(path: Path, flattener: _Flattener) -> Package:
    """Read the rows as a CSV package would be read, then name the JSON file in every
    problem and row."""
    file = str(path)
    with tempfile.TemporaryDirectory(prefix="groupfinder-hsds-json-") as folder:
        where: dict[str, tuple[str, dict[int, int]]] = {}
        for table in resources():
            text, starts = _csv(table.columns, flattener, table.name)
            (Path(folder) / table.path).write_text(text, encoding="utf-8")
            where[str(Path(folder) / table.path)] = (table.name, starts)
        try:
            package = read_package(Path(folder))
        except PackageError as exc:
            raise PackageError([_located(p, file, where) for p in exc.problems]) from None
    sheets: dict[str, Sheet] = {}
    for name, sheet in package.sheets.items():
        starts = where.get(sheet.file, (name, {}))[1]
        for row in sheet.rows:
            # A value the import cannot use names the JSON file and line too.
            row.errors = {c: _located(p, file, where) for c, p in row.errors.items()}
            row.line = starts.get(row.line, 1)
        sheet.file = file
        sheets[name] = sheet
    return Package(path.parent, sheets)


def _located(problem: Problem, file: str, where: dict[str, tuple[str, dict[int, int]]]) -> Problem:
    found = where.get(problem.file)
    if found is None:
        return dataclasses.replace(problem, file=file)
    table, starts = found
    line = starts.get(problem.line) if problem.line is not None else None
    field = f"{table}.{problem.field}" if problem.field else table
    return dataclasses.replace(problem, file=file, line=line, field=field)


def _csv(columns: list[str], flattener: _Flattener, table: str) -> tuple[str, dict[int, int]]:
    """The CSV text of a table and, for each line where a row starts, its JSON line."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(columns)
    parts = [header.getvalue()]
    starts: dict[int, int] = {}
    line = 2
    for key, cells in flattener.rows[table].items():
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n").writerow(
            {name: guard_cell(value) for name, value in cells.items()}
        )
        chunk = buffer.getvalue()
        starts[line] = flattener.lines[(table, key)]
        line += sum(1 for _ in _lines(chunk))
        parts.append(chunk)
    return "".join(parts), starts


def _lines(chunk: str) -> Iterator[str]:
    return iter(io.StringIO(chunk, newline=""))
