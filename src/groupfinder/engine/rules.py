"""The matcher's rules, all in one place.

**Formats** are scored by :data:`FORMAT_RULES`: each is a small function
``(answers, format, vocab) -> Reason | None`` — points and the sentence that explains them.

**Groups** are scored by :data:`GROUP_RULES`. A catalog may hold 100,000 groups, so a group
rule computes its points for every group at once over the columns of a :class:`GroupTable`
(``points``), and writes its sentence only for the groups that are shown (``reason``). The
points shown beside a sentence are the very numbers the ranking used.

**Hard limits** (:data:`LIMITS`) exclude a group outright: no language the person can follow,
in person and too far, or too expensive. A group that fails exactly one is a near miss.

Every weight is a named constant below; nothing else in the code invents points.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from groupfinder.engine.catalog import Catalog
from groupfinder.engine.explain import (
    _COMMITMENT_WORDS,
    _SIZE_WORDS,
    _STRENGTH,
    _STRUCTURE_WORDS,
    Reason,
    join,
    language_names,
    leadership_words,
    lower_first,
    setting_words,
    size_words,
)
from groupfinder.engine.geo import Origin
from groupfinder.engine.i18n import format_day, format_eur, format_km, tr
from groupfinder.engine.models import (
    LANGUAGES,
    LEADERSHIPS,
    SETTINGS,
    SIZE_RANGES,
    Answers,
    Format,
    Group,
    Language,
)

# ----------------------------------------------------------------------------- weights

#: Points per level (0-3) of how strongly a format serves one of the person's needs.
NEED_POINTS = 10.0
LEADERSHIP_POINTS = 8.0
STRUCTURE_POINTS = 6.0
STRUCTURE_PARTLY_POINTS = 3.0
COMMITMENT_POINTS = 5.0
COMMITMENT_MISS_POINTS = -3.0
FORMAT_SIZE_POINTS = 4.0
FORMAT_SIZE_MISS_POINTS = -2.0

#: A group gets this many points times its format's match (0-1).
FORMAT_FIT_POINTS = 40.0
TOPIC_POINTS = 20.0
TOPIC_OPEN_POINTS = 8.0
TOPIC_MISS_POINTS = -10.0
GROUP_LEADERSHIP_POINTS = 8.0
GROUP_SIZE_POINTS = 4.0
#: Distance points decay smoothly: DISTANCE_POINTS * exp(-km / DISTANCE_SCALE_KM).
DISTANCE_POINTS = 20.0
DISTANCE_SCALE_KM = 20.0
LANGUAGE_FIRST_POINTS = 6.0
LANGUAGE_OTHER_POINTS = 2.0
SETTING_POINTS = 6.0
SETTING_HYBRID_POINTS = 3.0
DROP_IN_POINTS = 3.0
FREE_POINTS = 4.0
IN_BUDGET_POINTS = 2.0
#: A group whose details were last checked more than STALE_AFTER_DAYS ago ranks lower.
STALE_POINTS = -5.0
STALE_AFTER_DAYS = 365

#: The topic id for groups open to any theme.
OPEN_TOPIC = "general"


# ----------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class FormatRule:
    name: str
    score: Callable[[Answers, Format, Catalog], Reason | None]
    #: The most points this rule can give for these answers (for the 0-100 match).
    best: Callable[[Answers], float]


def needs_served(answers: Answers, fmt: Format, catalog: Catalog) -> Reason:
    """Points for each of the person's needs the format serves, by how strongly."""
    lang = answers.language
    served = [(n, fmt.needs.get(n, 0)) for n in answers.needs]
    points = sum(level * NEED_POINTS for _, level in served)
    parts = [
        tr(
            lang,
            "{need} ({strength})",
            need=catalog.needs[n].name.get(lang).lower(),
            strength=tr(lang, _STRENGTH[level]),
        )
        for n, level in sorted(served, key=lambda s: -s[1])
        if level
    ]
    if parts:
        text = tr(lang, "Serves your need for {needs}", needs=join(lang, parts))
    else:
        wanted = join(lang, [catalog.needs[n].name.get(lang).lower() for n in answers.needs])
        text = tr(lang, "Does not focus on {needs}", needs=wanted)
    return Reason("needs", points, text)


