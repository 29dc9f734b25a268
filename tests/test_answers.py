"""Contract 1: answers files are read strictly, with messages that name the key and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groupfinder.catalog.answers import parse_answers, read_answers
from groupfinder.domain.errors import AnswersError, Problem
from groupfinder.domain.models import Answers

TOPICS = {"grief", "anxiety"}


def problems(text: str) -> list[Problem]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "a.json", TOPICS)
    return caught.value.problems


def test_only_needs_is_required_and_defaults_follow_the_contract() -> None:
    answers = parse_answers('{"needs": ["rest"]}', "a.json", TOPICS)
    assert answers.as_json_dict() == {
        "version": 2,
        "language": "nl",
        "risk": "none",
        "in_care": None,
        "for_whom": "self",
        "age_band": None,
        "audiences": [],
        "needs": ["rest"],
        "topics": [],
        "group_size": "no_preference",
        "leadership": "no_preference",
        "structure": "no_preference",
        "commitment": "no_preference",
        "setting": "no_preference",
        "location": None,
        "max_distance_km": None,
        "languages": ["nl"],
        "max_cost_eur": None,
        "days": [],
        "times": [],
    }


def test_languages_default_to_the_answers_language() -> None:
    assert parse_answers('{"needs": ["rest"], "language": "fr"}', "a", None).languages == ("fr",)


def test_lists_are_normalised_so_order_never_matters() -> None:
    one = parse_answers(
        '{"needs": ["rest", "therapy", "rest"], "topics": ["grief", "anxiety"],'
        ' "languages": ["fr", "nl"]}',
        "a",
        TOPICS,
    )
    two = parse_answers(
        '{"needs": ["therapy", "rest"], "topics": ["anxiety", "grief"], "languages": ["nl", "fr"]}',
        "a",
        TOPICS,
    )
    assert one == two
    assert one.needs == ("therapy", "rest")


def test_the_example_answers_file_is_valid() -> None:
    path = Path(__file__).parents[1] / "examples" / "answers.json"
    assert read_answers(str(path)).needs == ("therapy", "recognition")


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        ('{\n "needs": ["rest"],\n "colour": "blue"\n}', "colour", 3, "unknown key"),
        ('{\n "needs": ["sleep"]\n}', "needs.0", 2, "unknown value 'sleep'"),
        (
            '{"needs": ["rest"], "group_size": "tiny"}',
            "group_size",
            1,
            "expected one of: small, medium, large, no_preference",
        ),
        ('{"needs": ["rest"], "language": "de"}', "language", 1, "unknown value 'de'"),
        ('{"needs": ["rest"], "topics": ["gardening"]}', "topics", 1, "unknown topic 'gardening'"),
        ('{"needs": ["rest"], "in_crisis": "yes"}', "in_crisis", 1, "expected true or false"),
        ('{"needs": ["rest"], "max_distance_km": -3}', "max_distance_km", 1, "at least 0"),
        ('{"needs": ["rest"], "max_distance_km": "far"}', "max_distance_km", 1, "'far'"),
        ('{"needs": []}', "needs", 1, "at least one item"),
        ('{"needs": "rest"}', "needs", 1, "expected a list"),
        ('{"language": "en"}', "needs", None, "missing"),
        ('{"needs": ["rest"], "version": 3}', "version", 1, "unsupported version 3"),
    ],
)
def test_bad_values_name_the_key(text: str, field: str, line: int | None, words: str) -> None:
    found = problems(text)
    assert [(p.field, p.line) for p in found] == [(field, line)]
    assert words in str(found[0])
    assert str(found[0]).startswith("a.json")


def test_several_problems_are_reported_together() -> None:
    found = problems('{"needs": ["rest"], "group_size": "tiny", "colour": 1, "setting": "moon"}')
    assert {p.field for p in found} == {"group_size", "colour", "setting"}


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ('{"needs": ["rest"],\n "topics": [}', "not valid JSON", 2),
        ("", "is empty", None),
        ("[1, 2]", "JSON object", None),
        ('"needs"', "JSON object", None),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, words: str, line: int | None) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        read_answers(str(path))
    assert words in str(caught.value)
    assert caught.value.problems[0].line == line


def test_missing_file_folder_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="file not found"):
        read_answers(str(tmp_path / "nope.json"))
    with pytest.raises(AnswersError, match="is a folder"):
        read_answers(str(tmp_path))
    (tmp_path / "latin.json").write_bytes(
        '{"needs": ["rest"], "location": "Liège"}'.encode("latin-1")
    )
    with pytest.raises(AnswersError, match="not UTF-8"):
        read_answers(str(tmp_path / "latin.json"))


def test_standard_input() -> None:
    assert read_answers("-", '{"needs": ["growth"]}').needs == ("growth",)
    with pytest.raises(AnswersError, match="<stdin>"):
        read_answers("-", "")


def test_answers_round_trip_through_json() -> None:
    answers = Answers.model_validate({"needs": ["rest"], "location": " 9000 ", "max_cost_eur": 0})
    again = parse_answers(json.dumps(answers.as_json_dict()), "a", None)
    assert again == answers
    assert again.location == "9000"


def test_version_1_is_read_as_the_person_meant_it() -> None:
    old = parse_answers(
        '{"version": 1, "in_crisis": true, "setting": "in_person", "needs": ["rest"]}', "a", None
    )
    assert (old.version, old.risk, old.setting) == (2, "acute", "in_person_only")
    online = parse_answers('{"in_crisis": false, "setting": "online", "needs": ["rest"]}', "a")
    assert (online.risk, online.setting) == ("none", "online_only")


def test_version_2_keys_and_defaults() -> None:
    answers = parse_answers('{"needs": ["rest"]}', "a")
    assert (answers.risk, answers.for_whom, answers.age_band, answers.audiences) == (
        "none",
        "self",
        None,
        (),
    )
    assert answers.as_json_dict()["version"] == 2


def test_a_duplicate_key_is_an_error_naming_the_key_and_its_line() -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers('{"needs": ["rest"],\n "risk": "none",\n "risk": "acute"}', "a.json")
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (3, "risk")
    assert "given twice" in str(problem)


def test_unknown_audience_names_the_field() -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers('{"needs": ["rest"], "audiences": ["wizards"]}', "a", None, ["women"])
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "audiences")
    assert "unknown audience 'wizards'; expected one of: women" in str(problem)


def test_in_crisis_must_be_true_or_false_in_version_1() -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers('{"version": 1, "in_crisis": "true", "needs": ["rest"]}', "a")
    assert caught.value.problems[0].field == "in_crisis"
