"""Properties of the matcher that must hold for every valid set of answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import LANGUAGES, NEEDS, Answers, Catalog
from groupfinder.matching.matcher import Matcher
from groupfinder.present.outputs import to_json

TOPICS = [
    "grief",
    "addiction",
    "anxiety",
    "depression",
    "trauma",
    "burnout",
    "chronic_illness",
    "eating_disorder",
    "relationships",
    "loneliness",
    "family_carer",
    "self_esteem",
    "general",
]
LOCATIONS = [None, "9000", "Leuven", "1012 AB", "Bruxelles", "Maastricht", "50.85,4.35"]


def choice(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


answer_dicts = st.fixed_dictionaries(
    {"needs": st.lists(st.sampled_from(NEEDS), min_size=1, max_size=6, unique=True)},
    optional={
        "language": st.sampled_from(LANGUAGES),
        "risk": choice("none", "thoughts", "acute"),
        "for_whom": choice("self", "someone_close"),
        "age_band": choice(None, "under_18", "18_25", "26_54", "55_plus"),
        "audiences": st.lists(
            st.sampled_from(["women", "men", "lgbtq", "students", "parents", "internationals"]),
            max_size=2,
            unique=True,
        ),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=4, unique=True),
        "group_size": choice("small", "medium", "large", "no_preference"),
        "leadership": choice("professional", "trained", "peer", "no_preference"),
        "structure": choice("structured", "open", "no_preference"),
        "commitment": choice("one_off", "series", "ongoing", "residential", "no_preference"),
        "setting": choice(
            "in_person_only", "prefer_in_person", "prefer_online", "online_only", "no_preference"
        ),
        "location": st.sampled_from(LOCATIONS),
        "max_distance_km": st.none() | st.integers(0, 300) | st.floats(0, 300),
        "languages": st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True),
        "max_cost_eur": st.none() | st.integers(0, 500),
    },
)

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_never_raises_and_stays_within_bounds(matcher: Matcher, data: dict[str, Any]) -> None:
    rec = matcher.recommend(Answers.model_validate(data), limit=5)
    assert 1 <= len(rec.formats) <= 7
    assert len(rec.groups) <= 5
    for result in rec.groups + rec.near_misses:
        assert 0 <= result.match <= 100
        assert result.distance_km is None or result.distance_km >= 0


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_deterministic(matcher: Matcher, data: dict[str, Any]) -> None:
    answers = Answers.model_validate(data)
    assert to_json(matcher.recommend(answers), matcher.catalog) == to_json(
        matcher.recommend(answers), matcher.catalog
    )


@PROPERTY_SETTINGS
@given(data=answer_dicts, seed=st.randoms(use_true_random=False))
def test_order_of_lists_is_irrelevant(matcher: Matcher, data: dict[str, Any], seed: Any) -> None:
    shuffled = dict(data)
    for key in ("needs", "topics", "languages"):
        if key in shuffled:
            shuffled[key] = seed.sample(shuffled[key], len(shuffled[key]))
    one = to_json(matcher.recommend(Answers.model_validate(data)), matcher.catalog)
    two = to_json(matcher.recommend(Answers.model_validate(shuffled)), matcher.catalog)
    assert one == two


@PROPERTY_SETTINGS
@given(data=answer_dicts, need=st.sampled_from(NEEDS))
def test_adding_a_need_never_lowers_a_format_that_serves_it(
    matcher: Matcher, catalog: Catalog, data: dict[str, Any], need: str
) -> None:
    before = {r.format.id: r for r in matcher.rank_formats(Answers.model_validate(data))}
    more = {**data, "needs": list(dict.fromkeys([*data["needs"], need]))}
    after = {r.format.id: r for r in matcher.rank_formats(Answers.model_validate(more))}
    for format_id, fmt in catalog.formats.items():
        if fmt.needs.get(need, 0) > 0:  # type: ignore[call-overload]
            assert format_id in after, (format_id, need)
            if format_id in before:
                assert after[format_id].score >= before[format_id].score, (format_id, need)
                assert after[format_id].match >= before[format_id].match, (format_id, need)


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_group_scores_are_the_sum_of_their_reasons(matcher: Matcher, data: dict[str, Any]) -> None:
    rec = matcher.recommend(Answers.model_validate(data), limit=5)
    for result in rec.groups + rec.near_misses:
        assert abs(result.score - sum(r.points for r in result.reasons)) < 0.06


def _strength(fmt: Any, answers: Answers) -> int:
    return sum(int(fmt.needs.get(n, 0)) for n in answers.needs)


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_needs_before_preferences(matcher: Matcher, data: dict[str, Any]) -> None:
    """Not at risk, a kind that serves the needs more strongly always ranks higher."""
    answers = Answers.model_validate({**data, "risk": "none"})
    ranked = matcher.rank_formats(answers)
    strengths = [_strength(r.format, answers) for r in ranked]
    assert strengths == sorted(strengths, reverse=True), [r.format.id for r in ranked]
    assert all(s > 0 for s in strengths), "every kind shown serves a need"


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_at_risk_therapy_comes_before_formats_without_a_professional_lead(
    matcher: Matcher, data: dict[str, Any]
) -> None:
    answers = Answers.model_validate({**data, "risk": "thoughts"})
    ranked = matcher.rank_formats(answers)
    ids = [r.format.id for r in ranked]
    therapy = ids.index("therapy_group")
    assert all(r.format.professional_only for r in ranked[:therapy]), ids
    rec = matcher.recommend(answers)
    assert rec.crisis_help
    assert rec.notices[0].id == "professional_help_first"


def _excluded(matcher: Matcher, answers: Answers, rec: Any, result: Any) -> list[str]:
    """The limits a shown group breaks, computed here from the contract, not the matcher."""
    group, broken = result.group, []
    if not set(group.languages) & set(answers.languages):
        broken.append("language")
    if answers.setting == "in_person_only" and group.setting == "online":
        broken.append("setting")
    if answers.setting == "online_only" and group.setting == "in_person":
        broken.append("setting")
    limit = answers.max_distance_km
    in_room = group.setting == "in_person" or (
        group.setting == "hybrid" and answers.setting == "in_person_only"
    )
    far = limit is not None and result.distance_km is not None
    if far and in_room and result.distance_km > limit + 0.05:  # type: ignore[operator]
        broken.append("distance")
    budget = answers.max_cost_eur
    if budget is not None:
        if group.cost_eur is None and budget == 0:
            broken.append("cost")
        if group.cost_eur is not None and group.cost_eur > budget:
            broken.append("cost")
    if group.restricted_to and not set(group.restricted_to) & set(answers.audiences):
        broken.append("audience")
    if group.for_whom == "relatives" and answers.for_whom == "self":
        broken.append("for_whom")
    if group.for_whom == "self" and answers.for_whom == "someone_close":
        broken.append("for_whom")
    if answers.age_band is not None and (group.age_min is not None or group.age_max is not None):
        low, high = {"under_18": (0, 17), "18_25": (18, 25), "26_54": (26, 54)}.get(
            answers.age_band, (55, 150)
        )
        if (group.age_min or 0) > high or (
            group.age_max if group.age_max is not None else 200
        ) < low:
            broken.append("age")
    return broken


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_limits_are_limits(matcher: Matcher, data: dict[str, Any]) -> None:
    """No excluded group among the results; a near miss breaks exactly the limit it names."""
    answers = Answers.model_validate(data)
    rec = matcher.recommend(answers, limit=20)
    for result in rec.groups:
        assert _excluded(matcher, answers, rec, result) == [], result.group.id
        assert result.score > 0
    for result in rec.near_misses:
        assert _excluded(matcher, answers, rec, result) == [result.missed_rule], result.group.id


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_a_result_serves_the_person(
    matcher: Matcher, catalog: Catalog, data: dict[str, Any]
) -> None:
    answers = Answers.model_validate(data)
    rec = matcher.recommend(answers, limit=20)
    for result in (*rec.groups, *rec.near_misses):
        fmt = catalog.formats[result.group.format]
        therapy_at_risk = answers.at_risk and fmt.id in ("therapy_group", "art_therapy_psychodrama")
        assert _strength(fmt, answers) > 0 or therapy_at_risk
        if answers.topics:
            assert set(result.group.topics) & {*answers.topics, "general"}


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_topic_before_distance(matcher: Matcher, data: dict[str, Any]) -> None:
    """Within the limits, a group on the person's topic ranks above an open group of its kind
    that is no better in any other way than being nearer."""
    answers = Answers.model_validate(data)
    rec = matcher.recommend(answers, limit=200)
    if not answers.topics:
        return
    for n, upper in enumerate(rec.groups):
        for lower in rec.groups[n + 1 :]:
            on_topic = bool(set(lower.group.topics) & set(answers.topics))
            if on_topic and not set(upper.group.topics) & set(answers.topics):
                reasons = {r.rule: r.points for r in upper.reasons}
                other = {r.rule: r.points for r in lower.reasons}
                # The open group only wins on points other than topic and distance.
                gain = sum(v for k, v in reasons.items() if k not in ("topics", "distance"))
                loss = sum(v for k, v in other.items() if k not in ("topics", "distance"))
                assert gain > loss, (upper.group.id, lower.group.id)


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_language_never_changes_the_order(matcher: Matcher, data: dict[str, Any]) -> None:
    base = {**data, "languages": data.get("languages", ["nl"])}
    orders = set()
    for language in LANGUAGES:
        rec = matcher.recommend(Answers.model_validate({**base, "language": language}))
        orders.add(
            (
                tuple((r.format.id, r.score, r.match) for r in rec.formats),
                tuple((r.group.id, r.score, r.match) for r in rec.groups),
                tuple(r.group.id for r in rec.near_misses),
            )
        )
    assert len(orders) == 1


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_six_needs_do_not_dilute_the_match(matcher: Matcher, data: dict[str, Any]) -> None:
    answers = Answers.model_validate({**data, "needs": list(NEEDS), "risk": "none"})
    best = matcher.rank_formats(answers)[0]
    assert best.match >= 60


@PROPERTY_SETTINGS
@given(data=answer_dicts, pick=st.integers(0, 10_000))
def test_a_stale_twin_ranks_right_after_its_fresh_twin(
    catalog: Catalog, places: PlaceIndex, data: dict[str, Any], pick: int
) -> None:
    """Staleness only breaks ties: a copy of a group whose details are old ranks right after
    the group (only equal, fresh groups between them) and above every worse fit."""
    answers = Answers.model_validate(data)
    today = dt.date(2026, 12, 1)
    fresh = Matcher(catalog, places, today=today).recommend(answers, limit=400).groups
    if not fresh:
        return
    original = fresh[pick % len(fresh)].group
    twin = original.model_copy(update={"id": "zz-stale-twin", "last_verified": dt.date(2020, 1, 1)})
    both = dataclasses.replace(catalog, groups=[*catalog.groups, twin])
    ranked = Matcher(both, places, today=today).recommend(answers, limit=401).groups
    ids = [r.group.id for r in ranked]
    first, second = ids.index(original.id), ids.index(twin.id)
    assert first < second
    assert ranked[first].score == ranked[second].score
    assert all(r.score == ranked[second].score for r in ranked[first:second])
    assert all(r.score <= ranked[second].score for r in ranked[second:])