def leadership_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Reason | None:
    """Who leads the format, against who the person wants to be led by."""
    lang, wanted = answers.language, answers.leadership
    if wanted == "no_preference":
        return None
    led_by = lower_first(fmt.led_by.get(lang))
    if wanted in fmt.leadership:
        return Reason(
            "leadership", LEADERSHIP_POINTS, tr(lang, "Led by {who}, as you prefer", who=led_by)
        )
    return Reason(
        "leadership",
        -LEADERSHIP_POINTS,
        tr(
            lang,
            "Led by {who}; you prefer {wanted}",
            who=led_by,
            wanted=leadership_words(lang, wanted),
        ),
    )


def structure_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Reason | None:
    """Structured, open, or in between, against what the person prefers."""
    lang, wanted = answers.language, answers.structure
    if wanted == "no_preference":
        return None
    if fmt.structure == "mixed":
        return Reason(
            "structure", STRUCTURE_PARTLY_POINTS, tr(lang, "Partly structured, partly open")
        )
    if fmt.structure == wanted:
        return Reason(
            "structure",
            STRUCTURE_POINTS,
            tr(
                lang,
                "{Structure}, as you prefer",
                Structure=tr(lang, _STRUCTURE_WORDS[wanted]).capitalize(),
            ),
        )
    return Reason(
        "structure",
        -STRUCTURE_POINTS,
        tr(
            lang,
            "{Structure}; you prefer {wanted}",
            Structure=tr(lang, _STRUCTURE_WORDS[fmt.structure]).capitalize(),
            wanted=tr(lang, _STRUCTURE_WORDS[wanted]),
        ),
    )


def commitment_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Reason | None:
    """One session, a series, ongoing or residential, against what the person can give."""
    lang, wanted = answers.language, answers.commitment
    if wanted == "no_preference":
        return None
    offered = join(lang, [tr(lang, _COMMITMENT_WORDS[c]) for c in fmt.commitment])
    if wanted in fmt.commitment:
        return Reason(
            "commitment",
            COMMITMENT_POINTS,
            tr(lang, "Offers {wanted}, as you want", wanted=tr(lang, _COMMITMENT_WORDS[wanted])),
        )
    return Reason(
        "commitment",
        COMMITMENT_MISS_POINTS,
        tr(
            lang,
            "Usually {offered}; you want {wanted}",
            offered=offered,
            wanted=tr(lang, _COMMITMENT_WORDS[wanted]),
        ),
    )


def size_fits(answers: Answers, fmt: Format, catalog: Catalog) -> Reason | None:
    """The format's typical group size, against the person's preferred size."""
    lang, wanted = answers.language, answers.group_size
    if wanted == "no_preference":
        return None
    low, high = SIZE_RANGES[wanted]
    typical = size_words(lang, fmt.size_min, fmt.size_max)
    if fmt.size_min <= high and fmt.size_max >= low:
        return Reason(
            "size",
            FORMAT_SIZE_POINTS,
            tr(
                lang,
                "Usually {typical}: fits {wanted}",
                typical=typical,
                wanted=tr(lang, _SIZE_WORDS[wanted]),
            ),
        )
    return Reason(
        "size",
        FORMAT_SIZE_MISS_POINTS,
        tr(
            lang,
            "Usually {typical}; you prefer {wanted}",
            typical=typical,
            wanted=tr(lang, _SIZE_WORDS[wanted]),
        ),
    )


def _if_set(value: str, points: float) -> float:
    return 0.0 if value == "no_preference" else points


