"""What several test modules share: the contracts' facts, a valid group row, small catalogs
and answers (tests import these from here, never from another test module or conftest)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from groupfinder.catalog.csvfile import open_csv
from groupfinder.catalog.hsds import HsdsMapping, ImportResult
from groupfinder.catalog.loader import (
    _PARSERS,
    COLUMNS,
    REQUIRED_COLUMNS,
    Places,
    _parse_row,
    read_text,
)
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Answers, Catalog, Group
from groupfinder.tui.base import WelcomeScreen
from groupfinder.tui.screens import QuestionScreen
from groupfinder.tui.widgets import CheckList

#: The keys every group (and near miss) has in ``recommend --format json`` (contract 2, v2).
JSON_GROUP_KEYS = (
    "id",
    "name",
    "format",
    "score",
    "match",
    "distance_km",
    "city",
    "setting",
    "for_whom",
    "age_min",
    "age_max",
    "restricted_to",
    "audience",
    "reasons",
    "contact",
)


#: A valid group row; tests override the cells they care about.
BASE_ROW: dict[str, str] = {
    "id": "t-1",
    "name": "Test group",
    "format": "support_group",
    "topics": "grief",
    "leadership": "peer",
    "size_min": "6",
    "size_max": "12",
    "setting": "in_person",
    "drop_in": "yes",
    "address": "Teststraat 1",
    "postcode": "9000",
    "city": "Gent",
    "country": "BE",
    "latitude": "51.0543",
    "longitude": "3.7174",
    "languages": "nl",
    "schedule": "Elke maandag",
    "cost_eur": "0",
    "contact_phone": "",
    "contact_email": "t@example.org",
    "website": "https://example.org/t",
    "wheelchair": "yes",
    "audience": "Iedereen",
    "description": "Een testgroep.",
    "last_verified": "2026-01-01",
    "for_whom": "both",
    "age_min": "",
    "age_max": "",
    "restricted_to": "",
}


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue()


def row(**cells: str) -> dict[str, str]:
    return {**BASE_ROW, **cells}


MakeCatalog = Callable[[list[dict[str, str]]], Catalog]


def answers(**values: Any) -> Answers:
    values.setdefault("needs", ["recognition"])
    return Answers.model_validate(values)


#: The keys of every entry of ``look_further`` in ``recommend --format json`` (contract 2).
JSON_LOOK_FURTHER_KEYS = ("name", "url", "about", "source", "checked")


def visible_lines(app: App[Any]) -> list[str]:
    """The text a person sees on the current screen, line by line: what the compositor
    draws (scrolled-away and clipped content is not there), not the widget tree."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


def screen_text(app: App[Any]) -> str:
    """The text a person sees on the app's screen right now (:func:`visible_lines`)."""
    return "\n".join(visible_lines(app))


# ------------------------------------------------------------------ a person at the keyboard


def question(app: App[Any]) -> str:
    assert isinstance(app.screen, QuestionScreen), app.screen
    return app.screen.question.key


async def choose(pilot: Pilot[Any], *values: Any) -> None:
    """Highlight each value in the answer list and press Space, as a person would."""
    check = pilot.app.screen.query_one("#answer", CheckList)
    check.focus()
    for value in values:
        index = [c.value for c in check.choices].index(value)
        await pilot.press("home", *["down"] * index, "space")
    await pilot.pause()


async def next_question(pilot: Pilot[Any]) -> None:
    await pilot.press("f4")
    await pilot.pause()


async def answer(pilot: Pilot[Any], **answers: Any) -> None:
    """Go through the questions from the current one to the summary.

    Questions not named are skipped (or, when they cannot be skipped, left as they are).
    """
    app = pilot.app
    while isinstance(app.screen, QuestionScreen):
        key = question(app)
        screen = app.screen
        if key not in answers:
            await pilot.press("ctrl+s" if screen.question.skippable else "ctrl+n")
            await pilot.pause()
            continue
        await answer_one(pilot, key, answers[key])
        assert app.screen is not screen, f"stuck on {key}"


