"""The schedule columns of groups.csv v2: parsing, sessions, words, availability, ICS, HSDS."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from groupfinder.domain.errors import FieldError, Problem
from groupfinder.domain.models import Language
from groupfinder.domain.schedule import (
    ANCHOR,
    DAYS,
    IcsEvent,
    Schedule,
    ScheduleFieldError,
    cost_phrase,
    describe,
    from_hsds,
    ics_calendar,
    meets_when,
    next_label,
    next_sessions,
    parse_schedule,
    timezone_for,
    to_hsds,
)

TODAY = dt.date(2026, 12, 1)  # a Tuesday
BRUSSELS = ZoneInfo("Europe/Brussels")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def schedule(**fields: str) -> Schedule:
    parsed = parse_schedule(fields)
    assert parsed is not None
    return parsed


def starts(s: Schedule, after: dt.datetime, count: int = 3, tz: ZoneInfo = BRUSSELS) -> list[str]:
    return [f"{x.start:%Y-%m-%d %H:%M}" for x in next_sessions(s, after, tz, count)]


# --- words -----------------------------------------------------------------------------------

EVERY_OTHER = {
    "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    "start_time": "20:00",
    "end_time": "21:30",
    "first_date": "2026-11-24",
}
PHRASES: list[tuple[dict[str, str], dict[str, str]]] = [
    (
        EVERY_OTHER,
        {
            "en": "every other Tuesday, 20:00\u201321:30 · next: Tuesday 8 December",
            "nl": "om de twee weken op dinsdag, 20:00\u201321:30 · volgende: dinsdag 8 december",
            "fr": "un mardi sur deux, 20:00\u201321:30 · prochaine séance : mardi 8 décembre",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;BYDAY=WE", "start_time": "10:00", "end_time": "12:00"},
        {
            "en": "every Wednesday, 10:00\u201312:00 · next: Wednesday 2 December",
            "nl": "elke woensdag, 10:00\u201312:00 · volgende: woensdag 2 december",
            "fr": "chaque mercredi, 10:00\u201312:00 · prochaine séance : mercredi 2 décembre",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA"},
        {
            "en": "every 3 weeks on Saturday · next: Saturday 12 December",
            "nl": "om de 3 weken op zaterdag · volgende: zaterdag 12 december",
            "fr": "toutes les 3 semaines, le samedi · prochaine séance : samedi 12 décembre",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;BYDAY=MO,TH", "start_time": "19:00"},
        {
            "en": "every Monday and Thursday, at 19:00 · next: Thursday 3 December",
            "nl": "elke maandag en donderdag, om 19:00 · volgende: donderdag 3 december",
            "fr": "chaque lundi et jeudi, à 19:00 · prochaine séance : jeudi 3 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;BYDAY=1MO"},
        {
            "en": "every first Monday of the month · next: Monday 7 December",
            "nl": "elke eerste maandag van de maand · volgende: maandag 7 december",
            "fr": "chaque premier lundi du mois · prochaine séance : lundi 7 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;BYDAY=-1FR"},
        {
            "en": "every last Friday of the month · next: Friday 25 December",
            "nl": "elke laatste vrijdag van de maand · volgende: vrijdag 25 december",
            "fr": "chaque dernier vendredi du mois · prochaine séance : vendredi 25 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;BYDAY=1MO,3MO,-1FR"},
        {
            "en": "every first and third Monday and last Friday of the month"
            " · next: Monday 7 December",
            "nl": "elke eerste en derde maandag en laatste vrijdag van de maand"
            " · volgende: maandag 7 december",
            "fr": "chaque premier et troisième lundi et dernier vendredi du mois"
            " · prochaine séance : lundi 7 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15"},
        {
            "en": "on the 15th of every month · next: Tuesday 15 December",
            "nl": "op de 15e van elke maand · volgende: dinsdag 15 december",
            "fr": "le 15 de chaque mois · prochaine séance : mardi 15 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;BYMONTHDAY=31"},
        {
            "en": "on the 31st of every month (not in shorter months) · next: Thursday 31 December",
            "nl": "op de 31e van elke maand (niet in kortere maanden)"
            " · volgende: donderdag 31 december",
            "fr": "le 31 de chaque mois (sauf les mois plus courts)"
            " · prochaine séance : jeudi 31 décembre",
        },
    ),
    (
        {"rrule": "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1,-1"},
        {
            "en": "on the 1st and last day of every other month · next: Friday 1 January 2027",
            "nl": "om de twee maanden op de 1e en laatste dag · volgende: vrijdag 1 januari 2027",
            "fr": "le 1er et dernier jour, un mois sur deux"
            " · prochaine séance : vendredi 1 janvier 2027",
        },
    ),
    (
        {"rrule": "FREQ=DAILY", "start_time": "08:00"},
        {
            "en": "every day, at 08:00 · next: Tuesday 1 December",
            "nl": "elke dag, om 08:00 · volgende: dinsdag 1 december",
            "fr": "tous les jours, à 08:00 · prochaine séance : mardi 1 décembre",
        },
    ),
    (
        {"rrule": "FREQ=YEARLY", "first_date": "2025-03-12"},
        {
            "en": "every year on 12 March · next: Friday 12 March 2027",
            "nl": "elk jaar op 12 maart · volgende: vrijdag 12 maart 2027",
            "fr": "chaque année le 12 mars · prochaine séance : vendredi 12 mars 2027",
        },
    ),
    (
        {"first_date": "2026-12-08", "start_time": "14:00", "end_time": "16:00"},
        {
            "en": "on Tuesday 8 December, 14:00\u201316:00",
            "nl": "op dinsdag 8 december, 14:00\u201316:00",
            "fr": "le mardi 8 décembre, 14:00\u201316:00",
        },
    ),
    (
        {"first_date": "2025-06-03"},
        {
            "en": "on Tuesday 3 June 2025 · ended",
            "nl": "op dinsdag 3 juni 2025 · afgelopen",
            "fr": "le mardi 3 juin 2025 · terminé",
        },
    ),
    (
        {
            "first_date": "2027-07-03",
            "last_date": "2027-07-05",
            "start_time": "14:00",
            "end_time": "11:00",
            "cost_unit": "stay",
        },
        {
            "en": "from Saturday 3 July 2027 at 14:00 to Monday 5 July 2027 at 11:00",
            "nl": "van zaterdag 3 juli 2027 om 14:00 tot maandag 5 juli 2027 om 11:00",
            "fr": "du samedi 3 juillet 2027 à 14:00 au lundi 5 juillet 2027 à 11:00",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630", "start_time": "10:00"},
        {
            "en": "every Wednesday, at 10:00, until 30 June 2027 · next: Wednesday 2 December",
            "nl": "elke woensdag, om 10:00, tot 30 juni 2027 · volgende: woensdag 2 december",
            "fr": "chaque mercredi, à 10:00, jusqu'au 30 juin 2027"
            " · prochaine séance : mercredi 2 décembre",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;BYDAY=TH", "first_date": "2027-01-07", "last_date": "2027-03-25"},
        {
            "en": "every Thursday, from 7 January 2027 to 25 March 2027"
            " · next: Thursday 7 January 2027",
            "nl": "elke donderdag, van 7 januari 2027 tot 25 maart 2027"
            " · volgende: donderdag 7 januari 2027",
            "fr": "chaque jeudi, du 7 janvier 2027 au 25 mars 2027"
            " · prochaine séance : jeudi 7 janvier 2027",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;COUNT=6", "first_date": "2027-01-05", "start_time": "10:00"},
        {
            "en": "every Tuesday, at 10:00, 6 sessions from 5 January 2027"
            " · next: Tuesday 5 January 2027",
            "nl": "elke dinsdag, om 10:00, 6 sessies vanaf 5 januari 2027"
            " · volgende: dinsdag 5 januari 2027",
            "fr": "chaque mardi, à 10:00, 6 séances à partir du 5 janvier 2027"
            " · prochaine séance : mardi 5 janvier 2027",
        },
    ),
    (
        {"rrule": "FREQ=WEEKLY;COUNT=1", "first_date": "2026-11-03"},
        {
            "en": "every Tuesday, 1 session · ended",
            "nl": "elke dinsdag, 1 sessie · afgelopen",
            "fr": "chaque mardi, 1 séance · terminé",
        },
    ),
    (
        {"start_time": "20:00", "end_time": "22:00"},
        {"en": "20:00\u201322:00", "nl": "20:00\u201322:00", "fr": "20:00\u201322:00"},
    ),
]


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
@pytest.mark.parametrize(("fields", "expected"), PHRASES, ids=lambda v: str(v)[:40])
def test_describe_says_the_schedule_in_each_language(
    fields: dict[str, str], expected: dict[str, str], language: Language
) -> None:
    assert describe(schedule(**fields), language, TODAY) == expected[language]


def test_describe_and_next_label_of_nothing() -> None:
    assert describe(None, "en", TODAY) == ""
    assert describe(schedule(cost_unit="stay"), "en", TODAY) == ""
    assert next_label(None, "en", TODAY) is None
    assert next_label(schedule(start_time="20:00"), "en", TODAY) is None


def test_a_session_today_is_next_and_a_later_year_is_said() -> None:
    weekly = schedule(rrule="FREQ=WEEKLY;BYDAY=TU", start_time="20:00")
    assert next_label(weekly, "en", TODAY) == "next: Tuesday 1 December"
    assert next_label(weekly, "nl", dt.date(2026, 12, 30)) == "volgende: dinsdag 5 januari 2027"


@pytest.mark.parametrize(
    ("language", "amount", "unit", "expected"),
    [
        ("en", 190, "stay", "€190 per stay"),
        ("fr", 190, "stay", "190\xa0€ par séjour"),
        ("nl", 190, "stay", "€\xa0190 per verblijf"),
        ("en", 15, "session", "€15 per session"),
        ("nl", 12.5, "series", "€\xa012,50 per reeks"),
        ("fr", 40, "month", "40\xa0€ par mois"),
        ("en", 0, "stay", "Free"),
        ("fr", None, "session", "Non indiqué : renseignez-vous auprès du groupe"),
    ],
)
def test_cost_phrase_says_what_the_price_pays_for(
    language: Language, amount: float | None, unit: str, expected: str
) -> None:
    assert cost_phrase(language, amount, unit) == expected  # type: ignore[arg-type]


# --- parsing ---------------------------------------------------------------------------------


def test_blank_columns_are_no_schedule() -> None:
    assert parse_schedule({}) is None
    assert parse_schedule(dict.fromkeys(("rrule", "start_time", "cost_unit"), "  ")) is None


def test_a_parsed_schedule_keeps_its_parts() -> None:
    s = schedule(
        rrule="rrule:freq=monthly;byday=1mo,-1fr;until=20270630",
        start_time="9:30",
        end_time="11:00",
        cost_unit="series",
    )
    assert s.rrule == "FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20270630"
    assert (s.start_time, s.end_time) == (dt.time(9, 30), dt.time(11))
    assert s.cost_unit == "series"
    assert s.ends == dt.date(2027, 6, 30)
    # Frozen, and parsing the canonical text again gives the same schedule.
    with pytest.raises(ValueError, match="frozen"):
        s.cost_unit = "stay"  # type: ignore[misc]
    assert schedule(rrule=s.rrule or "", start_time="09:30", end_time="11:00", cost_unit="series")


def test_a_weekly_or_monthly_rule_without_days_takes_them_from_first_date() -> None:
    assert schedule(rrule="FREQ=WEEKLY", first_date="2026-12-03").rrule == "FREQ=WEEKLY;BYDAY=TH"
    monthly = schedule(rrule="FREQ=MONTHLY", first_date="2026-12-03")
    assert monthly.rrule == "FREQ=MONTHLY;BYMONTHDAY=3"
    utc = schedule(rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z")
    assert utc.ends == dt.date(2027, 6, 30)


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule", "not a valid RRULE"),
        ({"rrule": "FREQ=WEEKLY;;BYDAY=TU"}, "rrule", "not a valid RRULE"),
        ({"rrule": "FREQ=HOURLY"}, "rrule", "FREQ=HOURLY is not supported"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU;BYSETPOS=1"}, "rrule", "BYSETPOS is not supported"),
        ({"rrule": "FREQ=MONTHLY;BYMONTH=3;BYDAY=1MO"}, "rrule", "BYMONTH is not supported"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU;WKST=SU"}, "rrule", "WKST is not supported"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO(+1)"}, "rrule", "should look like"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=1MO"}, "rrule", "needs FREQ=MONTHLY"),
        ({"rrule": "FREQ=MONTHLY;BYDAY=MO"}, "rrule", "needs an ordinal"),
        ({"rrule": "FREQ=MONTHLY;BYDAY=-2MO"}, "rrule", "from 1 to 5"),
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=32"}, "rrule", "from 1 to 31"),
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=15;BYDAY=1MO"}, "rrule", "not both"),
        ({"rrule": "FREQ=WEEKLY;BYMONTHDAY=15"}, "rrule", "BYMONTHDAY needs FREQ=MONTHLY"),
        ({"rrule": "FREQ=DAILY;BYDAY=MO"}, "rrule", "use FREQ=WEEKLY"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU,TU"}, "rrule", "twice"),
        (
            {"rrule": "FREQ=WEEKLY;INTERVAL=0;BYDAY=TU"},
            "rrule",
            "INTERVAL must be a whole number from 1 to 99",
        ),
        ({"rrule": "FREQ=WEEKLY;COUNT=1000", "first_date": "2026-12-01"}, "rrule", "COUNT must"),
        (
            {"rrule": "FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "first_date": "2026-12-01"},
            "rrule",
            "not both",
        ),
        ({"rrule": "FREQ=WEEKLY;COUNT=6;BYDAY=TU"}, "rrule", "COUNT needs a first_date"),
        ({"rrule": "FREQ=WEEKLY"}, "rrule", "needs BYDAY"),
        ({"rrule": "FREQ=MONTHLY"}, "rrule", "needs BYDAY"),
        ({"rrule": "FREQ=YEARLY"}, "rrule", "needs a first_date"),
        (
            {"rrule": "FREQ=WEEKLY;UNTIL=20260101", "first_date": "2026-03-01"},
            "rrule",
            "UNTIL (2026-01-01) is before first_date",
        ),
        (
            {
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=31",
                "first_date": "2027-02-01",
                "last_date": "2027-02-28",
            },
            "rrule",
            "no session at all",
        ),
        ({"start_time": "8 PM"}, "start_time", "expected a time as HH:MM"),
        ({"start_time": "24:00"}, "start_time", "expected a time as HH:MM"),
        ({"end_time": "21:00"}, "end_time", "needs a start_time"),
        ({"start_time": "20:00", "end_time": "19:30"}, "end_time", "is not after start_time"),
        ({"start_time": "20:00", "end_time": "20:00"}, "end_time", "is not after start_time"),
        ({"first_date": "2026-13-01"}, "first_date", "YYYY-MM-DD"),
        ({"first_date": "2026-12-01", "last_date": "2026-11-30"}, "last_date", "before first_date"),
        ({"last_date": "2026-11-30"}, "last_date", "needs a first_date"),
        ({"start_time": "20:00", "cost_unit": "week"}, "cost_unit", "unknown value 'week'"),
    ],
)
def test_bad_values_name_their_field(fields: dict[str, str], field: str, fragment: str) -> None:
    with pytest.raises(ScheduleFieldError) as caught:
        parse_schedule(fields)
    assert isinstance(caught.value, FieldError)
    assert caught.value.field == field
    assert fragment.lower() in str(caught.value).lower()


def test_every_bad_column_is_reported_at_once_and_renders_as_a_problem() -> None:
    with pytest.raises(ScheduleFieldError) as caught:
        parse_schedule({"start_time": "late", "first_date": "soon", "cost_unit": "year"})
    assert [e.field for e in caught.value.errors] == ["start_time", "first_date", "cost_unit"]
    problem = Problem(
        "groups.csv", caught.value.message, 7, caught.value.field, caught.value.values
    )
    assert (
        problem.render("nl")
        == "groups.csv:7: start_time: verwachtte een tijd als UU:MM, kreeg 'late'"
    )


def test_a_stay_may_end_earlier_in_the_day_than_it_began() -> None:
    stay = schedule(
        first_date="2027-07-03", last_date="2027-07-05", start_time="14:00", end_time="11:00"
    )
    assert stay.is_stay


# --- sessions --------------------------------------------------------------------------------


def test_next_sessions_skip_months_without_the_day() -> None:
    s = schedule(rrule="FREQ=MONTHLY;BYMONTHDAY=31", start_time="19:00")
    assert starts(s, dt.datetime(2027, 1, 31, 20, tzinfo=BRUSSELS), 3) == [
        "2027-03-31 19:00",
        "2027-05-31 19:00",
        "2027-07-31 19:00",
    ]
    last_day = schedule(rrule="FREQ=MONTHLY;BYMONTHDAY=-1", start_time="19:00")
    assert starts(last_day, dt.datetime(2027, 1, 1, tzinfo=BRUSSELS), 3) == [
        "2027-01-31 19:00",
        "2027-02-28 19:00",
        "2027-03-31 19:00",
    ]


def test_next_sessions_on_the_last_friday_cross_month_ends() -> None:
    s = schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR", start_time="20:00")
    assert starts(s, dt.datetime(2027, 1, 29, 21, tzinfo=BRUSSELS), 3) == [
        "2027-02-26 20:00",
        "2027-03-26 20:00",
        "2027-04-30 20:00",
    ]


@pytest.mark.parametrize("tz", [BRUSSELS, AMSTERDAM])
def test_a_20_00_session_stays_at_20_00_across_summer_time(tz: ZoneInfo) -> None:
    # Summer time starts on 28 March 2027 and ends on 31 October 2027.
    s = schedule(rrule="FREQ=WEEKLY;BYDAY=SA,SU", start_time="20:00", end_time="21:30")
    spring = next_sessions(s, dt.datetime(2027, 3, 27, tzinfo=tz), tz, 2)
    autumn = next_sessions(s, dt.datetime(2027, 10, 30, tzinfo=tz), tz, 2)
    for before, after in (spring, autumn):
        assert (before.start.hour, after.start.hour) == (20, 20)
        assert after.end is not None and (after.end.hour, after.end.minute) == (21, 30)
        assert before.start.utcoffset() != after.start.utcoffset()
    assert spring[0].start.astimezone(dt.UTC).hour == 19
    assert spring[1].start.astimezone(dt.UTC).hour == 18


def test_after_may_be_in_any_zone_or_naive_local() -> None:
    s = schedule(rrule="FREQ=WEEKLY;BYDAY=TU", start_time="20:00")
    # 19:30 UTC is 20:30 in Brussels in winter: tonight's session has begun.
    assert starts(s, dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC), 1) == ["2026-12-08 20:00"]
    assert starts(s, dt.datetime(2026, 12, 1, 20, 0), 1) == ["2026-12-01 20:00"]


def test_nothing_comes_after_the_end() -> None:
    until = schedule(rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215", start_time="20:00")
    assert starts(until, NOW, 5) == ["2026-12-01 20:00", "2026-12-08 20:00", "2026-12-15 20:00"]
    last = schedule(rrule="FREQ=WEEKLY;BYDAY=TU", last_date="2026-12-08", start_time="20:00")
    assert starts(last, NOW, 5) == ["2026-12-01 20:00", "2026-12-08 20:00"]
    count = schedule(rrule="FREQ=WEEKLY;COUNT=3", first_date="2026-11-17", start_time="20:00")
    assert starts(count, NOW, 5) == ["2026-12-01 20:00"]
    assert next_sessions(count, dt.datetime(2026, 12, 2, tzinfo=BRUSSELS), BRUSSELS) == []
    assert next_label(count, "en", dt.date(2026, 12, 2)) == "ended"
    # The earlier of last_date and UNTIL wins.
    both = schedule(rrule="FREQ=DAILY;UNTIL=20261210", last_date="2026-12-03")
    assert both.ends == dt.date(2026, 12, 3)
    assert len(next_sessions(both, NOW, BRUSSELS, 10)) == 3


def test_a_series_without_first_date_counts_from_the_anchor() -> None:
    s = schedule(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start_time="20:00")
    first = next_sessions(s, dt.datetime.combine(ANCHOR, dt.time()), BRUSSELS, 1)[0]
    assert first.start.date() == dt.date(2024, 1, 2)
    # Whenever it is asked, the same Tuesdays: an even number of weeks from 2 January 2024.
    for day in range(14):
        after = dt.datetime(2026, 12, 1, tzinfo=BRUSSELS) + dt.timedelta(days=day)
        start = next_sessions(s, after, BRUSSELS, 1)[0].start.date()
        assert (start - dt.date(2024, 1, 2)).days % 14 == 0
    monthly = schedule(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO")
    assert [x[:7] for x in starts(monthly, NOW, 3)] == ["2027-01", "2027-03", "2027-05"]


def test_one_off_dates_and_stays() -> None:
    one = schedule(first_date="2026-12-08", start_time="14:00", end_time="16:00")
    [session] = next_sessions(one, NOW, BRUSSELS)
    assert session.end == dt.datetime(2026, 12, 8, 16, tzinfo=BRUSSELS)
    assert next_sessions(one, dt.datetime(2026, 12, 8, 15, tzinfo=BRUSSELS), BRUSSELS) == []
    stay = schedule(first_date="2026-12-04", last_date="2026-12-06", cost_unit="stay")
    [whole] = next_sessions(stay, dt.datetime(2026, 12, 5, 12, tzinfo=BRUSSELS), BRUSSELS)
    assert whole.all_day and whole.start.date() == dt.date(2026, 12, 4)
    assert next_sessions(stay, dt.datetime(2026, 12, 7, tzinfo=BRUSSELS), BRUSSELS) == []
    assert next_sessions(schedule(start_time="20:00"), NOW, BRUSSELS) == []
    assert next_sessions(None, NOW, BRUSSELS) == []


def test_time_zones_of_the_countries() -> None:
    assert timezone_for("BE") == BRUSSELS
    assert timezone_for("NL") == AMSTERDAM
    assert timezone_for(None) == BRUSSELS


# --- availability ----------------------------------------------------------------------------

TUESDAY_EVENING = {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start_time": "20:00"}


@pytest.mark.parametrize(
    ("fields", "days", "times", "expected"),
    [
        (TUESDAY_EVENING, set(), set(), True),
        (TUESDAY_EVENING, {"tue"}, {"evening"}, True),
        (TUESDAY_EVENING, {"mon", "tue"}, set(), True),
        (TUESDAY_EVENING, {"wed"}, {"evening"}, False),
        (TUESDAY_EVENING, {"tue"}, {"morning", "afternoon"}, False),
        # A series on two weekdays: the person goes on the one they can come.
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO,TH", "start_time": "10:00"}, {"mon"}, set(), True),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO,TH", "start_time": "10:00"}, {"tue"}, set(), False),
        ({"rrule": "FREQ=WEEKLY;BYDAY=MO,TH", "start_time": "11:59"}, set(), {"morning"}, True),
        ({"rrule": "FREQ=MONTHLY;BYDAY=1SA", "start_time": "12:00"}, {"sat"}, {"afternoon"}, True),
        ({"rrule": "FREQ=WEEKLY;BYDAY=SA", "start_time": "17:59"}, set(), {"afternoon"}, True),
        ({"rrule": "FREQ=WEEKLY;BYDAY=SA", "start_time": "18:00"}, set(), {"evening"}, True),
        ({"rrule": "FREQ=DAILY", "start_time": "09:00"}, {"mon"}, set(), True),
        ({"rrule": "FREQ=DAILY;INTERVAL=7", "first_date": "2026-12-08"}, {"mon"}, set(), False),
        ({"rrule": "FREQ=DAILY", "start_time": "09:00"}, set(DAYS), set(), True),
        # A day of the month falls on any weekday: cannot say; but the time can still miss.
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "start_time": "20:00"}, {"tue"}, set(), None),
        (
            {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "start_time": "20:00"},
            {"tue"},
            {"morning"},
            False,
        ),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU"}, {"tue"}, {"evening"}, None),
        ({"start_time": "20:00"}, {"tue"}, {"evening"}, None),
        ({"first_date": "2026-12-08", "start_time": "20:00"}, {"tue"}, {"evening"}, True),
        ({"first_date": "2026-12-04", "last_date": "2026-12-06"}, {"fri", "sat"}, set(), False),
        (
            {"first_date": "2026-12-04", "last_date": "2026-12-06"},
            {"fri", "sat", "sun"},
            set(),
            True,
        ),
    ],
)
def test_meets_when(
    fields: dict[str, str], days: set[str], times: set[str], expected: bool | None
) -> None:
    assert meets_when(schedule(**fields), days, times) is expected


def test_meets_when_without_a_schedule_or_with_unknown_words() -> None:
    assert meets_when(None, {"tue"}, set()) is None
    assert meets_when(None, set(), set()) is True
    with pytest.raises(ValueError, match="tuesday"):
        meets_when(schedule(**TUESDAY_EVENING), {"tuesday"}, set())


# --- iCalendar -------------------------------------------------------------------------------


def events() -> list[IcsEvent]:
    return [
        IcsEvent(
            group_id="rouw-gent",
            name='Rouw\x1b[31m; groep, "samen"\nverder',
            schedule=schedule(**EVERY_OTHER, last_date="2027-06-30"),
            tz=BRUSSELS,
            location="Kerkstraat 1, 9000 Gent",
            contact=("Phone: 09 000 00 00", "E-mail: rouw@example.org\x07"),
        ),
        IcsEvent(
            group_id="angst-utrecht",
            name="Angst",
            schedule=schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR", start_time="19:00"),
            tz=AMSTERDAM,
        ),
        IcsEvent(
            group_id="kamp",
            name="Retreat",
            schedule=schedule(first_date="2027-07-03", last_date="2027-07-05", cost_unit="stay"),
            tz=BRUSSELS,
        ),
        IcsEvent(
            group_id="reeks",
            name="Reeks",
            schedule=schedule(
                rrule="FREQ=WEEKLY;COUNT=6", first_date="2027-01-05", start_time="10:00"
            ),
            tz=BRUSSELS,
        ),
        # No date at all, and a series that is over: left out.
        IcsEvent("times", "Times only", schedule(start_time="20:00"), BRUSSELS),
        IcsEvent(
            "over",
            "Over",
            schedule(rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20250101", start_time="20:00"),
            BRUSSELS,
        ),
    ]


def test_ics_round_trip() -> None:
    data = ics_calendar(events(), NOW)
    assert data == ics_calendar(events(), NOW)  # reproducible
    assert b"\r\n" in data and b"\x1b" not in data and b"\x07" not in data
    calendar = icalendar.Calendar.from_ical(data)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Brussels",
        "Europe/Amsterdam",
    }
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(found) == [
        "angst-utrecht@groupfinder",
        "kamp@groupfinder",
        "reeks@groupfinder",
        "rouw-gent@groupfinder",
    ]
    rouw = found["rouw-gent@groupfinder"]
    assert str(rouw["SUMMARY"]) == 'Rouw [31m; groep, "samen" verder'
    assert str(rouw["LOCATION"]) == "Kerkstraat 1, 9000 Gent"
    assert str(rouw["DESCRIPTION"]) == "Phone: 09 000 00 00\nE-mail: rouw@example.org"
    assert rouw.decoded("DTSTAMP") == NOW
    assert rouw.decoded("DTSTART") == dt.datetime(2026, 11, 24, 20, tzinfo=BRUSSELS)
    assert rouw["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert rouw.decoded("DTEND") == dt.datetime(2026, 11, 24, 21, 30, tzinfo=BRUSSELS)
    assert rouw["RRULE"].to_ical() == (b"FREQ=WEEKLY;UNTIL=20270630T215959Z;INTERVAL=2;BYDAY=TU")
    angst = found["angst-utrecht@groupfinder"]
    # Without first_date the series starts at its next session.
    assert angst.decoded("DTSTART") == dt.datetime(2026, 12, 25, 19, tzinfo=AMSTERDAM)
    assert "DTEND" not in angst
    kamp = found["kamp@groupfinder"]
    assert kamp.decoded("DTSTART") == dt.date(2027, 7, 3)
    assert kamp.decoded("DTEND") == dt.date(2027, 7, 6)
    assert "RRULE" not in kamp
    assert found["reeks@groupfinder"]["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6;BYDAY=TU"


@pytest.mark.parametrize(
    "uid", ["rouw-gent@groupfinder", "angst-utrecht@groupfinder", "reeks@groupfinder"]
)
def test_ics_recurrence_gives_the_same_sessions(uid: str) -> None:
    calendar = icalendar.Calendar.from_ical(ics_calendar(events(), NOW))
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid]
    start = event.decoded("DTSTART")
    text = event["RRULE"].to_ical()
    rule = rrulestr(text.decode() if isinstance(text, bytes) else text, dtstart=start)
    from_file = [f"{d:%Y-%m-%d %H:%M %z}" for d in rule.xafter(NOW, count=8, inc=True)]
    source = next(e for e in events() if e.group_id == uid.split("@")[0])
    ours = [
        f"{x.start:%Y-%m-%d %H:%M %z}" for x in next_sessions(source.schedule, NOW, source.tz, 8)
    ]
    assert from_file == ours and ours


def test_ics_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        ics_calendar(events(), dt.datetime(2026, 12, 1))
    empty = icalendar.Calendar.from_ical(ics_calendar([], NOW))
    assert empty.walk("VEVENT") == []


# --- HSDS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {
                "freq": "WEEKLY",
                "interval": "2",
                "byday": "TU",
                "dtstart": "2026-11-24",
                "opens_at": "7:30 PM",
                "closes_at": "9:00 pm",
            },
            {
                "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                "first_date": "2026-11-24",
                "start_time": "19:30",
                "end_time": "21:00",
            },
        ),
        (
            {
                "freq": "monthly",
                "byday": "1MO, -1FR",
                "until": "2027-06-30",
                "opens_at": "10:00:00",
                "closes_at": "12:00:00+01:00",
                "description": "x",
            },
            {
                "rrule": "FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20270630",
                "start_time": "10:00",
                "end_time": "12:00",
            },
        ),
        (
            {
                "freq": "MONTHLY",
                "bymonthday": "15",
                "count": "6.0",
                "dtstart": "2027-01-15",
                "opens_at": "12 AM",
                "closes_at": "12:30 AM",
            },
            {
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6",
                "first_date": "2027-01-15",
                "start_time": "00:00",
                "end_time": "00:30",
            },
        ),
        (
            {
                "dtstart": "2026-12-08",
                "valid_from": "2026-12-08",
                "valid_to": "2026-12-08",
                "opens_at": "12:00 PM",
            },
            {"first_date": "2026-12-08", "start_time": "12:00"},
        ),
        (
            {"valid_from": "2027-07-03", "until": "2027-07-05"},
            {"first_date": "2027-07-03", "last_date": "2027-07-05"},
        ),
    ],
)
def test_from_hsds(row: dict[str, str], expected: dict[str, str]) -> None:
    assert from_hsds(row) == schedule(**expected)


def test_from_hsds_without_structured_fields_is_none() -> None:
    assert from_hsds({"id": "x", "description": "Tuesdays at 8", "wkst": "MO"}) is None


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"freq": "WEEKLY", "byday": "TU", "byweekno": "41"}, "byweekno"),
        ({"freq": "YEARLY", "byyearday": "1"}, "byyearday"),
        ({"byday": "TU"}, "byday"),
        ({"freq": "WEEKLY", "byday": "TU", "interval": "two"}, "interval"),
        ({"freq": "WEEKLY", "byday": "XX"}, "freq"),
        ({"freq": "WEEKLY", "byday": "TU", "opens_at": "25:00"}, "opens_at"),
        ({"freq": "WEEKLY", "byday": "TU", "opens_at": "13:00 PM"}, "opens_at"),
        ({"freq": "WEEKLY", "byday": "TU", "opens_at": "20:00", "closes_at": "7 PM"}, "closes_at"),
        ({"dtstart": "2026-12-08", "valid_to": "2026-12-01"}, "valid_to"),
        ({"dtstart": "8 December"}, "dtstart"),
    ],
)
def test_from_hsds_errors_name_the_hsds_field(row: dict[str, str], field: str) -> None:
    with pytest.raises(ScheduleFieldError) as caught:
        from_hsds(row)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "fields",
    [
        EVERY_OTHER,
        {"rrule": "FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20270630", "start_time": "19:00"},
        {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1,-1", "last_date": "2027-12-31"},
        {"rrule": "FREQ=WEEKLY;COUNT=6", "first_date": "2027-01-05", "start_time": "10:00"},
        {"first_date": "2026-12-08", "start_time": "14:00", "end_time": "16:00"},
        {"first_date": "2027-07-03", "last_date": "2027-07-05"},
    ],
)
def test_to_hsds_and_back(fields: dict[str, str]) -> None:
    original = schedule(**fields)
    assert from_hsds(to_hsds(original)) == original


def test_to_hsds_fields() -> None:
    assert to_hsds(schedule(**EVERY_OTHER)) == {
        "freq": "WEEKLY",
        "interval": "2",
        "byday": "TU",
        "dtstart": "2026-11-24",
        "opens_at": "20:00",
        "closes_at": "21:30",
    }
    # HSDS 3 has only WEEKLY and MONTHLY.
    assert to_hsds(schedule(rrule="FREQ=DAILY", start_time="09:00")) == {
        "freq": "WEEKLY",
        "interval": "1",
        "byday": "MO,TU,WE,TH,FR,SA,SU",
        "opens_at": "09:00",
    }
    assert to_hsds(schedule(rrule="FREQ=YEARLY", first_date="2025-03-12")) == {
        "dtstart": "2025-03-12"
    }


def test_last_date_cuts_a_count_series_short_everywhere() -> None:
    s = schedule(rrule="FREQ=WEEKLY;COUNT=10", first_date="2026-12-01", last_date="2026-12-15")
    assert starts(s, NOW, 10) == ["2026-12-01 00:00", "2026-12-08 00:00", "2026-12-15 00:00"]
    event = IcsEvent("cut", "Cut", s, BRUSSELS)
    [vevent] = icalendar.Calendar.from_ical(ics_calendar([event], NOW)).walk("VEVENT")
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=3;BYDAY=TU"
    assert vevent.decoded("DTSTART") == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=DAILY;INTERVAL=7",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
        "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=-1FR",
    ],
)
def test_sessions_without_first_date_are_those_of_the_series_from_the_anchor(rule: str) -> None:
    s = schedule(rrule=rule, start_time="19:00")
    oracle = rrulestr(f"{rule};WKST=MO", dtstart=dt.datetime.combine(ANCHOR, dt.time(19)))
    for day in range(0, 800, 37):
        after = dt.datetime(2025, 2, 1) + dt.timedelta(days=day, hours=day % 24)
        expected = [f"{d:%Y-%m-%d %H:%M}" for d in oracle.xafter(after, count=4, inc=True)]
        assert starts(s, after, 4) == expected, after


def test_untrusted_names_do_not_break_the_calendar_file() -> None:
    name = "Groupe d'écoute\\; BEGIN:VEVENT\r\nEND:VCALENDAR \u009b2J " + "é" * 120
    event = IcsEvent(
        "x\nUID:evil", name, schedule(rrule="FREQ=WEEKLY;BYDAY=MO"), BRUSSELS, "a;b,c\\d"
    )
    data = ics_calendar([event], NOW)
    text = data.decode("utf-8")  # folding never splits a character
    assert "\u009b" not in text and text.endswith("\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    [vevent] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Groupe d'écoute\\; BEGIN:VEVENT END:VCALENDAR 2J " + "é" * 120
    assert str(vevent["LOCATION"]) == "a;b,c\\d"
    assert str(vevent["UID"]) == "x UID:evil@groupfinder"
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1
    assert text.count("\r\nEND:VCALENDAR") == 1