FORMAT_RULES: tuple[FormatRule, ...] = (
    FormatRule("needs", needs_served, lambda a: 3 * NEED_POINTS * len(a.needs)),
    FormatRule("leadership", leadership_fits, lambda a: _if_set(a.leadership, LEADERSHIP_POINTS)),
    FormatRule("structure", structure_fits, lambda a: _if_set(a.structure, STRUCTURE_POINTS)),
    FormatRule("commitment", commitment_fits, lambda a: _if_set(a.commitment, COMMITMENT_POINTS)),
    FormatRule("size", size_fits, lambda a: _if_set(a.group_size, FORMAT_SIZE_POINTS)),
)


# ----------------------------------------------------------------------------- groups

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_LANGUAGE_BIT = {code: 1 << i for i, code in enumerate(LANGUAGES)}


class GroupTable:
    """The catalog's groups as columns, built once, so that rules score all groups at once."""

    def __init__(self, catalog: Catalog) -> None:
        groups = catalog.groups
        self.groups = groups
        self.format_ids = list(catalog.formats)
        self.topic_bit = {topic: 1 << i for i, topic in enumerate(sorted(catalog.topics))}
        n = len(groups)
        f_index = {f: i for i, f in enumerate(self.format_ids)}
        nan = math.nan
        self.format_index = np.fromiter((f_index[g.format] for g in groups), np.int64, n)
        self.topics = np.fromiter(
            (sum(self.topic_bit[t] for t in g.topics) for g in groups), np.uint64, n
        )
        self.leadership = np.fromiter((LEADERSHIPS.index(g.leadership) for g in groups), np.int8, n)
        self.size_min = np.fromiter(
            (nan if g.size_min is None else g.size_min for g in groups), np.float64, n
        )
        self.size_max = np.fromiter(
            (nan if g.size_max is None else g.size_max for g in groups), np.float64, n
        )
        self.setting = np.fromiter((SETTINGS.index(g.setting) for g in groups), np.int8, n)
        self.drop_in = np.fromiter((g.drop_in is True for g in groups), np.bool_, n)
        self.latitude = np.fromiter(
            (nan if g.latitude is None else g.latitude for g in groups), np.float64, n
        )
        self.longitude = np.fromiter(
            (nan if g.longitude is None else g.longitude for g in groups), np.float64, n
        )
        self.languages = np.fromiter(
            (sum(_LANGUAGE_BIT[c] for c in g.languages) for g in groups), np.uint8, n
        )
        self.cost = np.fromiter(
            (nan if g.cost_eur is None else g.cost_eur for g in groups), np.float64, n
        )
        self.verified = np.fromiter(
            (nan if g.last_verified is None else g.last_verified.toordinal() for g in groups),
            np.float64,
            n,
        )
        by_name = sorted(range(n), key=lambda i: (groups[i].name.casefold(), groups[i].id))
        self.name_rank = np.empty(n, np.int64)
        self.name_rank[by_name] = np.arange(n)

    def __len__(self) -> int:
        return len(self.groups)

    def topic_mask(self, topics: tuple[str, ...]) -> int:
        return sum(self.topic_bit[t] for t in topics if t in self.topic_bit)


@dataclass(frozen=True)
class GroupContext:
    """What every group rule may look at besides the table: answers and derived figures."""

    answers: Answers
    catalog: Catalog
    origin: Origin | None
    format_match: dict[str, int]
    #: Kilometres from the person to each group; NaN for online groups or unknown places.
    distance: FloatArray
    #: The day against which "last checked" dates are judged.
    today: dt.date

    @property
    def language(self) -> Language:
        return self.answers.language


@dataclass(frozen=True)
class GroupRule:
    name: str
    #: Points for every group of the table at once.
    points: Callable[[GroupContext, GroupTable], FloatArray]
    #: The sentence for one group (row ``i``) with its points; None when there is nothing to say.
    reason: Callable[[GroupContext, Group, int, float], str | None]
    #: The most points this rule can give for these answers (for the 0-100 match).
    best: Callable[[Answers, Origin | None], float]


def _zeros(table: GroupTable) -> FloatArray:
    return np.zeros(len(table), np.float64)


