"""What a counselor's exports show: the chosen formats and groups, the facts of a group,
and the helplines for the client's country.
"""

from __future__ import annotations

import datetime as dt

from groupfinder.catalog.loader import Catalog
from groupfinder.domain.i18n import N_, format_day, tr
from groupfinder.domain.models import Group, Helpline, Language
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
from groupfinder.present.outputs import cost_words as cost_words
from groupfinder.present.outputs import group_where, when_words

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


def client_helplines(rec: Recommendation, catalog: Catalog) -> list[Helpline]:
    """The helplines for the client, in the one order every surface uses."""
    return list(rec.helplines)


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


def group_facts(
    result: GroupResult, catalog: Catalog, language: Language, today: dt.date | None = None
) -> list[tuple[str, str]]:
    """Label and value of what a client needs to find and judge a group, in order.

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
    facts = [
        (tr(lang, "Kind"), catalog.formats[g.format].name.get(lang)),
        (tr(lang, "For whom"), who_for(g, catalog.audiences, lang)),
        (tr(lang, "Where"), group_where(g, result.distance_km, lang)),
        (tr(lang, "Address"), address if g.setting != "online" else ""),
        (tr(lang, "How"), setting_words(lang, g.setting)),
        (tr(lang, "When"), when_words(g, lang, today)),
        (tr(lang, "Led by"), leadership_words(lang, g.leadership)),
        (tr(lang, "Group size"), size),
        (tr(lang, "Languages"), language_names(lang, g.languages)),
        (tr(lang, "Drop in"), drop_in[g.drop_in]),
        (tr(lang, "Cost"), cost_words(lang, g)),
        (tr(lang, "Wheelchair access"), wheelchair[g.wheelchair]),
        (tr(lang, "Phone"), g.contact.phone or ""),
        (tr(lang, "E-mail"), g.contact.email or ""),
        (tr(lang, "Website"), g.contact.website or ""),
        (tr(lang, "Last checked"), checked),
    ]
    return [(label, value) for label, value in facts if value]
