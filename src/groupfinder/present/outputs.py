"""A recommendation as data (JSON, contract 2) and as a Markdown document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from groupfinder.catalog.loader import Catalog
from groupfinder.domain.i18n import format_km, format_points, tr
from groupfinder.domain.models import Group, Helpline, Language
from groupfinder.domain.text import markdown_escape as md
from groupfinder.domain.words import Reason, language_names, setting_words, who_for
from groupfinder.present.crisis import CRISIS_TITLE, helpline_texts, short_help_line

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


def group_json(result: GroupResult, language: Language) -> dict[str, Any]:
    group = result.group
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


def to_json(rec: Recommendation) -> dict[str, Any]:
    """The object ``recommend --format json`` prints (contract 2, version 2)."""
    lang = rec.answers.language
    return {
        "version": REPORT_VERSION,
        "answers": rec.answers.as_json_dict(),
        "crisis_help": [helpline_json(h, lang) for h in rec.crisis_help],
        "notices": [{"id": n.id, "text": n.text} for n in rec.notices],
        "formats": [format_json(r, lang) for r in rec.formats],
        "groups": [group_json(r, lang) for r in rec.groups],
        "near_misses": [group_json(r, lang) for r in rec.near_misses],
        "help_line": help_line(rec),
    }


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


def _points(points: float, lang: Language) -> str:
    return f" ({format_points(lang, points)})" if points else ""


def to_markdown(rec: Recommendation, catalog: Catalog) -> str:
    """A readable Markdown report; every catalog string is escaped."""
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
    out += ["## " + tr(lang, "Kinds of group"), ""]
    for n, f in enumerate(rec.formats, start=1):
        out.append(f"{n}. **{md(f.format.name.get(lang))}** — {f.match}%")
        out += [f"   - {md(r.text)}{_points(r.points, lang)}" for r in f.reasons]
    out += ["", "## " + tr(lang, "Groups"), ""]
    if not rec.groups:
        out.append(tr(lang, "No group meets all your wishes. See the near misses below."))
    for n, g in enumerate(rec.groups, start=1):
        out += group_markdown(n, g, lang, catalog)
    if rec.near_misses:
        out += ["", "## " + tr(lang, "Almost"), ""]
        for n, g in enumerate(rec.near_misses, start=1):
            out += group_markdown(n, g, lang, catalog)
    if catalog.advice:
        out += ["", "## " + tr(lang, "Choosing and joining a group"), ""]
        out += [f"- {md(a.text.get(lang))}" for a in catalog.advice]
    out += ["", "---", "", md(help_line(rec))]
    return "\n".join(out).rstrip() + "\n"


def group_markdown(n: int, result: GroupResult, lang: Language, catalog: Catalog) -> list[str]:
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
    lines += [f"   - {md(r.text)}{_points(r.points, lang)}" for r in result.reasons]
    details = [
        (tr(lang, "For whom"), who_for(g, catalog.audiences, lang)),
        (tr(lang, "Languages"), language_names(lang, g.languages)),
        (tr(lang, "When"), g.schedule),
        (tr(lang, "Address"), ", ".join(p for p in (g.address, g.postcode, g.city) if p)),
        (tr(lang, "Phone"), g.contact.phone),
        (tr(lang, "E-mail"), g.contact.email),
        (tr(lang, "Website"), g.contact.website),
    ]
    lines += [
        "   - " + tr(lang, "{label}: {value}", label=md(label), value=md(value))
        for label, value in details
        if value
    ]
    return lines
