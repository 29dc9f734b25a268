"""Expectations before results: 37 people and what a good intake counselor would advise them.

Data only (plus one small renderer, `table`). Written before the v2 matcher existed, from
DESIGN.md (contract 1 answers v2, contract 2 JSON v2, the principles), the two seed articles
(shared/seeds/000: why groups help and how to choose; 002: therapy groups versus support
groups and the table of five more formats) and data/formats.toml (needs strengths, topics).
Nobody ran or read the matcher to write these.

Each persona has
- ``id``: a short slug, the test id;
- ``who``: one sentence about the person;
- ``counselor``: what a good counselor would advise and why;
- ``answers``: an answers file, version 2, exactly per contract 1;
- ``expect``: declarative checks on ``groupfinder recommend --format json`` (the vocabulary
  is defined and documented in tests/test_personas.py, `CHECKS` and `GROUP_PREDICATES`);
- ``must_not``: plain sentences for the report, each mirrored by a check in ``expect``.

Expectations are properties (kind of group, topic, setting, limits), never group ids or
names: the sample catalog is fictional and regenerated.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Persona(TypedDict):
    id: str
    who: str
    counselor: str
    answers: dict[str, Any]
    expect: dict[str, Any]
    must_not: list[str]


#: Every hard limit of contract 1 plus two honesty checks; see GROUP_PREDICATES.
ALL_LIMITS: list[str] = [
    "setting_ok",
    "distance_ok",
    "language_ok",
    "cost_ok",
    "audience_ok",
    "age_ok",
    "for_whom_ok",
    "time_ok",
    "serves_a_need",
    "facts_match_catalog",
    "distance_honest",
]

#: Checks every person who is not at risk gets.
CALM: dict[str, Any] = {
    "crisis_help_empty": True,
    "notices_exclude": {"professional_help_first"},
    "every_group": ALL_LIMITS,
    "near_misses_really_miss": True,
}

#: Checks every person at risk (thoughts or acute) gets.
AT_RISK: dict[str, Any] = {
    "crisis_help_empty": False,
    "crisis_phones_include": {"112"},
    "first_format_in": {"therapy_group"},
    "format_above": [
        ("therapy_group", "talk_group"),
        ("therapy_group", "personal_development"),
        ("therapy_group", "wellness_retreat"),
    ],
    "every_group": ALL_LIMITS,
    "near_misses_really_miss": True,
}


def answers(
    *,
    needs: list[str],
    topics: list[str],
    language: str = "nl",
    risk: str = "none",
    in_care: bool | None = None,
    for_whom: str = "self",
    age_band: str | None = "26_54",
    audiences: list[str] | None = None,
    group_size: str = "no_preference",
    leadership: str = "no_preference",
    structure: str = "no_preference",
    commitment: str = "no_preference",
    setting: str,
    location: str | None,
    max_distance_km: int | None,
    languages: list[str],
    max_cost_eur: float | None = None,
    days: list[str] | None = None,
    times: list[str] | None = None,
) -> dict[str, Any]:
    """An answers file, version 2, with every key of contract 1 in the contract's order."""
    return {
        "version": 2,
        "language": language,
        "risk": risk,
        "in_care": in_care,
        "for_whom": for_whom,
        "age_band": age_band,
        "audiences": audiences or [],
        "needs": needs,
        "topics": topics,
        "group_size": group_size,
        "leadership": leadership,
        "structure": structure,
        "commitment": commitment,
        "setting": setting,
        "location": location,
        "max_distance_km": max_distance_km,
        "languages": languages,
        "max_cost_eur": max_cost_eur,
        "days": days or [],
        "times": times or [],
    }


