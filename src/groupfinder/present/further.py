"""Where to look further: the real directories and organisations of a recommendation.

Written once for every surface (JSON, Markdown, table, TUI, handout, counselor summary,
kiosk take-home): :func:`look_further_section` says what a person reads, and the helpers
below turn it into data, Markdown or short plain lines. Every string from the data is
plain text; each surface keeps it literal (escaped Markdown, Rich and Textual text objects,
escaped PDF paragraphs), so that a URL is never read as markup.

While the shipped, fictional catalog is in use (the ``sample_data`` notice), the section
says so in one short line and comes before the groups: the real directories first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from groupfinder.domain.i18n import N_, format_day, tr
from groupfinder.domain.models import Language
from groupfinder.domain.text import markdown_escape as md
from groupfinder.domain.text import one_line
from groupfinder.matching.notices import NOTHING_FITS, SAMPLE_DATA

if TYPE_CHECKING:
    from groupfinder.domain.directory import Directory, Region
    from groupfinder.matching.matcher import Recommendation

#: How the regions of directories.toml are called, in the person's language.
REGION_NAMES: dict[str, str] = {
    "BE-VLG": N_("Flanders"),
    "BE-BRU": N_("Brussels"),
    "BE-WAL": N_("Wallonia"),
    "NL": N_("the Netherlands"),
}

#: How many places the short take-home text (a QR code) names.
SHORT_LIMIT = 2


def region_name(language: Language, region: Region | str) -> str:
    message = REGION_NAMES.get(region)
    return tr(language, message) if message else region


@dataclass(frozen=True)
class FurtherEntry:
    """One directory or organisation as a person reads it."""

    name: str
    url: str
    about: str
    source: str
    checked: dt.date
    #: "Source: https://… · checked on 1 December 2026", in the person's language.
    provenance: str


@dataclass(frozen=True)
class LookFurther:
    title: str
    #: The title as a label before a list: "Look further:" (French: "… :").
    label: str
    #: One sentence before the entries.
    intro: str
    entries: tuple[FurtherEntry, ...]
    #: The sample_data notice's text while the fictional catalog is in use, else None.
    sample: str | None
    #: Whether the section comes before the groups (while the catalog is sample data).
    first: bool
    #: Whether no group fits the person (the nothing_fits notice is on).
    nothing_fits: bool


def further_entry(directory: Directory, language: Language) -> FurtherEntry:
    provenance = tr(
        language,
        "Source: {source} · checked on {date}",
        source=one_line(directory.source),
        date=format_day(language, directory.checked),
    )
    return FurtherEntry(
        name=one_line(directory.name),
        url=one_line(directory.url),
        about=one_line(directory.about.get(language)),
        source=one_line(directory.source),
        checked=directory.checked,
        provenance=provenance,
    )


def look_further_section(rec: Recommendation) -> LookFurther:
    """What every surface shows under "Look further" for this recommendation."""
    lang = rec.answers.language
    notices = {n.id: n.text for n in rec.notices}
    sample = notices.get(SAMPLE_DATA)
    nothing_fits = NOTHING_FITS in notices
    entries = tuple(further_entry(d, lang) for d in rec.look_further)
    if not entries:
        intro = tr(
            lang,
            "No directory is listed for your region yet. Your GP can point you to groups.",
        )
    elif sample is not None:
        intro = tr(lang, "Real groups are listed by these directories and organisations:")
    elif nothing_fits:
        intro = tr(
            lang,
            "These directories and organisations list or run groups and may know one for you:",
        )
    else:
        intro = tr(lang, "More groups can be found through these directories and organisations:")
    return LookFurther(
        title=tr(lang, "Look further"),
        label=tr(lang, "Look further:"),
        intro=intro,
        entries=entries,
        sample=sample,
        first=sample is not None,
        nothing_fits=nothing_fits,
    )


def look_further_json(rec: Recommendation) -> list[dict[str, Any]]:
    """``look_further`` of ``recommend --format json``: name, url, about, source, checked."""
    return [
        {
            "name": p.name,
            "url": p.url,
            "about": p.about,
            "source": p.source,
            "checked": p.checked.isoformat(),
        }
        for p in look_further_section(rec).entries
    ]


def look_further_markdown(section: LookFurther, level: int = 2) -> list[str]:
    """The section as Markdown lines (a heading, the intro, one item per place), escaped."""
    out = ["#" * level + " " + md(section.title), ""]
    if section.sample is not None:
        out += [f"> {md(section.sample)}", ""]
    out += [md(section.intro), ""]
    for p in section.entries:
        out.append(f"- **{md(p.name)}** — {md(p.url)}")
        out.append(f"  {md(p.about)}")
        out.append(f"  *{md(p.provenance)}*")
    return out


def look_further_lines(
    section: LookFurther, language: Language, limit: int = SHORT_LIMIT
) -> list[str]:
    """A short plain-text version for a take-home code: a heading (while the catalog is
    sample data, one that says so), then "name: url" of the first places."""
    if not section.entries:
        return [section.intro]
    if section.sample is not None:
        heading = tr(language, "These groups are examples. Real groups:")
    else:
        heading = section.label
    return [heading, *(f"{p.name}: {p.url}" for p in section.entries[:limit])]
