"""One test per rule: the points it gives and the sentence that explains them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import MakeCatalog, answers, row
from groupfinder.engine import rules
from groupfinder.engine.catalog import Catalog
from groupfinder.engine.explain import Reason
from groupfinder.engine.geo import Origin
from groupfinder.engine.matcher import Matcher
from groupfinder.engine.rules import GroupRule

GENT = Origin(51.0543, 3.7174, "Gent", "BE")
TODAY = dt.date(2026, 11, 21)

# ------------------------------------------------------------------ format rules


def format_reason(
    catalog: Catalog, rule: Callable[..., Reason | None], format_id: str, **values: Any
) -> Reason:
    reason = rule(answers(**values), catalog.formats[format_id], catalog)
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
    assert reason.points == 3 * rules.NEED_POINTS + 1 * rules.NEED_POINTS
    assert reason.text == "Serves your need for therapy (strongly) and recognition (a little)"


def test_needs_served_says_when_a_format_does_not_focus_on_the_needs(catalog: Catalog) -> None:
    reason = format_reason(catalog, rules.needs_served, "workshop", language="en", needs=["rest"])
    assert reason.points == 0
    assert reason.text.startswith("Does not focus on rest")


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
    assert rules.leadership_fits(answers(), catalog.formats["talk_group"], catalog) is None


def test_structure_fits(catalog: Catalog) -> None:
    def points(format_id: str, wanted: str) -> float:
        return format_reason(catalog, rules.structure_fits, format_id, structure=wanted).points

    assert points("therapy_group", "structured") == rules.STRUCTURE_POINTS
    assert points("talk_group", "structured") == -rules.STRUCTURE_POINTS
    assert points("talk_group", "open") == rules.STRUCTURE_POINTS
    assert points("support_group", "open") == rules.STRUCTURE_PARTLY_POINTS
    assert rules.structure_fits(answers(), catalog.formats["talk_group"], catalog) is None


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


def test_format_rules_are_listed_once_by_name() -> None:
    names = [r.name for r in rules.FORMAT_RULES]
    assert names == ["needs", "leadership", "structure", "commitment", "size"]
    assert len({r.name for r in rules.GROUP_RULES}) == len(rules.GROUP_RULES)


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
    column = rule.points(ctx, matcher.table)
    return [
        (float(column[i]), rule.reason(ctx, g, i, float(column[i])))
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
    assert [p for p, _ in result] == [
        rules.TOPIC_POINTS,
        rules.TOPIC_OPEN_POINTS,
        rules.TOPIC_MISS_POINTS,
    ]
    assert [t for _, t in result] == [
        "About grief",
        "Open to any theme",
        "About burnout, not what you asked for",
    ]
    assert group_points(make_catalog, rule("topics"), cells) == [(0.0, None)] * 3


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


def test_language_points(make_catalog: MakeCatalog) -> None:
    result = group_points(
        make_catalog,
        rule("language"),
        [{"languages": "en;nl"}, {"languages": "fr"}],
        language="en",
        languages=["en", "fr"],
    )
    assert result == [
        (rules.LANGUAGE_FIRST_POINTS, "In English"),
        (rules.LANGUAGE_OTHER_POINTS, "In French, which you can follow"),
    ]


def test_setting_points(make_catalog: MakeCatalog) -> None:
    cells = [
        {"setting": "in_person"},
        {"setting": "hybrid"},
        {"setting": "online", "latitude": "", "longitude": "", "postcode": ""},
        {"setting": "hybrid", "latitude": "52.37", "longitude": "4.89"},
    ]
    result = group_points(
        make_catalog, rule("setting"), cells, setting="in_person", max_distance_km=30
    )
    assert [p for p, _ in result] == [
        rules.SETTING_POINTS,
        rules.SETTING_HYBRID_POINTS,
        -rules.SETTING_POINTS,
        -rules.SETTING_POINTS,
    ]
    assert result[3][1] is not None
    assert "join online" in result[3][1]


def test_drop_in_points(make_catalog: MakeCatalog) -> None:
    cells = [{"drop_in": "yes"}, {"drop_in": "no"}]
    result = group_points(make_catalog, rule("drop_in"), cells, commitment="one_off")
    assert result == [(rules.DROP_IN_POINTS, "You can drop in without signing up"), (0.0, None)]
    assert [
        p for p, _ in group_points(make_catalog, rule("drop_in"), cells, commitment="ongoing")
    ] == [0.0, 0.0]


def test_cost_points(make_catalog: MakeCatalog) -> None:
    cells = [{"cost_eur": "0"}, {"cost_eur": "15"}, {"cost_eur": ""}]
    result = group_points(make_catalog, rule("cost"), cells, max_cost_eur=20)
    assert [p for p, _ in result] == [rules.FREE_POINTS, rules.IN_BUDGET_POINTS, 0.0]
    assert [t for _, t in result] == [
        "Free",
        "€15 per session, within your budget",
        "Cost not listed: ask the group",
    ]


def test_stale_groups_rank_lower_with_a_reason(make_catalog: MakeCatalog) -> None:
    cells = [
        {"last_verified": "2025-11-01"},
        {"last_verified": "2025-12-01"},
        {"last_verified": ""},
    ]
    result = group_points(make_catalog, rule("freshness"), cells)
    assert result == [
        (
            rules.STALE_POINTS,
            "Details last checked on 1 November 2025: ask whether they still hold",
        ),
        (0.0, None),
        (0.0, None),
    ]


# ------------------------------------------------------------------ hard limits


def limit_fails(
    make_catalog: MakeCatalog, name: str, cells: list[dict[str, str]], **values: Any
) -> list[bool]:
    catalog = make_catalog([row(id=f"g{i}", **c) for i, c in enumerate(cells)])
    matcher = Matcher(catalog)
    person = answers(**values)
    ctx = matcher.context(person, matcher.rank_formats(person), GENT)
    limit = next(lim for lim in rules.LIMITS if lim.name == name)
    return [bool(x) for x in limit.fails(ctx, matcher.table)]


def test_language_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"languages": "fr"}, {"languages": "fr;nl"}]
    assert limit_fails(make_catalog, "language", cells, languages=["nl"]) == [True, False]


def test_distance_limit_cuts_in_person_groups_only(make_catalog: MakeCatalog) -> None:
    far = {"latitude": "52.37", "longitude": "4.89"}
    cells = [
        far,
        {**far, "setting": "hybrid"},
        {"setting": "online", "latitude": "", "longitude": "", "postcode": ""},
        {},
    ]
    assert limit_fails(make_catalog, "distance", cells, max_distance_km=25) == [
        True,
        False,
        False,
        False,
    ]
    assert limit_fails(make_catalog, "distance", cells) == [False] * 4


def test_cost_limit(make_catalog: MakeCatalog) -> None:
    cells = [{"cost_eur": "0"}, {"cost_eur": "30"}, {"cost_eur": ""}]
    assert limit_fails(make_catalog, "cost", cells, max_cost_eur=20) == [False, True, False]
    assert limit_fails(make_catalog, "cost", cells, max_cost_eur=0) == [False, True, False]