def format_fit_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    matches = np.array([ctx.format_match[f] for f in table.format_ids], np.float64)
    result: FloatArray = FORMAT_FIT_POINTS * matches[table.format_index] / 100.0
    return result


def format_fit_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str:
    name = ctx.catalog.formats[group.format].name.get(ctx.language)
    return tr(
        ctx.language,
        "A {format}: {match}% match for what you are looking for",
        format=name.lower(),
        match=ctx.format_match[group.format],
    )


def topic_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    wanted = np.uint64(table.topic_mask(ctx.answers.topics))
    if not wanted:
        return _zeros(table)
    open_bit = np.uint64(table.topic_bit.get(OPEN_TOPIC, 0))
    hit = (table.topics & wanted) != 0
    open_to_all = (table.topics & open_bit) != 0
    return np.where(hit, TOPIC_POINTS, np.where(open_to_all, TOPIC_OPEN_POINTS, TOPIC_MISS_POINTS))


def topic_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang, topics = ctx.language, ctx.catalog.topics
    if not ctx.answers.topics:
        return None
    shared = [t for t in group.topics if t in ctx.answers.topics]
    if shared:
        return tr(
            lang,
            "About {topics}",
            topics=join(lang, [topics[t].name.get(lang).lower() for t in shared]),
        )
    if OPEN_TOPIC in group.topics:
        return tr(lang, "Open to any theme")
    return tr(
        lang,
        "About {topics}, not what you asked for",
        topics=join(lang, [topics[t].name.get(lang).lower() for t in group.topics]),
    )


def leadership_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    wanted = ctx.answers.leadership
    if wanted == "no_preference":
        return _zeros(table)
    hit = table.leadership == LEADERSHIPS.index(wanted)
    return np.where(hit, GROUP_LEADERSHIP_POINTS, -GROUP_LEADERSHIP_POINTS)


def leadership_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang, wanted = ctx.language, ctx.answers.leadership
    if wanted == "no_preference":
        return None
    who = leadership_words(lang, group.leadership)
    if group.leadership == wanted:
        return tr(lang, "Led by {who}, as you prefer", who=who)
    return tr(
        lang, "Led by {who}; you prefer {wanted}", who=who, wanted=leadership_words(lang, wanted)
    )


def size_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    wanted = ctx.answers.group_size
    if wanted == "no_preference":
        return _zeros(table)
    low, high = SIZE_RANGES[wanted]
    smallest = np.where(np.isnan(table.size_min), table.size_max, table.size_min)
    largest = np.where(np.isnan(table.size_max), table.size_min, table.size_max)
    known = ~np.isnan(smallest)
    fits = (smallest <= high) & (largest >= low)
    return np.where(known, np.where(fits, GROUP_SIZE_POINTS, -GROUP_SIZE_POINTS), 0.0)


def size_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang, wanted = ctx.language, ctx.answers.group_size
    if wanted == "no_preference":
        return None
    if group.size_min is None and group.size_max is None:
        return tr(lang, "Group size not listed")
    size = size_words(lang, group.size_min, group.size_max)
    if points > 0:
        return tr(
            lang,
            "{size}: fits {wanted}",
            size=size.capitalize(),
            wanted=tr(lang, _SIZE_WORDS[wanted]),
        )
    return tr(
        lang,
        "{size}; you prefer {wanted}",
        size=size.capitalize(),
        wanted=tr(lang, _SIZE_WORDS[wanted]),
    )


def _distance_counts(answers: Answers) -> bool:
    return answers.setting != "online"


def distance_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    if ctx.origin is None or not _distance_counts(ctx.answers):
        return _zeros(table)
    with np.errstate(invalid="ignore"):
        points = DISTANCE_POINTS * np.exp(-ctx.distance / DISTANCE_SCALE_KM)
    return np.where(np.isnan(ctx.distance), 0.0, points)


def distance_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    if ctx.origin is None:
        return None
    km = float(ctx.distance[i])
    if math.isnan(km):
        return None if group.setting == "online" else tr(ctx.language, "Distance unknown")
    shown = format_km(ctx.language, km)
    if ctx.origin.label:
        return tr(ctx.language, "{km} km from {place}", km=shown, place=ctx.origin.label)
    return tr(ctx.language, "{km} km away", km=shown)


