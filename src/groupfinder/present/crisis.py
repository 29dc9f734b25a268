"""The help a person can call right now, as words: written once here for every surface.

The short help line that ends every output, screen and error message, and the full crisis
help (each line's name, number, hours and who it is for) shown first to a person at risk:
by the table, Markdown and JSON outputs, the TUI (F1, results, group and counselor
screens) and by every error message of a command that reads answers. The order of the
lines is decided elsewhere, once (:func:`groupfinder.matching.helplines.helplines_for_person`);
here they are only put into words, in the person's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.text import one_line

if TYPE_CHECKING:  # light at run time: the TUI's first screen imports this module
    from groupfinder.domain.models import Helpline, Language

#: The title above the full crisis help, on every surface.
CRISIS_TITLE = N_("Help right now")
#: The reassuring sentence under that title.
CRISIS_INTRO = N_(
    "You do not have to face this alone. These lines listen, day and night, free and "
    "anonymous unless stated otherwise. In danger: call 112."
)
#: The emergency number, named in the short help line even when no helpline could be read.
EMERGENCY = "112"


@dataclass(frozen=True, slots=True)
class HelplineText:
    """One helpline in a person's language, every string on one line and free of
    control characters (the file may be an operator's own)."""

    country: str
    name: str
    phone: str
    hours: str
    url: str | None
    about: str

    def heading(self) -> str:
        """ "Zelfmoordlijn 1813  1813  Dag en nacht, gratis en anoniem  https://…"."""
        return "  ".join(p for p in (self.name, self.phone, self.hours, self.url) if p)


def helpline_texts(lines: Iterable[Helpline], language: Language) -> list[HelplineText]:
    """The lines' names, numbers, hours and about texts in ``language``, in their order."""
    return [
        HelplineText(
            country=h.country,
            name=one_line(h.name.get(language)),
            phone=one_line(h.phone),
            hours=one_line(h.hours.get(language)),
            url=one_line(h.url) if h.url else None,
            about=one_line(h.about.get(language)),
        )
        for h in lines
    ]


def short_help_line(lines: Sequence[Helpline], language: Language) -> str:
    """The one line every output, screen and error message ends with: the first crisis
    lines of ``lines`` (already ordered for the person) and 112."""
    shown = [h for h in lines if h.crisis and h.phone != EMERGENCY][:2]
    if not shown:
        return tr(language, "In immediate danger: call 112.")
    numbers = " · ".join(_name_and_number(h, language) for h in shown)
    return tr(
        language,
        "Need to talk to someone now? {numbers} · In immediate danger: 112",
        numbers=numbers,
    )


def _name_and_number(line: Helpline, language: Language) -> str:
    """ "Zelfmoordlijn 1813", or "De Luisterlijn: 088 0767 000" when the name lacks it."""
    name, phone = one_line(line.name.get(language)), one_line(line.phone)
    return name if phone in name else tr(language, "{name}: {phone}", name=name, phone=phone)


def crisis_help_text(lines: Sequence[Helpline], language: Language) -> str:
    """The full crisis help as plain text (for a terminal or a log): title, the reassuring
    sentence, then each line with its number, hours and who it is for."""
    out = [tr(language, CRISIS_TITLE), tr(language, CRISIS_INTRO)]
    for h in helpline_texts(lines, language):
        out += ["", "  " + h.heading(), "    " + h.about]
    if not lines:
        out += ["", "  " + tr(language, "In immediate danger: call 112.")]
    return "\n".join(out)
