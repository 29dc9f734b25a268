"""A calendar file of the chosen groups: one event, or one series of events, per group.

The events say only what the catalog says about a group (its name, where it meets, how
to reach it): never anything about the person. The iCalendar text itself is written by
:func:`groupfinder.domain.schedule.ics_calendar` with the ``icalendar`` library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from groupfinder.domain.models import Group, Language
from groupfinder.domain.schedule import IcsEvent, ics_calendar, timezone_for
from groupfinder.domain.text import one_line
from groupfinder.domain.words import setting_words
from groupfinder.present.facts import contact_lines

ICS_MEDIA_TYPE = "text/calendar"


def group_place(group: Group, language: Language) -> str:
    """Where a group meets, for LOCATION: its address, or "online"."""
    if group.setting == "online":
        return setting_words(language, "online")
    town = " ".join(part for part in (group.postcode, group.city) if part)
    return ", ".join(one_line(part) for part in (group.address, town) if part)


def _description(group: Group, language: Language) -> tuple[str, ...]:
    """Phone, e-mail and website, and the free-text schedule (what the rule cannot say)."""
    lines = []
    if group.setting == "hybrid":
        lines.append(setting_words(language, "hybrid"))
    lines += contact_lines(group, language)
    if group.schedule:
        lines.append(one_line(group.schedule))
    return tuple(lines)


def ics_event(group: Group, language: Language) -> IcsEvent | None:
    """The calendar event of a group; None when it has no dates (only free text)."""
    timetable = group.timetable
    if timetable is None or not timetable.has_dates:
        return None
    return IcsEvent(
        group_id=group.id,
        name=one_line(group.name),
        schedule=timetable,
        tz=timezone_for(group.country),
        location=group_place(group, language),
        contact=_description(group, language),
    )


def groups_ics(
    groups: Iterable[Group],
    language: Language,
    now: dt.datetime,
    country: str | None = None,
) -> bytes:
    """The ``.ics`` of ``groups`` (those with dates); ``now`` (aware) is the caller's clock.

    Without any dated group the calendar is valid and empty (the time zone of ``country``).
    """
    events = [event for event in (ics_event(g, language) for g in groups) if event]
    return ics_calendar(events, now, empty_tz=timezone_for(country))


def has_dates(groups: Iterable[Group]) -> bool:
    """Whether any of ``groups`` would be in a calendar file."""
    return any(g.timetable is not None and g.timetable.has_dates for g in groups)
