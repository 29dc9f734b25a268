"""The matcher as a whole: the seed table as tests, limits, near misses, ordering, crisis help."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog
from groupfinder.matching.matcher import LocationError, Matcher, Recommendation, locate
from helpers import MakeCatalog, answers, row

# ------------------------------------------------------------------ the seed table as tests


@pytest.mark.parametrize(
    ("values", "first"),
    [
        ({"needs": ["creativity"]}, "art_therapy_psychodrama"),
        ({"needs": ["rest"]}, "wellness_retreat"),
        ({"needs": ["recognition"], "leadership": "peer", "structure": "open"}, "talk_group"),
        (
            {
                "needs": ["recognition"],
                "leadership": "peer",
                "structure": "structured",
                "commitment": "ongoing",
            },
            "support_group",
        ),
        (
            {"needs": ["therapy"], "leadership": "professional", "structure": "structured"},
            "therapy_group",
        ),
        ({"needs": ["learning"]}, "workshop"),
        ({"needs": ["growth"]}, "personal_development"),
    ],
)
def test_seed_table(matcher: Matcher, values: dict[str, Any], first: str) -> None:
    ranking = matcher.rank_formats(answers(**values))
    assert ranking[0].format.id == first
    assert ranking[0].score > ranking[1].score, "the first place is not a tie"


def test_the_kinds_that_serve_a_need_are_ranked_with_reasons_that_add_up(
    matcher: Matcher, catalog: Catalog
) -> None:
    ranking = matcher.rank_formats(
        answers(
            needs=["therapy", "rest"],
            leadership="trained",
            structure="open",
            group_size="large",
            commitment="series",
        )
    )
    serving = {
        f.id for f in catalog.formats.values() if f.needs.get("therapy") or f.needs.get("rest")
    }
    assert {r.format.id for r in ranking} == serving
    assert len(serving) < 7
    for result in ranking:
        assert result.score == pytest.approx(sum(r.points for r in result.reasons))
        assert 0 <= result.match <= 100
        assert all(r.text for r in result.reasons)
    assert [r.score for r in ranking] == sorted((r.score for r in ranking), reverse=True)


# ------------------------------------------------------------------ groups


def recommend(matcher: Matcher, limit: int = 10, **values: Any) -> Recommendation:
    return matcher.recommend(answers(**values), limit=limit)


def test_every_point_of_a_group_has_a_reason(matcher: Matcher) -> None:
    rec = recommend(
        matcher,
        limit=50,
        needs=["therapy", "recognition"],
        topics=["grief"],
        location="51.05,3.72",
        setting="in_person_only",
        group_size="small",
        leadership="professional",
        max_cost_eur=40,
        language="fr",
    )
    assert rec.groups
    for result in rec.groups + rec.near_misses:
        assert result.score == pytest.approx(sum(r.points for r in result.reasons), abs=0.05)
        assert all(r.text for r in result.reasons)
        assert 0 <= result.match <= 100


def test_groups_are_ordered_best_first(matcher: Matcher) -> None:
    rec = recommend(matcher, limit=100, needs=["recognition"], location="51.05,3.72")
    keys = [
        (
            -r.score,
            any(reason.rule == "freshness" for reason in r.reasons),
            r.distance_km if r.distance_km is not None else float("inf"),
            r.group.id,
        )
        for r in rec.groups
    ]
    assert keys == sorted(keys)


def test_ties_break_on_distance_then_id_never_on_a_name(make_catalog: MakeCatalog) -> None:
    here = {"latitude": "51.05", "longitude": "3.72"}
    catalog = make_catalog(
        [
            row(id="z", name="Beta", **here),
            row(id="a", name="Beta", **here),
            row(id="m", name="Alpha", **here),
            row(id="far", name="Aardvark", latitude="51.06", longitude="3.72"),
        ]
    )
    rec = Matcher(catalog).recommend(answers(location="51.05,3.72", needs=["recognition"]))
    distance_points = [r.score for r in rec.groups]
    assert [r.group.id for r in rec.groups][:3] == ["a", "m", "z"]
    assert rec.groups[3].group.id == "far"
    assert distance_points[0] == distance_points[2]


def test_equal_scores_break_on_distance_before_name(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="a", name="A online", setting="online", latitude="", longitude="", postcode=""),
            row(id="b", name="B here"),
        ]
    )
    # Without a location there are no distance points: equal scores, and the group with a
    # known distance... there is none, so the id decides.
    rec = Matcher(catalog).recommend(answers(needs=["recognition"]))
    assert [r.group.id for r in rec.groups] == ["a", "b"]


def test_hard_limits_exclude_and_near_misses_say_why(matcher: Matcher) -> None:
    rec = recommend(
        matcher,
        needs=["therapy"],
        location="51.05,3.72",
        max_distance_km=10,
        languages=["nl"],
        max_cost_eur=30,
        language="en",
    )
    for result in rec.groups:
        group = result.group
        assert "nl" in group.languages
        assert group.cost_eur is None or group.cost_eur <= 30
        if group.setting == "in_person":
            assert result.distance_km is not None
            assert result.distance_km <= 10
    assert rec.near_misses
    for miss in rec.near_misses:
        assert miss.missed
        assert any(word in miss.missed for word in ("km away", "Costs", "Only in"))


def test_near_misses_fail_exactly_one_limit(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="ok"),
            row(id="french", languages="fr"),
            row(id="french-and-dear", languages="fr", cost_eur="90"),
        ]
    )
    rec = Matcher(catalog).recommend(answers(languages=["nl"], max_cost_eur=20, language="en"))
    assert [r.group.id for r in rec.groups] == ["ok"]
    assert [r.group.id for r in rec.near_misses] == ["french"]
    assert rec.near_misses[0].missed == "Only in French, which you did not choose"


def test_online_groups_have_no_distance_and_are_never_cut(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="online", setting="online", latitude="", longitude="", postcode=""),
            row(id="far", latitude="53.2", longitude="6.56", country="NL"),
        ]
    )
    rec = Matcher(catalog).recommend(answers(location="51.05,3.72", max_distance_km=5))
    assert [(r.group.id, r.distance_km) for r in rec.groups] == [("online", None)]
    assert [r.group.id for r in rec.near_misses] == ["far"]


def test_distance_is_null_without_a_location(matcher: Matcher) -> None:
    rec = recommend(matcher, needs=["rest"], max_distance_km=5)
    assert rec.origin is None
    assert all(r.distance_km is None for r in rec.groups)
    assert rec.groups, "without a location, no group is cut by distance"


def test_nearer_groups_rank_higher_all_else_equal(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="far", name="A", latitude="51.20", longitude="3.72"),
            row(id="near", name="B", latitude="51.06", longitude="3.72"),
        ]
    )
    rec = Matcher(catalog).recommend(answers(location="51.05,3.72"))
    assert [r.group.id for r in rec.groups] == ["near", "far"]
    assert rec.groups[0].distance_km == pytest.approx(1.1, abs=0.1)


def test_topic_match_lifts_a_group(matcher: Matcher) -> None:
    rec = recommend(matcher, needs=["recognition"], topics=["addiction"])
    assert "addiction" in rec.groups[0].group.topics


def test_limit(matcher: Matcher) -> None:
    assert len(recommend(matcher, limit=3, needs=["rest"]).groups) == 3
    assert recommend(matcher, limit=3, needs=["rest"]).total_matches > 3


def test_crisis_help_comes_for_the_persons_country(matcher: Matcher) -> None:
    rec = recommend(matcher, needs=["therapy"], risk="acute", location="Amsterdam")
    assert {h.country for h in rec.crisis_help} == {"NL", "EU"}
    assert rec.crisis_help[0].crisis
    rec = recommend(matcher, needs=["therapy"], risk="thoughts")
    assert {h.country for h in rec.crisis_help} == {"BE", "NL", "EU"}
    assert recommend(matcher, needs=["therapy"]).crisis_help == ()


# ------------------------------------------------------------------ locations


def test_location_as_coordinates_postcode_or_town(places: PlaceIndex) -> None:
    origin = locate("51.05, 3.72", places)
    assert origin is not None
    assert (origin.latitude, origin.longitude) == (51.05, 3.72)
    gent = locate("9000", places)
    assert gent is not None
    assert gent.label == "Gent"
    assert gent.country == "BE"
    assert locate(None, places) is None


def test_unknown_and_ambiguous_locations_raise_with_candidates(places: PlaceIndex) -> None:
    with pytest.raises(LocationError, match="did you mean") as caught:
        locate("Gnet", places)
    assert caught.value.problems[0].field == "location"
    with pytest.raises(LocationError, match="matches several places"):
        locate("Bergen", places)


def test_a_location_yields_distances_from_that_place(matcher: Matcher) -> None:
    rec = recommend(matcher, needs=["recognition"], location="Leuven", language="en")
    assert rec.origin is not None
    assert rec.origin.label == "Leuven"
    nearest = rec.groups[0]
    assert nearest.distance_km is not None
    texts = [r.text for r in nearest.reasons]
    assert any(t.endswith("km from Leuven") for t in texts)


def test_catalog_without_groups_still_ranks_formats(
    make_catalog: MakeCatalog, catalog: Catalog
) -> None:
    empty = Matcher(make_catalog([]))
    rec = empty.recommend(answers(needs=["rest"]))
    assert rec.groups == ()
    assert rec.near_misses == ()
    assert rec.formats[0].format.id == "wellness_retreat"


def test_a_stale_twin_ranks_right_after_its_fresh_twin(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [
            row(id="a-stale", last_verified="2024-01-01"),
            row(id="b-worse", last_verified="2026-10-01", cost_eur="5"),
            row(id="c-fresh", last_verified="2026-10-01"),
        ]
    )
    rec = Matcher(catalog, today=dt.date(2026, 12, 1)).recommend(
        answers(needs=["recognition"], location="51.0543,3.7174")
    )
    assert [r.group.id for r in rec.groups] == ["c-fresh", "a-stale", "b-worse"]
    stale_reasons = [r for r in rec.groups[1].reasons if r.rule == "freshness"]
    assert stale_reasons and stale_reasons[0].points == 0
