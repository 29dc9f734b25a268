"""A recommendation as data (JSON, contract 2) and as a Markdown document."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from groupfinder.domain.i18n import tr
from groupfinder.domain.models import Catalog, Helpline, Language
from groupfinder.domain.text import markdown_escape as md
from groupfinder.domain.words import Reason
from groupfinder.present.crisis import CRISIS_TITLE, helpline_texts, short_help_line
from groupfinder.present.facts import (
    cost_words,
    group_facts,
    group_where,
    local_day,
    next_session,
    when_words,
)
from groupfinder.present.further import (
    look_further_json,
    look_further_markdown,
    look_further_section,
)
from groupfinder.present.scores import reason_lines

if TYPE_CHECKING:
    from groupfinder.matching.matcher import FormatResult, GroupResult, Recommendation

REPORT_VERSION = 2


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [{"rule": r.rule, "points": r.points, "text": r.text} for r in reasons]


def format_json(result: FormatResult, language: Language) -> dict[str, Any]:
    return {
        "id": result.format.id,
        "name": result.format.name.get(language),
        "score": result.score,
        "match": result.match,
        "reasons": _reasons(result.reasons),
    }


def group_json(
    result: GroupResult, catalog: Catalog, language: Language, now: dt.datetime | None = None
) -> dict[str, Any]:
    """One group of contract 2; ``now`` (the caller's clock) dates ``next_session``."""
    group = result.group
    upcoming = next_session(group, now)
    data: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "format": group.format,
        "score": result.score,
        "match": result.match,
        "distance_km": result.distance_km,
        "city": group.city,
        "setting": group.setting,
        "languages": list(group.languages),
        "for_whom": group.for_whom,
        "age_min": group.age_min,
        "age_max": group.age_max,
        "restricted_to": list(group.restricted_to),
        "audience": group.audience,
        "reasons": _reasons(result.reasons),
        "contact": group.contact.model_dump(exclude_none=True),
        "schedule": when_words(group, language, local_day(group, now)) or None,
        "next_session": upcoming.isoformat() if upcoming else None,
        "cost": cost_words(language, group),
        "cost_unit": group.cost_unit,
        "facts": [
            {"label": label, "value": value}
            for label, value in group_facts(result, catalog, language, local_day(group, now))
        ],
    }
    if result.missed is not None:
        data["missed"] = result.missed
        data["missed_rule"] = result.missed_rule
    return data


def helpline_json(line: Helpline, language: Language) -> dict[str, Any]:
    return {
        "name": line.name.get(language),
        "phone": line.phone,
        "url": line.url,
        "hours": line.hours.get(language),
        "about": line.about.get(language),
        "languages": list(line.languages),
        "crisis": line.crisis,
    }


def help_line(rec: Recommendation) -> str:
    """The short help line every output ends with: the person's first crisis lines and 112."""
    return short_help_line(rec.helplines, rec.answers.language)


def to_json(
    rec: Recommendation, catalog: Catalog, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The object ``recommend --format json`` prints (contract 2, version 2).

    ``now`` is the caller's clock: it dates each group's ``next_session`` (null without it).
    """
    lang = rec.answers.language
    return {
        "version": REPORT_VERSION,
        "answers": rec.answers.as_json_dict(),
        "crisis_help": [helpline_json(h, lang) for h in rec.crisis_help],
        "notices": [{"id": n.id, "text": n.text} for n in rec.notices],
        "look_further": look_further_json(rec),
        "formats": [format_json(r, lang) for r in rec.formats],
        "groups": [group_json(r, catalog, lang, now) for r in rec.groups],
        "near_misses": [group_json(r, catalog, lang, now) for r in rec.near_misses],
        "help_line": help_line(rec),
    }


def to_markdown(rec: Recommendation, catalog: Catalog, today: dt.date | None = None) -> str:
    """A readable Markdown report; every catalog string is escaped.

    ``today`` (the caller's day) gives each schedule its "next:" date.
    """
    lang = rec.answers.language
    title = tr(lang, "Your group suggestions")
    out: list[str] = ["# " + title, ""]
    out += [
        tr(
            lang,
            "groupfinder is not a diagnosis. It suggests kinds of groups and groups "
            "near you; you decide what feels right.",
        ),
        "",
    ]
    if rec.crisis_help:
        out += ["## " + tr(lang, CRISIS_TITLE), ""]
        for h in helpline_texts(rec.crisis_help, lang):
            line = f"- **{md(h.name)}**: {md(h.phone)} — {md(h.hours)}"
            out.append(line + (f" — {md(h.url)}" if h.url else ""))
            out.append(f"  {md(h.about)}")
        out.append("")
    for notice in rec.notices:
        out += [f"> {md(notice.text)}", ""]
    further = look_further_section(rec)
    # The notices above already say that the groups are sample data.
    further_lines = look_further_markdown(replace(further, sample=None))
    if further.first:
        out += [*further_lines, ""]
    out += ["## " + tr(lang, "Kinds of group"), ""]
    for n, f in enumerate(rec.formats, start=1):
        out.append(f"{n}. **{md(f.format.name.get(lang))}** — {f.match}%")
        out += [line.markdown for line in reason_lines(f.reasons, lang)]
    out += ["", "## " + tr(lang, "Groups"), ""]
    if not rec.groups:
        out.append(tr(lang, "No group meets all your wishes. See the near misses below."))
    for n, g in enumerate(rec.groups, start=1):
        out += group_markdown(n, g, lang, catalog, today)
    if rec.near_misses:
        out += ["", "## " + tr(lang, "Almost"), ""]
        for n, g in enumerate(rec.near_misses, start=1):
            out += group_markdown(n, g, lang, catalog, today)
    if not further.first:
        out += ["", *further_lines]
    if catalog.advice:
        out += ["", "## " + tr(lang, "Choosing and joining a group"), ""]
        out += [f"- {md(a.text.get(lang))}" for a in catalog.advice]
    out += ["", "---", "", md(help_line(rec))]
    return "\n".join(out).rstrip() + "\n"


def group_markdown(
    n: int,
    result: GroupResult,
    lang: Language,
    catalog: Catalog,
    today: dt.date | None = None,
) -> list[str]:
    g = result.group
    fmt = tr(
        lang,
        "{format}, {where}",
        format=catalog.formats[g.format].name.get(lang),
        where=group_where(g, result.distance_km, lang),
    )
    lines = [f"{n}. **{md(g.name)}** — {result.match}% — {md(fmt)}"]
    if result.missed:
        missed = tr(lang, "Misses: {what}", what=result.missed)
        lines.append(f"   - **{md(missed)}**")
    lines += [line.markdown for line in reason_lines(result.reasons, lang)]
    lines += [
        "   - " + tr(lang, "{label}: {value}", label=md(label), value=md(value))
        for label, value in group_facts(result, catalog, lang, today, omit=("kind", "where"))
    ]
    return lines
