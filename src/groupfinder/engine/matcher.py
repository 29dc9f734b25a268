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

from groupfinder.engine.catalog import Catalog
from groupfinder.engine.errors import InputError, Problem
from groupfinder.engine.explain import Reason
from groupfinder.engine.geo import Origin, distances_km, parse_lat_lon
from groupfinder.engine.i18n import N_
from groupfinder.engine.models import SETTINGS, Answers, Format, Group, Helpline, Language
from groupfinder.engine.places import Lookup, PlaceIndex
from groupfinder.engine.rules import (
    FORMAT_RULES,
    GROUP_RULES,
    LIMITS,
    FloatArray,
    GroupContext,
    GroupTable,
)

DEFAULT_LIMIT = 10
NEAR_MISS_LIMIT = 5


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
    #: For a near miss: the one hard limit the group fails.
    missed: str | None = None


@dataclass(frozen=True)
class Recommendation:
    answers: Answers
    origin: Origin | None
    crisis_help: tuple[Helpline, ...]
    formats: tuple[FormatResult, ...]
    groups: tuple[GroupResult, ...]
    near_misses: tuple[GroupResult, ...]
    #: How many groups passed every hard limit (``groups`` holds the best of them).
    total_matches: int


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
    return Origin(place.latitude, place.longitude, place.display_name(language), place.country)


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
        best = sum(rule.best(answers) for rule in FORMAT_RULES)
        results = []
        for fmt in self.catalog.formats.values():
            reasons = tuple(
                r for rule in FORMAT_RULES if (r := rule.score(answers, fmt, self.catalog))
            )
            score = round(sum(r.points for r in reasons), 2)
            results.append(FormatResult(fmt, score, _match(score, best), reasons))
        results.sort(key=lambda r: (-r.score, r.format.name.get(answers.language), r.format.id))
        return tuple(results)

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

        points = [rule.points(ctx, table) for rule in GROUP_RULES]
        score = np.round(np.sum(points, axis=0), 2) if points else np.zeros(len(table))
        failures = np.array([limit_.fails(ctx, table) for limit_ in LIMITS])
        failed = failures.sum(axis=0) if len(table) else np.zeros(0, np.int64)
        best = sum(rule.best(answers, origin) for rule in GROUP_RULES)

        passing = np.flatnonzero(failed == 0)
        near = np.flatnonzero(failed == 1)
        groups = tuple(
            self._result(ctx, i, score, points, best)
            for i in self._best(ctx, score, passing, limit)
        )
        near_misses = tuple(
            self._result(ctx, i, score, points, best, missed=self._missed(ctx, failures, i))
            for i in self._best(ctx, score, near, min(limit, NEAR_MISS_LIMIT))
        )
        crisis: tuple[Helpline, ...] = ()
        if answers.in_crisis:
            country = origin.country if origin else None
            crisis = tuple(sorted(self.catalog.helplines_for(country), key=lambda h: not h.crisis))
        return Recommendation(
            answers, origin, crisis, formats, groups, near_misses, total_matches=len(passing)
        )

    def _best(
        self, ctx: GroupContext, score: FloatArray, candidates: NDArray[np.intp], limit: int
    ) -> list[int]:
        """The best ``limit`` of ``candidates``: score, then distance, then name, then id."""
        if limit <= 0 or candidates.size == 0:
            return []
        cand_scores = score[candidates]
        if candidates.size > limit:
            # Keep every candidate that ties with the limit-th score, then sort those fully.
            kth = np.partition(cand_scores, candidates.size - limit)[candidates.size - limit]
            candidates = candidates[cand_scores >= kth]
            cand_scores = score[candidates]
        distance = np.nan_to_num(ctx.distance[candidates], nan=math.inf)
        order = np.lexsort((self.table.name_rank[candidates], distance, -cand_scores))
        return [int(i) for i in candidates[order[:limit]]]

    def _result(
        self,
        ctx: GroupContext,
        i: int,
        score: FloatArray,
        points: list[FloatArray],
        best: float,
        missed: str | None = None,
    ) -> GroupResult:
        group = self.catalog.groups[i]
        reasons = []
        for rule, column in zip(GROUP_RULES, points, strict=True):
            value = round(float(column[i]), 2)
            text = rule.reason(ctx, group, i, value)
            if text is not None:
                reasons.append(Reason(rule.name, value, text))
        distance = float(ctx.distance[i])
        total = float(score[i])
        return GroupResult(
            group,
            total,
            _match(total, best),
            None if math.isnan(distance) else round(distance, 1),
            tuple(reasons),
            missed,
        )

    def _missed(self, ctx: GroupContext, failures: NDArray[np.bool_], i: int) -> str:
        for limit_, row in zip(LIMITS, failures, strict=True):
            if row[i]:
                return limit_.missed(ctx, self.catalog.groups[i], i)
        raise AssertionError("a near miss fails exactly one limit")
