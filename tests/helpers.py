"""What several test modules share: the contracts' facts, a valid group row, small catalogs
and answers (tests import these from here, never from another test module or conftest)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from textual.app import App

from groupfinder.catalog.loader import COLUMNS
from groupfinder.domain.models import Answers, Catalog

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


def screen_text(app: Any) -> str:
    """What a running Textual app shows on its screen right now, as plain text lines."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def visible_lines(app: App[Any]) -> list[str]:
    """The text a person sees on the current screen, line by line: what the compositor
    draws (scrolled-away and clipped content is not there), not the widget tree."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]
