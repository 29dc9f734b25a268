"""Rank formats and groups for one set of answers, explaining every point.

Build a :class:`Matcher` once per catalog (it lays the groups out as columns) and call
:meth:`Matcher.recommend` as often as the answers change.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from groupfinder.catalog.directories import look_further, region_of
from groupfinder.catalog.places import Lookup, PlaceIndex
from groupfinder.domain.directory import Directory
from groupfinder.domain.errors import InputError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import (
    FORMAT_IDS,
    SETTINGS,
    Answers,
    Catalog,
    Format,
    Group,
    Helpline,
    Language,
)
from groupfinder.domain.words import Reason
from groupfinder.matching.geo import Origin, distances_km, parse_lat_lon
from groupfinder.matching.helplines import helplines_for_person
from groupfinder.matching.notices import Notice, notices_for
from groupfinder.matching.rules import (
    FORMAT_RULES,
    GROUP_RULES,
    LIMITS,
    FloatArray,
    GroupContext,
    GroupTable,
    eligible,
    format_is_result,
    met_in_room,
    stale,
)

DEFAULT_LIMIT = 10
NEAR_MISS_LIMIT = 5
#: How many places to look further a recommendation names.
LOOK_FURTHER_LIMIT = 5


@dataclass(frozen=True)
class FormatResult:
    format: Format
    score: float
    match: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class GroupResult:
    group: Group
    score: float
    match: int
    #: Kilometres from the person; None for online groups or when a place is unknown.
    distance_km: float | None
    reasons: tuple[Reason, ...]
    #: For a near miss: why the group fails the one hard limit it fails, and that limit.
    missed: str | None = None
    missed_rule: str | None = None


@dataclass(frozen=True)
class Recommendation:
    answers: Answers
    origin: Origin | None
    #: Every helpline, ordered for this person (shown first when they are at risk).
    helplines: tuple[Helpline, ...]
    formats: tuple[FormatResult, ...]
    groups: tuple[GroupResult, ...]
    near_misses: tuple[GroupResult, ...]
    #: How many groups passed every hard limit (``groups`` holds the best of them).
    total_matches: int
    notices: tuple[Notice, ...] = ()
    #: Where to look further (real directories and organisations), best first: on the
    #: person's topics in their region, then general ones; those in a language they speak first.
    look_further: tuple[Directory, ...] = ()

    @property
    def crisis_help(self) -> tuple[Helpline, ...]:
        """The helplines to show before anything else: all of them, for a person at risk."""
        return self.helplines if self.answers.at_risk else ()


class LocationError(InputError):
    """The answers' location is unknown or ambiguous; the lookup says which."""

    def __init__(self, lookup: Lookup, file: str = "answers") -> None:
        self.lookup = lookup
        if lookup.ambiguous:
            message = N_(
                "{query!r} matches several places: {options}. Write for example "
                '"BE 1060" or "NL 1060" to choose a country.'
            )
            options = "; ".join(f"{p.country} {p.label()}" for p in lookup.candidates)
            values = {"query": lookup.query, "options": options}
        elif lookup.suggestions:
            message = N_("unknown place {query!r}; did you mean {options}?")
            values = {"query": lookup.query, "options": ", ".join(lookup.suggestions)}
        else:
            message = N_(
                "unknown place {query!r}; give a postcode or a town in Belgium or the Netherlands"
            )
            values = {"query": lookup.query}
        super().__init__([Problem(file, message, field="location", values=values)])


def locate(
    location: str | None, places: PlaceIndex | None, language: Language = "nl"
) -> Origin | None:
    """Coordinates for what a person typed: ``"lat,lon"``, a postcode or a town."""
    if location is None:
        return None
    coordinates = parse_lat_lon(location)
    if coordinates is not None:
        return Origin(*coordinates)
    if places is None:
        raise LocationError(Lookup(query=location))
    lookup = places.lookup(location)
    if lookup.place is None:
        raise LocationError(lookup)
    place = lookup.place
    return Origin(
        place.latitude, place.longitude, place.display_name(language), place.country, place.postcode
    )


