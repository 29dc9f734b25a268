"""Walk the app the way a person does, with the keyboard, and check what it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Label, Static

from groupfinder.catalog.loader import load_catalog
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.base import CrisisScreen, TooSmallScreen, WelcomeScreen
from groupfinder.tui.screens import (
    GroupScreen,
    QuestionScreen,
    ResultsScreen,
    SummaryScreen,
    starts_a_word,
)
from groupfinder.tui.widgets import CheckList
from helpers import (
    answer,
    answer_one,
    choose,
    csv_text,
    next_question,
    question,
    row,
    screen_text,
    start,
)

SIZE = (100, 34)


def make_app(catalog: Catalog, places: PlaceIndex, language: str = "nl") -> GroupfinderApp:
    return GroupfinderApp(catalog=catalog, places=places, language=language)  # type: ignore[arg-type]


def results(app: GroupfinderApp) -> ResultsScreen:
    assert isinstance(app.screen, ResultsScreen), app.screen
    return app.screen


def first_cell(app: GroupfinderApp, table_id: str, column: int = 1) -> str:
    table = app.screen.query_one(table_id, DataTable)
    return str(table.get_row_at(0)[column])


# ------------------------------------------------------------------ personas


async def test_rest_seeker_in_leuven(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none", location="Leuven", max_distance_km=50)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        assert screen.rec.formats[0].format.id == "wellness_retreat"
        await pilot.press("k")
        assert first_cell(app, "#formats-table") == "Wellness-retraite"
        assert screen.rec.groups, "groups near Leuven"
        assert all(
            g.distance_km is None or g.distance_km <= 50
            for g in screen.rec.groups
            if g.group.setting == "in_person"
        )
        summary = str(screen.query_one("#results-summary", Static).render())
        assert "Leuven" in summary


async def test_peer_recognition_open_gets_a_talk_group(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(
            pilot,
            needs=["recognition"],
            risk="none",
            leadership="peer",
            structure="open",
            languages=["en", "nl"],
        )
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        assert screen.rec.formats[0].format.id == "talk_group"
        assert first_cell(app, "#formats-table") == "Talk group"
        top = screen.rec.groups[0]
        assert first_cell(app, "#groups-table") == top.group.name
        assert top.group.leadership == "peer"


async def test_therapy_persona_in_french_sees_a_therapy_group_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "fr")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(
            pilot,
            needs=["therapy"],
            risk="none",
            leadership="professional",
            structure="structured",
            location="1000",
            max_distance_km=25,
            languages=["fr"],
        )
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        assert screen.rec.formats[0].format.id == "therapy_group"
        for result in screen.rec.groups:
            assert "fr" in result.group.languages


# ------------------------------------------------------------------ moving around


async def test_back_and_edit_keep_answers(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await choose(pilot, "therapy", "growth")
        await next_question(pilot)
        assert question(app) == "risk"
        await pilot.press("escape")
        await pilot.pause()
        assert question(app) == "needs"
        assert app.screen.query_one("#answer", CheckList).chosen == ["therapy", "growth"]
        await next_question(pilot)
        await answer(pilot, risk="none", group_size="small")
        assert isinstance(app.screen, SummaryScreen)
        # Edit the group size from the summary: the new answer shows there.
        await pilot.press("home", *["down"] * 6, "enter")
        await pilot.pause()
        assert question(app) == "group_size"
        assert app.screen.query_one("#answer", CheckList).chosen == ["small"]
        await choose(pilot, "large")
        assert isinstance(app.screen, SummaryScreen)
        assert app.session.answers["group_size"] == "large"
        assert app.session.answers["needs"] == ["therapy", "growth"]


async def test_needs_cannot_be_skipped_or_left_empty(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await next_question(pilot)
        assert question(app) == "needs"
        error = str(app.screen.query_one("#question-error", Static).render())
        assert "Choose at least one" in error
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert question(app) == "needs"
        assert not app.screen.query("#skip")


async def test_what_if_from_the_results(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["learning"], risk="none")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert results(app).rec.formats[0].format.id == "workshop"
        await pilot.press("a")  # change answers
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("home", "enter")  # the first answer: needs
        await pilot.pause()
        await choose(pilot, "learning", "creativity")  # untick learning, tick creativity
        await next_question(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        assert screen.rec.formats[0].format.id == "art_therapy_psychodrama"
        assert len(app.screen_stack) == len({id(s) for s in app.screen_stack})
        assert sum(isinstance(s, ResultsScreen) for s in app.screen_stack) == 1


async def test_language_switch_mid_flow_keeps_answers(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await choose(pilot, "rest")

        def shown() -> tuple[str, str]:
            title = str(app.screen.query_one("#question-title", Static).render())
            return title, app.screen.query_one("#answer", CheckList).choices[0].label

        dutch = shown()
        assert dutch == ("Wat zoek je?", "Therapie")
        await pilot.press("f2")  # to French
        await pilot.pause()
        assert app.language == "fr"
        assert shown() == ("Que cherchez-vous ?", "Thérapie")
        assert app.screen.query_one("#answer", CheckList).chosen == ["rest"]
        await pilot.press("f2", "f2")  # English, then Dutch again
        await pilot.pause()
        assert shown() == dutch
        assert app.session.answers["languages"] == ["nl"]


async def test_group_detail_shows_everything_and_the_advice(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["recognition"], risk="none", location="Gent")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("g", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        group = app.screen.result.group
        assert group.name in text
        assert "Last checked" in text
        assert "Why this score" in text
        assert "Before you join" in text
        assert catalog.advice[0].text.en[:30] in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_place_lookup_shows_the_match_or_suggestions(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none")
        # Back from the summary to the location question.
        while not (isinstance(app.screen, QuestionScreen) and question(app) == "location"):
            await pilot.press("escape")
            await pilot.pause()
        field = app.screen.query_one("#place", Input)
        field.focus()
        await pilot.press(*"Gnet")
        await pilot.pause()
        status = str(app.screen.query_one("#place-status", Static).render())
        assert "Did you mean" in status and "Gent" in status
        await pilot.press("enter")
        await pilot.pause()
        assert question(app) == "location", "an unknown place cannot be confirmed"
        await pilot.press(*["backspace"] * 4, *"Bergen")
        await pilot.pause()
        choices = app.screen.query_one("#place-choices")
        assert choices.display
        await pilot.press("tab")
        choices.focus()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert app.place is not None
        assert field.value.startswith(("BE ", "NL "))
        await pilot.press("enter")
        await pilot.pause()
        assert question(app) == "max_distance_km"


# ------------------------------------------------------------------ crisis help


async def test_crisis_key_works_on_every_screen(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")

    async def crisis_opens_and_closes(pilot: Pilot[Any]) -> None:
        before = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, CrisisScreen), type(before)
        text = " ".join(str(s.render()) for s in app.screen.query("#crisis-lines Static"))
        assert "1813" in text and "113" in text and "112" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is before

    async with app.run_test(size=SIZE) as pilot:
        await crisis_opens_and_closes(pilot)  # welcome
        await start(pilot)
        await crisis_opens_and_closes(pilot)  # a question
        await answer(pilot, needs=["rest"], risk="none")
        await crisis_opens_and_closes(pilot)  # summary
        await pilot.press("ctrl+n")
        await pilot.pause()
        await crisis_opens_and_closes(pilot)  # results
        await pilot.press("g", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        await crisis_opens_and_closes(pilot)  # group


async def test_saying_you_are_in_crisis_shows_the_helplines(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await choose(pilot, "rest")
        await next_question(pilot)
        # Nothing is chosen for the person: "not in danger" is not preselected.
        assert app.screen.query_one("#answer", CheckList).chosen == []
        await choose(pilot, "thoughts")
        assert isinstance(app.screen, CrisisScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert question(app) == "in_care"
        assert app.session.answers["risk"] == "thoughts"


async def test_crisis_line_is_on_every_screen(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        line = str(app.screen.query_one("#crisis-line", Static).render())
        assert "1813" in line and "113" in line and "F1" in line
        await start(pilot)
        assert "1813" in str(app.screen.query_one("#crisis-line", Static).render())


# ------------------------------------------------------------------ layout and safety


async def test_too_small_terminal_gets_a_message(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small", Static).render())
        assert "80" in text and "24" in text and "1813" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_catalog_text_is_never_markup(
    tmp_path: Path, data_dir: Path, places: PlaceIndex
) -> None:
    # Control characters are refused where the catalog is read (tests/test_hostile.py).
    evil = "[bold red]Boom[/] [link=http://x]x[/link] [@click=app.quit]q[/]"
    (data_dir / "groups.csv").write_text(
        csv_text([row(name=evil, description=evil, schedule="[b]Monday[/b]", languages="en")]),
        encoding="utf-8",
    )
    catalog = load_catalog(data_dir, places)
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["recognition"], risk="none")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "[bold red]Boom[/]" in first_cell(app, "#groups-table")
        await pilot.press("g", "enter")
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "[bold red]Boom[/] [link=http://x]x[/link]" in text
        assert "[b]Monday[/b]" in text
        assert "\x1b" not in text


async def test_themes_cycle(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        seen = [app.theme]
        for _ in range(3):
            await pilot.press("f3")
            seen.append(app.theme)
        assert seen == ["textual-dark", "textual-light", "groupfinder-contrast", "textual-dark"]


async def test_welcome_language_buttons(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#lang-fr")
        await pilot.pause()
        assert app.language == "fr"
        assert app.screen.query_one("#lang-fr", Button).variant == "primary"
        await pilot.press("3")
        await pilot.pause()
        assert str(app.language) == "en"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_screen_fits(
    catalog: Catalog, places: PlaceIndex, size: tuple[int, int]
) -> None:
    app = make_app(catalog, places, "fr")
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none", location="Gent")
        await pilot.press("ctrl+n")
        await pilot.pause()
        for selector in ("#crisis-line", "#keys", "#tabs"):
            widget = app.screen.query_one(selector)
            assert widget.region.height > 0, selector
            assert widget.region.bottom <= size[1], selector


async def test_topic_filter_matches_word_starts(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none")
        while not (isinstance(app.screen, QuestionScreen) and question(app) == "topics"):
            await pilot.press("escape")
            await pilot.pause()
        app.screen.query_one("#filter", Input).focus()
        await pilot.press(*"rouw")
        await pilot.pause()
        check = app.screen.query_one("#answer", CheckList)
        assert [c.label for c in check.choices] == ["Rouw"]
        await pilot.press("enter", "space")  # to the list, and choose
        await pilot.pause()
        await pilot.press("shift+tab")  # back to the filter
        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        assert len(check.choices) == len(catalog.topics)
        assert check.chosen == ["grief"], "choices survive filtering"


def test_a_terminal_that_hung_up_is_noticed_without_reading_it() -> None:
    import os
    import tty

    from groupfinder.tui.app import terminal_hung_up

    controller, terminal = os.openpty()
    tty.setraw(terminal)  # as Textual sets it: keys arrive one by one
    try:
        os.write(controller, b"x")
        assert not terminal_hung_up(terminal), "pending input is not a hangup"
        assert os.read(terminal, 1) == b"x", "the check left the key for the app"
        os.close(controller)  # the window closes
        assert terminal_hung_up(terminal)
    finally:
        os.close(terminal)


async def test_enter_on_an_unanswered_question_keeps_its_default(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """The cursor of "who is the group for?" stands on "for myself", the answers' default:
    pressing Enter must not say "for someone close" for the person."""
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await choose(pilot, "rest")
        await next_question(pilot)
        await choose(pilot, "none")
        assert question(app) == "for_whom"
        answer_list = app.screen.query_one("#answer", CheckList)
        assert answer_list.choices[answer_list.highlighted or 0].label == "For myself"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.answers["for_whom"] == "self"


async def test_at_risk_the_results_show_the_helplines_and_professional_help_first(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """At 80x24, in French: the person's first crisis line and the professional-help notice
    are on screen above the tabs, in the region a person sees."""
    app = make_app(catalog, places, "fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="thoughts", languages=["fr"])
        assert isinstance(app.screen, CrisisScreen)
        await pilot.press("escape")
        await pilot.pause()
        await answer(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        box = screen.query_one("#notices-box")
        text = str(screen.query_one("#notices", Static).render())
        assert text.startswith("Besoin de parler à quelqu'un maintenant ?")
        assert text.index("0800 32 123") < text.index("1813")
        assert "Vous avez indiqué que vous traversez une période très difficile" in text
        assert box.region.y > 0 and box.region.bottom <= 24 - 2  # above the footer
        assert screen.query_one("#tabs").region.y > box.region.y


async def _results_at_80x24(
    pilot: Pilot[Any], app: GroupfinderApp, **answers: Any
) -> ResultsScreen:
    await start(pilot)
    await answer(pilot, **answers)
    await pilot.press("ctrl+n")
    await pilot.pause()
    return results(app)


async def test_when_nothing_fits_the_directories_show_under_the_results(
    tmp_path: Path, places: PlaceIndex
) -> None:
    """At 80x24, in French, with an operator's catalog in which nothing fits: the place to
    look further for grief in Brussels is on screen, under the tabs, as literal text."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "groups.csv").write_text(csv_text([row(languages="nl")]), encoding="utf-8")
    catalog = load_catalog(folder, places)
    app = make_app(catalog, places, "fr")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _results_at_80x24(
            pilot, app, needs=["recognition"], risk="none", topics=["grief"], location="1000"
        )
        assert "nothing_fits" in [n.id for n in screen.rec.notices]
        text = screen_text(app)
        assert "Pour aller plus loin" in text
        assert "Centre de Prévention du Suicide" in text
        assert "https://www.preventionsuicide.be" in text
        box = screen.query_one("#look-further-box")
        assert box.region.y > screen.query_one("#tabs").region.y
        assert box.region.bottom <= 24 - 2  # above the crisis line and the keys


