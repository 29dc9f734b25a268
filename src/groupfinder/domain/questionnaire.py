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
from typing import TYPE_CHECKING, Any, Literal

from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.vocabulary import LANGUAGE_WORDS, LANGUAGES, NEEDS, Language

if TYPE_CHECKING:
    from groupfinder.domain.models import Answers, Catalog

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
    #: Options come from the catalog: "needs", "topics" or "audiences".
    source: str | None = None
    #: Ask only when this holds for the answers so far.
    when: str | None = None
    #: False: no option is shown as chosen until the person chooses (the crisis question).
    preselect: bool = True
    #: Answers that open the crisis help at once.
    crisis_values: tuple[Any, ...] = ()


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
        "risk",
        "single",
        N_("Before we go on: how are you right now?"),
        N_(
            "Whatever you answer, help is there for you, day and night: press F1 at any time "
            "for the helplines. Your answer is not stored."
        ),
        options=(
            Option("none", N_("I am not in danger"), N_("Things are hard, but I am safe")),
            Option(
                "thoughts",
                N_("I sometimes think about not wanting to live"),
                N_("We show you who to talk to first, then your suggestions."),
            ),
            Option(
                "acute",
                N_("I am in danger now, or might hurt myself"),
                N_("Please call a helpline now: we show them first."),
            ),
        ),
        preselect=False,
        crisis_values=("thoughts", "acute"),
    ),
    Question(
        "in_care",
        "single",
        N_("Do you already see a GP, psychologist or other care provider?"),
        N_("A group can help alongside their care. You can skip this question."),
        options=(
            Option(True, N_("Yes")),
            Option(False, N_("No, not at the moment")),
        ),
        when="at_risk",
        preselect=False,
    ),
    Question(
        "for_whom",
        "single",
        N_("Who is the group for?"),
        N_("Some groups are for the people themselves, others for their relatives and friends."),
        options=(
            Option("self", N_("For myself")),
            Option(
                "someone_close",
                N_("For someone close to me"),
                N_("I am a relative, partner or friend and want support for myself as such"),
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
        "age_band",
        "single",
        N_("How old are you?"),
        N_("Some groups are for young people or for people over 55. You can skip this."),
        options=(
            Option("under_18", N_("Under 18")),
            Option("18_25", N_("18 to 25")),
            Option("26_54", N_("26 to 54")),
            Option("55_plus", N_("55 or older")),
        ),
        preselect=False,
    ),
    Question(
        "audiences",
        "multi",
        N_("Would you also like groups for a particular group of people?"),
        N_(
            "Some groups are only for women, men, LGBTQ+ people, students, parents or "
            "newcomers. Tick what applies to you if you would welcome such groups; groups "
            "open to everyone are always shown. You can skip this."
        ),
        source="audiences",
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
            Option("in_person_only", N_("Only in person"), N_("in a room, with others")),
            Option("prefer_in_person", N_("Rather in person"), N_("online is fine too")),
            Option("prefer_online", N_("Rather online"), N_("in person is fine too")),
            Option("online_only", N_("Only online"), N_("from home, by video")),
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
        options=tuple(Option(code, LANGUAGE_WORDS[code]) for code in LANGUAGES),
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
    Question(
        "days",
        "multi",
        N_("When could you come?"),
        N_(
            "Tick the days you could go to a group, or skip if any day is fine. Groups that "
            "never meet on those days are shown as near misses."
        ),
        options=(
            Option("mon", N_("Monday")),
            Option("tue", N_("Tuesday")),
            Option("wed", N_("Wednesday")),
            Option("thu", N_("Thursday")),
            Option("fri", N_("Friday")),
            Option("sat", N_("Saturday")),
            Option("sun", N_("Sunday")),
        ),
    ),
    Question(
        "times",
        "multi",
        N_("At what time of day could you come?"),
        N_("Tick one or more, or skip if any time is fine."),
        options=(
            Option("morning", N_("In the morning"), N_("starting before 12:00")),
            Option("afternoon", N_("In the afternoon"), N_("starting between 12:00 and 18:00")),
            Option("evening", N_("In the evening"), N_("starting from 18:00")),
        ),
    ),
)

QUESTIONS_BY_KEY = {q.key: q for q in QUESTIONS}


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``question`` should be asked, given the answers so far."""
    online = answers.get("setting") in ("online_only", "online")
    if question.when == "not_online":
        return not online
    if question.when == "has_location":
        return bool(answers.get("location")) and not online
    if question.when == "at_risk":
        return answers.get("risk") in ("thoughts", "acute")
    return True


def options(question: Question, catalog: Catalog, language: Language) -> list[Option]:
    """The options of ``question`` in ``language``, with catalog options filled in."""
    if question.source == "needs":
        return [
            Option(n, catalog.needs[n].name.get(language), catalog.needs[n].explain.get(language))
            for n in NEEDS
        ]
    if question.source in ("topics", "audiences"):
        vocabulary = catalog.topics if question.source == "topics" else catalog.audiences
        entries = sorted(vocabulary.values(), key=lambda t: t.name.get(language).casefold())
        return [Option(t.id, t.name.get(language)) for t in entries]
    return [
        Option(o.value, tr(language, o.label), tr(language, o.hint) if o.hint else None)
        for o in question.options
    ]


def unanswered(values: list[Any]) -> Any:
    """The option an unanswered single question stands on: its "no preference" (or "does not
    matter") option, which the answers default to; else the first, which is the default of
    questions without one (for whom: for myself)."""
    return values[-1] if values[-1] in ("no_preference", None) else values[0]


def default_answers(language: Language = "nl") -> dict[str, Any]:
    """The answers before anything is asked: contract 1's defaults, with no needs yet."""
    return {"language": language, "needs": [], "languages": [language]}


def to_answers(data: Mapping[str, Any]) -> Answers:
    """The questionnaire's answers as a validated :class:`Answers` (contract 1). (The
    models load here, on first use: the questions themselves need no pydantic.)"""
    from groupfinder.domain.models import Answers

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