async def answer_one(pilot: Pilot[Any], key: str, value: Any) -> None:
    """Answer the question on screen, as a person would, and go on."""
    screen = pilot.app.screen
    assert isinstance(screen, QuestionScreen) and screen.question.key == key
    if screen.question.kind == "single":
        await choose(pilot, value)  # choosing a single answer goes on by itself
    elif screen.question.kind == "place":
        field = screen.query_one("#place", Input)
        field.focus()
        await pilot.press(*value)
        await pilot.press("enter")
        await pilot.pause()
    else:
        chosen = screen.query_one("#answer", CheckList).chosen
        toggles = [v for v in value if v not in chosen] + [v for v in chosen if v not in value]
        await choose(pilot, *toggles)
        await next_question(pilot)


async def start(pilot: Pilot[Any]) -> None:
    assert isinstance(pilot.app.screen, WelcomeScreen)
    await pilot.press("enter")
    await pilot.pause()


# --------------------------------------------------------------------------- HSDS validation

HSDS_SPEC = Path(__file__).parent / "fixtures" / "hsds" / "spec"
_TABLE_TYPES: dict[str, Callable[[str], object]] = {
    "number": lambda v: math.isfinite(float(v)) or float("x"),
    "integer": int,
    "date": dt.date.fromisoformat,
    # Table Schema's default formats: ISO 8601 date-time in UTC or with an offset, HH:MM:SS.
    "datetime": lambda v: dt.datetime.strptime(v.replace("Z", "+00:00"), "%Y-%m-%dT%H:%M:%S%z"),
    "time": lambda v: dt.datetime.strptime(v, "%H:%M:%S"),
    "boolean": lambda v: {"true": 1, "false": 0}[v],
    "string": str,
}
_STRING_FORMATS: dict[str, Callable[[str], bool]] = {
    "uuid": lambda v: bool(uuid.UUID(v)),
    "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v) is not None,
    "uri": lambda v: re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", v) is not None,
}


def table_schema_violations(descriptor: dict[str, Any], files: dict[str, str]) -> list[str]:
    """What a Frictionless validator reports of a package against ``descriptor``: every file
    of every resource, its header exactly the schema's fields, required cells filled, types
    and formats, enums, unique fields, primary and foreign keys. [] when it is valid."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    tables: dict[str, list[dict[str, str]]] = {}
    for resource in descriptor["resources"]:
        name, path, schema = resource["name"], resource["path"], resource["schema"]
        if path not in files:
            problems.append(f"{path}: missing")
            continue
        reader = csv.reader(io.StringIO(files[path], newline=""))
        header, *records = list(reader)
        names = [field["name"] for field in schema["fields"]]
        if header != names:
            problems.append(f"{path}: header {header} is not {names}")
            continue
        rows = []
        for line, record in enumerate(records, start=2):
            if len(record) != len(header):
                problems.append(f"{path}:{line}: {len(record)} cells")
                continue
            cells = dict(zip(header, record, strict=True))
            rows.append(cells)
            for field in schema["fields"]:
                problems.extend(_cell_violations(f"{path}:{line}", field, cells[field["name"]]))
        for field in schema["fields"]:
            unique = field.get("constraints", {}).get("unique") or field["name"] == schema.get(
                "primaryKey"
            )
            values = [r[field["name"]] for r in rows if r[field["name"]]]
            if unique and len(values) != len(set(values)):
                problems.append(f"{path}: {field['name']} is not unique")
        tables[name] = rows
        ids[name] = {r["id"] for r in rows}
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"]
            for n, cells in enumerate(tables.get(resource["name"], []), start=2):
                value = cells[key["fields"]]
                if value and value not in ids.get(target, set()):
                    problems.append(f"{resource['path']}:{n}: {key['fields']} {value!r} dangles")
    return problems


def _cell_violations(where: str, field: dict[str, Any], value: str) -> list[str]:
    constraints = field.get("constraints", {})
    if not value:
        return [f"{where}: {field['name']} is required"] if constraints.get("required") else []
    try:
        _TABLE_TYPES[field["type"]](value)
        if field.get("format") in _STRING_FORMATS and not _STRING_FORMATS[field["format"]](value):
            raise ValueError(field["format"])
    except (ValueError, KeyError):
        return [f"{where}: {field['name']} {value!r} is not a {field['type']}"]
    if "enum" in constraints and value not in constraints["enum"]:
        return [f"{where}: {field['name']} {value!r} is not one of {constraints['enum']}"]
    return []


def _closed(schema: Any) -> Any:
    """The schema with additionalProperties false on every object, as the HSDS examples are
    checked (compiletojsonschema --set-additional-properties-false-everywhere)."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in schema:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


