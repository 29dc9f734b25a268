"""The words of explanations: a reason's shape, and the phrases rules and screens share.

Kept apart from the rules so that the screens can explain without loading the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list

from groupfinder.engine.i18n import BABEL_LOCALES, N_, tr
from groupfinder.engine.models import Language


@dataclass(frozen=True, slots=True)
class Reason:
    """Points from one rule and the sentence that explains them."""

    rule: str
    points: float
    text: str


_STRENGTH = {3: N_("strongly"), 2: N_("well"), 1: N_("a little")}
_LEADERSHIP_WORDS = {
    "professional": N_("a professional (psychologist, psychotherapist or certified therapist)"),
    "trained": N_("a trained coach, facilitator or guide"),
    "peer": N_("peers with lived experience"),
}
_STRUCTURE_WORDS = {"structured": N_("structured"), "open": N_("open and flexible")}
_COMMITMENT_WORDS = {
    "one_off": N_("a single session"),
    "series": N_("a series of sessions"),
    "ongoing": N_("ongoing meetings"),
    "residential": N_("a stay of several days"),
}
_SIZE_WORDS = {
    "small": N_("a small group (up to 8)"),
    "medium": N_("a medium group (9 to 15)"),
    "large": N_("a large group (16 or more)"),
}
_SETTING_WORDS = {"in_person": N_("in person"), "online": N_("online"), "hybrid": N_("hybrid")}
_LANGUAGE_WORDS = {"nl": N_("Dutch"), "fr": N_("French"), "en": N_("English")}


def join(language: Language, items: list[str]) -> str:
    """ "a, b and c" in ``language``."""
    return str(format_list(items, locale=BABEL_LOCALES[language])) if items else ""


def lower_first(text: str) -> str:
    """ "Een erkende psycholoog" -> "een erkende psycholoog", to fit inside a sentence."""
    return text[:1].lower() + text[1:]


def leadership_words(language: Language, kind: str) -> str:
    return tr(language, _LEADERSHIP_WORDS[kind])


def setting_words(language: Language, setting: str) -> str:
    return tr(language, _SETTING_WORDS[setting])


def language_names(language: Language, codes: tuple[str, ...]) -> str:
    return join(language, [tr(language, _LANGUAGE_WORDS[c]) for c in codes])


def size_words(language: Language, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return tr(language, "{low} to {high} people", low=low, high=high)
    if high is not None:
        return tr(language, "up to {high} people", high=high)
    return tr(language, "at least {low} people", low=low)