def language_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    first = np.uint8(_LANGUAGE_BIT[ctx.answers.language])
    anyone = np.uint8(sum(_LANGUAGE_BIT[c] for c in ctx.answers.languages))
    return np.where(
        (table.languages & first) != 0,
        LANGUAGE_FIRST_POINTS,
        np.where((table.languages & anyone) != 0, LANGUAGE_OTHER_POINTS, 0.0),
    )


def language_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang = ctx.language
    if lang in group.languages:
        return tr(lang, "In {language}", language=language_names(lang, (lang,)))
    yours = tuple(c for c in group.languages if c in ctx.answers.languages)
    if yours:
        return tr(lang, "In {language}, which you can follow", language=language_names(lang, yours))
    return None


def _hybrid_too_far(ctx: GroupContext) -> BoolArray:
    """Hybrid groups beyond the person's maximum distance: they could only join online."""
    limit = ctx.answers.max_distance_km
    if limit is None:
        return np.zeros(len(ctx.distance), np.bool_)
    with np.errstate(invalid="ignore"):
        result: BoolArray = ctx.distance > limit
    return result


def setting_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    wanted = ctx.answers.setting
    if wanted == "no_preference":
        return _zeros(table)
    same = table.setting == SETTINGS.index(wanted)
    hybrid = table.setting == SETTINGS.index("hybrid")
    if wanted == "in_person":
        hybrid &= ~_hybrid_too_far(ctx)
    return np.where(same, SETTING_POINTS, np.where(hybrid, SETTING_HYBRID_POINTS, -SETTING_POINTS))


def setting_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang, wanted = ctx.language, ctx.answers.setting
    if wanted == "no_preference":
        return None
    if group.setting == wanted:
        return tr(lang, "Meets {setting}, as you prefer", setting=setting_words(lang, wanted))
    if group.setting == "hybrid" and points > 0:
        return tr(lang, "Hybrid: you can join {setting}", setting=setting_words(lang, wanted))
    if group.setting == "hybrid":
        return tr(
            lang,
            "Hybrid, but beyond your {limit} km: you would join online",
            limit=format_km(lang, ctx.answers.max_distance_km or 0.0),
        )
    return tr(
        lang,
        "Meets {setting}; you prefer {wanted}",
        setting=setting_words(lang, group.setting),
        wanted=setting_words(lang, wanted),
    )


def _drop_in_counts(answers: Answers) -> bool:
    return answers.commitment in ("one_off", "no_preference")


def drop_in_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    if not _drop_in_counts(ctx.answers):
        return _zeros(table)
    return np.where(table.drop_in, DROP_IN_POINTS, 0.0)


def drop_in_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    if points:
        return tr(ctx.language, "You can drop in without signing up")
    return None


def cost_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    budget = ctx.answers.max_cost_eur
    free = table.cost == 0
    if budget is None or budget == 0:
        return np.where(free, FREE_POINTS, 0.0)
    within = table.cost <= budget
    return np.where(free, FREE_POINTS, np.where(within, IN_BUDGET_POINTS, 0.0))


def cost_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    lang, cost = ctx.language, group.cost_eur
    if cost is None:
        return tr(lang, "Cost not listed: ask the group")
    if cost == 0:
        return tr(lang, "Free")
    price = format_eur(lang, cost)
    if points:
        return tr(lang, "{price} per session, within your budget", price=price)
    return tr(lang, "{price} per session", price=price)


def freshness_points(ctx: GroupContext, table: GroupTable) -> FloatArray:
    with np.errstate(invalid="ignore"):
        stale = ctx.today.toordinal() - table.verified > STALE_AFTER_DAYS
    return np.where(stale, STALE_POINTS, 0.0)


