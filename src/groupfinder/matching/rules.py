"""The matcher's rules, all in one place.

The principles (DESIGN.md) are kept by the size of the weights, so that a score stays a plain
sum of the points a person can read:

- **Risk, then needs, then preferences.** For a person at risk the professional-help rule
  gives more points than anything else. A format's needs score moves in steps of
  :data:`NEED_POINTS` (one level of strength), and the seed's topic link plus every
  preference together can move a format by less than one step (:data:`PREFERENCE_SWING`), so
  preferences only order formats that serve the needs equally strongly. A format serves the
  person "at full strength" at :data:`FULL_STRENGTH` levels, however many needs they ticked,
  so extra needs never dilute the match (a match is capped at 100 and follows the score).
- **Limits are limits** (:data:`LIMITS`): a group that fails one is never a result; failing
  exactly one makes it a near miss, and the size of the miss orders near misses.
- **A result serves the person**: its format serves at least one of their needs (or, at
  risk, is a therapy format) and, when they chose topics, it is on one of them or open to any
  topic (:func:`eligible`).
- **Topic before distance**: within the limits a group on the person's topic gets
  :data:`TOPIC_POINTS`, more than distance and every preference can add up to.
- **Staleness only breaks ties**: it gives no points; the matcher sorts on it right after the
  score, and the reason is always shown.

**Formats** are scored by :data:`FORMAT_RULES`; each rule is one function that returns the
reason (points and sentence) and the most it could have given for these answers.

**Groups** are scored by :data:`GROUP_RULES`. A catalog may hold 100,000 groups, so a group
rule decides, for every group at once over the columns of a :class:`GroupTable`, which of its
*cases* applies (a small integer per group) and, for rules whose points vary continuously,
the points. The case's entry in the rule's table gives the points and the sentence, so a
condition is written once and the number shown beside a sentence is the very number the
ranking used.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from groupfinder.catalog.rows import GroupRows, columns_of
from groupfinder.domain.i18n import N_, format_day, format_eur, format_km, tr
from groupfinder.domain.models import (
    AGE_RANGES,
    LANGUAGES,
    LEADERSHIPS,
    SETTINGS,
    SIZE_RANGES,
    Answers,
    Catalog,
    Format,
    Group,
    Language,
)
from groupfinder.domain.schedule import (
    DAYS,
    TIMES,
    cost_phrase,
    describe,
    meeting_days,
    meeting_time,
    needs_every_day,
)
from groupfinder.domain.vocabulary import GROUP_FOR
from groupfinder.domain.words import (
    _COMMITMENT_WORDS,
    _SIZE_WORDS,
    _STRENGTH,
    _STRUCTURE_WORDS,
    Reason,
    age_words,
    audience_names,
    join,
    language_names,
    leadership_words,
    lower_first,
    setting_words,
    size_words,
)
from groupfinder.matching.geo import Origin

# ----------------------------------------------------------------------------- weights

#: At risk: points per level (0-3) of how strongly a professionally led format serves therapy.
RISK_POINTS = 20.0
#: Points per level (0-3) of strength with which a format serves the person's needs.
NEED_POINTS = 10.0
#: A format serving the person's needs with this many levels in all serves them fully.
FULL_STRENGTH = 3
#: The seeds link some formats to topics (therapy groups for trauma, ...).
FORMAT_TOPIC_POINTS = 2.0
LEADERSHIP_POINTS = 1.5
STRUCTURE_POINTS = 1.0
STRUCTURE_PARTLY_POINTS = 0.5
COMMITMENT_POINTS = 1.0
COMMITMENT_MISS_POINTS = -0.5
FORMAT_SIZE_POINTS = 0.5
FORMAT_SIZE_MISS_POINTS = -0.5
#: The most the topic link and the preferences together can move a format's score.
PREFERENCE_SWING = (
    FORMAT_TOPIC_POINTS
    + 2 * LEADERSHIP_POINTS
    + 2 * STRUCTURE_POINTS
    + COMMITMENT_POINTS
    - COMMITMENT_MISS_POINTS
    + FORMAT_SIZE_POINTS
    - FORMAT_SIZE_MISS_POINTS
)
assert PREFERENCE_SWING < NEED_POINTS, "preferences must never outweigh a level of need"

#: A group gets this many points times its format's match (0-1).
FORMAT_FIT_POINTS = 30.0
#: On one of the person's topics / open to any topic (groups on other topics are no result).
TOPIC_POINTS = 40.0
TOPIC_OPEN_POINTS = 20.0
#: At risk, a group led by a professional.
GROUP_RISK_POINTS = 10.0
GROUP_LEADERSHIP_POINTS = 6.0
GROUP_SIZE_POINTS = 3.0
#: Distance points decay smoothly: DISTANCE_POINTS * exp(-km / DISTANCE_SCALE_KM).
DISTANCE_POINTS = 15.0
DISTANCE_SCALE_KM = 20.0
SETTING_POINTS = 5.0
SETTING_HYBRID_POINTS = 2.5
DROP_IN_POINTS = 2.0
FREE_POINTS = 3.0
IN_BUDGET_POINTS = 1.5
#: Details last checked longer ago than this are said, and rank after an equal fresh group.
STALE_AFTER_DAYS = 365

#: The topic id for groups open to any theme.
OPEN_TOPIC = "general"


# ----------------------------------------------------------------------------- formats


@dataclass(frozen=True, slots=True)
class Scored:
    """What a format rule says: its reason (None: nothing to say) and the most it could give."""

    reason: Reason | None
    best: float


FormatRule = Callable[[Answers, Format, Catalog], Scored]


def serves_therapy_at_risk(answers: Answers, fmt: Format) -> bool:
    """At risk, a format always led by professionals that serves therapy comes first."""
    return answers.at_risk and fmt.professional_only and fmt.needs.get("therapy", 0) > 0


def need_strength(answers: Answers, fmt: Format) -> int:
    """Levels of strength with which ``fmt`` serves the person's needs, added up."""
    return sum(fmt.needs.get(n, 0) for n in answers.needs)