async def test_with_sample_data_the_directories_come_before_the_groups(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _results_at_80x24(
            pilot, app, needs=["recognition"], risk="none", topics=["grief"], location="1000"
        )
        text = screen_text(app)
        assert "fictional examples" in text
        assert "Look further" in text
        assert text.index("Look further") < text.index("Kinds of group")
        box = screen.query_one("#look-further-box")
        assert box.region.y < screen.query_one("#tabs").region.y


# ------------------------------------------------------------------ screens that stay true


def rendered_rows(app: GroupfinderApp) -> dict[str, int]:
    """Rows in each results table, as the tables hold them."""
    return {
        table: app.screen.query_one(table, DataTable).row_count
        for table in ("#formats-table", "#groups-table", "#almost-table")
    }


async def test_the_results_tables_are_filled_after_every_what_if_and_f2(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """Changing an answer from the results, three times, and F2 on the results: every
    table is filled for the new answers, and the rows are on the screen."""
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["learning"], risk="none", languages=["en", "nl"])
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = results(app)
        first = rendered_rows(app)
        assert first["#formats-table"] == len(screen.rec.formats) > 0
        assert first["#groups-table"] == len(screen.rec.groups) > 0
        assert first["#almost-table"] == len(screen.rec.near_misses)
        for needs in (["learning", "creativity"], ["creativity"], ["creativity", "rest"]):
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("home", "enter")  # the first answer: needs
            await pilot.pause()
            chosen = app.screen.query_one("#answer", CheckList).chosen
            toggles = [v for v in needs if v not in chosen] + [v for v in chosen if v not in needs]
            await choose(pilot, *toggles)
            await next_question(pilot)
            assert isinstance(app.screen, SummaryScreen)
            # The summary shows the new answer at once.
            summary = screen_text(app)
            shown = ", ".join(catalog.needs[n].name.en for n in needs)  # type: ignore[index]
            assert shown in summary, summary
            await pilot.press("ctrl+n")
            await pilot.pause()
            screen = results(app)
            rows = rendered_rows(app)
            assert rows == {
                "#formats-table": len(screen.rec.formats),
                "#groups-table": len(screen.rec.groups),
                "#almost-table": len(screen.rec.near_misses),
            }
            assert rows["#formats-table"] > 0 and rows["#groups-table"] > 0
            text = screen_text(app)
            assert screen.rec.groups[0].group.name[:20] in text, text
        await pilot.press("1")
        await pilot.pause()
        kinds = screen_text(app)
        assert screen.rec.formats[0].format.name.en in kinds
        await pilot.press("f2")  # Dutch
        await pilot.pause()
        await pilot.pause()
        screen = results(app)
        rows = rendered_rows(app)
        assert rows["#formats-table"] == len(screen.rec.formats) > 0
        assert rows["#groups-table"] == len(screen.rec.groups) > 0
        text = screen_text(app)
        assert screen.rec.formats[0].format.name.nl in text, "the tab and the rows stay"
        assert app.screen.focused is app.screen.query_one("#formats-table")


async def test_f2_on_a_question_keeps_the_focus_and_the_filter(
    catalog: Catalog, places: PlaceIndex
) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer_one(pilot, "needs", ["rest"])
        await answer_one(pilot, "risk", "none")
        await answer_one(pilot, "for_whom", "self")
        assert question(app) == "topics"
        await pilot.press(*"an")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#filter", Input)
        await pilot.press("f2")  # Dutch
        await pilot.pause()
        await pilot.pause()
        field = app.screen.query_one("#filter", Input)
        assert field.value == "an"
        assert app.screen.focused is field
        labels = [c.label for c in app.screen.query_one("#answer", CheckList).choices]
        assert "Angst" in labels and all(starts_a_word("an", label) for label in labels)
        assert "Angst" in screen_text(app)
        await pilot.press("tab")
        focused = app.screen.focused
        await pilot.press("f2")  # French
        await pilot.pause()
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == focused.id


async def test_an_accepted_default_is_the_persons_choice(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """Going on from "which languages" with Dutch ticked is choosing Dutch: switching the
    display language afterwards does not change which groups are allowed."""
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none", languages=["nl"])
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("f2")  # French display
        await pilot.pause()
        assert app.session.answers["languages"] == ["nl"]
        assert "languages" in app.session.chosen


async def test_question_counts_never_jump(catalog: Catalog, places: PlaceIndex) -> None:
    """The total stays the same on every question, whichever follow-up question appears."""
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        seen: list[str] = []
        answers = {"needs": ["rest"], "risk": "thoughts", "location": "Gent"}
        while isinstance(app.screen, QuestionScreen):
            seen.append(str(app.screen.query_one("#progress-label", Label).render()))
            if isinstance(app.screen, QuestionScreen) and question(app) in answers:
                key = question(app)
                await answer_one(pilot, key, answers[key])
            else:
                await pilot.press("ctrl+s" if app.screen.question.skippable else "ctrl+n")
                await pilot.pause()
            if isinstance(app.screen, CrisisScreen):
                await pilot.press("escape")
                await pilot.pause()
        totals = {label.rsplit(" ", 1)[-1] for label in seen}
        assert len(totals) == 1, seen
        numbers = [int(label.split()[1]) for label in seen]
        assert numbers == sorted(numbers) and numbers[-1] == int(totals.pop()), seen


async def test_an_answers_file_opens_at_its_results(
    catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    """``groupfinder --answers FILE``: the app made by the factory opens at the results, in
    the answers' language, every table filled, and the answers can be changed from there."""
    from groupfinder.catalog.answers import read_answers
    from groupfinder.tui.app import create_app

    path = tmp_path / "answers.json"
    path.write_text(
        '{"needs": ["rest"], "language": "fr", "location": "Leuven", "max_distance_km": 50}',
        encoding="utf-8",
    )
    app = create_app(answers=read_answers(str(path)), catalog=catalog, places=places)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = results(app)
        assert app.language == "fr"
        assert app.place is not None and app.place.country == "BE"
        rows = rendered_rows(app)
        assert rows["#groups-table"] == len(screen.rec.groups) > 0
        assert rows["#formats-table"] == len(screen.rec.formats) > 0
        text = screen_text(app)
        assert "Louvain" in text and screen.rec.groups[0].group.name[:20] in text
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert catalog.needs["rest"].name.fr in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert results(app) is screen


def test_no_shown_key_is_one_a_browser_keeps() -> None:
    """Served in a browser, Ctrl+N, Ctrl+W and Ctrl+T open or close windows and tabs: no
    footer shows them, and each action they start has another key that is shown."""
    from textual.binding import Binding

    from groupfinder.tui import base, counselor, kiosk, screens
    from groupfinder.tui.app import GroupfinderApp

    browser_keys = {"ctrl+n", "ctrl+w", "ctrl+t"}
    classes: list[type] = [GroupfinderApp, counselor.CounselorApp, kiosk.KioskApp]
    for module in (base, screens, counselor, kiosk):
        classes += [
            c
            for c in vars(module).values()
            if isinstance(c, type) and c.__module__ == module.__name__ and "BINDINGS" in vars(c)
        ]
    for cls in classes:
        bindings = [b for b in vars(cls).get("BINDINGS", []) if isinstance(b, Binding)]
        for binding in bindings:
            keys = set(binding.key.split(","))
            if keys & browser_keys:
                assert not binding.show, (cls.__name__, binding.key)
                assert any(
                    other.action == binding.action
                    and other.show
                    and not (set(other.key.split(",")) & browser_keys)
                    for other in bindings
                ), (cls.__name__, binding.action)


async def test_f4_goes_on_and_the_footer_shows_it(catalog: Catalog, places: PlaceIndex) -> None:
    app = make_app(catalog, places, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await choose(pilot, "rest")
        footer = screen_text(app).splitlines()[-1]
        assert "f4 Next" in footer and "^n" not in footer
        await pilot.press("f4")
        await pilot.pause()
        assert question(app) == "risk"


async def test_skipping_the_languages_keeps_them_across_f2(
    catalog: Catalog, places: PlaceIndex
) -> None:
    """Skipping "which languages" with Dutch ticked keeps Dutch: F2 on the results changes
    the words, never which groups are shown."""
    app = make_app(catalog, places, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, needs=["rest"], risk="none")  # every other question skipped
        await pilot.press("f4")
        await pilot.pause()
        before = results(app).rec.total_matches
        rows = rendered_rows(app)
        for _ in range(2):
            await pilot.press("f2")
            await pilot.pause()
            await pilot.pause()
            assert app.session.answers["languages"] == ["nl"]
            assert results(app).rec.total_matches == before
            assert rendered_rows(app) == rows


def test_one_wording_for_every_place_lookup(places: PlaceIndex) -> None:
    """The questionnaire's and the counselor form's place fields say the same about a place
    (only an ambiguous one differs: the questionnaire offers a list to choose from)."""
    from groupfinder.tui.widgets import place_status

    found = places.lookup("9000")
    for with_choices in (True, False):
        assert place_status(found, "en", with_choices=with_choices).plain.startswith("✓ ")
        assert "(BE)" in place_status(found, "en", with_choices=with_choices).plain
    typo = places.lookup("Gentt")
    assert place_status(typo, "fr", with_choices=True) == place_status(
        typo, "fr", with_choices=False
    )
    assert place_status(places.lookup("Bergen"), "en", with_choices=True).plain == (
        "Which one do you mean?"
    )
    assert place_status(places.lookup("Bergen"), "en", with_choices=False).plain.startswith(
        "Several places: write one of "
    )
