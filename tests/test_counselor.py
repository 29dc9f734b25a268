"""Counselor mode, walked with the keyboard: intake, live ranking, pins, notes, export, load."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog
from groupfinder.modes.record import load_answers_or_record
from groupfinder.tui.base import ConfirmScreen
from groupfinder.tui.counselor import CounselorApp, CounselorScreen
from groupfinder.tui.files import FilesScreen
from groupfinder.tui.widgets import CheckList
from helpers import screen_text, visible_lines

SIZE = (120, 40)
TODAY = dt.date(2026, 11, 21)


def make_app(catalog: Catalog, places: PlaceIndex, **kwargs: Any) -> CounselorApp:
    return CounselorApp(catalog=catalog, places=places, language="en", today=TODAY, **kwargs)


async def tick(pilot: Pilot[Any], field: str, *values: Any) -> None:
    check = pilot.app.screen.query_one(f"#f-{field}", CheckList)
    check.focus()
    for value in values:
        index = [c.value for c in check.choices].index(value)
        await pilot.press("home", *["down"] * index, "space")
    await pilot.pause()


async def pick(pilot: Pilot[Any], field: str, label: str) -> None:
    """Open a drop-down with Enter, move to the option with the arrows, choose with Enter."""
    select = pilot.app.screen.query_one(f"#f-{field}", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    labels = [str(prompt) for prompt, _ in select._options]
    await pilot.press("home", *["down"] * labels.index(label), "enter")
    await pilot.pause()


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def first_row(app: CounselorApp, table: str) -> list[str]:
    return [str(cell) for cell in app.screen.query_one(table, DataTable).get_row_at(0)]


async def intake(pilot: Pilot[Any]) -> None:
    """A short intake: code, initials, needs, leadership, place, a note; pin and suggest."""
    await type_into(pilot, "#client_ref", "AB12")
    await type_into(pilot, "#counselor_initials", "KV")
    await tick(pilot, "needs", "rest")
    await pick(pilot, "leadership", "A trained guide")
    await type_into(pilot, "#f-location", "Leuven")
    notes = pilot.app.screen.query_one("#notes", TextArea)
    notes.focus()
    await pilot.press(*"Call back friday")
    await pilot.press("ctrl+r")  # to the ranking of groups
    await pilot.press("ctrl+p", "ctrl+g")  # pin and suggest the first group
    await pilot.pause()


async def test_the_ranking_follows_each_change(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CounselorScreen)
        summary = str(app.screen.query_one("#ranking-summary", Static).render())
        assert "at least one need" in summary
        await tick(pilot, "needs", "rest")
        assert first_row(app, "#c-formats")[2] == "Wellness retreat"
        await tick(pilot, "needs", "rest", "learning")  # untick rest, tick learning
        assert first_row(app, "#c-formats")[2] == "Workshop"
        await pick(pilot, "group_size", "Small")
        assert app.session.answers["group_size"] == "small"
        await type_into(pilot, "#f-location", "Leuven")
        summary = str(app.screen.query_one("#ranking-summary", Static).render())
        assert "near Leuven" in summary


async def test_intake_from_start_to_export(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        marks = first_row(app, "#c-groups")[0]
        assert marks == "PS"
        chosen = app.screen.rec.groups[0].group.id  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen)
        shown = app.screen.query_one("#export-folder", Input).value
        assert shown.endswith("groupfinder"), "the default folder is shown before writing"
        assert not Path(shown).exists() or shown != str(tmp_path)
        folder = tmp_path / "out"
        await type_into(pilot, "#export-folder", str(folder))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CounselorScreen), "the export dialog closes"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "AB12-2026-11-21-calendar.ics",
        "AB12-2026-11-21-handout.pdf",
        "AB12-2026-11-21-record.json",
        "AB12-2026-11-21-summary.md",
    ]
    record = json.loads((folder / "AB12-2026-11-21-record.json").read_text(encoding="utf-8"))
    assert record["header"] == {"client_ref": "AB12", "date": "2026-11-21", "counselor": "KV"}
    assert record["notes"] == "Call back friday"
    assert record["suggested_groups"] == [chosen]
    assert record["pinned_groups"] == [chosen]
    assert record["answers"]["needs"] == ["rest"]
    assert record["answers"]["leadership"] == "trained"
    summary = (folder / "AB12-2026-11-21-summary.md").read_text(encoding="utf-8")
    assert "Call back friday" in summary


async def test_nothing_is_written_before_an_export(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.chdir(work)
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        await pilot.press("ctrl+e")  # open the dialog, then think better of it
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "work"]


async def test_a_failed_export_keeps_the_session(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        before = dict(app.session.answers)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await type_into(pilot, "#export-folder", str(blocker / "inside"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen), "the dialog stays to try again"
        message = str(app.screen.query_one("#export-message", Static).render())
        assert str(blocker) in message
        assert app.session.answers == before
        assert app.session.intake.notes == "Call back friday"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


async def test_existing_files_are_replaced_only_when_confirmed(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        for _ in range(2):
            await pilot.press("ctrl+e")
            await pilot.pause()
            await type_into(pilot, "#export-folder", str(tmp_path))
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        record = tmp_path / "AB12-2026-11-21-record.json"
        record.write_text("old", encoding="utf-8")
        await pilot.press("enter")  # "No" has the focus
        await pilot.pause()
        assert record.read_text(encoding="utf-8") == "old", "not replaced without a yes"
        await pilot.press("enter")  # export again from the dialog
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert json.loads(record.read_text(encoding="utf-8"))["header"]["client_ref"] == "AB12"


async def test_load_reopens_a_record(tmp_path: Path, catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await type_into(pilot, "#export-folder", str(tmp_path))
        await pilot.press("enter")
        await pilot.pause()
        saved = (
            dict(app.session.answers),
            list(app.session.intake.suggested_groups),
            app.session.intake.notes,
        )
    path = tmp_path / "AB12-2026-11-21-record.json"
    answers, record = load_answers_or_record(str(path), None, catalog.topics, catalog)
    assert record is not None
    assert answers == record.answers
    again = make_app(catalog, places, record=record)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.session.answers["needs"] == saved[0]["needs"]
        assert again.session.answers["leadership"] == "trained"
        assert again.session.intake.suggested_groups == saved[1]
        assert again.session.intake.notes == saved[2]
        assert again.screen.query_one("#f-needs", CheckList).chosen == ["rest"]
        assert again.screen.query_one("#client_ref", Input).value == "AB12"
        assert "near Leuven" in str(again.screen.query_one("#ranking-summary", Static).render())


async def test_a_bad_date_is_refused_not_guessed(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await intake(pilot)
        await type_into(pilot, "#date", "21/11/2026")
        assert app.screen.query_one("#date", Input).has_class("-invalid")
        await pilot.press("ctrl+e")
        await pilot.pause()
        await type_into(pilot, "#export-folder", str(tmp_path))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen), "the dialog stays to correct the date"
        message = str(app.screen.query_one("#export-message", Static).render())
        assert "21/11/2026" in message
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ work never lost


async def test_long_notes_stop_at_the_limit_with_a_count_and_export(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    """25,000 characters pasted into the notes: the field keeps 20,000, says so, and the
    export writes them, with no traceback and nothing lost."""
    from groupfinder.modes.record import MAX_NOTES

    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "needs", "rest")
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        notes.insert("x" * 25_000)
        await pilot.pause()
        title = str(app.screen.query_one("#notes-title", Static).render())
        assert f"{MAX_NOTES} of {MAX_NOTES} characters" in title
        assert len(notes.text) == MAX_NOTES == len(app.session.intake.notes)
        await pilot.press("ctrl+e")
        await pilot.pause()
        promised = str(app.screen.query_one("#export-names", Static).render())
        await type_into(pilot, "#export-folder", str(tmp_path))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CounselorScreen)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4 and all(name in promised for name in names), (names, promised)
    code = app.session.intake.client_ref
    assert code.startswith("C-") and all(name.startswith(code) for name in names)
    record = json.loads(next(tmp_path.glob("*-record.json")).read_text(encoding="utf-8"))
    assert len(record["notes"]) == MAX_NOTES


async def test_a_blank_client_code_is_the_code_shown_once(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        shown = app.screen.query_one("#client_ref", Input).value
        assert shown.startswith("C-")
        await tick(pilot, "needs", "rest")
        await type_into(pilot, "#client_ref", "")
        first = app.export_targets(Path("out"))
        assert first == app.export_targets(Path("out")), "the same names each time"
        assert all(p.name.startswith(shown) for p in first)


async def test_quit_with_changes_not_exported_asks_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "needs", "rest")
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press(*"Call back")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "not exported" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")  # no: stay
        await pilot.pause()
        assert isinstance(app.screen, CounselorScreen) and app.is_running
        assert app.session.intake.notes == "Call back"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("tab", "enter")  # yes
        await pilot.pause()
    assert not app.is_running


async def test_an_unexpected_export_error_is_short_and_keeps_the_session(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret client answers in here")

    monkeypatch.setattr("groupfinder.present.export.export_files", broken)
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "needs", "rest")
        await pilot.press("ctrl+e")
        await pilot.pause()
        await type_into(pilot, "#export-folder", str(tmp_path))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilesScreen) and app.is_running
        message = str(app.screen.query_one("#export-message", Static).render())
        assert "RuntimeError" in message and "secret" not in message
        assert app.session.answers["needs"] == ["rest"]


async def test_the_detail_pane_shows_the_groups_facts_as_the_handout_does(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """Who a group is for, where and how, when, contacts and when it was checked: the facts
    of the group screen and the handout, for the highlighted group, after every change."""
    from groupfinder.present.facts import group_facts

    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "needs", "recognition")
        await type_into(pilot, "#f-location", "Gent")
        await pilot.press("ctrl+r", "down")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CounselorScreen) and screen.rec is not None
        shown = str(screen.query_one("#c-detail", Static).render())
        result = screen.rec.groups[1]
        assert result.group.name in shown
        facts = group_facts(result, catalog, "en", TODAY)
        labels = {label for label, _ in facts}
        assert {"For whom", "Where", "How", "When", "Led by", "Last checked"} <= labels
        for label, value in facts:
            assert f"{label}: {value}" in shown
        assert "Why this score" in shown
        seen = screen_text(app)  # the top of the pane is on the screen, not just in a widget
        assert result.group.name in seen and "For whom:" in seen
        await pick(pilot, "setting", "Only online")  # what-if: the pane follows the new ranking
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = str(screen.query_one("#c-detail", Static).render())
        table = screen.query_one("#c-groups", DataTable)
        highlighted = screen.rec.groups[table.cursor_row].group
        assert highlighted.name in shown
        for label, value in group_facts(screen.rec.groups[table.cursor_row], catalog, "en", TODAY):
            assert f"{label}: {value}" in shown


async def test_a_drop_down_never_shows_textuals_english_prompt(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = CounselorApp(catalog=catalog, places=places, language="nl", today=TODAY)
    async with app.run_test(size=SIZE):
        seen = visible_lines(app)
        assert any("Niet beantwoord" in line for line in seen)
        assert not any(line.rstrip().endswith(("Select", "Select  ▼", "Select ▼")) for line in seen)
        assert not any(" Select " in f" {line} " for line in seen)


async def test_typing_in_the_client_code_keeps_the_generated_code(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places)
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#client_ref", Input)
        generated = field.value
        field.focus()
        await pilot.press("end", *"-B")
        await pilot.pause()
        assert field.value == generated + "-B"
        assert "Ranking" in screen_text(app)  # Ctrl+R is in the key bar
