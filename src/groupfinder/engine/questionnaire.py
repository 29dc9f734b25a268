"""The questionnaire, declared once as data.

Each :class:`Question` names the answers key it fills, its kind, its words and its options.
The TUI has one generic screen that renders any question from this list, so adding a
question means adding an entry here, not a screen. Options whose words live in the catalog
(needs, topics) are filled from the catalog when the screen is shown.

Words are English message ids marked with ``N_``; screens translate them with ``tr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from groupfinder.engine.catalog import Catalog
from groupfinder.engine.i18n import N_, tr
from groupfinder.engine.models import NEEDS, Answers, Language

#: single: pick one; multi: pick one or more; search: pick any from a filterable list;
#: place: type a postcode or town.
Kind = Literal["single", "multi", "search", "place"]


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    title: str
    help: str
    options: tuple[Option, ...] = ()
    #: Whether "skip" is offered (the answer keeps its default).
    skippable: bool = True
    #: At least this many picks for a multi question.
    minimum: int = 0
    #: Options come from the catalog: "needs" or "topics".
    source: str | None = None
    #: Ask only when this holds for the answers so far.
    when: str | None = None


NO_PREFERENCE = Option("no_preference", N_("No preference"))

QUESTIONS: tuple[Question, ...] = (
    Question(
        "needs",
        "multi",
        N_("What are you looking for?"),
        N_("Some people need therapy, others creativity, rest or recognition. Choose one or more."),
        source="needs",
        skippable=False,
        minimum=1,
    ),
    Question(
        "in_crisis",
        "single",
        N_("Before we go on: how are you right now?"),
        N_(
            "If you are in danger or thinking about ending your life, help is there for you, "
            "day and night. You can also press F1 at any time."
        ),
        options=(
            Option(False, N_("I am not in immediate danger")),
            Option(
                True,
                N_("I am in crisis and need help now"),
                N_("We show you the helplines first, then your suggestions."),
            ),
        ),
    ),
    Question(
        "topics",
        "search",
        N_("What is it about?"),
        N_("Choose the themes a group should be about, or skip. Type to filter the list."),
        source="topics",
    ),
    Question(
        "group_size",
        "single",
        N_("How big a group feels right?"),
        N_(
            "Smaller groups give more personal attention; larger groups bring more "
            "different experiences."
        ),
        options=(
            Option("small", N_("Small"), N_("up to 8 people")),
            Option("medium", N_("Medium"), N_("9 to 15 people")),
            Option("large", N_("Large"), N_("16 people or more")),
            NO_PREFERENCE,
        ),
    ),
    Question(
        "leadership",
        "single",
        N_("Who would you like to lead the group?"),
        N_("An experienced facilitator matters. Choose who you would trust most."),
        options=(
            Option(
                "professional",
                N_("A professional"),
                N_("a licensed psychologist, psychotherapist or certified therapist"),
            ),
            Option("trained", N_("A trained guide"), N_("a coach, facilitator or retreat guide")),
            Option(
                "peer", N_("Peers"), N_("people who lived through the same, often a non-profit")
            ),
            NO_PREFERENCE,
        ),
    ),
    Question(
        "structure",
        "single",
        N_("How structured should it be?"),
        N_("From a clear programme with goals to open, spontaneous conversation."),
        options=(
            Option("structured", N_("Structured"), N_("sessions with a plan and shared goals")),
            Option("open", N_("Open"), N_("free conversation, come as you are")),
            NO_PREFERENCE,
        ),
    ),
    Question(
        "commitment",
        "single",
        N_("How much time would you like to give?"),
        N_("Be patient with yourself: regular sessions help, but one visit is a fine start."),
        options=(
            Option("one_off", N_("A single session"), N_("try it once, drop in")),
            Option("series", N_("A series"), N_("a fixed number of sessions")),
            Option("ongoing", N_("Ongoing"), N_("meet regularly, with no end date")),
            Option("residential", N_("A stay"), N_("several days away, a retreat")),
            NO_PREFERENCE,
        ),
    ),
    Question(
        "setting",
        "single",
        N_("Where would you like to meet?"),
        N_("Hybrid groups meet in a room and online at the same time."),
        options=(
            Option("in_person", N_("In person"), N_("in a room, with others")),
            Option("online", N_("Online"), N_("from home, by video")),
            NO_PREFERENCE,
        ),
    ),
    Question(
        "location",
        "place",
        N_("Where are you?"),
        N_(
            "Type a postcode or a town in Belgium or the Netherlands, or skip. "
            "It is only used to measure distances, and it is not stored."
        ),
        when="not_online",
    ),
    Question(
        "max_distance_km",
        "single",
        N_("How far would you travel?"),
        N_("Online groups are never left out because of distance."),
        options=(
            Option(5, N_("Up to 5 km")),
            Option(10, N_("Up to 10 km")),
            Option(25, N_("Up to 25 km")),
            Option(50, N_("Up to 50 km")),
            Option(None, N_("Distance does not matter")),
        ),
        when="has_location",
    ),
    Question(
        "languages",
        "multi",
        N_("Which languages can you follow in a group?"),
        N_("Groups in other languages are left out."),
        options=(
            Option("nl", N_("Dutch")),
            Option("fr", N_("French")),
            Option("en", N_("English")),
        ),
        minimum=1,
    ),
    Question(
        "max_cost_eur",
        "single",
        N_("What can you spend per session?"),
        N_("Many peer groups are free. Ask about reduced rates if money is tight."),
        options=(
            Option(0, N_("Only free groups")),
            Option(10, N_("Up to € 10")),
            Option(25, N_("Up to € 25")),
            Option(50, N_("Up to € 50")),
            Option(None, N_("Cost does not matter")),
        ),
    ),
)

QUESTIONS_BY_KEY = {q.key: q for q in QUESTIONS}


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``question`` should be asked, given the answers so far."""
    if question.when == "not_online":
        return answers.get("setting") != "online"
    if question.when == "has_location":
        return bool(answers.get("location")) and answers.get("setting") != "online"
    return True


