"""Which helplines a person sees, in which order: decided here, used by every surface.

The rule (DESIGN.md, contract 2): the crisis lines of the person's country in a language the
person speaks first, then that country's other crisis lines, then 112 ("in immediate
danger"), then the listening lines. Without a country, every country's lines in that order,
the person's language first. Within a step, a line in the language the person reads comes
before one in another language they speak, and otherwise the file's order is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from groupfinder.domain.models import Helpline, Language

#: The country code of lines valid everywhere in Europe (112).
EUROPE = "EU"


def helplines_for_person(
    helplines: Sequence[Helpline],
    country: str | None,
    language: Language,
    languages: Iterable[Language] = (),
) -> tuple[Helpline, ...]:
    """The lines for a person in ``country`` who reads ``language`` and speaks ``languages``."""
    speaks = {language, *languages}

    def step(line: Helpline) -> int:
        if line.country == EUROPE:
            return 2
        if not line.crisis:
            return 3
        return 0 if speaks & set(line.languages) else 1

    shown = [h for h in helplines if country is None or h.country in (country, EUROPE)]
    order = sorted(
        range(len(shown)),
        key=lambda i: (
            step(shown[i]),
            language not in shown[i].languages,
            not speaks & set(shown[i].languages),
            i,
        ),
    )
    return tuple(shown[i] for i in order)


def crisis_numbers(helplines: Iterable[Helpline]) -> str:
    """The first crisis line of each country in ``helplines`` and the European one, in their
    order: ``BE 1813 · NL 113 · 112``, for the short line on every screen."""
    numbers: dict[str, str] = {}
    for line in helplines:
        if line.crisis and line.country not in numbers:
            numbers[line.country] = (
                line.phone if line.country == EUROPE else f"{line.country} {line.phone}"
            )
    return " · ".join(numbers.values())
