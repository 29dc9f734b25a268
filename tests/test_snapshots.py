"""SVG snapshots of every screen, at 80x24 and 120x40, in Dutch and English; counselor and
kiosk modes too.

Update them after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Answers, Catalog, Language
from groupfinder.modes.kiosk import KioskConfig, hash_pin
from groupfinder.modes.record import IntakeHeader, Record
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.counselor import CounselorApp
from groupfinder.tui.kiosk import KioskApp
from helpers import answer, choose, next_question, start

TODAY = dt.date(2026, 11, 21)
Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def welcome(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def needs(pilot: Pilot[Any]) -> None:
    await start(pilot)
    await choose(pilot, "therapy", "recognition")


async def place(pilot: Pilot[Any]) -> None:
    await start(pilot)
    await answer(pilot, needs=["recognition"], risk="none", setting="in_person_only")
    while pilot.app.screen.name != "location":
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press(*"Gnet")
    await pilot.pause()


async def summary(pilot: Pilot[Any]) -> None:
    await start(pilot)
    await answer(
        pilot,
        needs=["recognition"],
        risk="none",
        topics=["grief"],
        location="Gent",
        max_distance_km=25,
    )


async def results(pilot: Pilot[Any]) -> None:
    await summary(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()


async def kinds(pilot: Pilot[Any]) -> None:
    await results(pilot)
    await pilot.press("1")
    await pilot.pause()


async def group(pilot: Pilot[Any]) -> None:
    await results(pilot)
    await pilot.press("2", "enter")
    await pilot.pause()


async def crisis(pilot: Pilot[Any]) -> None:
    await start(pilot)
    await pilot.press("f1")
    await pilot.pause()


SCREENS: dict[str, Steps] = {
    "welcome": welcome,
    "needs": needs,
    "place": place,
    "summary": summary,
    "results": results,
    "kinds": kinds,
    "group": group,
    "crisis": crisis,
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    snap_compare: Any,
    catalog: Catalog,
    places: PlaceIndex,
    screen: str,
    language: str,
    size: tuple[int, int],
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language=language, today=TODAY)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


async def what_if(pilot: Pilot[Any]) -> None:
    """From the results, change what the person wants (a for answers, the first answer,
    add creativity) and go back to the results: the tables are filled for the new answers."""
    await results(pilot)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("home", "enter")
    await pilot.pause()
    await choose(pilot, "creativity")
    await next_question(pilot)
    await pilot.press("f4")
    await pilot.pause()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_results_after_what_if(
    snap_compare: Any, catalog: Catalog, places: PlaceIndex, language: Language
) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language=language, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=what_if)


def test_too_small(snap_compare: Any, catalog: Catalog, places: PlaceIndex) -> None:
    app = GroupfinderApp(catalog=catalog, places=places, language="en", today=TODAY)
    assert snap_compare(app, terminal_size=(60, 18))


# ----------------------------------------------------------------- counselor and kiosk modes


def intake_record(language: Language) -> Record:
    """A fixed intake (the client code is random otherwise)."""
    answers = Answers.model_validate(
        {"language": language, "needs": ["recognition"], "topics": ["grief"], "location": "Gent"}
    )
    header = IntakeHeader(client_ref="C-SNAP01", date=TODAY, counselor="KV")
    return Record(answers=answers, header=header, notes="Second intake in January.")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_counselor(
    snap_compare: Any,
    catalog: Catalog,
    places: PlaceIndex,
    language: Language,
    size: tuple[int, int],
) -> None:
    app = CounselorApp(
        catalog=catalog,
        places=places,
        language=language,
        today=TODAY,
        record=intake_record(language),
    )
    assert snap_compare(app, terminal_size=size, run_before=welcome)


def kiosk_app(catalog: Catalog, places: PlaceIndex, language: Language) -> KioskApp:
    config = KioskConfig(
        centre="Buurthuis De Brug",
        country="BE",
        location="9000",
        language=language,
        pin_hash=hash_pin("2468"),
    )
    return KioskApp(config, catalog=catalog, places=places, today=TODAY)


async def kiosk_results(pilot: Pilot[Any]) -> None:
    app: KioskApp = pilot.app  # type: ignore[assignment]
    await pilot.pause()
    app.answer("needs", ["recognition"])
    app.show_results()
    await pilot.pause()


async def kiosk_take_home(pilot: Pilot[Any]) -> None:
    await kiosk_results(pilot)
    await pilot.press("f6")
    await pilot.pause()


async def kiosk_pin(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("ctrl+q")
    await pilot.pause()


KIOSK_SCREENS: dict[str, Steps] = {
    "welcome": welcome,
    "results": kiosk_results,
    "take-home": kiosk_take_home,
    "pin": kiosk_pin,
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(KIOSK_SCREENS))
def test_kiosk(
    snap_compare: Any,
    catalog: Catalog,
    places: PlaceIndex,
    screen: str,
    size: tuple[int, int],
) -> None:
    app = kiosk_app(catalog, places, "nl")
    assert snap_compare(app, terminal_size=size, run_before=KIOSK_SCREENS[screen])
