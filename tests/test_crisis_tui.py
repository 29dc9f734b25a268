"""Crisis help on screen, read from what the terminal shows (the compositor's lines), not from
the widget tree: F1 opens at its top at 80x24 and smaller, and a person at risk sees the help
and the professional-first advice on the results, the group screen and in counselor mode."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Answers, Catalog
from groupfinder.modes.record import Record
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.base import CrisisScreen
from groupfinder.tui.counselor import CounselorApp
from groupfinder.tui.screens import GroupScreen, ResultsScreen
from helpers import visible_lines

TITLE = {"nl": "Meteen hulp", "fr": "Aide immédiate", "en": "Help right now"}
REASSURING = {
    "nl": "Je hoeft dit niet alleen",
    "fr": "Vous n'avez pas à traverser cela",
    "en": "You do not have to face this alone.",
}
#: Without a place: every country's lines, a line in the person's language first.
FIRST_LINE = {"nl": "1813", "fr": "0800 32 123", "en": "1813"}
EMERGENCY = {"nl": "Noodnummer 112", "fr": "Numéro d'urgence 112", "en": "Emergency number 112"}
HELP_LINE = {
    "nl": "Wil je nu met iemand praten?",
    "fr": "Besoin de parler à quelqu'un maintenant ?",
    "en": "Need to talk to someone now?",
}
PROFESSIONAL = "You said you are going through a very hard time."


def screen_text(app: GroupfinderApp) -> str:
    return "\n".join(visible_lines(app))


@pytest.mark.parametrize("size", [(80, 24), (70, 20), (50, 16)])
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_f1_opens_at_its_top(
    catalog: Catalog, places: PlaceIndex, language: str, size: tuple[int, int]
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language=language)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, CrisisScreen)
        lines = visible_lines(app)
        text = "\n".join(lines)
        assert TITLE[language] in text, text
        assert REASSURING[language] in text, text
        assert FIRST_LINE[language] in text, text
        # Top to bottom: the title, the reassuring sentence, the first line.
        rows = [
            next(n for n, line in enumerate(lines) if key in line)
            for key in (TITLE[language], REASSURING[language], FIRST_LINE[language])
        ]
        assert rows == sorted(rows)
        if size == (80, 24) and language == "en":
            assert "For anyone thinking about suicide" in text  # who the line is for
        # The rest is a key away, translated: 112's name is in the person's language.
        for _ in range(8):
            if EMERGENCY[language] in screen_text(app):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert EMERGENCY[language] in screen_text(app)


async def test_f1_for_a_french_speaker_in_brussels_puts_the_french_line_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.set_place(places.lookup("1000").place)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert text.index("0800 32 123") < text.index("1813")
        assert "Ligne de crise pour les personnes qui pensent au suicide" in text
        assert "113" not in text.replace("0800 32 123", "")  # Belgium's lines only
    line = app.crisis_line()
    assert "BE 0800 32 123" in line and "1813" not in line


def at_risk_session(app: GroupfinderApp, risk: str = "thoughts") -> None:
    for key, value in {
        "needs": ["recognition"],
        "risk": risk,
        "language": "en",
        "languages": ["en"],
    }.items():
        app.session.answer(key, value)


async def test_at_risk_the_group_screen_shows_the_help_and_professional_help_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        at_risk_session(app)
        app.show_results()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        text = screen_text(app)
        assert HELP_LINE["en"] in text and PROFESSIONAL in text
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        lines = visible_lines(app)
        text = "\n".join(lines)
        assert HELP_LINE["en"] in text, text
        assert PROFESSIONAL in text, text
        help_row = next(n for n, line in enumerate(lines) if HELP_LINE["en"] in line)
        name_row = next(n for n, line in enumerate(lines) if app.screen.result.group.name in line)
        assert help_row < name_row, "the help comes before the group"


async def test_not_at_risk_the_group_screen_has_no_crisis_panel(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        at_risk_session(app, risk="none")
        app.show_results()
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        assert PROFESSIONAL not in screen_text(app)
        assert "F1" in screen_text(app)  # the short crisis line stays on every screen


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_counselor_load_of_an_at_risk_record_shows_the_help(
    catalog: Catalog, places: PlaceIndex, size: tuple[int, int]
) -> None:
    answers = Answers.model_validate(
        {"needs": ["recognition"], "risk": "acute", "language": "en", "location": "Gent"}
    )
    app = CounselorApp(
        catalog=catalog,
        places=places,
        language="en",
        today=dt.date(2026, 11, 21),
        record=Record(answers=answers),
    )
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "1813" in text and "Need to talk" in text, text
        assert "You said you are" in text, text
        # Without any need there is no ranking, but the help stays.
        await untick_needs(pilot)
        text = screen_text(app)
        assert "Choose at least one need" in text
        assert "1813" in text and "You said you are" in text, text


async def untick_needs(pilot: Pilot[Any]) -> None:
    from groupfinder.tui.widgets import CheckList

    check = pilot.app.screen.query_one("#f-needs", CheckList)
    check.focus()
    index = [c.value for c in check.choices].index("recognition")
    await pilot.press("home", *["down"] * index, "space")
    await pilot.pause()
