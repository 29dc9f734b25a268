"""data/directories.toml and the look-further API: the shipped file, every bad input, the order."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from groupfinder.catalog.directories import (
    DIRECTORIES_FILE,
    directories_path,
    load_directories,
    look_further,
    region_of,
    stale_entries,
)
from groupfinder.catalog.loader import FORMATS_FILE, load_formats, shipped_data_dir
from groupfinder.domain.directory import GENERAL, REGIONS, Directory, Region
from groupfinder.domain.errors import CatalogError, Problem

TODAY = dt.date(2026, 12, 1)
SHIPPED = shipped_data_dir() / DIRECTORIES_FILE
_REASON = re.compile(r"^#\s*no confirmed entry for (\S+) in (\S+):\s*(\S.*)$")


@pytest.fixture(scope="module")
def vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    declared = load_formats(shipped_data_dir() / FORMATS_FILE)
    return frozenset(declared.topics), frozenset(declared.formats)


@pytest.fixture(scope="module")
def shipped(vocabulary: tuple[frozenset[str], frozenset[str]]) -> tuple[Directory, ...]:
    topics, formats = vocabulary
    return load_directories(SHIPPED, topics, formats, today=TODAY)


# --------------------------------------------------------------------------- the shipped file


def test_shipped_file_validates(shipped: tuple[Directory, ...]) -> None:
    assert len(shipped) >= 30
    assert len({d.id for d in shipped}) == len(shipped)
    assert all(d.url.startswith("https://") for d in shipped)
    assert all(d.checked <= TODAY for d in shipped)


def test_shipped_file_validates_today(vocabulary: tuple[frozenset[str], frozenset[str]]) -> None:
    topics, formats = vocabulary
    assert load_directories(SHIPPED, topics, formats)


def test_every_region_has_a_general_directory(shipped: tuple[Directory, ...]) -> None:
    for region in REGIONS:
        general = look_further(shipped, [], region, limit=100)
        assert general, region
        assert all(d.general and region in d.regions for d in general)


def _reasons() -> dict[tuple[str, str], str]:
    reasons: dict[tuple[str, str], str] = {}
    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        match = _REASON.match(line.strip())
        if match:
            topic, region, why = match.groups()
            assert (topic, region) not in reasons, f"two reasons for {topic} in {region}"
            reasons[topic, region] = why
    return reasons


def test_every_topic_and_region_has_an_entry_or_a_reason(
    shipped: tuple[Directory, ...], vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    topics, _formats = vocabulary
    reasons = _reasons()
    missing = []
    for topic in sorted(topics - {GENERAL}):
        for region in REGIONS:
            found = [d for d in look_further(shipped, [topic], region) if topic in d.topics]
            if found:
                assert (topic, region) not in reasons, f"{topic} in {region} has an entry"
            elif (topic, region) not in reasons:
                missing.append(f"{topic} in {region}")
    assert not missing, "no entry and no reason for: " + ", ".join(missing)
    for topic, where in reasons:
        assert topic in topics, topic
        assert where in REGIONS, where


def test_shipped_texts_say_when_a_service_is_in_another_language(
    shipped: tuple[Directory, ...],
) -> None:
    for d in shipped:
        if d.languages == ("nl",):
            assert "(en néerlandais)" in d.about.fr, d.id
            assert "(in Dutch)" in d.about.en, d.id
        if d.languages == ("fr",) and d.id != "santementale-brussels":
            assert "(in het Frans)" in d.about.nl or "in het Frans)" in d.about.nl, d.id
            assert "in French)" in d.about.en, d.id


# --------------------------------------------------------------------------- bad input

GOOD: dict[str, Any] = {
    "id": "a-one",
    "name": "A",
    "url": "https://a.example.org",
    "about": {"nl": "Een.", "fr": "Un.", "en": "One."},
    "regions": ["BE-VLG"],
    "topics": ["grief"],
    "formats": ["support_group"],
    "languages": ["nl"],
    "source": "https://a.example.org/about",
    "checked": dt.date(2026, 11, 1),
}


def _value(value: Any) -> str:
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\u{ord(m[0]):04x}", escaped) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(value)


def _table(entry: Mapping[str, Any]) -> list[str]:
    return ["[[directories]]", *(f"{key} = {_value(value)}" for key, value in entry.items())]


def _write(tmp_path: Path, *entries: Mapping[str, Any], raw: str = "") -> Path:
    lines: list[str] = []
    for entry in entries:
        lines += [*_table(entry), ""]
    path = tmp_path / DIRECTORIES_FILE
    path.write_text("\n".join(lines) + raw, encoding="utf-8")
    return path


def _problems(path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]) -> list[Problem]:
    topics, formats = vocabulary
    with pytest.raises(CatalogError) as info:
        load_directories(path, topics, formats, today=TODAY)
    for problem in info.value.problems:
        assert problem.file == str(path)
        assert str(problem)  # every message renders with its values
    return info.value.problems


def _line_of(path: Path, key: str, after: int) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n in range(after, len(lines)) if lines[n].startswith(f"{key} =")) + 1


SECOND = 13  # the header line of the second entry written by _write(GOOD, bad)


@pytest.mark.parametrize(
    ("change", "field", "key", "says"),
    [
        ({"topics": ["grief", "sadness"]}, "topics.1", "topics", "'sadness'"),
        ({"formats": ["yoga"]}, "formats.0", "formats", "'yoga'"),
        ({"regions": ["BE-XX"]}, "regions.0", "regions", "BE-VLG"),
        ({"languages": ["de"]}, "languages.0", "languages", "'de'"),
        ({"url": "http://a.example.org"}, "url", "url", "https://"),
        ({"url": "www.example.org"}, "url", "url", "https://"),
        ({"url": "https://no host"}, "url", "url", "https://"),
        ({"source": "the leaflet"}, "source", "source", "web address"),
        ({"checked": "2026-13-01"}, "checked", "checked", "YYYY-MM-DD"),
        ({"checked": "1 December 2026"}, "checked", "checked", "YYYY-MM-DD"),
        ({"checked": dt.date(2027, 1, 1)}, "checked", "checked", "future"),
        ({"checked": "2027-01-01"}, "checked", "checked", "future"),
        ({"about": {"nl": "Een.", "en": "One."}}, "about.fr", "about", "missing"),
        ({"about": {"nl": "Een.", "fr": "", "en": "One."}}, "about.fr", "about", ""),
        ({"about": {"nl": "Een.", "fr": "Un\u001b[31m.", "en": "One."}}, "about.fr", "about", ""),
        ({"name": "A\u009bB"}, "name", "name", "control"),
        ({"name": "A\nB"}, "name", "name", "control"),
        ({"id": "Bad Id"}, "id", "id", "lowercase"),
        ({"id": "a-one"}, "id", "id", "line 1"),
        ({"regions": []}, "regions", "regions", "at least"),
        ({"topics": "grief"}, "topics", "topics", "list"),
        ({"phone": ""}, "phone", "phone", ""),
        ({"colour": "red"}, "colour", "colour", "unknown key"),
    ],
)
def test_a_bad_value_names_file_line_and_field(
    tmp_path: Path,
    vocabulary: tuple[frozenset[str], frozenset[str]],
    change: dict[str, Any],
    field: str,
    key: str,
    says: str,
) -> None:
    bad = {**GOOD, "id": "a-two", **change}
    path = _write(tmp_path, GOOD, bad)
    problems = _problems(path, vocabulary)
    assert [p.field for p in problems] == [f"directories.1.{field}"]
    assert problems[0].line == _line_of(path, key, SECOND)
    assert says in str(problems[0])


def test_a_missing_key_points_at_its_table(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    bad = {k: v for k, v in GOOD.items() if k != "source"} | {"id": "a-two"}
    [problem] = _problems(_write(tmp_path, GOOD, bad), vocabulary)
    assert (problem.field, problem.line) == ("directories.1.source", SECOND)
    assert "required" in str(problem)


def test_every_problem_of_the_file_is_reported(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    bad = {**GOOD, "id": "a-two", "topics": ["x", "y"], "url": "ftp://a", "checked": "2030-01-01"}
    third = {**GOOD, "id": "a-one", "languages": ["xx"]}
    problems = _problems(_write(tmp_path, GOOD, bad, third), vocabulary)
    assert sorted(p.field or "" for p in problems) == [
        "directories.1.checked",
        "directories.1.topics.0",
        "directories.1.topics.1",
        "directories.1.url",
        "directories.2.id",
        "directories.2.languages.0",
    ]


def test_a_duplicate_id_names_the_first_line(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    [problem] = _problems(_write(tmp_path, GOOD, GOOD), vocabulary)
    assert (problem.field, problem.line) == ("directories.1.id", SECOND + 1)
    assert "first used on line 1" in str(problem)


def test_a_sub_table_is_found_by_its_header(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    entry = {k: v for k, v in GOOD.items() if k != "about"}
    raw = '[directories.about]\nnl = "Een."\nfr = "Un\\u0007."\nen = "One."\n'
    path = _write(tmp_path, entry, raw=raw)
    [problem] = _problems(path, vocabulary)
    assert (problem.field, problem.line) == ("directories.0.about.fr", len(entry) + 4)


def test_the_file_itself_must_hold_directories(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    path = tmp_path / DIRECTORIES_FILE
    path.write_text('title = "x"\n', encoding="utf-8")
    problems = _problems(path, vocabulary)
    assert [(p.field, p.line) for p in problems] == [("title", 1), ("directories", None)]
    path.write_text('directories = "x"\n', encoding="utf-8")
    [problem] = _problems(path, vocabulary)
    assert (problem.field, problem.line) == ("directories", 1)


def test_not_toml_names_the_line(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    path = _write(tmp_path, GOOD, raw="[[directories]]\nid = \n")
    [problem] = _problems(path, vocabulary)
    assert problem.line == len(GOOD) + 3
    assert "TOML" in str(problem)


def test_a_good_file_loads_in_order(
    tmp_path: Path, vocabulary: tuple[frozenset[str], frozenset[str]]
) -> None:
    topics, formats = vocabulary
    second = {**GOOD, "id": "a-two", "phone": "1712", "checked": "2026-12-01", "formats": []}
    loaded = load_directories(_write(tmp_path, GOOD, second), topics, formats, today=TODAY)
    assert [d.id for d in loaded] == ["a-one", "a-two"]
    assert loaded[1].checked == TODAY
    assert loaded[1].formats == ()
    assert loaded[0].about.get("fr") == "Un."


# --------------------------------------------------------------------------- region_of


@pytest.mark.parametrize(
    ("country", "postcode", "region"),
    [
        ("BE", "1000", "BE-BRU"),
        ("BE", "1299", "BE-BRU"),
        ("BE", "1300", "BE-WAL"),
        ("BE", "1499", "BE-WAL"),
        ("BE", "1500", "BE-VLG"),
        ("BE", "3999", "BE-VLG"),
        ("BE", "4000", "BE-WAL"),
        ("BE", "7999", "BE-WAL"),
        ("BE", "8000", "BE-VLG"),
        ("BE", "9000", "BE-VLG"),
        ("be", " 1050 ", "BE-BRU"),
        ("NL", "1012 AB", "NL"),
        ("NL", None, "NL"),
        ("BE", None, None),
        ("BE", "", None),
        ("BE", "abcd", None),
        ("BE", "0999", None),
        ("BE", "12345", None),
        ("BE", "\u0661\u0660\u0660\u0660", None),
        (None, "1000", None),
        ("FR", "75001", None),
    ],
)
def test_region_of(country: str | None, postcode: str | None, region: Region | None) -> None:
    assert region_of(country, postcode) == region


# --------------------------------------------------------------------------- look_further


def _entry(
    id: str, topics: list[str], regions: list[str], checked: str = "2026-11-01"
) -> Directory:
    return Directory.model_validate(
        {**GOOD, "id": id, "topics": topics, "regions": regions, "checked": checked}
    )


ENTRIES = (
    _entry("zz-grief", ["grief"], ["BE-VLG"]),
    _entry("aa-grief", ["grief", "loneliness"], ["BE-VLG", "BE-BRU"]),
    _entry("mm-general", ["general"], ["BE-VLG"]),
    _entry("bb-general", ["general"], ["BE-VLG", "NL"]),
    _entry("cc-both", ["general", "addiction"], ["BE-VLG"]),
    _entry("nl-grief", ["grief"], ["NL"]),
    _entry("wal-stress", ["stress"], ["BE-WAL"]),
)


def _ids(entries: tuple[Directory, ...]) -> list[str]:
    return [d.id for d in entries]


def test_topic_entries_first_then_general_ones_each_by_id() -> None:
    assert _ids(look_further(ENTRIES, ["grief"], "BE-VLG")) == [
        "aa-grief",
        "zz-grief",
        "bb-general",
        "cc-both",
        "mm-general",
    ]


def test_an_entry_on_the_topic_and_general_counts_once_as_on_the_topic() -> None:
    assert _ids(look_further(ENTRIES, ["addiction"], "BE-VLG", limit=10)) == [
        "cc-both",
        "bb-general",
        "mm-general",
    ]


def test_only_the_persons_region_unless_unknown() -> None:
    assert _ids(look_further(ENTRIES, ["grief"], "NL")) == ["nl-grief", "bb-general"]
    assert _ids(look_further(ENTRIES, ["stress"], "BE-BRU")) == []
    assert _ids(look_further(ENTRIES, ["grief"], None, limit=10)) == [
        "aa-grief",
        "nl-grief",
        "zz-grief",
        "bb-general",
        "cc-both",
        "mm-general",
    ]


def test_no_topics_or_the_general_topic_give_the_general_entries() -> None:
    general = ["bb-general", "cc-both", "mm-general"]
    assert _ids(look_further(ENTRIES, [], "BE-VLG")) == general
    assert _ids(look_further(ENTRIES, ["general"], "BE-VLG")) == general


def test_limit() -> None:
    assert _ids(look_further(ENTRIES, ["grief"], "BE-VLG", limit=2)) == ["aa-grief", "zz-grief"]
    assert look_further(ENTRIES, ["grief"], "BE-VLG", limit=0) == ()
    with pytest.raises(ValueError, match="limit"):
        look_further(ENTRIES, ["grief"], "BE-VLG", limit=-1)


def test_the_order_of_the_input_and_of_the_topics_changes_nothing() -> None:
    expected = look_further(ENTRIES, ["grief", "addiction"], "BE-VLG", limit=10)
    shuffled = list(ENTRIES)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert look_further(iter(shuffled), ("addiction", "grief"), "BE-VLG", limit=10) == expected


# --------------------------------------------------------------------------- stale_entries


def test_stale_entries_are_older_than_a_year_oldest_first() -> None:
    entries = (
        _entry("exactly-a-year", ["grief"], ["NL"], "2025-12-01"),
        _entry("a-day-more", ["grief"], ["NL"], "2025-11-30"),
        _entry("fresh", ["grief"], ["NL"], "2026-11-30"),
        _entry("old", ["grief"], ["NL"], "2019-05-01"),
        _entry("also-old", ["grief"], ["NL"], "2019-05-01"),
    )
    assert _ids(stale_entries(entries, TODAY)) == ["also-old", "old", "a-day-more"]


def test_stale_on_a_leap_day() -> None:
    entries = (
        _entry("on-the-28th", ["grief"], ["NL"], "2027-02-28"),
        _entry("the-day-before", ["grief"], ["NL"], "2027-02-27"),
    )
    assert _ids(stale_entries(entries, dt.date(2028, 2, 29))) == ["the-day-before"]


def test_the_shipped_stale_entries_are_the_ones_dated_by_their_page(
    shipped: tuple[Directory, ...],
) -> None:
    assert _ids(stale_entries(shipped, TODAY)) == [
        "depressie-vereniging",
        "prevention-suicide-deuil",
    ]


def test_an_operator_folder_may_bring_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)
    assert directories_path() == SHIPPED
    assert directories_path(tmp_path) == SHIPPED  # no file there: the shipped one
    own = _write(tmp_path, GOOD)
    assert directories_path(tmp_path) == own
