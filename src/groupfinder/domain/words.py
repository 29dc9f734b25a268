"""The words of explanations: a reason's shape, and the phrases rules and screens share.

Kept apart from the rules so that the screens can explain without loading the matcher.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from groupfinder.domain.i18n import BABEL_LOCALES, N_, tr
from groupfinder.domain.models import Group, Language, Topic
from groupfinder.domain.vocabulary import LANGUAGE_WORDS


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


def join(language: Language, items: list[str]) -> str:
    """ "a, b and c" in ``language``."""
    from babel.lists import format_list  # Babel's lists only once a sentence needs one

    return str(format_list(items, locale=BABEL_LOCALES[language])) if items else ""


def lower_first(text: str) -> str:
    """ "Een erkende psycholoog" -> "een erkende psycholoog", to fit inside a sentence."""
    return text[:1].lower() + text[1:]


def leadership_words(language: Language, kind: str) -> str:
    return tr(language, _LEADERSHIP_WORDS[kind])


def setting_words(language: Language, setting: str) -> str:
    return tr(language, _SETTING_WORDS[setting])


def language_names(language: Language, codes: tuple[str, ...]) -> str:
    return join(language, [tr(language, LANGUAGE_WORDS[c]) for c in codes if c in LANGUAGE_WORDS])


def size_words(language: Language, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return tr(language, "{low} to {high} people", low=low, high=high)
    if high is not None:
        return tr(language, "up to {high} people", high=high)
    return tr(language, "at least {low} people", low=low)


def age_words(language: Language, low: int | None, high: int | None) -> str:
    """ "Ages 18 to 30" / "Ages 55 and up" / "Ages up to 17"."""
    if low is not None and high is not None:
        return tr(language, "Ages {low} to {high}", low=low, high=high)
    if low is not None:
        return tr(language, "Ages {low} and up", low=low)
    return tr(language, "Ages up to {high}", high=high)


def audience_names(
    language: Language, vocabulary: Mapping[str, Topic], ids: tuple[str, ...]
) -> str:
    """ "women and LGBTQ+ people": audience ids in words, from formats.toml [audiences]."""
    names = [vocabulary[a].name.get(language) if a in vocabulary else a for a in ids]
    return join(language, [lower_first(n) for n in names])


def who_for(group: Group, audiences: Mapping[str, Topic], language: Language) -> str:
    """Who a group is for, in one line: "For relatives · Only for women · Ages 18 to 25 · ..."

    The matcher's version 2 facts first, then the catalog's own words (``audience``).
    """
    parts = []
    if group.for_whom == "relatives":
        parts.append(tr(language, "For relatives, partners and friends"))
    elif group.for_whom == "self":
        parts.append(tr(language, "For the people themselves"))
    if group.restricted_to:
        names = audience_names(language, audiences, group.restricted_to)
        parts.append(tr(language, "Only for {audience}", audience=names))
    if group.age_min is not None or group.age_max is not None:
        parts.append(age_words(language, group.age_min, group.age_max))
    if not parts and not group.audience:
        parts.append(tr(language, "Open to all"))
    if group.audience:
        parts.append(group.audience)
    return " · ".join(parts)
