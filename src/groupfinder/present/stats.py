"""``catalog stats``: what a catalog holds, and which groups nobody has checked for a year.

The places to look further (directories.toml) are counted per region; those whose
``checked`` date is more than a year old are listed as stale (:func:`stale_entries`).

A group is stale when its ``last_verified`` date is more than
:data:`~groupfinder.matching.rules.STALE_AFTER_DAYS` days before today: the same rule that
ranks it lower in a recommendation (the ``freshness`` rule).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from groupfinder.catalog.directories import stale_entries
from groupfinder.domain.directory import REGIONS, Directory
from groupfinder.domain.i18n import N_, tr, trn
from groupfinder.domain.models import (
    LANGUAGES,
    LEADERSHIPS,
    SETTINGS,
    Catalog,
    Group,
    Language,
    Text,
)
from groupfinder.domain.text import one_line
from groupfinder.domain.words import language_names, leadership_words, setting_words
from groupfinder.matching.rules import STALE_AFTER_DAYS
from groupfinder.present.further import region_name

#: A count: the value counted (a format id, a town, ...) and how many groups have it.
Count = tuple[str, int]


@dataclass(frozen=True)
class CatalogStats:
    total: int
    formats: list[Count]
    towns: list[Count]
    languages: list[Count]
    leadership: list[Count]
    settings: list[Count]
    #: Checked more than STALE_AFTER_DAYS days ago, oldest first.
    stale: list[Group]
    #: Without a last_verified date.
    unchecked: list[Group]
    today: dt.date
    format_names: dict[str, Text]
    #: How many places to look further there are in all, and per region (every region).
    directories: int = 0
    directory_regions: list[Count] = field(default_factory=list)
    #: Places to look further checked more than a year ago, oldest first.
    stale_directories: tuple[Directory, ...] = ()


def is_stale(group: Group, today: dt.date) -> bool:
    checked = group.last_verified
    return checked is not None and (today - checked).days > STALE_AFTER_DAYS


def catalog_stats(catalog: Catalog, today: dt.date) -> CatalogStats:
    """Counts per format, town, language, leadership and setting, and the stale groups.

    Formats, languages, leadership and settings are listed in full, with zero counts, so
    that what the catalog lacks shows; towns only as far as groups have one.
    """
    groups = catalog.groups
    stale = [g for g in groups if is_stale(g, today)]
    return CatalogStats(
        total=len(groups),
        formats=_counts((g.format for g in groups), catalog.formats),
        towns=_counts((_town(g) for g in groups), ()),
        languages=_counts((code for g in groups for code in g.languages), LANGUAGES),
        leadership=_counts((g.leadership for g in groups), LEADERSHIPS),
        settings=_counts((g.setting for g in groups), SETTINGS),
        stale=sorted(stale, key=lambda g: (g.last_verified or today, g.id)),
        unchecked=sorted((g for g in groups if g.last_verified is None), key=lambda g: g.id),
        today=today,
        format_names={f.id: f.name for f in catalog.formats.values()},
        directories=len(catalog.directories),
        directory_regions=_counts((r for d in catalog.directories for r in d.regions), REGIONS),
        stale_directories=stale_entries(catalog.directories, today),
    )


def _town(group: Group) -> str:
    if not group.city:
        return ""
    return f"{group.city} ({group.country})" if group.country else group.city


def _counts(values: Iterable[str], every: Iterable[str]) -> list[Count]:
    """Most frequent first, then alphabetical; each of ``every`` appears, even at zero."""
    counter = Counter(values)
    for value in every:
        counter.setdefault(value, 0)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def stats_lines(stats: CatalogStats, language: Language) -> list[str]:
    """The stats as plain aligned text in ``language``; catalog text shown literally."""

    def format_name(value: str) -> str:
        name = stats.format_names.get(value)
        return name.get(language) if name else ""

    sections: list[tuple[str, list[Count], Callable[[str], str]]] = [
        (N_("Groups per format"), stats.formats, format_name),
        (N_("Groups per town"), stats.towns, lambda value: ""),
        (N_("Groups per language"), stats.languages, lambda v: language_names(language, (v,))),
        (N_("Groups per leadership"), stats.leadership, lambda v: leadership_words(language, v)),
        (N_("Groups per setting"), stats.settings, lambda v: setting_words(language, v)),
    ]
    lines = [tr(language, "{n} groups in the catalog.", n=stats.total)]
    for heading, counts, label in sections:
        lines += ["", tr(language, heading), *_count_lines(counts, label, language)]
    lines += ["", *_stale_lines(stats, language)]
    lines += ["", *directory_lines(stats, language)]
    return lines


def directory_lines(stats: CatalogStats, language: Language) -> list[str]:
    """The places to look further: how many, per region, and the stale ones."""
    lines = [tr(language, "Places to look further: {n}", n=stats.directories)]
    lines += _count_lines(stats.directory_regions, lambda v: region_name(language, v), language)
    lines += ["", *stale_directory_lines(stats.stale_directories, stats.today, language)]
    return lines


def stale_directory_lines(
    stale: Iterable[Directory], today: dt.date, language: Language
) -> list[str]:
    """The places to look further whose source was read more than a year before ``today``."""
    entries = list(stale)
    lines = [
        tr(
            language,
            "Stale: {n} place(s) to look further last checked more than a year before {today}",
            n=len(entries),
            today=today.isoformat(),
        )
    ]
    ids = [one_line(d.id) for d in entries]
    width = max((len(i) for i in ids), default=0)
    lines += [
        f"  {d.checked.isoformat()}  {i:<{width}}  {one_line(d.name)}"
        for d, i in zip(entries, ids, strict=True)
    ]
    return lines


def _count_lines(counts: list[Count], label: Callable[[str], str], language: Language) -> list[str]:
    names = [one_line(value) if value else tr(language, "(no town)") for value, _ in counts]
    width = max((len(name) for name in names), default=0)
    digits = max((len(str(n)) for _, n in counts), default=1)
    lines = []
    for name, (value, n) in zip(names, counts, strict=True):
        text = f"  {n:>{digits}}  {name:<{width}}"
        words = label(value) if value else ""
        if words and words != name:
            text += f"  {one_line(words)}"
        lines.append(text.rstrip())
    return lines


def _stale_lines(stats: CatalogStats, language: Language) -> list[str]:
    lines = [
        trn(
            language,
            "Stale: {n} group last checked more than {days} days before {today}",
            "Stale: {n} groups last checked more than {days} days before {today}",
            len(stats.stale),
            days=STALE_AFTER_DAYS,
            today=stats.today.isoformat(),
        )
    ]
    lines += _group_lines(stats.stale)
    if stats.unchecked:
        lines += [
            "",
            trn(
                language,
                "Never checked: {n} group",
                "Never checked: {n} groups",
                len(stats.unchecked),
            ),
        ]
        lines += _group_lines(stats.unchecked)
    return lines


def _group_lines(groups: list[Group]) -> list[str]:
    ids = [one_line(g.id) for g in groups]
    width = max((len(i) for i in ids), default=0)
    return [
        f"  {g.last_verified.isoformat() if g.last_verified else '-':<10}  "
        f"{i:<{width}}  {one_line(g.name)}"
        for g, i in zip(groups, ids, strict=True)
    ]
