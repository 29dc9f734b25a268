"""What several test modules share: the contracts' facts, a valid group row, small catalogs
and answers (tests import these from here, never from another test module or conftest)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from groupfinder.catalog.csvfile import open_csv
from groupfinder.catalog.loader import (
    _PARSERS,
    COLUMNS,
    REQUIRED_COLUMNS,
    Places,
    _parse_row,
    read_text,
)
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
