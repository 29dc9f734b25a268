"""Notices: the few things a person must read beside the ranking, decided in one place.

Every surface (JSON, table, Markdown, the TUI, counselor mode, the handout) shows the same
notices in the same order; their ids are part of contract 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.models import Answers, Language

PROFESSIONAL_HELP_FIRST = "professional_help_first"
THERAPY_VS_PEER = "therapy_vs_peer"
NOTHING_FITS = "nothing_fits"
SAMPLE_DATA = "sample_data"


@dataclass(frozen=True, slots=True)
class Notice:
    id: str
    text: str


_PROFESSIONAL_HELP = {
    "BE": N_(
        "You said you are going through a very hard time. Please talk to someone today: "
        "call one of the helplines above, your GP (huisarts, médecin généraliste), or the "
        "mental-health centre near you (a CGG in Flanders, a service de santé mentale in "
        "Brussels and Wallonia). A group can help alongside that care, not instead of it."
    ),
    "NL": N_(
        "You said you are going through a very hard time. Please talk to someone today: "
        "call one of the helplines above or your huisarts (GP); in the evening, at night "
        "and at weekends, the huisartsenpost. A group can help alongside that care, not "
        "instead of it."
    ),
    None: N_(
        "You said you are going through a very hard time. Please talk to someone today: "
        "call one of the helplines above or your GP. In Belgium you can also go to the "
        "mental-health centre near you (a CGG in Flanders, a service de santé mentale in "
        "Brussels and Wallonia); in the Netherlands, at night and at weekends, to the "
        "huisartsenpost. A group can help alongside that care, not instead of it."
    ),
}


def professional_help_first(country: str | None, language: Language) -> Notice:
    """The advice for a person at risk: talk to someone today, care before a group."""
    message = _PROFESSIONAL_HELP.get(country, _PROFESSIONAL_HELP[None])
    return Notice(PROFESSIONAL_HELP_FIRST, tr(language, message))


def wants_therapy_but_prefers_peers(answers: Answers) -> bool:
    """Therapy asked for, with wishes that point away from it (peers, open, one-off, free)."""
    return "therapy" in answers.needs and (
        answers.leadership == "peer"
        or answers.structure == "open"
        or answers.commitment == "one_off"
        or answers.max_cost_eur == 0
    )


def notices_for(
    answers: Answers,
    country: str | None,
    *,
    has_groups: bool,
    has_near_misses: bool,
    sample: bool,
) -> tuple[Notice, ...]:
    """The notices for one recommendation, most important first."""
    lang: Language = answers.language
    out: list[Notice] = []
    if answers.at_risk:
        out.append(professional_help_first(country, lang))
    if wants_therapy_but_prefers_peers(answers):
        out.append(
            Notice(
                THERAPY_VS_PEER,
                tr(
                    lang,
                    "You are looking for therapy. A support group gives recognition and "
                    "connection, but it is no therapy; a therapy group is led by a licensed "
                    "psychologist or psychotherapist. Many people combine both. Therapy "
                    "groups usually start with an intake interview, in the Netherlands "
                    "often with a referral from your GP.",
                ),
            )
        )
    if not has_groups:
        if has_near_misses:
            text = tr(
                lang,
                "No group meets all your wishes. The closest ones are below, each with the "
                "one wish it misses: widening that wish would bring it in.",
            )
        else:
            text = tr(
                lang,
                "No group in this catalog fits your wishes, not even nearly. Your GP or a "
                "directory of self-help groups can point you to others.",
            )
        out.append(Notice(NOTHING_FITS, text))
    if sample:
        out.append(
            Notice(
                SAMPLE_DATA,
                tr(
                    lang,
                    "These groups are fictional examples to try groupfinder with, not real groups.",
                ),
            )
        )
    return tuple(out)
