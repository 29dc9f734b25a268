"""Properties of the matcher that must hold for every valid set of answers."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupfinder.engine.catalog import Catalog
from groupfinder.engine.matcher import Matcher
from groupfinder.engine.models import LANGUAGES, NEEDS, Answers
from groupfinder.engine.report import to_json

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
        "in_crisis": st.booleans(),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=4, unique=True),
        "group_size": choice("small", "medium", "large", "no_preference"),
        "leadership": choice("professional", "trained", "peer", "no_preference"),
        "structure": choice("structured", "open", "no_preference"),
        "commitment": choice("one_off", "series", "ongoing", "residential", "no_preference"),
        "setting": choice("in_person", "online", "no_preference"),
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
    assert len(rec.formats) == 7
    assert len(rec.groups) <= 5
    for result in rec.groups + rec.near_misses:
        assert 0 <= result.match <= 100
        assert result.distance_km is None or result.distance_km >= 0


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_deterministic(matcher: Matcher, data: dict[str, Any]) -> None:
    answers = Answers.model_validate(data)
    assert to_json(matcher.recommend(answers)) == to_json(matcher.recommend(answers))


@PROPERTY_SETTINGS
@given(data=answer_dicts, seed=st.randoms(use_true_random=False))
def test_order_of_lists_is_irrelevant(matcher: Matcher, data: dict[str, Any], seed: Any) -> None:
    shuffled = dict(data)
    for key in ("needs", "topics", "languages"):
        if key in shuffled:
            shuffled[key] = seed.sample(shuffled[key], len(shuffled[key]))
    one = to_json(matcher.recommend(Answers.model_validate(data)))
    two = to_json(matcher.recommend(Answers.model_validate(shuffled)))
    assert one == two


@PROPERTY_SETTINGS
@given(data=answer_dicts, need=st.sampled_from(NEEDS))
def test_adding_a_need_never_lowers_a_format_that_serves_it(
    matcher: Matcher, catalog: Catalog, data: dict[str, Any], need: str
) -> None:
    before = {r.format.id: r.score for r in matcher.rank_formats(Answers.model_validate(data))}
    more = {**data, "needs": [*data["needs"], need]}
    after = {r.format.id: r.score for r in matcher.rank_formats(Answers.model_validate(more))}
    for format_id, fmt in catalog.formats.items():
        if fmt.needs.get(need, 0) > 0:  # type: ignore[call-overload]
            assert after[format_id] >= before[format_id], (format_id, need)


@PROPERTY_SETTINGS
@given(data=answer_dicts)
def test_group_scores_are_the_sum_of_their_reasons(matcher: Matcher, data: dict[str, Any]) -> None:
    rec = matcher.recommend(Answers.model_validate(data), limit=5)
    for result in rec.groups + rec.near_misses:
        assert abs(result.score - sum(r.points for r in result.reasons)) < 0.06