def options(question: Question, catalog: Catalog, language: Language) -> list[Option]:
    """The options of ``question`` in ``language``, with catalog options filled in."""
    if question.source == "needs":
        return [
            Option(n, catalog.needs[n].name.get(language), catalog.needs[n].explain.get(language))
            for n in NEEDS
        ]
    if question.source == "topics":
        topics = sorted(catalog.topics.values(), key=lambda t: t.name.get(language).casefold())
        return [Option(t.id, t.name.get(language)) for t in topics]
    return [
        Option(o.value, tr(language, o.label), tr(language, o.hint) if o.hint else None)
        for o in question.options
    ]


def default_answers(language: Language = "nl") -> dict[str, Any]:
    """The answers before anything is asked: contract 1's defaults, with no needs yet."""
    return {"language": language, "needs": [], "languages": [language]}


def to_answers(data: Mapping[str, Any]) -> Answers:
    """The questionnaire's answers as a validated :class:`Answers` (contract 1)."""
    return Answers.model_validate(dict(data))


def describe(question: Question, value: Any, catalog: Catalog, language: Language) -> str:
    """A short text for an answer, for the summary ("Small, Medium" / "Skipped")."""
    if value in (None, [], ()) or value == "no_preference":
        if question.key in ("max_distance_km", "max_cost_eur") and value is None:
            chosen = [o for o in options(question, catalog, language) if o.value is None]
            return chosen[0].label if chosen else tr(language, "No preference")
        return (
            tr(language, "No preference") if value == "no_preference" else tr(language, "Skipped")
        )
    if question.kind == "place":
        return str(value)
    values = value if isinstance(value, (list, tuple)) else [value]
    labels = {o.value: o.label for o in options(question, catalog, language)}
    return ", ".join(labels.get(v, str(v)) for v in values)