def freshness_reason(ctx: GroupContext, group: Group, i: int, points: float) -> str | None:
    if not points or group.last_verified is None:
        return None
    checked = format_day(ctx.language, group.last_verified)
    return tr(
        ctx.language, "Details last checked on {date}: ask whether they still hold", date=checked
    )


GROUP_RULES: tuple[GroupRule, ...] = (
    GroupRule("format", format_fit_points, format_fit_reason, lambda a, o: FORMAT_FIT_POINTS),
    GroupRule("topics", topic_points, topic_reason, lambda a, o: TOPIC_POINTS if a.topics else 0.0),
    GroupRule(
        "leadership",
        leadership_points,
        leadership_reason,
        lambda a, o: _if_set(a.leadership, GROUP_LEADERSHIP_POINTS),
    ),
    GroupRule(
        "size", size_points, size_reason, lambda a, o: _if_set(a.group_size, GROUP_SIZE_POINTS)
    ),
    GroupRule(
        "distance",
        distance_points,
        distance_reason,
        lambda a, o: DISTANCE_POINTS if o is not None and _distance_counts(a) else 0.0,
    ),
    GroupRule("language", language_points, language_reason, lambda a, o: LANGUAGE_FIRST_POINTS),
    GroupRule(
        "setting", setting_points, setting_reason, lambda a, o: _if_set(a.setting, SETTING_POINTS)
    ),
    GroupRule(
        "drop_in",
        drop_in_points,
        drop_in_reason,
        lambda a, o: DROP_IN_POINTS if _drop_in_counts(a) else 0.0,
    ),
    GroupRule("cost", cost_points, cost_reason, lambda a, o: FREE_POINTS),
    GroupRule("freshness", freshness_points, freshness_reason, lambda a, o: 0.0),
)


# ----------------------------------------------------------------------------- hard limits


@dataclass(frozen=True)
class Limit:
    name: str
    #: True for every group that fails the limit.
    fails: Callable[[GroupContext, GroupTable], BoolArray]
    #: Why one group fails it, for a near miss.
    missed: Callable[[GroupContext, Group, int], str]


def language_fails(ctx: GroupContext, table: GroupTable) -> BoolArray:
    anyone = np.uint8(sum(_LANGUAGE_BIT[c] for c in ctx.answers.languages))
    result: BoolArray = (table.languages & anyone) == 0
    return result


def language_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    return tr(
        lang,
        "Only in {languages}, which you did not choose",
        languages=language_names(lang, group.languages),
    )


def distance_fails(ctx: GroupContext, table: GroupTable) -> BoolArray:
    limit = ctx.answers.max_distance_km
    if limit is None or ctx.origin is None:
        return np.zeros(len(table), np.bool_)
    in_person = table.setting == SETTINGS.index("in_person")
    with np.errstate(invalid="ignore"):
        result: BoolArray = in_person & (ctx.distance > limit)
    return result


def distance_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang = ctx.language
    return tr(
        lang,
        "{km} km away, beyond your {limit} km",
        km=format_km(lang, float(ctx.distance[i])),
        limit=format_km(lang, ctx.answers.max_distance_km or 0.0),
    )


def cost_fails(ctx: GroupContext, table: GroupTable) -> BoolArray:
    budget = ctx.answers.max_cost_eur
    if budget is None:
        return np.zeros(len(table), np.bool_)
    with np.errstate(invalid="ignore"):
        result: BoolArray = table.cost > budget
    return result


def cost_missed(ctx: GroupContext, group: Group, i: int) -> str:
    lang, budget = ctx.language, ctx.answers.max_cost_eur or 0.0
    price = format_eur(lang, group.cost_eur or 0.0)
    if budget == 0:
        return tr(lang, "Costs {price} per session; you asked for free groups", price=price)
    return tr(
        lang,
        "Costs {price} per session, above your {budget}",
        price=price,
        budget=format_eur(lang, budget),
    )


LIMITS: tuple[Limit, ...] = (
    Limit("language", language_fails, language_missed),
    Limit("distance", distance_fails, distance_missed),
    Limit("cost", cost_fails, cost_missed),
)
