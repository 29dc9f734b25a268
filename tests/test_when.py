"""When a group meets, wired through: the groups.csv columns, the time question and limit,
the one presenter (facts, Markdown, JSON), the calendar file and the kiosk's take-home."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil import rrule as du

from groupfinder.catalog.loader import COLUMNS, load_groups
from groupfinder.domain.errors import CatalogError
from groupfinder.domain.i18n import tr
from groupfinder.domain.models import Catalog, Group
from groupfinder.domain.questionnaire import QUESTIONS_BY_KEY
from groupfinder.domain.schedule import DAYS, TIMES, meets_when, next_sessions, parse_schedule
from groupfinder.matching import rules
from groupfinder.matching.geo import Origin
from groupfinder.matching.matcher import GroupResult, Matcher
from groupfinder.modes.record import IntakeHeader, Record
from groupfinder.present.export import calendar_ics
from groupfinder.present.facts import group_facts, next_session, when_words
from groupfinder.present.ics import groups_ics
from groupfinder.present.outputs import group_json, to_json, to_markdown
from helpers import MakeCatalog, answers, csv_text, row

TODAY = dt.date(2026, 12, 1)  # a Tuesday
DASH = "\u2013"  # the en dash between two times
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
GENT = Origin(51.0543, 3.7174, "Gent", "BE")

TUESDAY_EVENING = {
    "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    "start_time": "20:00",
    "end_time": "21:30",
    "schedule": "",
}
MONDAY_MORNING = {"rrule": "FREQ=WEEKLY;BYDAY=MO", "start_time": "10:00", "schedule": ""}
FREE_TEXT = {"schedule": "Elke maandag, na afspraak"}
FIFTEENTH = {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "start_time": "19:00", "schedule": ""}
WEEKEND = {
    "first_date": "2027-02-05",
    "last_date": "2027-02-07",
    "start_time": "18:00",
    "end_time": "16:00",
    "cost_eur": "190",
    "cost_unit": "stay",
    "schedule": "",
}


def group(**cells: Any) -> Group:
    timetable = parse_schedule({k: cells.pop(k) for k in list(cells) if k in SCHEDULE_KEYS})
    fields: dict[str, Any] = {
        "id": "g",
        "name": "Groep",
        "format": "support_group",
        "topics": ("grief",),
        "leadership": "peer",
        "setting": "in_person",
        "languages": ("nl",),
        "country": "BE",
        "city": "Gent",
        "timetable": timetable,
    }
    return Group(**{**fields, **cells})


SCHEDULE_KEYS = ("rrule", "start_time", "end_time", "first_date", "last_date", "cost_unit")


def result(g: Group) -> GroupResult:
    return GroupResult(g, 0.0, 0, None, ())


# --- groups.csv -----------------------------------------------------------------------------


def test_the_schedule_columns_are_version_2_columns_of_groups_csv() -> None:
    assert COLUMNS[-6:] == SCHEDULE_KEYS


def test_structured_schedules_load_into_the_group(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog([row(id="a", **TUESDAY_EVENING), row(id="b", **WEEKEND), row(id="c")])
    a, b, c = (catalog.groups_by_id[x] for x in "abc")
    assert a.timetable is not None and a.timetable.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert a.cost_unit == "session"
    assert b.timetable is not None and b.timetable.is_stay and b.cost_unit == "stay"
    assert c.timetable is None and c.schedule == "Elke maandag"


def test_a_version_1_file_without_the_columns_still_loads(tmp_path: Path) -> None:
    columns = COLUMNS[: COLUMNS.index("last_verified") + 1]
    path = tmp_path / "groups.csv"
    path.write_text(csv_text([row(latitude="51.05", longitude="3.72")], columns), "utf-8")
    (loaded,) = load_groups(path, ["support_group"], ["grief"])
    assert loaded.timetable is None and loaded.cost_unit == "session"


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"rrule": "FREQ=SOMETIMES"}, "rrule", "not a valid RRULE"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=1TU"}, "rrule", "needs FREQ=MONTHLY"),
        ({"start_time": "8 pm"}, "start_time", "HH:MM"),
        ({"start_time": "20:00", "end_time": "19:00"}, "end_time", "not after start_time"),
        ({"first_date": "2027-02-30"}, "first_date", "YYYY-MM-DD"),
        ({"first_date": "2027-02-05", "last_date": "2027-02-01"}, "last_date", "before"),
        ({"cost_unit": "weekend"}, "cost_unit", "session, series, stay, month"),
    ],
)
def test_bad_schedule_cells_name_file_line_and_field(
    tmp_path: Path, cells: dict[str, str], field: str, words: str
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(csv_text([row(id="ok"), row(id="bad", **cells)]), "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_groups(path, ["support_group"], ["grief"])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, field)
    assert words in problem.render("en")


def test_every_bad_schedule_cell_of_a_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    bad = row(rrule="FREQ=NEVER", start_time="25:00", cost_unit="night")
    path.write_text(csv_text([bad]), "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_groups(path, ["support_group"], ["grief"])
    assert [p.field for p in caught.value.problems] == ["rrule", "start_time", "cost_unit"]


# --- the question and the answers ------------------------------------------------------------


def test_when_could_you_come_is_declared_as_two_optional_multi_questions() -> None:
    days, times = QUESTIONS_BY_KEY["days"], QUESTIONS_BY_KEY["times"]
    assert days.title == "When could you come?"
    assert (days.kind, times.kind) == ("multi", "multi")
    assert days.skippable and times.skippable and days.minimum == times.minimum == 0
    assert tuple(o.value for o in days.options) == DAYS
    assert tuple(o.value for o in times.options) == TIMES


def test_days_and_times_are_normalised_and_default_to_any() -> None:
    person = answers(days=["thu", "tue", "tue"], times=["evening", "morning"])
    assert person.days == ("tue", "thu") and person.times == ("morning", "evening")
    assert answers().days == () and answers().times == ()
    assert answers().as_json_dict()["days"] == []


@pytest.mark.parametrize(
    ("language", "title", "day"),
    [
        ("nl", "Wanneer zou je kunnen komen?", "dinsdag"),
        ("fr", "Quand pourriez-vous venir ?", "mardi"),
    ],
)
def test_the_question_is_translated(language: Any, title: str, day: str) -> None:
    q = QUESTIONS_BY_KEY["days"]
    assert tr(language, q.title) == title
    assert tr(language, q.options[1].label) == day


# --- the time limit --------------------------------------------------------------------------


def time_limit(catalog: Catalog, **values: Any) -> list[bool]:
    matcher = Matcher(catalog, today=TODAY)
    person = answers(**values)
    ctx = matcher.context(person, matcher.rank_formats(person), GENT)
    limit = next(lim for lim in rules.LIMITS if lim.name == "time")
    return [bool(x > 0) for x in limit.miss(ctx, matcher.table)]


def test_a_group_that_never_meets_when_the_person_can_come_misses_the_time_limit(
    make_catalog: MakeCatalog,
) -> None:
    catalog = make_catalog(
        [
            row(id=f"g{i}", **cells)
            for i, cells in enumerate((TUESDAY_EVENING, MONDAY_MORNING, FREE_TEXT, FIFTEENTH))
        ]
    )
    assert time_limit(catalog, days=["tue"], times=["evening"]) == [False, True, False, False]
    assert time_limit(catalog, days=["mon"]) == [True, False, False, False]
    assert time_limit(catalog, times=["morning"]) == [True, False, False, True]
    assert time_limit(catalog) == [False] * 4  # any day, any time: nothing is cut


def test_a_stay_needs_every_one_of_its_days(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog([row(id="w", **WEEKEND)])
    assert time_limit(catalog, days=["fri", "sat"]) == [True]
    assert time_limit(catalog, days=["fri", "sat", "sun"]) == [False]


def test_the_limit_agrees_with_meets_when_on_the_whole_sample(catalog: Catalog) -> None:
    for days, times in [
        (["tue"], []),
        (["sat", "sun"], ["morning"]),
        (["mon", "wed", "fri"], ["evening"]),
        ([], ["afternoon"]),
    ]:
        misses = time_limit(catalog, days=days, times=times)
        expected = [meets_when(g.timetable, set(days), set(times)) is False for g in catalog.groups]
        assert misses == expected
        assert any(misses), "the sample has groups at other days and times"


def test_a_time_miss_is_a_near_miss_saying_when_it_meets(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="tue", **TUESDAY_EVENING),
            row(id="mon", **MONDAY_MORNING),
            row(id="txt", **FREE_TEXT),
        ]
    )
    rec = Matcher(catalog, today=TODAY).recommend(
        answers(language="en", languages=["nl"], days=["tue"], times=["evening"]),
        origin=GENT,
    )
    assert [r.group.id for r in rec.groups] == ["tue", "txt"]
    (miss,) = rec.near_misses
    assert (miss.group.id, miss.missed_rule) == ("mon", "time")
    assert miss.missed == "Meets every Monday, at 10:00: not when you can come"
    reasons = {r.group.id: [x.text for x in r.reasons if x.rule == "time"] for r in rec.groups}
    assert reasons == {
        "tue": ["Meets when you can come"],
        "txt": ["Check the times: they may not suit you"],
    }
    data = to_json(rec, catalog, NOW)
    assert data["near_misses"][0]["missed_rule"] == "time"
    assert data["answers"]["days"] == ["tue"] and data["answers"]["times"] == ["evening"]


def test_the_time_miss_is_translated(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog([row(id="mon", **MONDAY_MORNING)])
    words = {}
    for language in ("nl", "fr"):
        rec = Matcher(catalog, today=TODAY).recommend(
            answers(language=language, languages=["nl"], days=["tue"]), origin=GENT
        )
        words[language] = rec.near_misses[0].missed
    assert words == {
        "nl": "Komt samen elke maandag, om 10:00: niet wanneer jij kunt",
        "fr": "Se réunit chaque lundi, à 10:00 : pas quand vous pouvez venir",
    }


# --- the one presenter -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", f"every other Tuesday, 20:00{DASH}21:30 · next: Tuesday 1 December"),
        ("nl", f"om de twee weken op dinsdag, 20:00{DASH}21:30 · volgende: dinsdag 1 december"),
        ("fr", f"un mardi sur deux, 20:00{DASH}21:30 · prochaine séance : mardi 1 décembre"),
    ],
)
def test_when_words_in_the_persons_language(catalog: Catalog, language: Any, expected: str) -> None:
    g = group(**{k: v for k, v in TUESDAY_EVENING.items() if k != "schedule"})
    assert when_words(g, language, TODAY) == expected
    assert (tr(language, "When"), expected) in group_facts(result(g), catalog, language, TODAY)


def test_without_a_day_there_is_no_next_date_and_free_text_is_kept() -> None:
    g = group(rrule="FREQ=WEEKLY;BYDAY=TU", start_time="20:00", schedule="na een intake")
    assert when_words(g, "en", None) == "every Tuesday, at 20:00 · na een intake"
    assert when_words(group(schedule="Elke maandag"), "en", TODAY) == "Elke maandag"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€190 per stay"), ("nl", "€ 190 per verblijf"), ("fr", "190 € par séjour")],
)
def test_costs_say_their_unit(catalog: Catalog, language: Any, expected: str) -> None:
    g = group(cost_eur=190.0, **{k: WEEKEND[k] for k in SCHEDULE_KEYS if k in WEEKEND})
    facts = dict(group_facts(result(g), catalog, language, TODAY))
    assert facts[tr(language, "Cost")].replace("\xa0", " ") == expected


def test_json_next_session_has_the_groups_offset_and_is_null_when_unknown(catalog: Catalog) -> None:
    tuesday = {k: v for k, v in TUESDAY_EVENING.items() if k != "schedule"}
    be = group_json(result(group(**tuesday)), catalog, "en", NOW)
    assert be["next_session"] == "2026-12-01T20:00:00+01:00"
    assert be["schedule"] == f"every other Tuesday, 20:00{DASH}21:30 · next: Tuesday 1 December"
    summer = dt.datetime(2027, 6, 2, 9, 0, tzinfo=dt.UTC)
    nl = group_json(result(group(country="NL", **tuesday)), catalog, "en", summer)
    assert nl["next_session"].endswith("+02:00")
    assert dt.datetime.fromisoformat(nl["next_session"]).weekday() == 1
    assert next_session(group(country="NL", **tuesday), summer).tzinfo == ZoneInfo(  # type: ignore[union-attr]
        "Europe/Amsterdam"
    )
    assert group_json(result(group(**tuesday)), catalog, "en")["next_session"] is None  # no clock
    free = group_json(result(group(schedule="Elke maandag")), catalog, "en", NOW)
    assert free["next_session"] is None and free["schedule"] == "Elke maandag"
    assert group_json(result(group()), catalog, "en", NOW)["schedule"] is None
    weekend = {k: WEEKEND[k] for k in SCHEDULE_KEYS if k in WEEKEND}
    stay = group_json(result(group(cost_eur=190.0, **weekend)), catalog, "en", NOW)
    assert stay["cost"] == "€190 per stay" and stay["cost_unit"] == "stay"


def test_markdown_shows_when_with_the_next_date(matcher: Matcher, catalog: Catalog) -> None:
    rec = matcher.recommend(answers(language="en", location="9000"))
    text = to_markdown(rec, catalog, TODAY)
    dated = [r.group for r in rec.groups if r.group.timetable and r.group.timetable.recurrence]
    assert dated, "the sample has series near Gent"
    assert "When: " + when_words(dated[0], "en", TODAY).replace("*", "\\*") in text
    assert "· next: " in text


# --- the calendar file -----------------------------------------------------------------------


def _occurrences(event: Any, count: int) -> list[dt.datetime]:
    start = event.decoded("dtstart")
    rule = event.get("rrule")
    if rule is None:
        return [start]
    series = du.rrulestr(rule.to_ical().decode(), dtstart=start)
    return list(series)[:count]


def test_the_calendar_parses_back_to_the_same_sessions() -> None:
    tuesday = {k: v for k, v in TUESDAY_EVENING.items() if k != "schedule"}
    monthly = {"rrule": "FREQ=MONTHLY;BYDAY=-1FR", "start_time": "19:00", "end_time": "21:00"}
    series = {
        "rrule": "FREQ=WEEKLY;BYDAY=TH;COUNT=6",
        "first_date": "2027-03-25",
        "start_time": "14:00",
    }
    weekend = {k: WEEKEND[k] for k in SCHEDULE_KEYS if k in WEEKEND}
    groups = [
        group(id="a", name="Praatgroep, rouw; Gent", address="Kerkstraat 1", **tuesday),
        group(id="b", country="NL", city="Utrecht", **monthly),
        group(id="c", **series),
        group(id="d", **weekend),
        group(id="e", schedule="Elke maandag"),  # free text only: not in a calendar
    ]
    data = groups_ics(groups, "en", NOW)
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["a@groupfinder", "b@groupfinder", "c@groupfinder", "d@groupfinder"]
    assert str(events["a@groupfinder"]["summary"]) == "Praatgroep, rouw; Gent"
    assert str(events["a@groupfinder"]["location"]) == "Kerkstraat 1, Gent"
    for g in groups[:3]:
        assert g.timetable is not None
        tz = ZoneInfo("Europe/Amsterdam" if g.country == "NL" else "Europe/Brussels")
        expected = [s.start for s in next_sessions(g.timetable, NOW, tz, 6)]
        assert _occurrences(events[f"{g.id}@groupfinder"], 6) == expected
        assert _occurrences(events[f"{g.id}@groupfinder"], 1)[0].tzinfo is not None
    stay = events["d@groupfinder"]
    assert stay.decoded("dtstart") == dt.datetime(
        2027, 2, 5, 18, tzinfo=ZoneInfo("Europe/Brussels")
    )
    assert stay.decoded("dtend") == dt.datetime(2027, 2, 7, 16, tzinfo=ZoneInfo("Europe/Brussels"))
    assert {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Brussels",
        "Europe/Amsterdam",
    }
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded"


def test_an_empty_calendar_is_still_valid() -> None:
    calendar = icalendar.Calendar.from_ical(groups_ics([group(schedule="Elke maandag")], "en", NOW))
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_the_exported_calendar_holds_the_chosen_groups_and_nothing_about_the_client(
    matcher: Matcher, catalog: Catalog
) -> None:
    person = answers(language="nl", location="9000", needs=["recognition"])
    rec = matcher.recommend(person)
    chosen = tuple(r.group.id for r in rec.groups if r.group.timetable)[:2]
    record = Record(
        header=IntakeHeader(client_ref="CLIENT-XYZ", date=TODAY, counselor="KV"),
        answers=person,
        notes="vertrouwelijk: slaapt slecht",
        suggested_groups=chosen,
        pinned_groups=chosen,
    )
    data = calendar_ics(rec, catalog, record)
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(f"{g}@groupfinder" for g in chosen)
    unfolded = data.replace(b"\r\n ", b"")
    assert b"CLIENT-XYZ" not in unfolded and b"slaapt" not in unfolded
    assert calendar_ics(rec, catalog, record) == data, "the same intake gives the same bytes"


# --- HSDS ------------------------------------------------------------------------------------


def test_the_hsds_seam_gives_groups_csv_cells_that_read_back() -> None:
    from groupfinder.domain.schedule import hsds_columns, schedule_cells

    cells = hsds_columns(
        {
            "freq": "WEEKLY",
            "interval": "2",
            "byday": "TU",
            "dtstart": "2027-01-05",
            "until": "2027-06-29",
            "opens_at": "7:30 PM",
            "closes_at": "21:00:00",
        }
    )
    assert cells == {
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270629",
        "start_time": "19:30",
        "end_time": "21:00",
        "first_date": "2027-01-05",
        "last_date": "",
        "cost_unit": "",
    }
    assert schedule_cells(parse_schedule(cells)) == cells
    assert hsds_columns({"description": "Elke dinsdag"}) == schedule_cells(None)
    weekend = {k: WEEKEND[k] for k in SCHEDULE_KEYS if k in WEEKEND}
    assert schedule_cells(parse_schedule(weekend)) == {"rrule": "", **weekend}
