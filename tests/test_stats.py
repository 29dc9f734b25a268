"""``catalog stats``: counts per format, town, language, leadership and setting; stale groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from groupfinder.cli.main import main
from groupfinder.domain.models import Catalog
from groupfinder.matching.rules import STALE_AFTER_DAYS
from groupfinder.present.stats import CatalogStats, catalog_stats, is_stale, stats_lines
from helpers import MakeCatalog, csv_text, row

TODAY = dt.date(2026, 6, 1)
YEAR_AGO = TODAY - dt.timedelta(days=STALE_AFTER_DAYS)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


ROWS = [
    row(
        id="a",
        format="support_group",
        leadership="peer",
        city="Gent",
        languages="nl;fr",
        last_verified=YEAR_AGO.isoformat(),
    ),
    row(
        id="b",
        format="support_group",
        leadership="peer",
        city="Gent",
        languages="nl",
        last_verified=(YEAR_AGO - dt.timedelta(days=1)).isoformat(),
    ),
    row(
        id="c",
        format="therapy_group",
        leadership="professional",
        city="Leuven",
        postcode="3000",
        latitude="50.88",
        longitude="4.70",
        languages="fr",
        last_verified="2020-01-31",
        setting="hybrid",
    ),
    row(
        id="d",
        format="workshop",
        leadership="trained",
        setting="online",
        address="",
        postcode="",
        city="",
        country="",
        latitude="",
        longitude="",
        languages="en",
        last_verified="",
    ),
]


@pytest.fixture
def stats(make_catalog: MakeCatalog) -> CatalogStats:
    return catalog_stats(make_catalog(ROWS), TODAY)


def counts(items: list[tuple[str, int]]) -> dict[str, int]:
    return dict(items)


def test_counts_per_kind(stats: CatalogStats) -> None:
    assert stats.total == 4
    assert counts(stats.formats) == {
        "support_group": 2,
        "therapy_group": 1,
        "workshop": 1,
        "wellness_retreat": 0,
        "art_therapy_psychodrama": 0,
        "personal_development": 0,
        "talk_group": 0,
    }
    assert counts(stats.towns) == {"Gent (BE)": 2, "Leuven (BE)": 1, "": 1}
    assert counts(stats.languages) == {"nl": 2, "fr": 2, "en": 1}
    assert counts(stats.leadership) == {"peer": 2, "professional": 1, "trained": 1}
    assert counts(stats.settings) == {"in_person": 2, "hybrid": 1, "online": 1}


def test_most_frequent_first_then_by_name(stats: CatalogStats) -> None:
    assert [value for value, _ in stats.formats][:3] == [
        "support_group",
        "therapy_group",
        "workshop",
    ]
    assert [value for value, _ in stats.languages] == ["fr", "nl", "en"]


def test_stale_means_older_than_a_year(stats: CatalogStats) -> None:
    assert [g.id for g in stats.stale] == ["c", "b"]  # oldest first; "a" is exactly a year old
    assert [g.id for g in stats.unchecked] == ["d"]


@pytest.mark.parametrize(
    ("checked", "stale"),
    [(None, False), (TODAY, False), (YEAR_AGO, False), (YEAR_AGO - dt.timedelta(days=1), True)],
)
def test_is_stale(make_catalog: MakeCatalog, checked: dt.date | None, stale: bool) -> None:
    text = checked.isoformat() if checked else ""
    (group,) = make_catalog([row(last_verified=text)]).groups
    assert is_stale(group, TODAY) is stale


def test_text_report(stats: CatalogStats) -> None:
    lines = stats_lines(stats, "en")
    assert lines[0] == "4 groups in the catalog."
    assert "Groups per format" in lines
    assert "  2  support_group            Support group" in lines
    assert "  0  talk_group               Talk group" in lines
    assert "  1  (no town)" in lines
    assert "Stale: 2 groups last checked more than 365 days before 2026-06-01" in lines
    assert "  2020-01-31  c  Test group" in lines
    assert "Never checked: 1 group" in lines
    assert "  -           d  Test group" in lines


def test_headings_and_names_follow_the_language(stats: CatalogStats) -> None:
    english, dutch = stats_lines(stats, "en"), stats_lines(stats, "nl")
    assert "Groups per format" in english
    assert "Groups per format" not in dutch
    assert any("support_group" in line and "Steungroep" in line for line in dutch)


def test_names_from_the_catalog_are_shown_literally(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        # Control characters are refused where the catalog is read (tests/test_hostile.py).
        [row(name="Bad[/]name", city="Gent[b]", last_verified="2001-01-01")]
    )
    text = "\n".join(stats_lines(catalog_stats(catalog, TODAY), "en"))
    assert "Bad[/]name" in text
    assert "Gent[b]" in text


def test_shipped_catalog(catalog: Catalog) -> None:
    stats = catalog_stats(catalog, dt.date(2026, 6, 1))
    assert sum(n for _, n in stats.formats) == len(catalog.groups)
    assert sum(n for _, n in stats.settings) == len(catalog.groups)
    assert len([t for t, _ in stats.towns if t]) >= 25


def test_stats_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "groups.csv").write_text(csv_text(ROWS), encoding="utf-8")
    code = main(["catalog", "stats", "--data", str(folder), "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("4 groups in the catalog.\n")
    assert "  2020-01-31  c  Test group\n" in out


def test_stats_command_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["catalog", "stats", "--today", "1 June"])
    assert caught.value.code == 2
    assert "expected a date as YYYY-MM-DD, got '1 June'" in capsys.readouterr().err
    assert main(["catalog", "stats", "--data", "/nonexistent/folder"]) == 2
    assert "is not a folder" in capsys.readouterr().err
