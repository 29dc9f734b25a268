"""A recommendation as data (JSON, contract 2) and as a Markdown document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from groupfinder.engine.catalog import Catalog
from groupfinder.engine.explain import Reason, language_names, setting_words
from groupfinder.engine.i18n import format_km, format_points, tr
from groupfinder.engine.models import Group, Language
from groupfinder.engine.text import markdown_escape as md

if TYPE_CHECKING:
    from groupfinder.engine.matcher import FormatResult, GroupResult, Recommendation

REPORT_VERSION = 1


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
        "reasons": _reasons(result.reasons),
        "contact": group.contact.model_dump(exclude_none=True),
    }
    if result.missed is not None:
        data["missed"] = result.missed
    return data


def to_json(rec: Recommendation) -> dict[str, Any]:
    """The object ``recommend --format json`` prints (contract 2)."""
    lang = rec.answers.language
    data: dict[str, Any] = {"version": REPORT_VERSION, "answers": rec.answers.as_json_dict()}
    if rec.answers.in_crisis:
        data["crisis_help"] = [
            {"name": h.name, "phone": h.phone, "url": h.url, "hours": h.hours.get(lang)}
            for h in rec.crisis_help
        ]
    data["formats"] = [format_json(r, lang) for r in rec.formats]
    data["groups"] = [group_json(r, lang) for r in rec.groups]
    data["near_misses"] = [group_json(r, lang) for r in rec.near_misses]
    return data


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
        out += ["## " + tr(lang, "Help right now"), ""]
        for h in rec.crisis_help:
            line = f"- **{md(h.name)}**: {md(h.phone)} — {md(h.hours.get(lang))}"
            out.append(line + (f" — {md(h.url)}" if h.url else ""))
        out.append("")
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
