"""When a group meets: the groups.csv v2 schedule columns, its sessions and its words.

The columns (all optional; a row with all of them blank has no schedule):

``rrule``
    An iCalendar (RFC 5545) recurrence rule such as ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`` or
    ``FREQ=MONTHLY;BYDAY=1MO``. ``dateutil.rrule.rrulestr`` is the judge of what is valid;
    on top of that only the parts this module can say in words are accepted: ``FREQ``
    (DAILY, WEEKLY, MONTHLY, YEARLY), ``INTERVAL``, ``BYDAY`` (with an ordinal 1..5 or -1
    for MONTHLY: ``1MO``, ``-1FR``), ``BYMONTHDAY`` (1..31 or -1), ``COUNT`` and ``UNTIL``.
``start_time``, ``end_time``
    ``HH:MM``, local time of the group's country (:func:`timezone_for`).
``first_date``, ``last_date``
    ``YYYY-MM-DD``. ``first_date`` without ``rrule`` is a one-off date; with ``last_date``
    too it is a stay of several days (a retreat), from ``start_time`` on the first day to
    ``end_time`` on the last.
``cost_unit``
    What ``cost_eur`` pays for: ``session`` (the default), ``series``, ``stay`` or ``month``.

Sessions are computed by dateutil from the parsed parts, in local wall-clock time, and only
then given the time zone: a 20:00 session stays at 20:00 across the changes to and from
summer time. As RFC 5545 says, a day a rule names that a month does not have is skipped
(``BYMONTHDAY=31`` has no session in April).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from groupfinder.domain.errors import FieldError
from groupfinder.domain.i18n import BABEL_LOCALES, N_, format_eur, tr, trn
from groupfinder.domain.text import clean_text
from groupfinder.domain.vocabulary import Country, Language

__all__ = [
    "ANCHOR",
    "COLUMNS",
    "DAYS",
    "TIMES",
    "CostUnit",
    "Day",
    "DayRule",
    "Frequency",
    "IcsEvent",
    "Recurrence",
    "Schedule",
    "ScheduleFieldError",
    "Session",
    "TimeOfDay",
    "cost_phrase",
    "describe",
    "from_hsds",
    "hsds_columns",
    "ics_calendar",
    "meeting_days",
    "meeting_time",
    "meets_when",
    "needs_every_day",
    "next_label",
    "next_sessions",
    "parse_schedule",
    "schedule_cells",
    "timezone_for",
    "to_hsds",
]

#: The groups.csv v2 columns this module reads, in the order of the file.
COLUMNS = ("rrule", "start_time", "end_time", "first_date", "last_date", "cost_unit")

CostUnit = Literal["session", "series", "stay", "month"]
Frequency = Literal["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TimeOfDay = Literal["morning", "afternoon", "evening"]

#: The answers v2 ``days`` values, Monday first (index = Python's ``weekday()``).
DAYS: tuple[Day, ...] = get_args(Day)
#: The answers v2 ``times`` values: a session's start before 12:00, from 12:00 to before
#: 18:00, from 18:00.
TIMES: tuple[TimeOfDay, ...] = get_args(TimeOfDay)

#: The day a series without ``first_date`` counts from: Monday 1 January 2024.
#:
#: "Every other Tuesday" is only one series of Tuesdays once it has a first one. Counting
#: from the day the app runs (dateutil's default) would give one set of Tuesdays today and
#: the other set next week, so two people (or a screen and its printed handout) could be
#: told different dates. A fixed Monday makes every INTERVAL deterministic: INTERVAL=2
#: weekly meets in the weeks of 1, 15, 29 January 2024 and every second week after, and
#: INTERVAL=2 monthly in January, March, May... An operator who knows the real first
#: session should fill in ``first_date``.
ANCHOR = dt.date(2024, 1, 1)

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQUENCIES: dict[Frequency, int] = {
    "DAILY": du.DAILY,
    "WEEKLY": du.WEEKLY,
    "MONTHLY": du.MONTHLY,
    "YEARLY": du.YEARLY,
}
_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_TIMEZONES: dict[Country, str] = {"BE": "Europe/Brussels", "NL": "Europe/Amsterdam"}


def timezone_for(country: str | None) -> ZoneInfo:
    """The time zone of a group's times: Brussels for BE, Amsterdam for NL (and unknown)."""
    return ZoneInfo(_TIMEZONES.get(country or "BE", "Europe/Brussels"))  # type: ignore[call-overload]


class ScheduleFieldError(FieldError):
    """A bad schedule value, naming its column; ``errors`` holds every one that was found.

    It is a :class:`FieldError`, so a loader that catches those still reports it; a loader
    that wants each problem on its own column reads ``field`` (and ``errors``).
    """

    def __init__(self, field: str, message: str, /, **values: Any) -> None:
        super().__init__(message, **values)
        self.field = field
        self.errors: tuple[ScheduleFieldError, ...] = (self,)


