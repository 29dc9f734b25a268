"""Taking results home from the personal app (F6): the code to scan, files in a folder the
person chooses, the groups they chose, and Ctrl+Q asking before results are left behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest
from textual.widgets import Button, Input

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog, Language
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.base import ConfirmScreen, WelcomeScreen
from groupfinder.tui.files import FilesScreen
from groupfinder.tui.screens import GroupScreen, ResultsScreen
from groupfinder.tui.takehome import TakeHomeScreen
from helpers import answers, screen_text

SIZE = (120, 40)
TODAY = dt.date(2026, 12, 1)


def make_app(
    catalog: Catalog, places: PlaceIndex, language: Language = "en", **values: Any
) -> GroupfinderApp:
    """The personal app opened at the results of an answers file (``--answers FILE``)."""
    values.setdefault("location", "Gent")
    opened = answers(language=language, **values)
    return GroupfinderApp(
        catalog=catalog, places=places, language=language, today=TODAY, answers=opened
    )


async def test_f6_shows_the_code_and_offers_files(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, TakeHomeScreen)
        seen = screen_text(app)
        assert "Take your groups home" in seen and "Scan the code" in seen
        assert "█" in seen or "▀" in seen  # the code itself is drawn
        assert "Save as files" in seen
        assert not app.screen.query("#print")  # no printer at home


async def test_files_are_written_only_where_and_when_the_person_says(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        best = [r.group for r in app.recommendation().groups[:3]]
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen)
        seen = screen_text(app)
        assert "Save as files" in seen and "Three files" in seen
        for name in ("handout.pdf", "results.md", "calendar.ics"):
            assert f"groupfinder-2026-12-01-{name}" in seen  # promised before anything
        field = app.screen.query_one("#export-folder", Input)
        field.value = str(folder)
        await pilot.pause()
        assert not folder.exists()  # typing a folder writes nothing
        app.screen.query_one("#export", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, FilesScreen)
        written = sorted(p.name for p in folder.iterdir())
        assert written == [
            "groupfinder-2026-12-01-calendar.ics",
            "groupfinder-2026-12-01-handout.pdf",
            "groupfinder-2026-12-01-results.md",
        ]
        assert (folder / written[1]).read_bytes().startswith(b"%PDF")
        markdown = (folder / written[2]).read_text(encoding="utf-8")
        assert "# Your group suggestions" in markdown
        assert all(g.name.split()[0] in markdown for g in best)
        calendar = icalendar.Calendar.from_ical((folder / written[0]).read_bytes())
        assert calendar.get("VERSION") == "2.0"
        assert not app.session.unsaved  # taken home: Ctrl+Q leaves without asking
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_existing_files_are_replaced_only_when_confirmed(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    old = tmp_path / "groupfinder-2026-12-01-results.md"
    old.write_text("mine, keep me", encoding="utf-8")
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#export-folder", Input).value = str(tmp_path)
        await pilot.pause()
        app.screen.query_one("#export", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "groupfinder-2026-12-01-results.md" in screen_text(app)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen)
    assert old.read_text(encoding="utf-8") == "mine, keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]


async def test_a_folder_that_cannot_be_written_says_so_and_keeps_the_results(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    app = make_app(catalog, places, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.answer("group_size", "small")  # changed since the answers file was opened
        app.show_results()
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.session.saved_version = -1  # the code on the screen counted as taken home
        app.screen.query_one("#export-folder", Input).value = str(blocker / "inside")
        await pilot.pause()
        app.screen.query_one("#export", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen)
        seen = screen_text(app)
        assert "geen map" in seen
        assert "Drie bestanden" in seen and "Three files" not in seen  # the dialog speaks Dutch
        assert app.session.unsaved


async def test_the_groups_chosen_with_c_are_the_ones_taken_home(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        rec = app.recommendation()
        # Not the best group, and one with sessions to put in a calendar.
        result = next(r for r in rec.groups[3:] if r.group.timetable is not None)
        chosen = result.group
        app.show_group(result)
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        assert "c puts it on your list" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "✓ On your list to take home" in screen_text(app)
        assert app.take_home_groups() == [chosen]
        await pilot.press("f6")
        await pilot.pause()
        assert chosen.name in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#export-folder", Input).value = str(tmp_path)
        app.screen.query_one("#export", Button).press()
        await pilot.pause()
    handout = (tmp_path / "groupfinder-2026-12-01-calendar.ics").read_bytes()
    events = icalendar.Calendar.from_ical(handout).walk("VEVENT")
    assert {str(e.get("SUMMARY")) for e in events} == {chosen.name}  # that group, only it


async def test_c_chooses_on_a_groups_page_only(catalog: Catalog, places: PlaceIndex) -> None:
    """The key is the group page's: the results neither show it nor take it."""
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ResultsScreen)
        assert " Choose " not in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert app.take_home == []
        app.show_group(app.recommendation().groups[0])
        await pilot.pause()
        assert " Choose " in screen_text(app)  # in the key bar


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_quit_asks_before_results_are_left_behind(
    catalog: Catalog, places: PlaceIndex, language: Language
) -> None:
    app = make_app(catalog, places, language=language)
    async with app.run_test(size=SIZE) as pilot:
        app.answer("group_size", "small")  # a what-if: these results are not in the file
        app.show_results()
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert ("F6" in screen_text(app)) and app.is_running
        await pilot.press("escape")  # no: the results are still there
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("f6")  # the code was on the screen: taken home
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_reopened_answers_unchanged_leave_at_once(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """Results of an answers file that was not changed are in that file already."""
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_before_any_results_leaves_at_once(catalog: Catalog, places: PlaceIndex) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="en", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_kiosk_offers_no_files(catalog: Catalog, places: PlaceIndex) -> None:
    from groupfinder.modes.kiosk import KioskConfig, hash_pin
    from groupfinder.tui.kiosk import KioskApp

    config = KioskConfig(
        centre="Test", country="BE", location="9000", pin_hash=hash_pin("2468"), language="en"
    )
    app = KioskApp(config, catalog=catalog, places=places)
    async with app.run_test(size=SIZE) as pilot:
        app.answer("needs", ["recognition"])
        app.show_results()
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, TakeHomeScreen)
        assert "Save as files" not in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TakeHomeScreen)


async def test_f6_waits_for_results_and_the_folder_is_typed_into_at_once(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="en", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.answer("needs", ["rest"])
        app.start_questions()
        await pilot.pause()
        await pilot.press("f6")  # on a question: nothing to take home yet
        await pilot.pause()
        assert not isinstance(app.screen, TakeHomeScreen)
        assert "Take home" not in screen_text(app)
        app.show_results()
        await pilot.pause()
        await pilot.press("f6", "s")
        await pilot.pause()
        field = app.screen.query_one("#export-folder", Input)
        assert app.screen.focused is field
        await pilot.press("ctrl+u", *str(tmp_path / "typed"), "enter")
        await pilot.pause()
    assert len(list((tmp_path / "typed").iterdir())) == 3