def professional_first(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """At risk: professional help first, everything else alongside care."""
    if not answers.at_risk:
        return Scored(None, 0.0)
    lang, best = answers.language, 3 * RISK_POINTS
    if serves_therapy_at_risk(answers, fmt):
        return Scored(
            Reason(
                "risk",
                fmt.needs["therapy"] * RISK_POINTS,
                tr(
                    lang,
                    "You are going through a very hard time: a group led by a licensed "
                    "professional comes first",
                ),
            ),
            best,
        )
    return Scored(Reason("risk", 0.0, tr(lang, "Alongside care, not instead of it")), best)


def needs_served(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """Points for how strongly the format serves the person's needs.

    The most it "can" give is full strength (:data:`FULL_STRENGTH` levels): a format that
    serves several needs may go beyond it, and its match is then shown as 100.
    """
    lang = answers.language
    served = sorted(
        ((n, fmt.needs.get(n, 0)) for n in answers.needs if fmt.needs.get(n, 0)),
        key=lambda s: -s[1],
    )
    points = need_strength(answers, fmt) * NEED_POINTS
    best = FULL_STRENGTH * NEED_POINTS
    if served:
        parts = [
            tr(
                lang,
                "{need} ({strength})",
                need=catalog.needs[n].name.get(lang).lower(),
                strength=tr(lang, _STRENGTH[level]),
            )
            for n, level in served
        ]
        text = tr(lang, "Serves your need for {needs}", needs=join(lang, parts))
    else:
        wanted = join(lang, [catalog.needs[n].name.get(lang).lower() for n in answers.needs])
        text = tr(lang, "Does not focus on {needs}", needs=wanted)
    return Scored(Reason("needs", points, text), best)


def topic_link(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """The seeds name this format for one of the person's topics."""
    linked = set(answers.topics) & {t for f in catalog.formats.values() for t in f.topics}
    if not linked:
        return Scored(None, 0.0)
    shared = [t for t in answers.topics if t in fmt.topics]
    if not shared or need_strength(answers, fmt) == 0:
        return Scored(None, FORMAT_TOPIC_POINTS)
    lang = answers.language
    names = join(lang, [catalog.topics[t].name.get(lang).lower() for t in shared])
    return Scored(
        Reason("topics", FORMAT_TOPIC_POINTS, tr(lang, "Often chosen for {topics}", topics=names)),
        FORMAT_TOPIC_POINTS,
    )


def leadership_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """Who leads the format, against who the person wants to be led by."""
    lang, wanted = answers.language, answers.leadership
    if wanted == "no_preference":
        return Scored(None, 0.0)
    led_by = lower_first(fmt.led_by.get(lang))
    if wanted in fmt.leadership:
        text = tr(lang, "Led by {who}, as you prefer", who=led_by)
        return Scored(Reason("leadership", LEADERSHIP_POINTS, text), LEADERSHIP_POINTS)
    text = tr(
        lang, "Led by {who}; you prefer {wanted}", who=led_by, wanted=leadership_words(lang, wanted)
    )
    return Scored(Reason("leadership", -LEADERSHIP_POINTS, text), LEADERSHIP_POINTS)


def structure_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """Structured, open, or in between, against what the person prefers."""
    lang, wanted = answers.language, answers.structure
    if wanted == "no_preference":
        return Scored(None, 0.0)
    if fmt.structure == "mixed":
        text = tr(lang, "Partly structured, partly open")
        return Scored(Reason("structure", STRUCTURE_PARTLY_POINTS, text), STRUCTURE_POINTS)
    words = tr(lang, _STRUCTURE_WORDS[fmt.structure]).capitalize()
    if fmt.structure == wanted:
        text = tr(lang, "{Structure}, as you prefer", Structure=words)
        return Scored(Reason("structure", STRUCTURE_POINTS, text), STRUCTURE_POINTS)
    text = tr(
        lang,
        "{Structure}; you prefer {wanted}",
        Structure=words,
        wanted=tr(lang, _STRUCTURE_WORDS[wanted]),
    )
    return Scored(Reason("structure", -STRUCTURE_POINTS, text), STRUCTURE_POINTS)


def commitment_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """One session, a series, ongoing or residential, against what the person can give."""
    lang, wanted = answers.language, answers.commitment
    if wanted == "no_preference":
        return Scored(None, 0.0)
    wanted_words = tr(lang, _COMMITMENT_WORDS[wanted])
    if wanted in fmt.commitment:
        text = tr(lang, "Offers {wanted}, as you want", wanted=wanted_words)
        return Scored(Reason("commitment", COMMITMENT_POINTS, text), COMMITMENT_POINTS)
    offered = join(lang, [tr(lang, _COMMITMENT_WORDS[c]) for c in fmt.commitment])
    text = tr(lang, "Usually {offered}; you want {wanted}", offered=offered, wanted=wanted_words)
    return Scored(Reason("commitment", COMMITMENT_MISS_POINTS, text), COMMITMENT_POINTS)


def size_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Scored:
    """The format's typical group size, against the person's preferred size."""
    lang, wanted = answers.language, answers.group_size
    if wanted == "no_preference":
        return Scored(None, 0.0)
    low, high = SIZE_RANGES[wanted]
    typical = size_words(lang, fmt.size_min, fmt.size_max)
    wanted_words = tr(lang, _SIZE_WORDS[wanted])
    if fmt.size_min <= high and fmt.size_max >= low:
        text = tr(lang, "Usually {typical}: fits {wanted}", typical=typical, wanted=wanted_words)
        return Scored(Reason("size", FORMAT_SIZE_POINTS, text), FORMAT_SIZE_POINTS)
    text = tr(lang, "Usually {typical}; you prefer {wanted}", typical=typical, wanted=wanted_words)
    return Scored(Reason("size", FORMAT_SIZE_MISS_POINTS, text), FORMAT_SIZE_POINTS)


FORMAT_RULES: tuple[FormatRule, ...] = (
    professional_first,
    needs_served,
    topic_link,
    leadership_fits,
    structure_fits,
    commitment_fits,
    size_fits,
)


def format_is_result(answers: Answers, fmt: Format) -> bool:
    """A kind of group is advised when it serves a need (at risk: or it is therapy)."""
    return need_strength(answers, fmt) > 0 or serves_therapy_at_risk(answers, fmt)


# ----------------------------------------------------------------------------- groups

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int8]
_LANGUAGE_BIT: dict[str, int] = {code: 1 << i for i, code in enumerate(LANGUAGES)}
_DAY_BIT: dict[str, int] = {day: 1 << i for i, day in enumerate(DAYS)}
_TIME_BIT: dict[str, int] = {time: 1 << i for i, time in enumerate(TIMES)}


def _bits(index: dict[str, int], items: tuple[str, ...]) -> int:
    return sum(index[t] for t in items if t in index)


class GroupTable:
    """The catalog's groups as columns, built once, so that rules score all groups at once."""

    def __init__(self, catalog: Catalog) -> None:
        groups = catalog.groups
        self.groups = groups
        # The loader's groups come with their columns; groups made in code are laid out here.
        columns = groups.columns if isinstance(groups, GroupRows) else columns_of(groups)
        self.format_ids = list(catalog.formats)
        self.topic_bit = {topic: 1 << i for i, topic in enumerate(sorted(catalog.topics))}
        self.audience_bit = {a: 1 << i for i, a in enumerate(sorted(catalog.audiences))}
        n = len(columns)
        f_index = {f: i for i, f in enumerate(self.format_ids)}
        nan = math.nan

        self.format_index = columns.format.map(f_index.__getitem__, np.int64)
        self.topics = columns.topics.map(lambda t: _bits(self.topic_bit, t), np.uint64)
        self.leadership = columns.leadership.map(LEADERSHIPS.index, np.int8)
        self.size_min = columns.size_min
        self.size_max = columns.size_max
        self.setting = columns.setting.map(SETTINGS.index, np.int8)
        self.drop_in = columns.drop_in.map(lambda d: d is True, np.bool_)
        self.latitude = columns.latitude
        self.longitude = columns.longitude
        self.languages = columns.languages.map(lambda t: _bits(_LANGUAGE_BIT, t), np.uint8)
        self.cost = columns.cost_eur
        self.verified = columns.last_verified.map(
            lambda d: nan if d is None else d.toordinal(), np.float64
        )
        self.for_whom = columns.for_whom.map(GROUP_FOR.index, np.int8)
        self.age_min = columns.age_min
        self.age_max = columns.age_max
        self.restricted = columns.restricted_to.map(
            lambda t: _bits(self.audience_bit, t), np.uint64
        )
        #: When groups meet (answers v2 days and times): weekday and time-of-day bits, 0
        #: where the schedule cannot say (only free text, a day of the month, no time).
        self.meet_days = columns.timetable.map(
            lambda t: _bits(_DAY_BIT, tuple(meeting_days(t) or ())), np.uint8
        )
        self.meet_time = columns.timetable.map(
            lambda t: _TIME_BIT.get(meeting_time(t) or "", 0), np.uint8
        )
        #: Stays of several days: the person must be free on every one of their days.
        self.every_day = columns.timetable.map(needs_every_day, np.bool_)
        ids = columns.ids
        by_id = sorted(range(n), key=ids.__getitem__)
        self.id_rank = np.empty(n, np.int64)
        self.id_rank[by_id] = np.arange(n)

    def __len__(self) -> int:
        return len(self.groups)


@dataclass(frozen=True)
class GroupContext:
    """What every group rule may look at besides the table: answers and derived figures."""

    answers: Answers
    catalog: Catalog
    origin: Origin | None
    format_match: dict[str, int]
    #: Kilometres from the person to each group; NaN for online groups or unknown places.
    distance: FloatArray
    #: Whether the person would meet each group in a room (in person, or hybrid within reach).
    in_room: BoolArray
    #: The day against which "last checked" dates are judged.
    today: dt.date

    @property
    def language(self) -> Language:
        return self.answers.language


def met_in_room(answers: Answers, table: GroupTable, distance: FloatArray) -> BoolArray:
    """In-person groups, and hybrid groups the person would attend in the room.

    A hybrid group beyond the maximum distance is an online group for this person, and so
    is every hybrid group for someone who prefers or only wants online groups. For someone
    who only meets in person, a hybrid group is always met in the room: beyond the distance
    it misses that limit (a near miss), never "you would join online".
    """
    in_person: BoolArray = table.setting == SETTINGS.index("in_person")
    hybrid = table.setting == SETTINGS.index("hybrid")
    if answers.setting in ("online_only", "prefer_online"):
        return in_person
    limit = answers.max_distance_km
    if limit is not None and answers.setting != "in_person_only":
        with np.errstate(invalid="ignore"):
            hybrid = hybrid & ~(distance > limit)
    result: BoolArray = in_person | hybrid
    return result


@dataclass(frozen=True)
class Case:
    """One outcome of a group rule: its points (for rules with fixed points) and its words."""

    points: float
    #: The sentence for a group in this case; None when there is nothing to say.
    say: Callable[[GroupContext, Group, int, float], str | None]


def _silent(ctx: GroupContext, group: Group, i: int, points: float) -> None:
    return None


SILENT = Case(0.0, _silent)


@dataclass(frozen=True)
class Outcome:
    """A group rule's verdict on every group: the case of each, and points where they vary."""

    cases: IntArray
    points: FloatArray | None = None


@dataclass(frozen=True)
class GroupRule:
    name: str
    #: Decides the case of every group at once (the rule's condition, written once).
    decide: Callable[[GroupContext, GroupTable], Outcome]
    #: Points and words per case; ``Outcome.cases`` index this table.
    cases: tuple[Case, ...]
    #: The most points this rule can give for these answers (for the 0-100 match).
    best: Callable[[GroupContext], float]

    def points(self, ctx: GroupContext, table: GroupTable) -> tuple[FloatArray, IntArray]:
        outcome = self.decide(ctx, table)
        if outcome.points is not None:
            return outcome.points, outcome.cases
        fixed = np.array([c.points for c in self.cases], np.float64)
        return fixed[outcome.cases], outcome.cases

    def reason(self, ctx: GroupContext, group: Group, i: int, case: int, points: float) -> str:
        return self.cases[case].say(ctx, group, i, points) or ""


def _cases(table: GroupTable, *conditions: BoolArray) -> IntArray:
    """Case 0 where no condition holds, else 1 + the index of the first that holds."""
    result = np.zeros(len(table), np.int8)
    for n, condition in reversed(list(enumerate(conditions, start=1))):
        result[condition] = n
    return result


def _none(table: GroupTable) -> Outcome:
    return Outcome(np.zeros(len(table), np.int8))


# -- the format's fit --------------------------------------------------------------------


def _decide_format(ctx: GroupContext, table: GroupTable) -> Outcome:
    matches = np.array([ctx.format_match.get(f, 0) for f in table.format_ids], np.float64)
    points = FORMAT_FIT_POINTS * matches[table.format_index] / 100.0
    return Outcome(np.zeros(len(table), np.int8), points)


def _say_format(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    name = ctx.catalog.formats[group.format].name.get(ctx.language)
    return tr(
        ctx.language,
        "A {format}: {match}% match for what you are looking for",
        format=name.lower(),
        match=ctx.format_match.get(group.format, 0),
    )


# -- topics ------------------------------------------------------------------------------


def _topic_names(ctx: GroupContext, topics: tuple[str, ...]) -> str:
    lang = ctx.language
    return join(lang, [ctx.catalog.topics[t].name.get(lang).lower() for t in topics])


def on_topic(ctx: GroupContext, table: GroupTable) -> BoolArray:
    wanted = np.uint64(_bits(table.topic_bit, ctx.answers.topics))
    result: BoolArray = (table.topics & wanted) != 0
    return result


def open_topic(table: GroupTable) -> BoolArray:
    open_bit = np.uint64(table.topic_bit.get(OPEN_TOPIC, 0))
    result: BoolArray = (table.topics & open_bit) != 0
    return result


def _decide_topic(ctx: GroupContext, table: GroupTable) -> Outcome:
    if not ctx.answers.topics:
        return _none(table)
    return Outcome(_cases(table, on_topic(ctx, table), open_topic(table)))


def _say_topic(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    shared = tuple(t for t in group.topics if t in ctx.answers.topics)
    return tr(ctx.language, "About {topics}", topics=_topic_names(ctx, shared))


# -- risk --------------------------------------------------------------------------------


def _decide_risk(ctx: GroupContext, table: GroupTable) -> Outcome:
    if not ctx.answers.at_risk:
        return _none(table)
    professional = table.leadership == LEADERSHIPS.index("professional")
    return Outcome(_cases(table, professional, ~professional))


# -- leadership --------------------------------------------------------------------------


def _decide_leadership(ctx: GroupContext, table: GroupTable) -> Outcome:
    wanted = ctx.answers.leadership
    if wanted == "no_preference":
        return _none(table)
    hit = table.leadership == LEADERSHIPS.index(wanted)
    return Outcome(_cases(table, hit, ~hit))


def _say_led_as_wished(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    who = leadership_words(ctx.language, group.leadership)
    return tr(ctx.language, "Led by {who}, as you prefer", who=who)


def _say_led_otherwise(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    return tr(
        lang,
        "Led by {who}; you prefer {wanted}",
        who=leadership_words(lang, group.leadership),
        wanted=leadership_words(lang, ctx.answers.leadership),
    )


# -- size --------------------------------------------------------------------------------


def _decide_size(ctx: GroupContext, table: GroupTable) -> Outcome:
    wanted = ctx.answers.group_size
    if wanted == "no_preference":
        return _none(table)
    low, high = SIZE_RANGES[wanted]
    smallest = np.where(np.isnan(table.size_min), table.size_max, table.size_min)
    largest = np.where(np.isnan(table.size_max), table.size_min, table.size_max)
    known = ~np.isnan(smallest)
    with np.errstate(invalid="ignore"):
        fits = known & (smallest <= high) & (largest >= low)
    return Outcome(_cases(table, fits, known & ~fits, ~known))


def _say_size(fits: bool) -> Callable[[GroupContext, Group, int, float], str]:
    def say(ctx: GroupContext, group: Group, i: int, points: float) -> str:
        lang = ctx.language
        size = size_words(lang, group.size_min, group.size_max).capitalize()
        wanted = tr(lang, _SIZE_WORDS[ctx.answers.group_size])
        if fits:
            return tr(lang, "{size}: fits {wanted}", size=size, wanted=wanted)
        return tr(lang, "{size}; you prefer {wanted}", size=size, wanted=wanted)

    return say


# -- distance ----------------------------------------------------------------------------


def _decide_distance(ctx: GroupContext, table: GroupTable) -> Outcome:
    if ctx.origin is None:
        return _none(table)
    known = ctx.in_room & ~np.isnan(ctx.distance)
    with np.errstate(invalid="ignore"):
        points = np.where(known, DISTANCE_POINTS * np.exp(-ctx.distance / DISTANCE_SCALE_KM), 0.0)
    unknown = ctx.in_room & np.isnan(ctx.distance)
    online_here = ~ctx.in_room & ~np.isnan(ctx.distance)
    return Outcome(_cases(table, known, unknown, online_here), points)


def _say_distance(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    shown = format_km(lang, float(ctx.distance[i]))
    if ctx.origin is not None and ctx.origin.label:
        return tr(lang, "{km} km from {place}", km=shown, place=ctx.origin.label)
    return tr(lang, "{km} km away", km=shown)


def _say_online_here(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    return tr(
        ctx.language,
        "{km} km away: you would join online",
        km=format_km(ctx.language, float(ctx.distance[i])),
    )


# -- setting -----------------------------------------------------------------------------


def _decide_setting(ctx: GroupContext, table: GroupTable) -> Outcome:
    wanted = ctx.answers.setting
    if wanted == "no_preference":
        return _none(table)
    online = ~ctx.in_room
    hybrid = table.setting == SETTINGS.index("hybrid")
    in_person = ~online & ~hybrid
    if wanted in ("in_person_only", "prefer_in_person"):
        return Outcome(_cases(table, in_person, ~online & hybrid, online))
    return Outcome(_cases(table, online & ~hybrid, hybrid, in_person))


def _wanted_setting(ctx: GroupContext) -> str:
    online = ctx.answers.setting in ("online_only", "prefer_online")
    return setting_words(ctx.language, "online" if online else "in_person")


def _say_setting_as_wished(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    return tr(ctx.language, "Meets {setting}, as you prefer", setting=_wanted_setting(ctx))


def _say_setting_hybrid(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    return tr(ctx.language, "Hybrid: you can join {setting}", setting=_wanted_setting(ctx))


def _say_setting_otherwise(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    meets = "in_person" if ctx.in_room[i] else "online"
    return tr(
        lang,
        "Meets {setting}; you prefer {wanted}",
        setting=setting_words(lang, meets),
        wanted=_wanted_setting(ctx),
    )


# -- language, who it is for -------------------------------------------------------------


def _decide_language(ctx: GroupContext, table: GroupTable) -> Outcome:
    """Case 1 where the group speaks a language the person follows (a near miss on language
    says so in its own sentence)."""
    anyone = np.uint8(_bits(_LANGUAGE_BIT, ctx.answers.languages))
    return Outcome(_cases(table, (table.languages & anyone) != 0))


def _say_language(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    yours = tuple(c for c in group.languages if c in ctx.answers.languages)
    return tr(lang, "In {language}, which you can follow", language=language_names(lang, yours))


def _decide_audience(ctx: GroupContext, table: GroupTable) -> Outcome:
    relatives = table.for_whom == GROUP_FOR.index("relatives")
    restricted = table.restricted != 0
    ages = ~np.isnan(table.age_min) | ~np.isnan(table.age_max)
    return Outcome(_cases(table, restricted, relatives, ages))


def _say_restricted(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    names = audience_names(lang, ctx.catalog.audiences, group.restricted_to)
    return tr(lang, "Only for {audience}, as you said you are", audience=names)


def _say_relatives(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    return tr(ctx.language, "For relatives, partners and friends, like you")


def _say_ages(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    lang = ctx.language
    ages = age_words(lang, group.age_min, group.age_max)
    if ctx.answers.age_band is None:
        return tr(lang, "{ages}: check that this fits you", ages=ages)
    return tr(lang, "{ages}: fits your age", ages=ages)


# -- drop-in, cost, freshness ------------------------------------------------------------


def _drop_in_counts(answers: Answers) -> bool:
    return answers.commitment in ("one_off", "no_preference")


def _decide_drop_in(ctx: GroupContext, table: GroupTable) -> Outcome:
    if not _drop_in_counts(ctx.answers):
        return _none(table)
    return Outcome(_cases(table, table.drop_in))


def _decide_cost(ctx: GroupContext, table: GroupTable) -> Outcome:
    budget = ctx.answers.max_cost_eur
    free = table.cost == 0
    unknown = np.isnan(table.cost)
    with np.errstate(invalid="ignore"):
        within = (table.cost <= budget) if budget else np.zeros(len(table), np.bool_)
    return Outcome(_cases(table, free, unknown, within, ~unknown))


def _say_cost_unknown(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    return tr(ctx.language, "Cost not listed: ask the group")


def _say_price(within: bool) -> Callable[[GroupContext, Group, int, float], str]:
    def say(ctx: GroupContext, group: Group, i: int, points: float) -> str:
        lang = ctx.language
        cost = cost_phrase(lang, group.cost_eur or 0.0, group.cost_unit)
        if group.cost_unit == "session":
            price = format_eur(lang, group.cost_eur or 0.0)
            if within:
                return tr(lang, "{price} per session, within your budget", price=price)
            return tr(lang, "{price} per session", price=price)
        if within:
            return tr(lang, "{cost}, within your budget", cost=cost)
        return cost

    return say


def stale(ctx: GroupContext, table: GroupTable) -> BoolArray:
    """Groups whose details were last checked more than a year ago."""
    with np.errstate(invalid="ignore"):
        result: BoolArray = ctx.today.toordinal() - table.verified > STALE_AFTER_DAYS
    return result


def _decide_freshness(ctx: GroupContext, table: GroupTable) -> Outcome:
    return Outcome(_cases(table, stale(ctx, table)))


def _say_stale(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    checked = format_day(ctx.language, group.last_verified or ctx.today)
    return tr(
        ctx.language, "Details last checked on {date}: ask whether they still hold", date=checked
    )


def time_fit(ctx: GroupContext, table: GroupTable) -> tuple[BoolArray, BoolArray]:
    """Per group: whether it certainly does not meet when the person can come (answers
    ``days`` and ``times``), and whether it certainly does; neither where it cannot say.

    The same as :func:`groupfinder.domain.schedule.meets_when`, for every group at once.
    """
    n = len(table)
    miss, known = np.zeros(n, np.bool_), np.ones(n, np.bool_)
    days = np.uint8(_bits(_DAY_BIT, ctx.answers.days))
    times = np.uint8(_bits(_TIME_BIT, ctx.answers.times))
    if not days and not times:
        return miss, np.zeros(n, np.bool_)
    if days:
        unknown = table.meet_days == 0
        some = (table.meet_days & days) != 0
        every = (table.meet_days & ~days) == 0
        miss |= ~unknown & np.where(table.every_day, ~every, ~some)
        known &= ~unknown
    if times:
        unknown = table.meet_time == 0
        miss |= ~unknown & ((table.meet_time & times) == 0)
        known &= ~unknown
    return miss, known & ~miss


def _decide_time(ctx: GroupContext, table: GroupTable) -> Outcome:
    if not ctx.answers.days and not ctx.answers.times:
        return _none(table)
    miss, fits = time_fit(ctx, table)
    return Outcome(_cases(table, fits, ~miss))


def _fixed(text: str) -> Callable[[GroupContext, Group, int, float], str]:
    """A case whose sentence is one message (marked for translation where it is declared)."""

    def say(ctx: GroupContext, group: Group, i: int, points: float) -> str:
        return tr(ctx.language, text)

    return say


def _if_set(value: str, points: float) -> float:
    return 0.0 if value == "no_preference" else points


GROUP_RULES: tuple[GroupRule, ...] = (
    GroupRule(
        "format",
        _decide_format,
        (Case(0.0, _say_format),),
        lambda ctx: FORMAT_FIT_POINTS,
    ),
    GroupRule(
        "risk",
        _decide_risk,
        (
            SILENT,
            Case(
                GROUP_RISK_POINTS,
                _fixed(N_("Led by a professional, which matters most right now")),
            ),
            Case(0.0, _fixed(N_("Alongside care, not instead of it"))),
        ),
        lambda ctx: GROUP_RISK_POINTS if ctx.answers.at_risk else 0.0,
    ),
    GroupRule(
        "topics",
        _decide_topic,
        (
            SILENT,
            Case(TOPIC_POINTS, _say_topic),
            Case(TOPIC_OPEN_POINTS, _fixed(N_("Open to any theme"))),
        ),
        lambda ctx: TOPIC_POINTS if ctx.answers.topics else 0.0,
    ),
    GroupRule(
        "leadership",
        _decide_leadership,
        (
            SILENT,
            Case(GROUP_LEADERSHIP_POINTS, _say_led_as_wished),
            Case(-GROUP_LEADERSHIP_POINTS, _say_led_otherwise),
        ),
        lambda ctx: _if_set(ctx.answers.leadership, GROUP_LEADERSHIP_POINTS),
    ),
    GroupRule(
        "size",
        _decide_size,
        (
            SILENT,
            Case(GROUP_SIZE_POINTS, _say_size(fits=True)),
            Case(-GROUP_SIZE_POINTS, _say_size(fits=False)),
            Case(0.0, _fixed(N_("Group size not listed"))),
        ),
        lambda ctx: _if_set(ctx.answers.group_size, GROUP_SIZE_POINTS),
    ),
    GroupRule(
        "distance",
        _decide_distance,
        (
            SILENT,
            Case(0.0, _say_distance),
            Case(0.0, _fixed(N_("Distance unknown"))),
            Case(0.0, _say_online_here),
        ),
        lambda ctx: DISTANCE_POINTS if ctx.origin is not None else 0.0,
    ),
    GroupRule(
        "setting",
        _decide_setting,
        (
            SILENT,
            Case(SETTING_POINTS, _say_setting_as_wished),
            Case(SETTING_HYBRID_POINTS, _say_setting_hybrid),
            Case(-SETTING_POINTS, _say_setting_otherwise),
        ),
        lambda ctx: _if_set(ctx.answers.setting, SETTING_POINTS),
    ),
    GroupRule("language", _decide_language, (SILENT, Case(0.0, _say_language)), lambda ctx: 0.0),
    GroupRule(
        "audience",
        _decide_audience,
        (
            SILENT,
            Case(0.0, _say_restricted),
            Case(0.0, _say_relatives),
            Case(0.0, _say_ages),
        ),
        lambda ctx: 0.0,
    ),
    GroupRule(
        "drop_in",
        _decide_drop_in,
        (SILENT, Case(DROP_IN_POINTS, _fixed(N_("You can drop in without signing up")))),
        lambda ctx: DROP_IN_POINTS if _drop_in_counts(ctx.answers) else 0.0,
    ),
    GroupRule(
        "cost",
        _decide_cost,
        (
            SILENT,
            Case(FREE_POINTS, _fixed(N_("Free"))),
            Case(0.0, _say_cost_unknown),
            Case(IN_BUDGET_POINTS, _say_price(within=True)),
            Case(0.0, _say_price(within=False)),
        ),
        lambda ctx: FREE_POINTS,
    ),
    GroupRule(
        "time",
        _decide_time,
        (
            SILENT,
            Case(0.0, _fixed(N_("Meets when you can come"))),
            Case(0.0, _fixed(N_("Check the times: they may not suit you"))),
        ),
        lambda ctx: 0.0,
    ),
    GroupRule("freshness", _decide_freshness, (SILENT, Case(0.0, _say_stale)), lambda ctx: 0.0),
)


def eligible(ctx: GroupContext, table: GroupTable) -> BoolArray:
    """Groups that can be advised at all: their format is advised, and they are on topic.

    Groups outside this set are neither results nor near misses.
    """
    answers, formats = ctx.answers, ctx.catalog.formats
    advised = np.array([format_is_result(answers, formats[f]) for f in table.format_ids], np.bool_)
    result: BoolArray = advised[table.format_index]
    if answers.topics:
        topical: BoolArray = result & (on_topic(ctx, table) | open_topic(table))
        return topical
    return result


# ----------------------------------------------------------------------------- hard limits


@dataclass(frozen=True)
class Limit:
    """A hard limit: which groups fail it, by how much, and why one group fails it."""

    name: str
    #: How much every group misses the limit by: 0 where it passes, more is a bigger miss
    #: (1 for a plain yes/no miss); near misses that miss by little come first.
    miss: Callable[[GroupContext, GroupTable], FloatArray]
    #: Why one group fails it, for a near miss.
    missed: Callable[[GroupContext, Group, int], str]


def _zeros(table: GroupTable) -> FloatArray:
    return np.zeros(len(table), np.float64)


def _flag(condition: BoolArray) -> FloatArray:
    return condition.astype(np.float64)


def language_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    anyone = np.uint8(_bits(_LANGUAGE_BIT, ctx.answers.languages))
    return _flag((table.languages & anyone) == 0)


def language_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    return tr(
        lang,
        "Only in {languages}, which you did not choose",
        languages=language_names(lang, group.languages),
    )


def setting_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    wanted = ctx.answers.setting
    if wanted == "in_person_only":
        return _flag(table.setting == SETTINGS.index("online"))
    if wanted == "online_only":
        return _flag(table.setting == SETTINGS.index("in_person"))
    return _zeros(table)


def setting_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    if ctx.answers.setting == "in_person_only":
        return tr(lang, "Meets online only; you want to meet in person")
    return tr(lang, "Meets in person only; you want to meet online")


def distance_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    """In person beyond the maximum distance (hybrid too, for someone who wants a room)."""
    limit = ctx.answers.max_distance_km
    if limit is None or ctx.origin is None or ctx.answers.setting == "online_only":
        return _zeros(table)
    met = table.setting == SETTINGS.index("in_person")
    if ctx.answers.setting == "in_person_only":
        met = met | (table.setting == SETTINGS.index("hybrid"))
    with np.errstate(invalid="ignore"):
        over = np.where(met & (ctx.distance > limit), (ctx.distance - limit) / max(limit, 1), 0)
    result: FloatArray = np.nan_to_num(over)
    return result


def distance_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    return tr(
        lang,
        "{km} km away, beyond your {limit} km",
        km=format_km(lang, float(ctx.distance[i])),
        limit=format_km(lang, ctx.answers.max_distance_km or 0.0),
    )


#: How much a group whose price is not listed misses "free only" by: a small miss (ask).
UNLISTED_PRICE_MISS = 0.05


def cost_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    budget = ctx.answers.max_cost_eur
    if budget is None:
        return _zeros(table)
    unknown = np.isnan(table.cost)
    with np.errstate(invalid="ignore"):
        over = np.where(table.cost > budget, (table.cost - budget) / max(budget, 10.0), 0.0)
    if budget == 0:
        over = np.where(unknown, UNLISTED_PRICE_MISS, over)
    result: FloatArray = np.nan_to_num(over)
    return result


def cost_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang, budget = ctx.language, ctx.answers.max_cost_eur or 0.0
    if group.cost_eur is None:
        return tr(lang, "Price not listed: ask whether it is free")
    price = format_eur(lang, group.cost_eur)
    if group.cost_unit != "session":
        cost = cost_phrase(lang, group.cost_eur, group.cost_unit)
        if budget == 0:
            return tr(lang, "{cost}; you asked for free groups", cost=cost)
        return tr(lang, "{cost}, above your {budget}", cost=cost, budget=format_eur(lang, budget))
    if budget == 0:
        return tr(lang, "Costs {price} per session; you asked for free groups", price=price)
    return tr(
        lang,
        "Costs {price} per session, above your {budget}",
        price=price,
        budget=format_eur(lang, budget),
    )


def audience_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    """Groups only for audiences the person did not say they belong to."""
    theirs = np.uint64(_bits(table.audience_bit, ctx.answers.audiences))
    return _flag((table.restricted != 0) & ((table.restricted & theirs) == 0))


def audience_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    names = audience_names(lang, ctx.catalog.audiences, group.restricted_to)
    return tr(lang, "Only for {audience}", audience=names)


def age_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    """Groups whose age range does not overlap the person's age band (years apart / 10)."""
    band = ctx.answers.age_band
    if band is None:
        return _zeros(table)
    low, high = AGE_RANGES[band]
    young = np.nan_to_num(table.age_min, nan=0.0)
    old = np.nan_to_num(table.age_max, nan=200.0)
    apart = np.maximum(young - high, low - old)
    return np.where(apart > 0, apart / 10.0, 0.0)


def age_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    return tr(
        lang,
        "{ages}: not your age group",
        ages=age_words(lang, group.age_min, group.age_max),
    )


def for_whom_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    """Relatives-only groups for the person themselves, and self-only groups for relatives."""
    wrong = "relatives" if ctx.answers.for_whom == "self" else "self"
    return _flag(table.for_whom == GROUP_FOR.index(wrong))


def for_whom_missed(ctx: GroupContext, group: Group, i: int) -> str:
    if group.for_whom == "relatives":
        return tr(ctx.language, "For relatives and friends, not for the person themselves")
    return tr(ctx.language, "For the people themselves, not for relatives")


def time_miss(ctx: GroupContext, table: GroupTable) -> FloatArray:
    """Groups that never meet when the person can come; free-text schedules are not cut."""
    return _flag(time_fit(ctx, table)[0])


def time_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    when = describe(group.timetable, lang, ctx.today, with_next=False)
    return tr(lang, "Meets {when}: not when you can come", when=when)


LIMITS: tuple[Limit, ...] = (
    Limit("setting", setting_miss, setting_missed),
    Limit("distance", distance_miss, distance_missed),
    Limit("language", language_miss, language_missed),
    Limit("cost", cost_miss, cost_missed),
    Limit("for_whom", for_whom_miss, for_whom_missed),
    Limit("audience", audience_miss, audience_missed),
    Limit("age", age_miss, age_missed),
    Limit("time", time_miss, time_missed),
)