def _match(score: float, best: float) -> int:
    if best <= 0:
        return 0
    return max(0, min(100, round(100 * score / best)))


class Matcher:
    """The rule-based matcher over one catalog."""

    def __init__(
        self, catalog: Catalog, places: PlaceIndex | None = None, today: dt.date | None = None
    ) -> None:
        self.catalog = catalog
        self.places = places
        self.table = GroupTable(catalog)
        #: Fixed for tests and reproducible output; None means the real date of each call.
        self.today = today

    # -- formats ---------------------------------------------------------------------------

    def rank_formats(self, answers: Answers) -> tuple[FormatResult, ...]:
        """The kinds of group that serve the person, best first (ties in the seeds' order)."""
        results = []
        for position, fmt in enumerate(self.catalog.formats.values()):
            if not format_is_result(answers, fmt):
                continue
            scored = [rule(answers, fmt, self.catalog) for rule in FORMAT_RULES]
            reasons = tuple(s.reason for s in scored if s.reason is not None)
            score = round(sum(r.points for r in reasons), 2)
            best = sum(s.best for s in scored)
            results.append((position, FormatResult(fmt, score, _match(score, best), reasons)))
        results.sort(key=lambda r: (-r[1].score, _format_rank(r[1].format.id, r[0])))
        return tuple(r for _, r in results)

    # -- groups ----------------------------------------------------------------------------

    def context(
        self, answers: Answers, formats: tuple[FormatResult, ...], origin: Origin | None
    ) -> GroupContext:
        table = self.table
        if origin is None:
            distance = np.full(len(table), math.nan)
        else:
            distance = distances_km(
                origin.latitude, origin.longitude, table.latitude, table.longitude
            )
            distance[table.setting == SETTINGS.index("online")] = math.nan
        return GroupContext(
            answers=answers,
            catalog=self.catalog,
            origin=origin,
            format_match={r.format.id: r.match for r in formats},
            distance=distance,
            in_room=met_in_room(answers, table, distance),
            today=self.today or dt.date.today(),
        )

    def recommend(
        self, answers: Answers, limit: int = DEFAULT_LIMIT, origin: Origin | None = None
    ) -> Recommendation:
        """Rank everything for ``answers``; the best ``limit`` groups and near misses.

        ``origin`` overrides the answers' location (the TUI resolves it while typing).
        Raises :class:`LocationError` when the location cannot be resolved.
        """
        if origin is None:
            origin = locate(answers.location, self.places, answers.language)
        formats = self.rank_formats(answers)
        ctx = self.context(answers, formats, origin)
        table = self.table

        decided = [rule.points(ctx, table) for rule in GROUP_RULES]
        points = [p for p, _ in decided]
        cases = [c for _, c in decided]
        score = np.round(np.sum(points, axis=0), 2) if len(table) else np.zeros(0)
        misses = np.array([limit_.miss(ctx, table) for limit_ in LIMITS]).reshape(
            len(LIMITS), len(table)
        )
        failed = (misses > 0).sum(axis=0)
        best = sum(rule.best(ctx) for rule in GROUP_RULES)
        old = stale(ctx, table)
        candidates = eligible(ctx, table)

        passing = np.flatnonzero(candidates & (failed == 0) & (score > 0))
        near = np.flatnonzero(candidates & (failed == 1))
        groups = tuple(
            self._result(ctx, i, score, points, cases, best)
            for i in self._best(ctx, score, old, passing, limit)
        )
        near_misses = tuple(
            self._result(ctx, i, score, points, cases, best, misses)
            for i in self._closest(ctx, score, old, misses.sum(axis=0), near, NEAR_MISS_LIMIT)
        )
        country = origin.country if origin else None
        helplines = helplines_for_person(
            self.catalog.helplines, country, answers.language, answers.languages
        )
        notices = notices_for(
            answers,
            country,
            has_groups=bool(groups),
            has_near_misses=bool(near_misses),
            sample=self.catalog.is_sample,
        )
        return Recommendation(
            answers,
            origin,
            helplines,
            formats,
            groups,
            near_misses,
            total_matches=len(passing),
            notices=notices,
            look_further=self.look_further(answers, origin),
        )

    def look_further(self, answers: Answers, origin: Origin | None) -> tuple[Directory, ...]:
        """Where this person can look further: their region (all regions when it is not
        known), their topics first, entries in a language they speak before the others."""
        region = region_of(origin.country, origin.postcode) if origin else None
        spoken = set(answers.languages) or {answers.language}
        directories = self.catalog.directories
        first = [d for d in directories if spoken.intersection(d.languages)]
        rest = [d for d in directories if not spoken.intersection(d.languages)]
        chosen = look_further(first, answers.topics, region, LOOK_FURTHER_LIMIT)
        more = look_further(rest, answers.topics, region, LOOK_FURTHER_LIMIT - len(chosen))
        return chosen + more

    def _order(
        self, ctx: GroupContext, keys: list[FloatArray], candidates: NDArray[np.intp]
    ) -> NDArray[np.intp]:
        """``candidates`` sorted by ``keys`` (most important first), then distance and id."""
        distance = np.nan_to_num(ctx.distance[candidates], nan=math.inf)
        order = np.lexsort((self.table.id_rank[candidates], distance, *reversed(keys)))
        result: NDArray[np.intp] = candidates[order]
        return result

    def _best(
        self,
        ctx: GroupContext,
        score: FloatArray,
        old: NDArray[np.bool_],
        candidates: NDArray[np.intp],
        limit: int,
    ) -> list[int]:
        """The best ``limit``: score, then fresh before stale, then distance, then id."""
        if limit <= 0 or candidates.size == 0:
            return []
        cand_scores = score[candidates]
        if candidates.size > limit:
            # Keep every candidate that ties with the limit-th score, then sort those fully.
            kth = np.partition(cand_scores, candidates.size - limit)[candidates.size - limit]
            candidates = candidates[cand_scores >= kth]
        keys = [-score[candidates], old[candidates].astype(np.float64)]
        return [int(i) for i in self._order(ctx, keys, candidates)[:limit]]

    def _closest(
        self,
        ctx: GroupContext,
        score: FloatArray,
        old: NDArray[np.bool_],
        miss: FloatArray,
        candidates: NDArray[np.intp],
        limit: int,
    ) -> list[int]:
        """Near misses that miss by least first, then by score like results."""
        if limit <= 0 or candidates.size == 0:
            return []
        keys = [miss[candidates], -score[candidates], old[candidates].astype(np.float64)]
        return [int(i) for i in self._order(ctx, keys, candidates)[:limit]]

    def _result(
        self,
        ctx: GroupContext,
        i: int,
        score: FloatArray,
        points: list[FloatArray],
        cases: list[NDArray[np.int8]],
        best: float,
        misses: FloatArray | None = None,
    ) -> GroupResult:
        group = self.catalog.groups[i]
        reasons = []
        for rule, column, case in zip(GROUP_RULES, points, cases, strict=True):
            value = round(float(column[i]), 2)
            text = rule.reason(ctx, group, i, int(case[i]), value)
            if text:
                reasons.append(Reason(rule.name, value, text))
        missed = missed_rule = None
        if misses is not None:
            row = next(n for n, limit_ in enumerate(LIMITS) if misses[n][i] > 0)
            missed, missed_rule = LIMITS[row].missed(ctx, group, i), LIMITS[row].name
        distance = float(ctx.distance[i])
        total = float(score[i])
        return GroupResult(
            group,
            total,
            _match(total, best),
            None if math.isnan(distance) else round(distance, 1),
            tuple(reasons),
            missed,
            missed_rule,
        )


def _format_rank(format_id: str, position: int) -> tuple[int, int]:
    """A stable tie-break: the seeds' order of the seven formats, then the file's order."""
    known = FORMAT_IDS.index(format_id) if format_id in FORMAT_IDS else len(FORMAT_IDS)
    return known, position