PERSONAS: list[Persona] = [
    # --- grief ----------------------------------------------------------------------------
    {
        "id": "bereaved_father_gent",
        "who": "A bereaved father in Gent, 52, wants recognition from other parents, "
        "in person within 20 km.",
        "counselor": "Seed 002 names grief as a support-group topic: peers with the same loss "
        "give recognition without a clinical frame. A grief group a little further away "
        "serves him better than a nearer group on another topic.",
        "answers": answers(
            needs=["recognition"],
            topics=["grief"],
            audiences=["parents"],
            setting="in_person_only",
            location="9000",
            max_distance_km=20,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "formats_not_first": {"wellness_retreat", "workshop"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"grief"},
            "first_group_format_in": {"support_group", "talk_group"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
            "same_ranking_in_languages": ["en", "fr"],
        },
        "must_not": [
            "A group on another topic ranks above a same-kind grief group, even a nearer one.",
            "A group met in person more than 20 km away appears among the results.",
            "The output language changes the order.",
        ],
    },
    {
        "id": "bereaved_mother_ixelles_fr",
        "who": "A French-speaking mother in Ixelles, 34, lost her baby and wants to meet "
        "other parents and catch her breath, preferably in person.",
        "counselor": "A support group on grief (seed 002), in French, ideally with other "
        "parents; online is fine when nothing is near.",
        "answers": answers(
            language="fr",
            needs=["recognition", "rest"],
            topics=["grief"],
            audiences=["women", "parents"],
            setting="prefer_in_person",
            location="1050",
            max_distance_km=15,
            languages=["fr"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"grief"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group she cannot follow (no French) appears among the results.",
            "A group on another topic ranks above a same-kind grief group.",
        ],
    },
    {
        "id": "widow_brugge_55plus",
        "who": "A widow in Brugge, 68, feels lonely since her husband died; she wants people "
        "who understand and some calm, in person within 15 km, at most 10 euro.",
        "counselor": "A grief support group or an open talk group nearby (seed 002: support "
        "groups for grief; talk groups for open dialogue); a group for young people is not "
        "for her.",
        "answers": answers(
            needs=["recognition", "rest"],
            topics=["grief", "loneliness"],
            age_band="55_plus",
            audiences=["women"],
            setting="in_person_only",
            location="8000",
            max_distance_km=15,
            languages=["nl"],
            max_cost_eur=10,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"grief", "loneliness"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group whose age range leaves out people over 55 appears among the results.",
            "A group costing more than 10 euro a session appears among the results.",
        ],
    },
    # --- addiction and the people close to it ----------------------------------------------
    {
        "id": "partner_of_drinker_antwerpen",
        "who": "A woman in Antwerpen, 45, whose partner drinks; she wants to understand "
        "addiction and meet others in her place, in person within 25 km.",
        "counselor": "A support group for relatives of people with an addiction (seed 002: "
        "support groups for addiction), not a group for the drinkers themselves.",
        "answers": answers(
            for_whom="someone_close",
            needs=["recognition", "learning"],
            topics=["addiction"],
            setting="in_person_only",
            location="2000",
            max_distance_km=25,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "top_formats_include": {"support_group": 2},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "some_group_for_whom": "relatives",
            "first_group_topic_in": {"addiction"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group only for people who themselves have an addiction appears among the results.",
            "The results hold no group meant for relatives.",
        ],
    },
    {
        "id": "man_alcohol_hasselt",
        "who": "A man in Hasselt, 41, three months sober, wants an ongoing peer group of "
        "people in recovery, in person within 30 km.",
        "counselor": "A peer-led addiction support group (seed 002), ongoing; the relatives' "
        "groups and women-only groups are not his.",
        "answers": answers(
            needs=["recognition"],
            topics=["addiction"],
            audiences=["men"],
            leadership="peer",
            commitment="ongoing",
            setting="in_person_only",
            location="3500",
            max_distance_km=30,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "formats_not_first": {"therapy_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"addiction"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
        },
        "must_not": [
            "A group only for relatives appears among the results.",
            "A group restricted to women appears among the results.",
        ],
    },
    # --- relationships ---------------------------------------------------------------------
    {
        "id": "woman_toxic_relationship_leuven",
        "who": "A woman in Leuven, 29, left a controlling partner; she wants to meet other "
        "women who went through it and rebuild her confidence, at most 20 euro.",
        "counselor": "A support group on toxic relationships, a women's group if there is "
        "one (she said she is a woman, so those are open to her), then personal development "
        "for self-esteem.",
        "answers": answers(
            needs=["recognition", "growth"],
            topics=["toxic_relationship", "self_esteem"],
            audiences=["women"],
            setting="prefer_in_person",
            location="3000",
            max_distance_km=25,
            languages=["nl", "en"],
            max_cost_eur=20,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"toxic_relationship", "self_esteem"},
            "some_group_restricted_to": "women",
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group costing more than 20 euro a session appears among the results.",
            "Women-only groups are kept from her although she ticked women.",
        ],
    },
    {
        "id": "man_toxic_relationship_gent",
        "who": "A man in Gent, 38, recovering from an abusive relationship, wants therapy "
        "and recognition, in person within 15 km.",
        "counselor": "A therapy group (seed 002: clinical frame for what weighs most) or a "
        "support group on toxic relationships; a women-only group is not for him.",
        "answers": answers(
            needs=["therapy", "recognition"],
            topics=["toxic_relationship"],
            audiences=["men"],
            setting="in_person_only",
            location="9000",
            max_distance_km=15,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group", "support_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group restricted to women appears among the results."],
    },
    {
        "id": "divorced_rotterdam_growth",
        "who": "A recently divorced man in Rotterdam, 47, wants to understand his part in "
        "it and meet others in the same boat, preferably in person.",
        "counselor": "A support group on relationships for recognition, or a personal "
        "development group for communication and self-insight (seed 002 table).",
        "answers": answers(
            needs=["growth", "recognition"],
            topics=["relationships"],
            audiences=["men"],
            setting="prefer_in_person",
            location="Rotterdam",
            max_distance_km=20,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "personal_development", "talk_group"},
            "formats_not_first": {"wellness_retreat", "workshop"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A format serving neither growth nor recognition ranks above one that does.",
            "A group restricted to women appears among the results.",
        ],
    },
    # --- audiences and ages ----------------------------------------------------------------
    {
        "id": "lgbtq_student_ixelles_en",
        "who": "A queer international student in Ixelles, 22, English and some French, "
        "feels alone and wants to meet people like them, at most 10 euro.",
        "counselor": "A support or talk group where they are recognised, in English or "
        "French; groups for LGBTQ+ people and for students are open to them.",
        "answers": answers(
            language="en",
            needs=["recognition", "growth"],
            topics=["loneliness", "self_esteem"],
            age_band="18_25",
            audiences=["lgbtq", "students", "internationals"],
            setting="prefer_in_person",
            location="1050",
            max_distance_km=10,
            languages=["en", "fr"],
            max_cost_eur=10,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
            "same_ranking_in_languages": ["nl"],
        },
        "must_not": [
            "A Dutch-only group appears among the results.",
            "A group restricted to an audience they did not tick (e.g. women) appears.",
        ],
    },
    {
        "id": "teen_anxiety_antwerpen_17",
        "who": "A 17-year-old in Antwerpen with panic attacks wants help and to learn how "
        "to cope, in person within 15 km, at most 10 euro.",
        "counselor": "A therapy group for anxiety (seed 002, Burlingame), otherwise a "
        "psycho-education workshop; only groups that take people under 18.",
        "answers": answers(
            needs=["therapy", "learning"],
            topics=["anxiety"],
            age_band="under_18",
            setting="in_person_only",
            location="2000",
            max_distance_km=15,
            languages=["nl"],
            max_cost_eur=10,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "top_formats_include": {"workshop": 3},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "An adults-only group (age range starting at 18 or more) appears among the results.",
            "A group restricted to students appears among the results.",
        ],
    },
    {
        "id": "sixty_burnout_utrecht_online",
        "who": "A 60-year-old civil servant in Utrecht on sick leave with burnout wants rest "
        "and to grow stronger, online only.",
        "counselor": "A wellness retreat for rest (seed 002 table) or a personal development "
        "group; only online or hybrid groups, none restricted to young people.",
        "answers": answers(
            needs=["rest", "growth"],
            topics=["burnout", "stress"],
            age_band="55_plus",
            setting="online_only",
            location="Utrecht",
            max_distance_km=None,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"wellness_retreat", "personal_development"},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group met only in person appears among the results.",
            "A group whose age range leaves out people over 55 appears among the results.",
        ],
    },
    {
        "id": "student_exam_stress_leuven_free",
        "who": "A student in Leuven, 20, with exam stress wants a free one-off session to "
        "learn how to cope, in person within 10 km.",
        "counselor": "A free psycho-education workshop on stress (seed 002 table: short, "
        "structured, skills); a group with no listed price must be asked about first.",
        "answers": answers(
            needs=["learning"],
            topics=["stress", "anxiety"],
            age_band="18_25",
            audiences=["students"],
            commitment="one_off",
            setting="in_person_only",
            location="3000",
            max_distance_km=10,
            languages=["nl", "en"],
            max_cost_eur=0,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"workshop"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group that costs money, or whose price is not listed, appears among the results.",
            "A hybrid or in-person group beyond 10 km appears among the results.",
        ],
    },
    # --- money -----------------------------------------------------------------------------
    {
        "id": "free_only_depression_rotterdam",
        "who": "A man on benefits in Rotterdam, 50, with depression, can only join free "
        "groups; online or in person, Dutch or English.",
        "counselor": "A free peer support or talk group; a group with no listed price is "
        "shown apart as a near miss (ask the price), not as a result.",
        "answers": answers(
            needs=["recognition"],
            topics=["depression"],
            setting="no_preference",
            location="Rotterdam",
            max_distance_km=None,
            languages=["nl", "en"],
            max_cost_eur=0,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "near_miss_rules_include": {"cost"},
            "unlisted_price_near_miss": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group whose price is not listed appears among the results.",
            "A paid group appears among the results.",
        ],
    },
    {
        "id": "budget_depression_brugge",
        "who": "A part-time cleaner in Brugge, 44, with depression, wants therapy and to "
        "learn about it, at most 15 euro a session, in person within 30 km.",
        "counselor": "A therapy group for depression (seed 002, Burlingame) within her "
        "budget, or a workshop; groups without a listed price may be asked about.",
        "answers": answers(
            needs=["therapy", "learning"],
            topics=["depression"],
            setting="in_person_only",
            location="8000",
            max_distance_km=30,
            languages=["nl"],
            max_cost_eur=15,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group costing more than 15 euro a session appears among the results."],
    },
    # --- far from any group ----------------------------------------------------------------
    {
        "id": "far_away_terschelling",
        "who": "A widower on Terschelling, 63, wants a grief group he can go to in person, "
        "within 15 km.",
        "counselor": "A grief support group, but there is none within 15 km of the island: "
        "say so plainly and show the nearest ones as near misses, closest first.",
        "answers": answers(
            needs=["recognition"],
            topics=["grief"],
            age_band="55_plus",
            setting="in_person_only",
            location="West-Terschelling",
            max_distance_km=15,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "nothing_fits": True,
            "near_misses_nonempty": True,
            "near_miss_rules_include": {"distance"},
            "near_misses_closest_first": True,
            "notices_include": {"sample_data", "nothing_fits"},
        },
        "must_not": [
            "A group more than 15 km away is shown as a result.",
            "The output is silent about nothing fitting.",
        ],
    },
    {
        "id": "far_away_arlon_fr",
        "who": "A woman in Arlon, 39, with a chronic illness, wants a group in French she "
        "can reach in person within 20 km.",
        "counselor": "A support group on chronic illness (seed 002) or a workshop; the "
        "catalog has nothing near Arlon, so: nothing fits, with the closest near misses.",
        "answers": answers(
            language="fr",
            needs=["recognition", "learning"],
            topics=["chronic_illness"],
            setting="in_person_only",
            location="Arlon",
            max_distance_km=20,
            languages=["fr"],
        ),
        "expect": {
            **CALM,
            "top_formats_include": {"support_group": 2},
            "needs_before_preferences": True,
            "nothing_fits": True,
            "near_misses_nonempty": True,
            "near_misses_closest_first": True,
            "notices_include": {"sample_data", "nothing_fits"},
        },
        "must_not": ["A group more than 20 km away is shown as a result."],
    },
    {
        "id": "vaals_prefers_in_person",
        "who": "A man in Vaals, 57, with COPD, would rather meet in person within 10 km "
        "but will go online.",
        "counselor": "A chronic-illness support group; nothing is within 10 km, so online and "
        "far hybrid groups (online for him) are the results, far in-person groups near "
        "misses.",
        "answers": answers(
            needs=["recognition"],
            topics=["chronic_illness"],
            age_band="55_plus",
            setting="prefer_in_person",
            location="Vaals",
            max_distance_km=10,
            languages=["nl", "en"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["An in-person-only group more than 10 km away is shown as a result."],
    },
    # --- at risk ---------------------------------------------------------------------------
    {
        "id": "liege_fr_thoughts",
        "who": "A man in Liège, 31, French only, depressed, has thoughts of not wanting to "
        "live and is not in care yet.",
        "counselor": "Crisis help first, the French-language line of Belgium before the Dutch "
        "one, then professional help: a therapy group (seed 002), not peers alone.",
        "answers": answers(
            language="fr",
            risk="thoughts",
            in_care=False,
            needs=["therapy"],
            topics=["depression"],
            setting="in_person_only",
            location="4000",
            max_distance_km=30,
            languages=["fr"],
        ),
        "expect": {
            **AT_RISK,
            "crisis_first_phone": "0800 32 123",
            "crisis_order": "BE",
            "notices_include": {"sample_data", "professional_help_first"},
        },
        "must_not": [
            "A Dutch-language crisis line comes before the French one.",
            "The professional-help-first notice is missing.",
        ],
    },
    {
        "id": "schaerbeek_fr_acute_rest",
        "who": "A French-speaking nurse in Schaerbeek, 36, exhausted, in danger now, asks "
        "only for rest.",
        "counselor": "Crisis help first (French-language line), professional help first: a "
        "therapy group ranks above a retreat, even though she asked for rest.",
        "answers": answers(
            language="fr",
            risk="acute",
            needs=["rest"],
            topics=["burnout"],
            setting="prefer_in_person",
            location="1030",
            max_distance_km=10,
            languages=["fr"],
        ),
        "expect": {
            **AT_RISK,
            "crisis_first_phone": "0800 32 123",
            "crisis_order": "BE",
            "formats_not_first": {"wellness_retreat"},
            "groups_nonempty": True,
            "first_group_leadership_in": {"professional"},
            "notices_include": {"sample_data", "professional_help_first"},
        },
        "must_not": [
            "A wellness retreat ranks first or above therapy groups.",
            "A group without a professional lead is the first group.",
            "Crisis help is missing or not in French first.",
        ],
    },
    {
        "id": "gent_acute_trauma_in_care",
        "who": "A woman in Gent, 27, already seeing a psychologist, in acute danger after "
        "a trauma, looking for a therapy group within 25 km.",
        "counselor": "Crisis help first (Zelfmoordlijn 1813 for a Dutch speaker in "
        "Belgium), then a trauma therapy group led by a professional (seed 002).",
        "answers": answers(
            risk="acute",
            in_care=True,
            needs=["therapy", "recognition"],
            topics=["trauma"],
            setting="in_person_only",
            location="9000",
            max_distance_km=25,
            languages=["nl"],
        ),
        "expect": {
            **AT_RISK,
            "crisis_first_phone": "1813",
            "crisis_order": "BE",
            "groups_nonempty": True,
            "first_group_leadership_in": {"professional"},
            "notices_include": {"sample_data", "professional_help_first"},
        },
        "must_not": [
            "A peer-led group is the first group.",
            "Crisis help does not start with 1813.",
        ],
    },
    {
        "id": "amsterdam_en_thoughts",
        "who": "An expat in Amsterdam, 33, English only, lonely and depressed, with "
        "thoughts of not wanting to live, asks for people who understand.",
        "counselor": "Crisis help first (113 in the Netherlands), then professional help: a "
        "therapy group above peer talk groups, though she asked for recognition.",
        "answers": answers(
            language="en",
            risk="thoughts",
            needs=["recognition"],
            topics=["loneliness", "depression"],
            audiences=["internationals"],
            setting="prefer_in_person",
            location="Amsterdam",
            max_distance_km=15,
            languages=["en"],
        ),
        "expect": {
            **AT_RISK,
            "crisis_first_phone": {"113", "0800-0113"},
            "crisis_order": "NL",
            "notices_include": {"sample_data", "professional_help_first"},
        },
        "must_not": [
            "A Belgian crisis line comes first.",
            "A talk group ranks above therapy groups.",
        ],
    },
    # --- therapy wanted, peers preferred ---------------------------------------------------
    {
        "id": "eating_disorder_free_open_eindhoven",
        "who": "A young woman in Eindhoven, 19, with an eating disorder, wants therapy and "
        "recognition but only free, open groups.",
        "counselor": "Seed 002 names eating disorders as a therapy-group topic: the therapy "
        "group stays the first kind, with a notice that free open groups are peer talk, not "
        "therapy.",
        "answers": answers(
            needs=["therapy", "recognition"],
            topics=["eating_disorder"],
            age_band="18_25",
            audiences=["women"],
            structure="open",
            setting="prefer_in_person",
            location="Eindhoven",
            max_distance_km=30,
            languages=["nl", "en"],
            max_cost_eur=0,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "format_above": [
                ("therapy_group", "talk_group"),
                ("therapy_group", "support_group"),
            ],
            "match_of_first_format_at_least": 50,
            "needs_before_preferences": True,
            "notices_include": {"sample_data", "therapy_vs_peer"},
        },
        "must_not": [
            "A talk or support group ranks above the therapy group as a kind.",
            "A group with a price, or no listed price, appears among the results.",
        ],
    },
    {
        "id": "therapy_prefers_peers_utrecht",
        "who": "A man in Utrecht, 35, with social anxiety, wants therapy but would rather "
        "drop in once at an open peer group, preferably online.",
        "counselor": "A therapy group for anxiety (seed 002; Burlingame) is the kind that "
        "serves therapy; peer, open or one-off groups are not therapy, and the output says "
        "so.",
        "answers": answers(
            needs=["therapy"],
            topics=["anxiety"],
            leadership="peer",
            structure="open",
            commitment="one_off",
            setting="prefer_online",
            location="Utrecht",
            max_distance_km=20,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "formats_not_first": {"talk_group", "support_group"},
            "format_above": [
                ("therapy_group", "talk_group"),
                ("therapy_group", "support_group"),
                ("art_therapy_psychodrama", "talk_group"),
            ],
            "needs_before_preferences": True,
            "notices_include": {"sample_data", "therapy_vs_peer"},
        },
        "must_not": [
            "His peer/open/one-off preferences lift a talk group above the therapy kinds.",
            "The therapy-versus-peer notice is missing.",
        ],
    },
    # --- many needs ------------------------------------------------------------------------
    {
        "id": "six_needs_maastricht",
        "who": "A woman in Maastricht, 42, stressed and unsure, ticks all six needs.",
        "counselor": "Any kind serves some of it; the best kind still serves its needs at "
        "full strength, so its match must not be diluted by the number of needs.",
        "answers": answers(
            needs=["therapy", "creativity", "rest", "recognition", "learning", "growth"],
            topics=["stress"],
            setting="no_preference",
            location="Maastricht",
            max_distance_km=30,
            languages=["nl", "en"],
        ),
        "expect": {
            **CALM,
            "match_of_first_format_at_least": 60,
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "notices_include": {"sample_data"},
            "same_ranking_in_languages": ["en"],
        },
        "must_not": ["The first kind's match falls below 60 because she ticked six needs."],
    },
    # --- online and in person --------------------------------------------------------------
    {
        "id": "ms_online_groningen",
        "who": "A woman in Groningen, 48, with MS who rarely leaves home, wants to meet "
        "others with a chronic illness and learn to live with it, online only.",
        "counselor": "An online chronic-illness support group (seed 002) or an online "
        "workshop; nothing that must be attended in person.",
        "answers": answers(
            needs=["recognition", "learning"],
            topics=["chronic_illness"],
            setting="online_only",
            location="Groningen",
            max_distance_km=None,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "top_formats_include": {"support_group": 2},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"chronic_illness"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["An in-person group appears among the results."],
    },
    {
        "id": "anonymous_online_depression",
        "who": "Someone who will not say their age or where they live wants an online "
        "group about depression in Dutch.",
        "counselor": "An online support or talk group; without a location no distance can be "
        "said, and groups with an age range are shown with that range.",
        "answers": answers(
            needs=["recognition"],
            topics=["depression"],
            age_band=None,
            setting="online_only",
            location=None,
            max_distance_km=None,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "distance_null": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A distance is given although no location is known.",
            "An in-person group appears among the results.",
        ],
    },
    # --- relatives and carers --------------------------------------------------------------
    {
        "id": "carer_mechelen_55plus",
        "who": "A man in Mechelen, 61, caring for his wife with dementia, needs a break and "
        "people who understand, at most 15 euro.",
        "counselor": "A support or talk group for family carers (mantelzorgers); he comes as "
        "a relative, so groups for relatives fit and self-only groups do not.",
        "answers": answers(
            for_whom="someone_close",
            needs=["rest", "recognition"],
            topics=["family_carer"],
            age_band="55_plus",
            audiences=["men"],
            setting="prefer_in_person",
            location="2800",
            max_distance_km=20,
            languages=["nl"],
            max_cost_eur=15,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "first_group_topic_in": {"family_carer"},
            "topic_before_other_topic": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group only for the person with the illness (self) appears."],
    },
    {
        "id": "father_of_daughter_ed_utrecht",
        "who": "A father in Utrecht, 50, whose teenage daughter has anorexia, wants to "
        "understand it and meet other parents.",
        "counselor": "A support group for relatives or a workshop for parents about eating "
        "disorders; a therapy group for people who have one is not his.",
        "answers": answers(
            for_whom="someone_close",
            needs=["recognition", "learning"],
            topics=["eating_disorder"],
            audiences=["parents", "men"],
            setting="prefer_in_person",
            location="Utrecht",
            max_distance_km=30,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "top_formats_include": {"support_group": 2},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group only for people with an eating disorder (self) appears."],
    },
    # --- rest, creativity, growth, learning ------------------------------------------------
    {
        "id": "teacher_burnout_retreat_hasselt",
        "who": "A teacher in Hasselt, 44, burnt out, wants a few days away to rest, "
        "residential, preferably within 60 km.",
        "counselor": "A wellness retreat (seed 002 table: several days, residential, "
        "self-care and recharging).",
        "answers": answers(
            needs=["rest"],
            topics=["burnout"],
            commitment="residential",
            setting="prefer_in_person",
            location="3500",
            max_distance_km=60,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"wellness_retreat"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
        },
        "must_not": ["A kind that serves no rest ranks above the wellness retreat."],
    },
    {
        "id": "trauma_creative_gent",
        "who": "A woman in Gent, 30, finds it hard to talk about a trauma and wants therapy "
        "through creative work, in person within 25 km, at most 40 euro.",
        "counselor": "Art therapy or psychodrama (seed 002: emotional expression through "
        "creativity, certified therapists); a therapy group is the next kind.",
        "answers": answers(
            needs=["creativity", "therapy"],
            topics=["trauma"],
            setting="in_person_only",
            location="9000",
            max_distance_km=25,
            languages=["nl", "en"],
            max_cost_eur=40,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"art_therapy_psychodrama"},
            "top_formats_include": {"therapy_group": 2},
            "needs_before_preferences": True,
            "groups_nonempty": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A kind serving neither creativity nor therapy ranks above one that does."],
    },
    {
        "id": "shy_painter_antwerpen",
        "who": "A shy young man in Antwerpen, 23, low in confidence, wants to express "
        "himself through art rather than words.",
        "counselor": "Art therapy (seed 002 table): creativity is the only need he named.",
        "answers": answers(
            needs=["creativity"],
            topics=["self_esteem"],
            age_band="18_25",
            setting="prefer_in_person",
            location="2000",
            max_distance_km=20,
            languages=["nl"],
            max_cost_eur=25,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"art_therapy_psychodrama"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A kind with no creativity ranks above art therapy."],
    },
    {
        "id": "confidence_amsterdam_en",
        "who": "An expat in Amsterdam, 31, English only, wants to grow in confidence and in "
        "how she handles relationships, preferably online, at most 30 euro.",
        "counselor": "A personal development group (seed 002 table: self-confidence, "
        "communication, self-insight), in English.",
        "answers": answers(
            language="en",
            needs=["growth"],
            topics=["self_esteem", "relationships"],
            audiences=["internationals", "women"],
            setting="prefer_online",
            location="Amsterdam",
            max_distance_km=20,
            languages=["en"],
            max_cost_eur=30,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"personal_development"},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group not held in English appears among the results."],
    },
    {
        "id": "panic_workshop_brussel_nl",
        "who": "A Dutch-speaking civil servant in Brussel, 39, with panic attacks wants to "
        "learn skills in a structured series, in person within 10 km.",
        "counselor": "A psycho-education workshop (seed 002 table: short, structured, "
        "skills), in Dutch or French.",
        "answers": answers(
            needs=["learning"],
            topics=["anxiety"],
            structure="structured",
            commitment="series",
            setting="in_person_only",
            location="1000",
            max_distance_km=10,
            languages=["nl", "fr"],
            max_cost_eur=25,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"workshop"},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A group more than 10 km away appears among the results."],
    },
    {
        "id": "manager_stress_eindhoven_oneoff",
        "who": "A manager in Eindhoven, 46, stressed, wants a one-off session to learn to "
        "cope and to slow down, at most 50 euro.",
        "counselor": "A one-off workshop on stress (seed 002 table) fits learning and his "
        "one-off wish; a residential retreat serves rest but not a single session.",
        "answers": answers(
            needs=["learning", "rest"],
            topics=["stress", "burnout"],
            commitment="one_off",
            setting="prefer_in_person",
            location="Eindhoven",
            max_distance_km=25,
            languages=["nl", "en"],
            max_cost_eur=50,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"workshop"},
            "top_formats_include": {"wellness_retreat": 3},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
        },
        "must_not": ["A kind that serves neither learning nor rest ranks above one that does."],
    },
    {
        "id": "lonely_widower_groningen_dropin",
        "who": "A widower in Groningen, 74, lonely, wants an open peer group he can drop "
        "into, in person within 10 km, at most 5 euro.",
        "counselor": "An open talk group or support group (seed 002 table: open dialogue, "
        "peers, drop-in possible); a therapy group is not what he asks for.",
        "answers": answers(
            needs=["recognition"],
            topics=["loneliness"],
            age_band="55_plus",
            audiences=["men"],
            leadership="peer",
            structure="open",
            commitment="ongoing",
            setting="in_person_only",
            location="Groningen",
            max_distance_km=10,
            languages=["nl"],
            max_cost_eur=5,
        ),
        "expect": {
            **CALM,
            "first_format_in": {"talk_group", "support_group"},
            "formats_not_first": {"therapy_group"},
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
        },
        "must_not": [
            "A group restricted to women appears among the results.",
            "A group more than 10 km away appears among the results.",
        ],
    },
    {
        "id": "shift_worker_gent_evenings",
        "who": "A nurse in Gent, 41, who works day shifts, lost her brother and wants other "
        "people who lost someone; she can only come on Tuesday or Thursday evenings.",
        "counselor": "A grief support group (seed 002), in person near Gent, that meets on "
        "a Tuesday or Thursday evening; a group that only meets in the daytime or on other "
        "days is worth showing as almost, with when it does meet.",
        "answers": answers(
            needs=["recognition"],
            topics=["grief"],
            setting="in_person_only",
            location="9000",
            max_distance_km=25,
            languages=["nl"],
            days=["tue", "thu"],
            times=["evening"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"support_group", "talk_group"},
            "groups_nonempty": True,
            "notices_include": {"sample_data"},
        },
        "must_not": [
            "A group that only meets in the daytime or on other days appears among the results.",
        ],
    },
    {
        "id": "refugee_trauma_antwerpen_en",
        "who": "A refugee in Antwerpen, 26, English-speaking, with trauma from the war, "
        "wants therapy in English, in person within 20 km.",
        "counselor": "A trauma therapy group (seed 002: therapy groups for trauma), held in "
        "English.",
        "answers": answers(
            language="en",
            needs=["therapy"],
            topics=["trauma"],
            audiences=["internationals"],
            leadership="professional",
            setting="in_person_only",
            location="2000",
            max_distance_km=20,
            languages=["en"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "formats_not_first": {"talk_group", "support_group", "wellness_retreat"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
        },
        "must_not": ["A Dutch-only group appears among the results."],
    },
    {
        "id": "depression_therapy_rotterdam",
        "who": "A woman in Rotterdam, 37, with depression, not in care, wants a small, "
        "structured therapy group led by a professional, in person within 15 km.",
        "counselor": "A therapy group for depression (seed 002; Burlingame: as effective as "
        "individual therapy for anxiety and depression).",
        "answers": answers(
            in_care=False,
            needs=["therapy"],
            topics=["depression"],
            group_size="small",
            leadership="professional",
            structure="structured",
            commitment="series",
            setting="in_person_only",
            location="Rotterdam",
            max_distance_km=15,
            languages=["nl"],
        ),
        "expect": {
            **CALM,
            "first_format_in": {"therapy_group"},
            "match_of_first_format_at_least": 80,
            "needs_before_preferences": True,
            "notices_include": {"sample_data"},
            "notices_exclude": {"professional_help_first", "therapy_vs_peer"},
        },
        "must_not": ["A kind that serves no therapy ranks above the therapy group."],
    },
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    """The personas as a Markdown table (id, who, expected kind, must not)."""
    lines = [
        "| id | who | expected kind at rank 1 | must not |",
        "| --- | --- | --- | --- |",
    ]
    for persona in PERSONAS:
        expect = persona["expect"]
        kinds = expect.get("first_format_in")
        if kinds:
            kind = " or ".join(sorted(kinds))
        elif expect.get("top_formats_include"):
            kind = ", ".join(
                f"{fmt} in top {n}" for fmt, n in sorted(expect["top_formats_include"].items())
            )
        else:
            kind = f"any; match >= {expect.get('match_of_first_format_at_least', 0)}"
        must_not = "<br>".join(_cell(s) for s in persona["must_not"])
        lines.append(f"| {persona['id']} | {_cell(persona['who'])} | {kind} | {must_not} |")
    return "\n".join(lines) + "\n"