def hsds_json_violations(document: Any, kind: str = "page") -> list[str]:
    """Violations of the official HSDS 3.0 JSON schemas (no property outside them, formats
    checked): ``kind`` "page" (a Page of service_full, as the API's /services?full=true
    returns), "service" (one service_full) or "list" (a Page of service_list)."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    def load(name: str) -> Any:
        return _closed(json.loads((HSDS_SPEC / "schema" / name).read_text(encoding="utf-8")))

    service = "urn:hsds:service"
    registry: Registry[Any] = Registry().with_resources(
        [
            (service, Resource.from_contents(load("service_with_definitions.json"), DRAFT7)),
            ("urn:hsds:service_list", Resource.from_contents(load("service_list.json"), DRAFT7)),
        ]
    )
    page = load("openapi.json")["components"]["schemas"]["Page"]
    items = {"$ref": service if kind == "page" else "urn:hsds:service_list"}
    schema: dict[str, Any] = (
        {"$ref": service}
        if kind == "service"
        else {
            **page,
            "properties": {**page["properties"], "contents": {"type": "array", "items": items}},
            "required": ["contents"],
        }
    )
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(_STRING_FORMATS["uri"])
    validator = jsonschema.Draft7Validator(schema, registry=registry, format_checker=checker)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def load_groups_per_row(
    path: Path,
    format_ids: Iterable[str],
    topic_ids: Iterable[str],
    places: Places = None,
    audience_ids: Iterable[str] = (),
) -> list[Group]:
    """The per-row path groups.csv was read by before the column checks (issue 15): one
    validated Group per row. Kept as the oracle the column checks must agree with."""
    file = str(path)
    text = read_text(path)
    formats, topics = frozenset(format_ids), frozenset(topic_ids)
    audiences = frozenset(audience_ids)
    table = open_csv(
        file, text, required=REQUIRED_COLUMNS, known=_PARSERS, expected=", ".join(COLUMNS)
    )
    header = table.header
    problems: list[Problem] = []
    groups: list[Group] = []
    first_line: dict[str, int] = {}
    for line, cells in table.rows(problems):
        group, row_problems = _parse_row(
            file, line, dict(zip(header, cells, strict=True)), formats, topics, places, audiences
        )
        problems.extend(row_problems)
        if group is None:
            continue
        if group.id in first_line:
            problems.append(
                Problem(
                    file,
                    N_("duplicate id {value!r}; first used on line {first}"),
                    line=line,
                    field="id",
                    values={"value": group.id, "first": first_line[group.id]},
                )
            )
            continue
        first_line[group.id] = line
        groups.append(group)
    if problems:
        raise CatalogError(problems)
    return groups


# ------------------------------------------------------------------ commands and imports


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``groupfinder ARGS``: its exit code, standard output and standard error."""
    from groupfinder.cli.main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def hsds_import(
    path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> ImportResult:
    """An HSDS package (folder, descriptor or JSON file) imported against ``catalog``."""
    from groupfinder.catalog import hsds

    return hsds.import_package(
        path, mapping, catalog.formats, catalog.topics, places, catalog.audiences
    )
