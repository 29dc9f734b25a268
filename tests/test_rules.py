"""One test per rule: the points it gives and the sentence that explains them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog
from groupfinder.domain.words import Reason
from groupfinder.matching import rules
from groupfinder.matching.geo import Origin
from groupfinder.matching.matcher import Matcher
from groupfinder.matching.rules import GroupRule
from helpers import MakeCatalog, answers, row

GENT = Origin(51.0543, 3.7174, "Gent", "BE")
TODAY = dt.date(2026, 11, 21)

# ------------------------------------------------------------------ format rules


def format_scored(
    catalog: Catalog, rule: rules.FormatRule, format_id: str, **values: Any
) -> rules.Scored:
    return rule(answers(**values), catalog.formats[format_id], catalog)


def format_reason(
    catalog: Catalog, rule: rules.FormatRule, format_id: str, **values: Any
) -> Reason:
    reason = format_scored(catalog, rule, format_id, **values).reason
    assert reason is not None
    return reason


def test_needs_served_counts_each_need_by_strength(catalog: Catalog) -> None:
    reason = format_reason(
        catalog,
        rules.needs_served,
        "therapy_group",
        language="en",
        needs=["therapy", "recognition"],
    )
    assert reason.points == (3 + 1) * rules.NEED_POINTS
    assert reason.text == "Serves your need for therapy (strongly) and recognition (a little)"
    two = format_reason(catalog, rules.needs_served, "workshop", needs=["rest", "growth"])
    assert two.points == 1 * rules.NEED_POINTS


def test_needs_served_says_when_a_format_does_not_focus_on_the_needs(catalog: Catalog) -> None:
    reason = format_reason(catalog, rules.needs_served, "workshop", language="en", needs=["rest"])
    assert reason.points == 0
    assert reason.text.startswith("Does not focus on rest")


def test_professional_first_only_at_risk(catalog: Catalog) -> None:
    calm = format_scored(catalog, rules.professional_first, "therapy_group", needs=["rest"])
    assert calm == rules.Scored(None, 0.0)
    therapy = format_reason(
        catalog, rules.professional_first, "therapy_group", needs=["rest"], risk="thoughts"
    )
    retreat = format_reason(
        catalog, rules.professional_first, "wellness_retreat", language="en", risk="acute"
    )
    assert therapy.points == 3 * rules.RISK_POINTS
    assert retreat.points == 0
    assert retreat.text == "Alongside care, not instead of it"


def test_topic_link_follows_the_seed(catalog: Catalog) -> None:
    linked = format_reason(
        catalog, rules.topic_link, "support_group", language="en", topics=["grief"]
    )
    assert (linked.points, linked.text) == (rules.FORMAT_TOPIC_POINTS, "Often chosen for grief")
    # Therapy groups are linked to eating disorders, but a format that serves none of the
    # needs gets no points for its topic.
    unserved = format_scored(
        catalog, rules.topic_link, "therapy_group", needs=["creativity"], topics=["eating_disorder"]
    )
    assert unserved == rules.Scored(None, rules.FORMAT_TOPIC_POINTS)
    unlinked = format_scored(catalog, rules.topic_link, "therapy_group", topics=["loneliness"])
    assert unlinked == rules.Scored(None, 0.0)


def test_leadership_fits(catalog: Catalog) -> None:
    hit = format_reason(
        catalog, rules.leadership_fits, "talk_group", language="en", leadership="peer"
    )
    miss = format_reason(
        catalog, rules.leadership_fits, "therapy_group", language="en", leadership="peer"
    )
    assert (hit.points, miss.points) == (rules.LEADERSHIP_POINTS, -rules.LEADERSHIP_POINTS)
    assert hit.text.endswith("as you prefer")
    assert "you prefer peers with lived experience" in miss.text
    assert format_scored(catalog, rules.leadership_fits, "talk_group").reason is None


def test_structure_fits(catalog: Catalog) -> None:
    def points(format_id: str, wanted: str) -> float:
        return format_reason(catalog, rules.structure_fits, format_id, structure=wanted).points

    assert points("therapy_group", "structured") == rules.STRUCTURE_POINTS
    assert points("talk_group", "structured") == -rules.STRUCTURE_POINTS
    assert points("talk_group", "open") == rules.STRUCTURE_POINTS
    assert points("support_group", "open") == rules.STRUCTURE_PARTLY_POINTS
    assert format_scored(catalog, rules.structure_fits, "talk_group").reason is None


def test_commitment_fits(catalog: Catalog) -> None:
    hit = format_reason(
        catalog, rules.commitment_fits, "wellness_retreat", language="en", commitment="residential"
    )
    miss = format_reason(
        catalog, rules.commitment_fits, "wellness_retreat", language="en", commitment="ongoing"
    )
    assert (hit.points, miss.points) == (rules.COMMITMENT_POINTS, rules.COMMITMENT_MISS_POINTS)
    assert "a stay of several days" in miss.text


def test_size_fits(catalog: Catalog) -> None:
    hit = format_reason(catalog, rules.size_fits, "art_therapy_psychodrama", group_size="small")
    miss = format_reason(catalog, rules.size_fits, "art_therapy_psychodrama", group_size="large")
    assert (hit.points, miss.points) == (rules.FORMAT_SIZE_POINTS, rules.FORMAT_SIZE_MISS_POINTS)


def test_preferences_together_weigh_less_than_one_level_of_need() -> None:
    assert rules.PREFERENCE_SWING < rules.NEED_POINTS
    assert rules.FULL_STRENGTH * rules.NEED_POINTS < 3 * rules.RISK_POINTS


def test_rules_are_listed_once() -> None:
    assert len(set(rules.FORMAT_RULES)) == len(rules.FORMAT_RULES)
    assert len({r.name for r in rules.GROUP_RULES}) == len(rules.GROUP_RULES)
    assert len({lim.name for lim in rules.LIMITS}) == len(rules.LIMITS)


# ------------------------------------------------------------------ group rules


def group_points(
    make_catalog: MakeCatalog,
    rule: GroupRule,
    cells: list[dict[str, str]],
    origin: Origin | None = GENT,
    **values: Any,
) -> list[tuple[float, str | None]]:
    """Points and sentence of ``rule`` for each row, as the matcher computes them."""
    catalog = make_catalog([row(id=f"g{i}", **c) for i, c in enumerate(cells)])
    matcher = Matcher(catalog, today=TODAY)
    person = answers(**{"language": "en", **values})
    ctx = matcher.context(person, matcher.rank_formats(person), origin)
    column, cases = rule.points(ctx, matcher.table)
    return [
        (float(column[i]), rule.reason(ctx, g, i, int(cases[i]), float(column[i])) or None)
        for i, g in enumerate(catalog.groups)
    ]


def rule(name: str) -> GroupRule:
    return next(r for r in rules.GROUP_RULES if r.name == name)


def test_format_fit_scales_with_the_format_match(make_catalog: MakeCatalog) -> None:
    result = group_points(
        make_catalog,
        rule("format"),
        [{"format": "wellness_retreat"}, {"format": "workshop"}],
        needs=["rest"],
    )
    (retreat, retreat_text), (workshop, _) = result
    assert retreat == pytest.approx(rules.FORMAT_FIT_POINTS)
    assert workshop < retreat
    assert retreat_text == "A wellness retreat: 100% match for what you are looking for"


def test_topic_points(make_catalog: MakeCatalog) -> None:
    cells = [{"topics": "grief;trauma"}, {"topics": "general"}, {"topics": "burnout"}]
    result = group_points(make_catalog, rule("topics"), cells, topics=["grief"])
    assert result == [
        (rules.TOPIC_POINTS, "About grief"),
        (rules.TOPIC_OPEN_POINTS, "Open to any theme"),
        (0.0, None),  # another topic: no result at all (see test_matcher)
    ]
    assert group_points(make_catalog, rule("topics"), cells) == [(0.0, None)] * 3


def test_topic_outweighs_distance_and_every_preference() -> None:
    most_else = (
        rules.FORMAT_FIT_POINTS
        + rules.GROUP_RISK_POINTS
        + rules.DISTANCE_POINTS
        + 2 * rules.GROUP_LEADERSHIP_POINTS
        + 2 * rules.GROUP_SIZE_POINTS
        + 2 * rules.SETTING_POINTS
        + rules.DROP_IN_POINTS
        + rules.FREE_POINTS
    )
    assert rules.TOPIC_POINTS - rules.TOPIC_OPEN_POINTS > rules.DISTANCE_POINTS
    assert rules.TOPIC_POINTS + most_else > 0


def test_risk_points_for_professionally_led_groups(make_catalog: MakeCatalog) -> None:
    cells = [{"leadership": "professional"}, {"leadership": "peer"}]
    result = group_points(make_catalog, rule("risk"), cells, risk="thoughts")
    assert result == [
        (rules.GROUP_RISK_POINTS, "Led by a professional, which matters most right now"),
        (0.0, "Alongside care, not instead of it"),
    ]
    assert group_points(make_catalog, rule("risk"), cells) == [(0.0, None)] * 2


def test_leadership_points(make_catalog: MakeCatalog) -> None:
    result = group_points(
        make_catalog,
        rule("leadership"),
        [{"leadership": "peer"}, {"leadership": "professional"}],
        leadership="peer",
    )
    assert [p for p, _ in result] == [rules.GROUP_LEADERSHIP_POINTS, -rules.GROUP_LEADERSHIP_POINTS]
    assert result[1][1] is not None
    assert result[1][1].startswith("Led by a professional")


def test_size_points(make_catalog: MakeCatalog) -> None:
    cells = [
        {"size_min": "4", "size_max": "8"},
        {"size_min": "20", "size_max": "40"},
        {"size_min": "", "size_max": ""},
    ]
    result = group_points(make_catalog, rule("size"), cells, group_size="small")
    assert [p for p, _ in result] == [rules.GROUP_SIZE_POINTS, -rules.GROUP_SIZE_POINTS, 0.0]
    assert result[2][1] == "Group size not listed"


def test_distance_decays_smoothly_and_says_from_where(make_catalog: MakeCatalog) -> None:
    cells = [
        {},
        {"latitude": "51.2194", "longitude": "4.4025", "city": "Antwerpen"},
        {"setting": "online", "latitude": "", "longitude": "", "postcode": ""},
    ]
    (near, near_text), (far, far_text), (online, online_text) = group_points(
        make_catalog, rule("distance"), cells
    )
    assert near == pytest.approx(rules.DISTANCE_POINTS, abs=0.01)
    assert far == pytest.approx(rules.DISTANCE_POINTS * 2.71828 ** (-51 / 20), abs=0.3)
    assert (online, online_text) == (0.0, None)
    assert near_text == "0 km from Gent"
    assert far_text is not None
    assert far_text.endswith("km from Gent")
    assert group_points(make_catalog, rule("distance"), cells, origin=None)[1] == (0.0, None)


def test_a_hybrid_group_beyond_reach_is_joined_online(make_catalog: MakeCatalog) -> None:
    cells = [{"setting": "hybrid", "latitude": "52.37", "longitude": "4.89", "country": "NL"}]
    ((points, text),) = group_points(make_catalog, rule("distance"), cells, max_distance_km=30)
    assert points == 0.0
    assert text is not None
    assert text.endswith("km away: you would join online")


def test_language_is_a_limit_with_a_sentence_and_no_points(make_catalog: MakeCatalog) -> None:
    result = group_points(
        make_catalog,
        rule("language"),
        [{"languages": "en;nl"}, {"languages": "fr"}],
        language="en",
        languages=["en", "fr"],
    )
    assert result == [
        (0.0, "In English, which you can follow"),
        (0.0, "In French, which you can follow"),
    ]


def test_setting_points(make_catalog: MakeCatalog) -> None:
    cells = [
        {"setting": "in_person"},
        {"setting": "hybrid"},
        {"setting": "online", "latitude": "", "longitude": "", "postcode": ""},
        {"setting": "hybrid", "latitude": "52.37", "longitude": "4.89", "country": "NL"},
    ]
    result = group_points(
        make_catalog, rule("setting"), cells, setting="prefer_in_person", max_distance_km=30
    )
    assert [p for p, _ in result] == [
        rules.SETTING_POINTS,
        rules.SETTING_HYBRID_POINTS,
        -rules.SETTING_POINTS,
        -rules.SETTING_POINTS,
    ]
    assert result[3][1] == "Meets online; you prefer in person"
    online = group_points(make_catalog, rule("setting"), cells, setting="online_only")
    assert [p for p, _ in online] == [
        -rules.SETTING_POINTS,
        rules.SETTING_HYBRID_POINTS,
        rules.SETTING_POINTS,
        rules.SETTING_HYBRID_POINTS,
    ]


def test_who_a_group_is_for_is_said(make_catalog: MakeCatalog) -> None:
    cells = [
        {"restricted_to": "women"},
        {"for_whom": "relatives"},
        {"age_min": "18", "age_max": "25"},
        {},
    ]
    result = group_points(
        make_catalog, rule("audience"), cells, audiences=["women"], for_whom="someone_close"
    )
    assert [t for _, t in result] == [
        "Only for women, as you said you are",
        "For relatives, partners and friends, like you",
        "Ages 18 to 25: check that this fits you",
        None,
    ]
    assert all(p == 0.0 for p, _ in result)


def test_drop_in_points(make_catalog: MakeCatalog) -> None:
    cells = [{"drop_in": "yes"}, {"drop_in": "no"}]
    result = group_points(make_catalog, rule("drop_in"), cells, commitment="one_off")
    assert result == [(rules.DROP_IN_POINTS, "You can drop in without signing up"), (0.0, None)]
    assert [
        p for p, _ in group_points(make_catalog, rule("drop_in"), cells, commitment="ongoing")
    ] == [0.0, 0.0]


def test_cost_points(make_catalog: MakeCatalog) -> None:
    cells = [{"cost_eur": "0"}, {"cost_eur": "15"}, {"cost_eur": ""}, {"cost_eur": "40"}]
    result = group_points(make_catalog, rule("cost"), cells, max_cost_eur=20)
    assert result == [
        (rules.FREE_POINTS, "Free"),
        (rules.IN_BUDGET_POINTS, "€15 per session, within your budget"),
        (0.0, "Cost not listed: ask the group"),
        (0.0, "€40 per session"),
    ]


def test_staleness_gives_no_points_but_is_always_said(make_catalog: MakeCatalog) -> None:
    cells = [
        {"last_verified": "2025-11-01"},
        {"last_verified": "2025-12-01"},
        {"last_verified": ""},
    ]
    result = group_points(make_catalog, rule("freshness"), cells)
    assert result == [
        (0.0, "Details last checked on 1 November 2025: ask whether they still hold"),
        (0.0, None),
        (0.0, None),
    ]


# ------------------------------------------------------------------ hard limits


def limit_misses(
    make_catalog: MakeCatalog, name: str, cells: list[dict[str, str]], **values: Any
) -> list[float]:
    catalog = make_catalog([row(id=f"g{i}", **c) for i, c in enumerate(cells)])
    matcher = Matcher(catalog)
    person = answers(**values)
    ctx = matcher.context(person, matcher.rank_formats(person), GENT)
    limit = next(lim for lim in rules.LIMITS if lim.name == name)
    return [round(float(x), 3) for x in limit.miss(ctx, matcher.table)]


def limit_fails(
    make_catalog: MakeCatalog, name: str, cells: list[dict[str, str]], **values: Any
) -> list[bool]:
    return [m > 0 for m in limit_misses(make_catalog, name, cells, **values)]


def test_language_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"languages": "fr"}, {"languages": "fr;nl"}]
    assert limit_fails(make_catalog, "language", cells, languages=["nl"]) == [True, False]


FAR = {"latitude": "52.37", "longitude": "4.89", "country": "NL"}
ONLINE = {"setting": "online", "latitude": "", "longitude": "", "postcode": ""}


def test_distance_limit_cuts_groups_met_in_person(make_catalog: MakeCatalog) -> None:
    cells = [FAR, {**FAR, "setting": "hybrid"}, ONLINE, {}]
    assert limit_fails(make_catalog, "distance", cells, max_distance_km=25) == [
        True,
        False,  # a hybrid group beyond reach is an online group for this person...
        False,
        False,
    ]
    # ...unless they only want to meet in person.
    assert limit_fails(
        make_catalog, "distance", cells, max_distance_km=25, setting="in_person_only"
    ) == [True, True, False, False]
    assert limit_fails(make_catalog, "distance", cells) == [False] * 4


def test_distance_misses_are_measured(make_catalog: MakeCatalog) -> None:
    antwerp = {"latitude": "51.2194", "longitude": "4.4025"}  # about 51 km from Gent
    small, large = limit_misses(make_catalog, "distance", [antwerp, FAR], max_distance_km=45)
    assert 0 < small < large


def test_setting_limit(make_catalog: MakeCatalog) -> None:
    cells = [{}, {"setting": "hybrid"}, ONLINE]
    assert limit_fails(make_catalog, "setting", cells, setting="in_person_only") == [
        False,
        False,
        True,
    ]
    assert limit_fails(make_catalog, "setting", cells, setting="online_only") == [
        True,
        False,
        False,
    ]
    assert limit_fails(make_catalog, "setting", cells, setting="prefer_online") == [False] * 3


def test_cost_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"cost_eur": "0"}, {"cost_eur": "30"}, {"cost_eur": ""}]
    assert limit_fails(make_catalog, "cost", cells, max_cost_eur=20) == [False, True, False]
    # Free only: a group that lists no price is a (small) miss: ask.
    free_only = limit_misses(make_catalog, "cost", cells, max_cost_eur=0)
    assert free_only[0] == 0
    assert 0 < free_only[2] < free_only[1]


def test_audience_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"restricted_to": "women"}, {"restricted_to": "women;lgbtq"}, {}]
    assert limit_fails(make_catalog, "audience", cells) == [True, True, False]
    assert limit_fails(make_catalog, "audience", cells, audiences=["lgbtq"]) == [
        True,
        False,
        False,
    ]


def test_age_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"age_min": "18"}, {"age_min": "14", "age_max": "17"}, {"age_min": "55"}, {}]
    assert limit_fails(make_catalog, "age", cells, age_band="under_18") == [
        True,
        False,
        True,
        False,
    ]
    assert limit_fails(make_catalog, "age", cells, age_band="55_plus") == [
        False,
        True,
        False,
        False,
    ]
    assert limit_fails(make_catalog, "age", cells) == [False] * 4


def test_for_whom_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"for_whom": "relatives"}, {"for_whom": "self"}, {"for_whom": "both"}]
    assert limit_fails(make_catalog, "for_whom", cells) == [True, False, False]
    assert limit_fails(make_catalog, "for_whom", cells, for_whom="someone_close") == [
        False,
        True,
        False,
    ]


def test_a_near_miss_on_language_never_says_in_which_you_can_follow(
    make_catalog: MakeCatalog,
) -> None:
    """An English-only group for a Dutch speaker: its miss says so; no empty "In , ..." line."""
    catalog = make_catalog([row(id="en-1", languages="en")])
    rec = Matcher(catalog).recommend(answers(languages=["nl"]))
    assert [m.group.id for m in rec.near_misses] == ["en-1"]
    texts = [r.text for r in rec.near_misses[0].reasons]
    assert not any("which you can follow" in t for t in texts), texts
    assert rec.near_misses[0].missed_rule == "language"


def test_a_hybrid_group_too_far_for_someone_who_only_meets_in_person_is_not_joined_online(
    make_catalog: MakeCatalog, places: PlaceIndex
) -> None:
    """Found on a newcomer's walk: "61 km away: you would join online" and "Meets online; you
    prefer in person" for a person who said "only in person". The group misses the distance
    limit; its reasons speak of the room it meets in."""
    from groupfinder.domain.models import Answers

    far = row(id="far", setting="hybrid", postcode="2000", city="Antwerpen",
              latitude="51.2194", longitude="4.4025")  # fmt: skip
    catalog = make_catalog([far])
    answers = Answers.model_validate(
        {"needs": ["recognition"], "setting": "in_person_only", "location": "9000",
         "max_distance_km": 25, "language": "en", "languages": ["nl"]}
    )  # fmt: skip
    rec = Matcher(catalog, places).recommend(answers)
    assert not rec.groups, [(g.group.id, g.distance_km) for g in rec.groups]
    assert rec.near_misses, rec.notices
    (miss,) = rec.near_misses
    assert miss.missed_rule == "distance"
    said = " | ".join(reason.text for reason in miss.reasons)
    assert "join online" not in said and "Meets online" not in said, said