class DayRule(BaseModel):
    """One ``BYDAY`` item: a weekday (0 = Monday) and, for MONTHLY, which one of the month."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: int = Field(ge=0, le=6)
    #: 1..5 (first..fifth) or -1 (last); None: every such weekday.
    ordinal: int | None = None

    @property
    def code(self) -> str:
        return f"{self.ordinal or ''}{_CODES[self.day]}"


class Recurrence(BaseModel):
    """The parts of an RRULE this module understands, checked for what they can mean."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    freq: Frequency
    interval: int = Field(default=1, ge=1, le=99)
    byday: tuple[DayRule, ...] = ()
    bymonthday: tuple[int, ...] = ()
    count: int | None = Field(default=None, ge=1, le=999)
    #: The last day a session may fall on (local date).
    until: dt.date | None = None

    @model_validator(mode="after")
    def _meaningful(self) -> Recurrence:
        if self.count is not None and self.until is not None:
            raise FieldError(N_("give COUNT or UNTIL, not both"))
        if self.bymonthday and self.freq != "MONTHLY":
            raise FieldError(N_("BYMONTHDAY needs FREQ=MONTHLY"))
        for number in self.bymonthday:
            if not (1 <= number <= 31 or number == -1):
                raise FieldError(
                    N_(
                        "BYMONTHDAY must be a day from 1 to 31, or -1 for the last day; got {value}"
                    ),
                    value=number,
                )
        if self.byday and self.freq in ("DAILY", "YEARLY"):
            raise FieldError(
                N_("BYDAY does not go with FREQ={freq}; use FREQ=WEEKLY"), freq=self.freq
            )
        if self.byday and self.bymonthday:
            raise FieldError(N_("give BYDAY or BYMONTHDAY, not both"))
        for item in self.byday:
            if self.freq == "WEEKLY" and item.ordinal is not None:
                raise FieldError(
                    N_("BYDAY {value} has an ordinal, which needs FREQ=MONTHLY"), value=item.code
                )
            if self.freq == "MONTHLY" and item.ordinal is None:
                raise FieldError(
                    N_(
                        "with FREQ=MONTHLY, BYDAY needs an ordinal such as 1MO or -1FR; got {value}"
                    ),
                    value=item.code,
                )
            if item.ordinal is not None and not (1 <= item.ordinal <= 5 or item.ordinal == -1):
                raise FieldError(
                    N_("BYDAY ordinals go from 1 to 5, or -1 for the last; got {value}"),
                    value=item.code,
                )
        if len({item.code for item in self.byday}) != len(self.byday):
            raise FieldError(N_("BYDAY names a day twice"))
        if len(set(self.bymonthday)) != len(self.bymonthday):
            raise FieldError(N_("BYMONTHDAY names a day twice"))
        return self

    @property
    def text(self) -> str:
        """The rule as RRULE text, parts in a fixed order (``UNTIL`` as a date)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(item.code for item in self.byday))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.bymonthday)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)


class Schedule(BaseModel):
    """When a group meets, as read from groups.csv (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recurrence: Recurrence | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    cost_unit: CostUnit = "session"

    @model_validator(mode="after")
    def _consistent(self) -> Schedule:
        problem = _inconsistency(self)
        if problem is not None:
            raise problem
        return self

    @property
    def rrule(self) -> str | None:
        return self.recurrence.text if self.recurrence else None

    @property
    def is_stay(self) -> bool:
        """One stay of several days: first and last date, no recurrence."""
        return (
            self.recurrence is None
            and self.first_date is not None
            and self.last_date is not None
            and self.last_date > self.first_date
        )

    @property
    def has_dates(self) -> bool:
        """Whether it has sessions on a calendar (else it only says times, or a cost unit)."""
        return self.recurrence is not None or self.first_date is not None

    @property
    def ends(self) -> dt.date | None:
        """The last day a session may fall on: the earlier of ``last_date`` and ``UNTIL``."""
        days = [d for d in (self.last_date, self.recurrence and self.recurrence.until) if d]
        return min(days) if days else None


def _inconsistency(s: Schedule) -> ScheduleFieldError | None:
    if s.end_time is not None and s.start_time is None:
        return ScheduleFieldError("end_time", N_("end_time needs a start_time"))
    if s.first_date and s.last_date and s.last_date < s.first_date:
        return ScheduleFieldError(
            "last_date",
            N_("last_date ({last}) is before first_date ({first})"),
            last=s.last_date.isoformat(),
            first=s.first_date.isoformat(),
        )
    if s.last_date is not None and s.first_date is None and s.recurrence is None:
        return ScheduleFieldError(
            "last_date", N_("last_date needs a first_date, or an rrule it ends")
        )
    if (
        s.start_time is not None
        and s.end_time is not None
        and s.end_time <= s.start_time
        and not s.is_stay
    ):
        return ScheduleFieldError(
            "end_time",
            N_("end_time ({end}) is not after start_time ({start})"),
            end=f"{s.end_time:%H:%M}",
            start=f"{s.start_time:%H:%M}",
        )
    rule = s.recurrence
    if rule is None:
        return None
    if s.first_date is None:
        if rule.count is not None:
            return ScheduleFieldError("rrule", N_("COUNT needs a first_date to count from"))
        if rule.freq == "YEARLY":
            return ScheduleFieldError("rrule", N_("FREQ=YEARLY needs a first_date"))
        if rule.freq == "WEEKLY" and not rule.byday:
            return ScheduleFieldError(
                "rrule", N_("FREQ=WEEKLY needs BYDAY (such as BYDAY=TU) or a first_date")
            )
        if rule.freq == "MONTHLY" and not rule.byday and not rule.bymonthday:
            return ScheduleFieldError(
                "rrule", N_("FREQ=MONTHLY needs BYDAY (such as 1MO), BYMONTHDAY or a first_date")
            )
    elif rule.until is not None and rule.until < s.first_date:
        return ScheduleFieldError(
            "rrule",
            N_("UNTIL ({until}) is before first_date ({first})"),
            until=rule.until.isoformat(),
            first=s.first_date.isoformat(),
        )
    if _rule(s).after(_start(s), inc=True) is None:
        return ScheduleFieldError("rrule", N_("this rule has no session at all"))
    return None


# --- reading ---------------------------------------------------------------------------------


def parse_schedule(fields: Mapping[str, str]) -> Schedule | None:
    """The schedule of one groups.csv row (``fields`` maps column to cell; missing = blank).

    Returns None when every schedule column is blank. Raises :class:`ScheduleFieldError`
    (a :class:`FieldError` naming its column in ``field``) for a bad value; its ``errors``
    lists every bad column found, or the one rule two columns break together.
    """
    raw = {column: (fields.get(column) or "").strip() for column in COLUMNS}
    if not any(raw.values()):
        return None
    errors: list[ScheduleFieldError] = []
    values: dict[str, Any] = {}
    for column, parse in _PARSERS.items():
        if not raw[column]:
            continue
        try:
            values[column] = parse(raw[column])
        except FieldError as exc:
            errors.append(ScheduleFieldError(column, exc.message, **exc.values))
    if errors:
        errors[0].errors = tuple(errors)
        raise errors[0]
    recurrence = values.get("rrule")
    first = values.get("first_date")
    if isinstance(recurrence, Recurrence) and first is not None:
        recurrence = _filled_from(recurrence, first)
    try:
        return Schedule(
            recurrence=recurrence,
            start_time=values.get("start_time"),
            end_time=values.get("end_time"),
            first_date=first,
            last_date=values.get("last_date"),
            cost_unit=values.get("cost_unit", "session"),
        )
    except ValidationError as exc:
        raise _field_error(exc, "rrule") from None


def _field_error(exc: ValidationError, default_field: str) -> ScheduleFieldError:
    item = exc.errors(include_url=False)[0]
    error = (item.get("ctx") or {}).get("error")
    if isinstance(error, ScheduleFieldError):
        return error
    if isinstance(error, FieldError):
        return ScheduleFieldError(default_field, error.message, **error.values)
    return ScheduleFieldError(
        default_field,
        N_("invalid value {value!r}: {reason}"),
        value=item.get("input"),
        reason=item["msg"],
    )


def _filled_from(rule: Recurrence, first: dt.date) -> Recurrence:
    """A WEEKLY rule without BYDAY meets on first_date's weekday, a MONTHLY one on its day."""
    if rule.freq == "WEEKLY" and not rule.byday:
        return rule.model_copy(update={"byday": (DayRule(day=first.weekday()),)})
    if rule.freq == "MONTHLY" and not rule.byday and not rule.bymonthday:
        return rule.model_copy(update={"bymonthday": (first.day,)})
    return rule


def _parse_rrule(text: str) -> Recurrence:
    text = text.upper().removeprefix("RRULE:").strip().rstrip(";")
    try:
        # dateutil is the judge of the syntax; a fixed dtstart keeps it from reading the clock.
        # (It warns about COUNT with UNTIL, which Recurrence refuses below.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            du.rrulestr(text, dtstart=dt.datetime.combine(ANCHOR, dt.time()), ignoretz=True)
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise FieldError(
            N_("not a valid RRULE ({reason}): {value!r}"), reason=exc, value=text
        ) from None
    # Valid RRULE text is NAME=VALUE pairs joined by ";": read which parts it has.
    parts: dict[str, str] = {}
    for pair in text.split(";"):
        name, _, value = pair.partition("=")
        if name in parts:
            raise FieldError(N_("RRULE part {part} appears twice"), part=name)
        parts[name] = value
    others = [name for name in parts if name not in _PARTS]
    if others:
        raise FieldError(
            N_("RRULE part {part} is not supported; use only: {expected}"),
            part=others[0],
            expected=", ".join(_PARTS),
        )
    freq = parts.get("FREQ", "")
    if freq not in _FREQUENCIES:
        raise FieldError(
            N_("FREQ={value} is not supported; use one of: {expected}"),
            value=freq,
            expected=", ".join(_FREQUENCIES),
        )
    byday: list[DayRule] = []
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        match = _BYDAY.match(item)
        if match is None:
            raise FieldError(N_("BYDAY {value} should look like TU, 1MO or -1FR"), value=item)
        ordinal, code = match.groups()
        byday.append(DayRule(day=_CODES.index(code), ordinal=int(ordinal) if ordinal else None))
    numbers = {"INTERVAL": 99, "COUNT": 999}
    for part, limit in numbers.items():
        if part in parts and not 1 <= int(parts[part]) <= limit:
            raise FieldError(
                N_("{part} must be a whole number from 1 to {limit}; got {value}"),
                part=part,
                limit=limit,
                value=parts[part],
            )
    until = None
    if "UNTIL" in parts:
        from dateutil.parser import isoparse

        # rrulestr accepted it; a UTC time is read as its date (the end of that day).
        until = isoparse(parts["UNTIL"]).date()
    try:
        return Recurrence(
            freq=freq,
            interval=int(parts.get("INTERVAL", "1")),
            byday=tuple(byday),
            bymonthday=tuple(int(p) for p in parts.get("BYMONTHDAY", "").split(",") if p),
            count=int(parts["COUNT"]) if "COUNT" in parts else None,
            until=until,
        )
    except ValidationError as exc:
        raise _field_error(exc, "rrule") from None


def _parse_time(value: str) -> dt.time:
    match = _CLOCK.match(value)
    if match is None:
        raise FieldError(N_("expected a time as HH:MM, got {value!r}"), value=value)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FieldError(N_("expected a time as HH:MM, got {value!r}"), value=value)
    return dt.time(hour, minute)


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(N_("expected a date as YYYY-MM-DD, got {value!r}"), value=value) from None


def _parse_unit(value: str) -> CostUnit:
    units: tuple[CostUnit, ...] = get_args(CostUnit)
    for unit in units:
        if value == unit:
            return unit
    raise FieldError(
        N_("unknown value {value!r}; expected one of: {expected}"),
        value=value,
        expected=", ".join(units),
    )


_PARSERS: dict[str, Any] = {
    "rrule": _parse_rrule,
    "start_time": _parse_time,
    "end_time": _parse_time,
    "first_date": _parse_date,
    "last_date": _parse_date,
    "cost_unit": _parse_unit,
}


# --- sessions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """One meeting, in the group's local time. ``all_day`` when no start time is known."""

    start: dt.datetime
    end: dt.datetime | None
    all_day: bool = False


def _start(s: Schedule) -> dt.datetime:
    return dt.datetime.combine(s.first_date or ANCHOR, s.start_time or dt.time())


def _rule(s: Schedule, near: dt.date | None = None) -> du.rrulebase:
    """The dateutil rule of a schedule's series, in naive local time, ending with ``ends``.

    WKST is Monday on purpose: dateutil's default is ``calendar.firstweekday()``, global
    state that would change which weeks an INTERVAL=2 series with several days meets in.
    A COUNT series that ``last_date`` cuts short is its first sessions up to that day (a
    rule may not have both COUNT and UNTIL).
    """
    rule = s.recurrence
    if rule is None:
        raise ValueError("a schedule without an rrule has no series")
    start = _start(s)
    if near is not None and s.first_date is None:
        start = dt.datetime.combine(_anchor_near(rule, near), start.time())
    end = s.ends
    last = dt.datetime.combine(end, dt.time.max) if end else None
    weekdays = [du.weekday(item.day, item.ordinal) for item in rule.byday]
    series = du.rrule(
        _FREQUENCIES[rule.freq],  # type: ignore[arg-type]  # dateutil's constants
        dtstart=start,
        interval=rule.interval,
        wkst=du.MO,
        count=rule.count,
        until=None if rule.count else last,
        byweekday=weekdays or None,
        bymonthday=rule.bymonthday or None,
        cache=False,
    )
    if rule.count is None or last is None:
        return series
    cut = du.rruleset()
    for start in series:
        if start <= last:
            cut.rdate(start)
    return cut


def _anchor_near(rule: Recurrence, day: dt.date) -> dt.date:
    """A start a whole number of periods after :data:`ANCHOR`, a period or so before ``day``.

    For a series without first_date (hence without COUNT) this is the same series as from
    the anchor itself, found without walking every session since 2024.
    """
    if rule.freq == "MONTHLY":
        months = (day.year - ANCHOR.year) * 12 + day.month - ANCHOR.month
        shift = max(0, months // rule.interval - 1) * rule.interval
        return dt.date(ANCHOR.year + shift // 12, shift % 12 + 1, 1)
    period = rule.interval * (7 if rule.freq == "WEEKLY" else 1)
    if rule.freq not in ("DAILY", "WEEKLY"):
        return ANCHOR
    return ANCHOR + dt.timedelta(days=max(0, (day - ANCHOR).days // period - 1) * period)


def _local_starts(s: Schedule, after: dt.datetime, count: int) -> list[dt.datetime]:
    """Naive local starts of the next ``count`` sessions starting at or after ``after``.

    Sessions without a start time last the whole day: today's counts until midnight.
    """
    if s.start_time is None:
        after = dt.datetime.combine(after.date(), dt.time())
    if s.recurrence is not None:
        return list(_rule(s, after.date()).xafter(after, count=count, inc=True))
    if s.first_date is None:
        return []
    start = _start(s)
    if s.is_stay or s.start_time is None:
        # A stay or a whole day is still to come as long as its last day is not over.
        last = dt.datetime.combine(s.last_date or s.first_date, dt.time.max)
        return [start] if last >= after and count > 0 else []
    return [start] if start >= after and count > 0 else []


def next_sessions(
    schedule: Schedule | None, after: dt.datetime, tz: ZoneInfo, count: int = 3
) -> list[Session]:
    """The next ``count`` sessions that start at or after ``after``, in ``tz``.

    ``after`` may be aware (any zone) or naive (then it is wall-clock time in ``tz``). A
    stay counts until its last day is over. Nothing comes after ``last_date``, ``UNTIL``
    or the ``COUNT``-th session.
    """
    if schedule is None or count < 1:
        return []
    if after.tzinfo is not None:
        after = after.astimezone(tz).replace(tzinfo=None)
    sessions = []
    for start in _local_starts(schedule, after, count):
        end: dt.datetime | None = None
        if schedule.end_time is not None:
            day = schedule.last_date if schedule.is_stay else start.date()
            end = dt.datetime.combine(day or start.date(), schedule.end_time, tzinfo=tz)
        sessions.append(
            Session(start=start.replace(tzinfo=tz), end=end, all_day=schedule.start_time is None)
        )
    return sessions


# --- words -----------------------------------------------------------------------------------

_ORDINALS = {
    1: N_("first"),
    2: N_("second"),
    3: N_("third"),
    4: N_("fourth"),
    5: N_("fifth"),
    -1: N_("last"),
}


def _babel(language: Language) -> str:
    return BABEL_LOCALES[language]


def _day_name(language: Language, day: int) -> str:
    from babel.dates import get_day_names

    return str(get_day_names("wide", locale=_babel(language))[day])


def _list(language: Language, items: Iterable[str]) -> str:
    from babel.lists import format_list

    return str(format_list(list(items), locale=_babel(language)))


def _date(language: Language, day: dt.date, today: dt.date, *, weekday: bool = False) -> str:
    """ "Tuesday 8 December", with the year when it is not this year's."""
    from babel.dates import format_date

    pattern = ("EEEE " if weekday else "") + "d MMMM" + (" y" if day.year != today.year else "")
    return str(format_date(day, pattern, locale=_babel(language)))


def _clock(language: Language, time: dt.time) -> str:
    from babel.dates import format_time

    return str(format_time(time, "HH:mm", locale=_babel(language)))


def _month_day(language: Language, number: int) -> str:
    """A day of the month as an ordinal: "15th" / "15e" / "15", "1er"; -1 is the last day."""
    if number == -1:
        return tr(language, "last day")
    if language == "en":
        from babel import Locale

        form = Locale.parse(_babel(language)).ordinal_form(number)
        return f"{number}{ {'one': 'st', 'two': 'nd', 'few': 'rd'}.get(form, 'th') }"
    if language == "nl":
        return f"{number}e"
    return "1er" if number == 1 else str(number)


def _pattern(s: Schedule, language: Language, today: dt.date) -> str:
    """How often and on which days: "every other Tuesday", "on Tuesday 8 December"."""
    rule = s.recurrence
    if rule is None:
        if s.first_date is None:
            return ""
        first = _date(language, s.first_date, today, weekday=True)
        if s.is_stay and s.last_date is not None:
            last = _date(language, s.last_date, today, weekday=True)
            if s.start_time is not None:
                first = tr(
                    language, "{date} at {time}", date=first, time=_clock(language, s.start_time)
                )
            if s.end_time is not None:
                last = tr(
                    language, "{date} at {time}", date=last, time=_clock(language, s.end_time)
                )
            return tr(language, "from {start} to {end}", start=first, end=last)
        return tr(language, "on {date}", date=first)
    n = rule.interval
    if rule.freq == "DAILY":
        if n == 1:
            return tr(language, "every day")
        if n == 2:
            return tr(language, "every other day")
        return tr(language, "every {n} days", n=n)
    if rule.freq == "WEEKLY":
        days = _list(language, (_day_name(language, item.day) for item in rule.byday))
        if n == 1:
            return tr(language, "every {days}", days=days)
        if n == 2:
            return tr(language, "every other {days}", days=days)
        return tr(language, "every {n} weeks on {days}", n=n, days=days)
    if rule.freq == "YEARLY":
        day = s.first_date or ANCHOR
        date = _date(language, day, day)
        if n == 1:
            return tr(language, "every year on {date}", date=date)
        if n == 2:
            return tr(language, "every other year on {date}", date=date)
        return tr(language, "every {n} years on {date}", n=n, date=date)
    if rule.byday:
        # "first and third Monday", "first Monday and last Friday": ordinals grouped by day.
        by_day: dict[int, list[str]] = {}
        for item in rule.byday:
            by_day.setdefault(item.day, []).append(tr(language, _ORDINALS[item.ordinal or 1]))
        days = _list(
            language,
            (
                f"{_list(language, words)} {_day_name(language, day)}"
                for day, words in by_day.items()
            ),
        )
        if n == 1:
            return tr(language, "every {days} of the month", days=days)
        if n == 2:
            return tr(language, "the {days} of every other month", days=days)
        return tr(language, "the {days} of every {n} months", n=n, days=days)
    days = _list(language, (_month_day(language, number) for number in rule.bymonthday))
    if n == 1:
        text = tr(language, "on the {days} of every month", days=days)
    elif n == 2:
        text = tr(language, "on the {days} of every other month", days=days)
    else:
        text = tr(language, "every {n} months on the {days}", n=n, days=days)
    if any(number > 28 for number in rule.bymonthday):
        text = tr(language, "{when} (not in shorter months)", when=text)
    return text


def _hours(s: Schedule, language: Language) -> str:
    if s.start_time is None or s.is_stay:
        return ""
    start = _clock(language, s.start_time)
    if s.end_time is None:
        return tr(language, "at {time}", time=start)
    return f"{start}\u2013{_clock(language, s.end_time)}"


def _span(s: Schedule, language: Language, today: dt.date) -> str:
    """When a series starts (if it has yet to) and ends: "until 30 June", "6 sessions"."""
    rule = s.recurrence
    if rule is None:
        return ""
    first = s.first_date if s.first_date and s.first_date > today else None
    start = _date(language, first, today) if first else ""
    if rule.count is not None:
        if first:
            return trn(
                language,
                "{n} session from {date}",
                "{n} sessions from {date}",
                rule.count,
                date=start,
            )
        return trn(language, "{n} session", "{n} sessions", rule.count)
    end = s.ends
    if end is not None and first:
        return tr(language, "from {start} to {end}", start=start, end=_date(language, end, today))
    if end is not None:
        return tr(language, "until {date}", date=_date(language, end, today))
    if first:
        return tr(language, "from {date}", date=start)
    return ""


def next_label(schedule: Schedule | None, language: Language, today: dt.date) -> str | None:
    """ "next: Tuesday 8 December" for a series, "ended" when it is over; else None.

    A session today counts as next (``today`` has no time of day). One-off dates and stays
    have no "next" (their date is already said) but do say when they are over.
    """
    if schedule is None or not schedule.has_dates:
        return None
    midnight = dt.datetime.combine(today, dt.time())
    starts = _local_starts(schedule, midnight, 1)
    if not starts:
        return tr(language, "ended")
    if schedule.recurrence is None:
        return None
    date = _date(language, starts[0].date(), today, weekday=True)
    return tr(language, "next: {date}", date=date)


def describe(
    schedule: Schedule | None, language: Language, today: dt.date, *, with_next: bool = True
) -> str:
    """The schedule in words, e.g. "every other Tuesday, 20:00-21:30 · next: Tuesday 8 December".

    Empty when there is nothing to say (no schedule, or only a cost unit). Without
    ``with_next``, only how often and when ("every other Tuesday, 20:00-21:30").
    """
    if schedule is None:
        return ""
    when = ", ".join(
        part
        for part in (
            _pattern(schedule, language, today),
            _hours(schedule, language),
            _span(schedule, language, today),
        )
        if part
    )
    label = next_label(schedule, language, today) if with_next else None
    return " · ".join(part for part in (when, label) if part)


_UNIT_MESSAGES: dict[CostUnit, str] = {
    "session": N_("{price} per session"),
    "series": N_("{price} per series"),
    "stay": N_("{price} per stay"),
    "month": N_("{price} per month"),
}


def cost_phrase(language: Language, amount_eur: float | None, unit: CostUnit = "session") -> str:
    """A cost with what it pays for: "€190 per stay", "190 € par séjour", "€ 190 per verblijf".

    0 is "Free" and None (not listed) says to ask, as everywhere else in the app.
    """
    if amount_eur is None:
        return tr(language, "Not listed: ask the group")
    if amount_eur == 0:
        return tr(language, "Free")
    return tr(language, _UNIT_MESSAGES[unit], price=format_eur(language, amount_eur))


# --- availability ----------------------------------------------------------------------------


def _weekdays(s: Schedule) -> set[int] | None:
    """The weekdays (0 = Monday) sessions fall on; None when they vary or are unknown."""
    rule = s.recurrence
    if rule is None:
        if s.first_date is None:
            return None
        last = s.last_date or s.first_date
        span = min((last - s.first_date).days + 1, 7)
        return {(s.first_date + dt.timedelta(days=i)).weekday() for i in range(span)}
    if rule.freq == "DAILY":
        if rule.interval % 7 == 0:
            return {_start(s).weekday()}
        return set(range(7))
    if rule.byday:
        return {item.day for item in rule.byday}
    return None  # BYMONTHDAY or YEARLY: a different weekday each time


def _time_of_day(time: dt.time) -> TimeOfDay:
    if time < dt.time(12):
        return "morning"
    if time < dt.time(18):
        return "afternoon"
    return "evening"


def meeting_days(schedule: Schedule | None) -> frozenset[Day] | None:
    """The weekdays a group's sessions fall on; None when they vary or are unknown."""
    weekdays = _weekdays(schedule) if schedule else None
    return None if weekdays is None else frozenset(DAYS[d] for d in weekdays)


def meeting_time(schedule: Schedule | None) -> TimeOfDay | None:
    """The part of the day a session starts in (answers v2 ``times``); None when unknown."""
    start = schedule.start_time if schedule else None
    return None if start is None else _time_of_day(start)


def needs_every_day(schedule: Schedule | None) -> bool:
    """A stay of several days: a person must be free on all its days, not just one."""
    return schedule is not None and schedule.is_stay


def meets_when(schedule: Schedule | None, days: set[str], times: set[str]) -> bool | None:
    """Whether a person who can come on ``days`` at ``times`` can go (answers v2).

    ``days`` are ``mon``..``sun`` and ``times`` ``morning`` / ``afternoon`` / ``evening``
    (by the start time: before 12:00, 12:00 to 18:00, from 18:00); an empty set is no
    preference. A series that meets on several weekdays fits when the person can come on
    one of them (they go on the days they can); a stay of several days only when they can
    come on all of its days. False as soon as one side certainly does not fit; None when
    the schedule cannot say (no schedule, only free text, a day of the month that falls on
    a different weekday each time, no start time). The matcher's time limit
    (:mod:`groupfinder.matching.rules`) computes the same, for every group at once.
    """
    unknown = sorted((days - set(DAYS)) | (times - set(TIMES)))
    if unknown:
        raise ValueError(f"unknown days or times: {', '.join(unknown)}")
    answers: list[bool | None] = []
    if days:
        meets = meeting_days(schedule)
        if meets is None:
            answers.append(None)
        elif needs_every_day(schedule):
            answers.append(meets <= days)
        else:
            answers.append(bool(meets & days))
    if times:
        start = meeting_time(schedule)
        answers.append(None if start is None else start in times)
    if False in answers:
        return False
    if None in answers:
        return None
    return True


# --- iCalendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IcsEvent:
    """One group for a calendar file: public facts only, never anything about the person."""

    group_id: str
    name: str
    schedule: Schedule
    tz: ZoneInfo
    location: str = ""
    #: Lines for the description, such as the group's phone, e-mail and website.
    contact: tuple[str, ...] = ()


def _plain(text: str) -> str:
    """Untrusted text on one line, without control characters (icalendar escapes the rest)."""
    return " ".join(clean_text(text)[0].split())


def _first_start(s: Schedule, today: dt.date) -> dt.datetime | None:
    """The first session of a series in a calendar: its real first one when first_date is
    known (so DTSTART is a session, as RFC 5545 counts it), else the next one from today."""
    if s.recurrence is None:
        return _start(s) if s.first_date else None
    begin = s.first_date or today
    return _rule(s, begin).after(dt.datetime.combine(begin, dt.time()), inc=True)


def _ics_event(event: IcsEvent, now: dt.datetime) -> Any:
    import icalendar

    s, tz = event.schedule, event.tz
    local_now = now.astimezone(tz)
    first = _first_start(s, local_now.date())
    if first is None:
        return None
    vevent = icalendar.Event()
    vevent.add("uid", f"{_plain(event.group_id)}@groupfinder")
    vevent.add("dtstamp", now.astimezone(dt.UTC))
    vevent.add("summary", _plain(event.name))
    if event.location.strip():
        vevent.add("location", _plain(event.location))
    lines = [_plain(line) for line in event.contact if line.strip()]
    if lines:
        vevent.add("description", "\n".join(lines))
    last_day = s.last_date if s.is_stay and s.last_date else first.date()
    if s.start_time is None:
        vevent.add("dtstart", first.date())
        vevent.add("dtend", last_day + dt.timedelta(days=1))
    else:
        vevent.add("dtstart", first.replace(tzinfo=tz))
        if s.end_time is not None:
            vevent.add("dtend", dt.datetime.combine(last_day, s.end_time, tzinfo=tz))
    rule = s.recurrence
    if rule is not None:
        recur: dict[str, Any] = {"freq": rule.freq}
        if rule.interval != 1:
            recur["interval"] = rule.interval
        if rule.byday:
            recur["byday"] = [item.code for item in rule.byday]
        if rule.bymonthday:
            recur["bymonthday"] = list(rule.bymonthday)
        end = s.ends
        if rule.count is not None:
            # last_date may cut a COUNT series short; RFC 5545 allows COUNT or UNTIL, not both.
            recur["count"] = len(list(_rule(s))) if end else rule.count
        elif end is not None:
            if s.start_time is None:
                recur["until"] = end
            else:
                # With a DTSTART in a time zone, RFC 5545 wants UNTIL in UTC.
                last = dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=tz)
                recur["until"] = last.astimezone(dt.UTC)
        vevent.add("rrule", recur)
    return vevent


def ics_calendar(
    events: Sequence[IcsEvent], now: dt.datetime, empty_tz: ZoneInfo | None = None
) -> bytes:
    """An iCalendar (RFC 5545) file with one event, or one series of events, per group.

    ``now`` (aware) is the DTSTAMP of every event, so the same input gives the same bytes.
    Times carry the group's TZID, with its VTIMEZONE in the file. A series without
    ``first_date`` starts at its next session from ``now``. Events with no date (no rrule
    and no first_date) or no session left are left out. RFC 5545 wants at least one
    component in a calendar: when no event is left, the file holds the VTIMEZONE of
    ``empty_tz`` (Europe/Brussels by default), so it is still valid, and empty.
    """
    import icalendar

    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//groupfinder//groupfinder//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    starts = [now.date()]
    for event in events:
        vevent = _ics_event(event, now)
        if vevent is not None:
            calendar.add_component(vevent)
            start = vevent.decoded("dtstart")
            starts.append(start.date() if isinstance(start, dt.datetime) else start)
    first = min(starts).replace(month=1, day=1)
    if not calendar.subcomponents:
        zone = empty_tz or timezone_for(None)
        calendar.add_component(icalendar.Timezone.from_tzid(zone.key, first_date=first))
    calendar.add_missing_timezones(first_date=first)
    return bytes(calendar.to_ical())


# --- HSDS 3 ----------------------------------------------------------------------------------

_HSDS_TIME = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*(?:([AP])\.?\s*M\.?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_HSDS_FIELDS = {
    "start_time": "opens_at",
    "end_time": "closes_at",
    "first_date": "dtstart",
    "last_date": "valid_to",
}


def _hsds_time(field: str, value: str) -> str:
    """An HSDS time as HH:MM: "19:30", "19:30:00", "7:30 PM", "09:00-05:00" (offset dropped)."""
    match = _HSDS_TIME.match(value.strip().upper())
    hour = int(match.group(1)) if match else 99
    minute = int(match.group(2) or 0) if match else 0
    if match and match.group(4):
        hour = hour % 12 + (12 if match.group(4) == "P" else 0) if 1 <= hour <= 12 else 99
    if hour > 23 or minute > 59:
        raise ScheduleFieldError(
            field, N_("expected a time such as 19:30 or 7:30 PM, got {value!r}"), value=value
        )
    return f"{hour:02d}:{minute:02d}"


def _hsds_number(field: str, value: str) -> str:
    text = value.strip().removesuffix(".0")
    if not text.isdigit():
        raise ScheduleFieldError(field, N_("expected a whole number, got {value!r}"), value=value)
    return text


def from_hsds(schedule_row: Mapping[str, str]) -> Schedule | None:
    """A schedule from an HSDS 3 ``schedule`` row; None when it has no structured fields.

    ``freq``, ``interval``, ``byday``, ``bymonthday``, ``count`` and ``until`` become the
    rrule (``until`` without ``freq`` is the last date), ``dtstart`` (else ``valid_from``)
    the first date, ``valid_to`` the last date, ``opens_at``/``closes_at`` the times; AM/PM
    is understood and a UTC offset is dropped (times are the group's local time).
    ``wkst`` and ``timezone`` are ignored; ``byweekno`` and ``byyearday`` are refused. A free
    text ``description`` is the caller's to keep. Errors name the HSDS field.
    """
    row = {key: (value or "").strip() for key, value in schedule_row.items()}
    for name in ("byweekno", "byyearday"):
        if row.get(name):
            raise ScheduleFieldError(name, N_("{field} is not supported"), field=name)
    freq = row.get("freq", "").upper()
    parts = []
    if freq:
        parts.append(f"FREQ={freq}")
        if row.get("interval"):
            parts.append("INTERVAL=" + _hsds_number("interval", row["interval"]))
        for name in ("byday", "bymonthday"):
            if row.get(name):
                parts.append(f"{name.upper()}=" + "".join(row[name].upper().split()))
        if row.get("count"):
            parts.append("COUNT=" + _hsds_number("count", row["count"]))
        if row.get("until"):
            parts.append("UNTIL=" + row["until"].replace("-", "")[:8])
    else:
        for name in ("interval", "byday", "bymonthday", "count"):
            if row.get(name):
                raise ScheduleFieldError(name, N_("{field} needs freq"), field=name)
    fields = {
        "rrule": ";".join(parts),
        "start_time": _hsds_time("opens_at", row["opens_at"]) if row.get("opens_at") else "",
        "end_time": _hsds_time("closes_at", row["closes_at"]) if row.get("closes_at") else "",
        "first_date": row.get("dtstart") or row.get("valid_from", ""),
        "last_date": row.get("valid_to") or ("" if freq else row.get("until", "")),
    }
    if not freq and fields["last_date"] == fields["first_date"]:
        fields["last_date"] = ""  # a one-off date, written as valid_from = valid_to
    try:
        return parse_schedule(fields)
    except ScheduleFieldError as exc:
        errors = tuple(
            ScheduleFieldError(
                "freq" if e.field == "rrule" else _HSDS_FIELDS.get(e.field, e.field),
                e.message,
                **e.values,
            )
            for e in exc.errors
        )
        errors[0].errors = errors
        raise errors[0] from None


def schedule_cells(schedule: Schedule | None) -> dict[str, str]:
    """The groups.csv cells of a schedule (every column of :data:`COLUMNS`; blank = none).

    ``parse_schedule(schedule_cells(s)) == s``: what a writer of groups.csv puts in a row.
    """
    if schedule is None:
        return dict.fromkeys(COLUMNS, "")
    return {
        "rrule": schedule.rrule or "",
        "start_time": f"{schedule.start_time:%H:%M}" if schedule.start_time else "",
        "end_time": f"{schedule.end_time:%H:%M}" if schedule.end_time else "",
        "first_date": schedule.first_date.isoformat() if schedule.first_date else "",
        "last_date": schedule.last_date.isoformat() if schedule.last_date else "",
        "cost_unit": "" if schedule.cost_unit == "session" else schedule.cost_unit,
    }


def hsds_columns(schedule_row: Mapping[str, str]) -> dict[str, str]:
    """The seam for the HSDS import: an HSDS 3 ``schedule`` row as groups.csv cells.

    ``freq``, ``interval``, ``byday``, ``bymonthday``, ``count``, ``until``, ``dtstart``,
    ``valid_from``, ``valid_to``, ``opens_at`` and ``closes_at`` become ``rrule``,
    ``start_time``, ``end_time``, ``first_date`` and ``last_date`` (see :func:`from_hsds`);
    every column is blank when the row has no structured fields. Its ``description`` stays
    the caller's, for the free-text ``schedule`` column. Raises
    :class:`ScheduleFieldError` naming the HSDS field.
    """
    return schedule_cells(from_hsds(schedule_row))


def to_hsds(schedule: Schedule) -> dict[str, str]:
    """The HSDS 3 ``schedule`` fields of a schedule (only those with a value).

    HSDS 3 knows only WEEKLY and MONTHLY: a daily rule becomes WEEKLY on all seven days;
    every other day and yearly rules keep only their dates and times, so the caller should
    put :func:`describe` in ``description`` (which it should do anyway).
    """
    row: dict[str, str] = {}
    rule = schedule.recurrence
    if rule is not None and rule.freq in ("WEEKLY", "MONTHLY"):
        row["freq"] = rule.freq
        row["interval"] = str(rule.interval)
        if rule.byday:
            row["byday"] = ",".join(item.code for item in rule.byday)
        if rule.bymonthday:
            row["bymonthday"] = ",".join(map(str, rule.bymonthday))
    elif rule is not None and rule.freq == "DAILY" and rule.interval == 1:
        row["freq"] = "WEEKLY"
        row["interval"] = "1"
        row["byday"] = ",".join(_CODES)
    if rule is not None and rule.count is not None:
        row["count"] = str(rule.count)
    if rule is not None and rule.until is not None:
        row["until"] = rule.until.isoformat()
    if schedule.first_date is not None:
        row["dtstart"] = schedule.first_date.isoformat()
        if rule is None:
            row["valid_from"] = schedule.first_date.isoformat()
    if schedule.last_date is not None:
        row["valid_to"] = schedule.last_date.isoformat()
    elif rule is None and schedule.first_date is not None:
        row["valid_to"] = schedule.first_date.isoformat()
    if schedule.start_time is not None:
        row["opens_at"] = f"{schedule.start_time:%H:%M}"
    if schedule.end_time is not None:
        row["closes_at"] = f"{schedule.end_time:%H:%M}"
    return row
