"""What a counselor's exports show: the chosen formats and groups, the facts of a group,
and the helplines for the client's country.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from groupfinder.domain.i18n import N_, format_day, format_km, tr
from groupfinder.domain.models import Catalog, Group, Language
from groupfinder.domain.schedule import cost_phrase, describe, next_sessions, timezone_for
from groupfinder.domain.text import one_line
from groupfinder.domain.words import (
    language_names,
    leadership_words,
    setting_words,
    size_words,
    who_for,
)
from groupfinder.matching.geo import distance_km
from groupfinder.matching.matcher import FormatResult, GroupResult, Recommendation
from groupfinder.modes.record import Record


def group_where(group: Group, distance_km: float | None, language: Language) -> str:
    """ "Gent · 4 km" / "online" — where a group meets, briefly."""
    if group.setting == "online":
        return setting_words(language, "online")
    parts = [group.city or ""]
    if distance_km is not None:
        parts.append(tr(language, "{km} km", km=format_km(language, distance_km)))
    if group.setting == "hybrid":
        parts.append(setting_words(language, "hybrid"))
    return " · ".join(p for p in parts if p)


def when_words(group: Group, language: Language, today: dt.date | None) -> str:
    """When a group meets, in the person's language: the one presenter of every surface.

    "every other Tuesday, 20:00-21:30 · next: Tuesday 8 December" from the schedule
    columns, then the free-text ``schedule`` (what structure cannot say); only the free
    text when there are no columns. ``today`` is the caller's day (there is no clock here);
    without it the "next:" part is left out and dates carry their year.
    """
    timetable = group.timetable
    parts = []
    if timetable is not None:
        if today is None:
            parts.append(describe(timetable, language, dt.date.min, with_next=False))
        else:
            parts.append(describe(timetable, language, today))
    if group.schedule:
        parts.append(group.schedule)
    return " · ".join(part for part in parts if part)


def next_session(group: Group, now: dt.datetime | None) -> dt.datetime | None:
    """The start of a group's next session (a stay still under way counts), in the group's
    time zone (Europe/Brussels for BE, Europe/Amsterdam for NL); None when not known.

    ``now`` is the caller's clock (aware, or naive local time of the group).
    """
    if now is None or group.timetable is None:
        return None
    sessions = next_sessions(group.timetable, now, timezone_for(group.country), 1)
    return sessions[0].start if sessions else None


def cost_words(language: Language, group: Group) -> str:
    """ "€190 per stay", "Free", or that it is not listed: a cost says what it pays for."""
    return cost_phrase(language, group.cost_eur, group.cost_unit)


def local_day(group: Group, now: dt.datetime | None) -> dt.date | None:
    """The caller's day where the group meets (None without a clock)."""
    if now is None:
        return None
    if now.tzinfo is None:
        return now.date()
    return now.astimezone(timezone_for(group.country)).date()


#: Shown when nothing is pinned: the best formats and groups of the ranking.
DEFAULT_FORMATS = 2
DEFAULT_GROUPS = 3


def chosen_formats(rec: Recommendation, record: Record) -> tuple[FormatResult, ...]:
    """The pinned formats in the counselor's order; the best two when none is pinned."""
    by_id = {r.format.id: r for r in rec.formats}
    pinned = tuple(by_id[f] for f in record.pinned_formats if f in by_id)
    return pinned or rec.formats[:DEFAULT_FORMATS]


def chosen_groups(rec: Recommendation, catalog: Catalog, record: Record) -> tuple[GroupResult, ...]:
    """The groups suggested to the client; else the pinned ones; else the best three.

    A chosen group that is not in the ranking (it fails several of the client's limits,
    or falls beyond the limit) is still shown, without reasons.
    """
    ids = record.suggested_groups or record.pinned_groups
    if not ids:
        return rec.groups[:DEFAULT_GROUPS]
    ranked = {r.group.id: r for r in (*rec.near_misses, *rec.groups)}
    chosen = []
    for group_id in ids:
        if group_id in ranked:
            chosen.append(ranked[group_id])
        elif group_id in catalog.groups_by_id:
            group = catalog.groups_by_id[group_id]
            chosen.append(GroupResult(group, 0.0, 0, _distance(rec, group), ()))
    return tuple(chosen)


def _distance(rec: Recommendation, group: Group) -> float | None:
    origin = rec.origin
    if origin is None or group.setting == "online" or not group.has_coordinates:
        return None
    assert group.latitude is not None and group.longitude is not None
    km = distance_km(origin.latitude, origin.longitude, group.latitude, group.longitude)
    return round(km, 1)


def contact_lines(group: Group, language: Language) -> list[str]:
    """A group's phone and e-mail (labelled) and website, each on one line of plain text."""
    contact = group.contact
    lines = [
        f"{tr(language, label)}: {one_line(value)}"
        for label, value in ((N_("Phone"), contact.phone), (N_("E-mail"), contact.email))
        if value
    ]
    if contact.website:
        lines.append(one_line(contact.website))
    return lines


FactKey = Literal[
    "kind", "for_whom", "where", "address", "how", "when", "led_by", "size", "languages",
    "drop_in", "cost", "wheelchair", "phone", "email", "website", "last_checked",
]  # fmt: skip


def group_facts(
    result: GroupResult,
    catalog: Catalog,
    language: Language,
    today: dt.date | None = None,
    omit: tuple[FactKey, ...] = (),
) -> list[tuple[str, str]]:
    """Label and value of what a person needs to find and judge a group, in order: the one
    presenter of a group's facts for the screens, the PDF, the Markdown and the JSON.

    ``omit`` leaves out facts a surface already shows otherwise (the kind in a heading).
    Values are plain text straight from the catalog: escape them for the output. ``today``
    (the caller's day) gives the schedule its "next:" date.
    """
    g = result.group
    lang = language
    address = ", ".join(p for p in (g.address, " ".join(x for x in (g.postcode, g.city) if x)) if p)
    checked = format_day(lang, g.last_verified) if g.last_verified else tr(lang, "Not known")
    size = ""
    if g.size_min or g.size_max:
        size = size_words(lang, g.size_min, g.size_max)
    not_known = tr(lang, "Not known")
    wheelchair = {"yes": tr(lang, "Yes"), "no": tr(lang, "No"), "unknown": not_known}
    drop_in = {True: tr(lang, "Yes"), False: tr(lang, "No, sign up first"), None: not_known}
    facts: list[tuple[FactKey, str, str]] = [
        ("kind", N_("Kind"), catalog.formats[g.format].name.get(lang)),
        ("for_whom", N_("For whom"), who_for(g, catalog.audiences, lang)),
        ("where", N_("Where"), group_where(g, result.distance_km, lang)),
        ("address", N_("Address"), address if g.setting != "online" else ""),
        ("how", N_("How"), setting_words(lang, g.setting)),
        ("when", N_("When"), when_words(g, lang, today)),
        ("led_by", N_("Led by"), leadership_words(lang, g.leadership)),
        ("size", N_("Group size"), size),
        ("languages", N_("Languages"), language_names(lang, g.languages)),
        ("drop_in", N_("Drop in"), drop_in[g.drop_in]),
        ("cost", N_("Cost"), cost_words(lang, g)),
        ("wheelchair", N_("Wheelchair access"), wheelchair[g.wheelchair]),
        ("phone", N_("Phone"), g.contact.phone or ""),
        ("email", N_("E-mail"), g.contact.email or ""),
        ("website", N_("Website"), g.contact.website or ""),
        ("last_checked", N_("Last checked"), checked),
    ]
    return [
        (tr(lang, label), one_line(value))
        for key, label, value in facts
        if value and key not in omit
    ]
