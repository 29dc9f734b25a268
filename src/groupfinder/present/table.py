"""``recommend --format table``: a recommendation as Rich tables in the terminal.

Every catalog string goes in as a :class:`rich.text.Text` built from :func:`visible`, so
Rich never reads it as markup and no escape sequence from the data reaches the terminal.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from groupfinder.domain.i18n import tr
from groupfinder.domain.models import Catalog, Language
from groupfinder.domain.text import one_line
from groupfinder.domain.words import Reason, who_for
from groupfinder.matching.matcher import GroupResult, Recommendation
from groupfinder.present.crisis import CRISIS_INTRO, CRISIS_TITLE, helpline_texts
from groupfinder.present.facts import group_where
from groupfinder.present.further import LookFurther, look_further_section
from groupfinder.present.outputs import help_line
from groupfinder.present.scores import bar_cells, reason_lines


def plain(text: str | None, style: str = "") -> Text:
    """Catalog or user text, shown literally."""
    return Text(one_line(text or ""), style=style)


TONE_STYLES = {"plus": "green", "minus": "red", "neutral": "dim"}


def match_bar(match: int) -> Text:
    """A bar and a number, so that the match does not rely on colour alone."""
    filled, empty, number = bar_cells(match)
    return Text(filled, style="green") + Text(empty, style="dim") + Text(number)


def reasons_text(reasons: tuple[Reason, ...], lang: Language) -> Text:
    lines = Text()
    for n, line in enumerate(reason_lines(reasons, lang)):
        if n:
            lines.append("\n")
        lines.append(f"{line.sign} ", style=TONE_STYLES[line.tone])
        lines.append(line.text)
        if line.points:
            lines.append(f" {line.points}", style="dim")
    return lines


def build_renderables(rec: Recommendation, catalog: Catalog) -> list[Table | Panel | Text]:
    lang = rec.answers.language
    out: list[Table | Panel | Text] = []
    if rec.crisis_help:
        lines = [plain(tr(lang, CRISIS_INTRO), "bold")]
        for h in helpline_texts(rec.crisis_help, lang):
            line = plain(h.name, "bold") + Text("  ") + plain(h.phone, "bold")
            line += Text("  ") + plain(h.hours)
            if h.url:
                line += Text("  ") + plain(h.url)
            lines.append(line)
            lines.append(plain(h.about, "dim"))
        out.append(Panel(Group(*lines), title=tr(lang, CRISIS_TITLE), border_style="red"))
    for notice in rec.notices:
        out.append(Panel(plain(notice.text), border_style="yellow"))
    further = look_further_section(rec)
    if further.first:
        out.append(look_further_panel(further))

    formats = Table(title=tr(lang, "Kinds of group"), box=box.SIMPLE_HEAD, expand=True)
    formats.add_column("#", justify="right", no_wrap=True)
    formats.add_column(tr(lang, "Kind"), ratio=2)
    formats.add_column(tr(lang, "Match"), no_wrap=True)
    formats.add_column(tr(lang, "Why"), ratio=5)
    for n, f in enumerate(rec.formats, start=1):
        formats.add_row(
            str(n),
            plain(f.format.name.get(lang), "bold"),
            match_bar(f.match),
            reasons_text(f.reasons, lang),
        )
    out.append(formats)
    out.append(_groups_table(tr(lang, "Groups"), rec.groups, lang, catalog))
    if not rec.groups:
        out.append(plain(tr(lang, "No group meets all your wishes. See the near misses below.")))
    if rec.near_misses:
        out.append(_groups_table(tr(lang, "Almost"), rec.near_misses, lang, catalog))
    if not further.first:
        out.append(look_further_panel(further))
    out.append(
        plain(
            tr(
                lang,
                "groupfinder is not a diagnosis. It suggests kinds of groups and "
                "groups near you; you decide what feels right.",
            ),
            "dim",
        )
    )
    out.append(plain(help_line(rec), "bold"))
    return out


def look_further_panel(section: LookFurther) -> Panel:
    """Where to look further: each place's name and web address, what it offers, its source.

    The sample-data line is left out: the notices above already say it.
    """
    lines = [plain(section.intro)]
    for p in section.entries:
        lines.append(plain(p.name, "bold") + Text("  ") + plain(p.url))
        lines.append(plain(p.about))
        lines.append(plain(p.provenance, "dim"))
    return Panel(Group(*lines), title=section.title, border_style="cyan")


def _groups_table(
    title: str, results: tuple[GroupResult, ...], lang: Language, catalog: Catalog
) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(tr(lang, "Group"), ratio=3)
    table.add_column(tr(lang, "Where"), ratio=2)
    table.add_column(tr(lang, "Match"), no_wrap=True)
    table.add_column(tr(lang, "Why"), ratio=5)
    for n, r in enumerate(results, start=1):
        name = plain(r.group.name, "bold") + Text("\n")
        name += plain(catalog.formats[r.group.format].name.get(lang), "italic")
        name += Text("\n") + plain(who_for(r.group, catalog.audiences, lang), "dim")
        why = reasons_text(r.reasons, lang)
        if r.missed:
            why = plain(tr(lang, "Misses: {what}", what=r.missed), "bold red") + Text("\n") + why
        table.add_row(
            str(n), name, plain(group_where(r.group, r.distance_km, lang)), match_bar(r.match), why
        )
    return table


def print_table(rec: Recommendation, catalog: Catalog, console: Console | None = None) -> None:
    console = console or Console(highlight=False, emoji=False)
    for renderable in build_renderables(rec, catalog):
        console.print(renderable)
