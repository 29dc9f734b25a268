"""The one order of helplines for a person (DESIGN.md, contract 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from groupfinder.catalog.loader import HELPLINES_FILE, shipped_data_dir
from groupfinder.cli.main import main
from groupfinder.domain.models import Catalog, Language
from groupfinder.matching.helplines import helplines_for_person


def phones(
    catalog: Catalog, country: str | None, language: Language, *speaks: Language
) -> list[str]:
    return [h.phone for h in helplines_for_person(catalog.helplines, country, language, speaks)]


@pytest.mark.parametrize(
    ("country", "language", "speaks", "expected"),
    [
        # A French speaker in Brussels: the French-language crisis line first.
        ("BE", "fr", ("fr",), ["0800 32 123", "1813", "112", "107", "106"]),
        ("BE", "nl", ("nl",), ["1813", "0800 32 123", "112", "106", "107"]),
        # Reading English, following Dutch: the Dutch line is one they speak.
        ("BE", "en", ("nl",), ["1813", "0800 32 123", "112", "106", "107"]),
        ("NL", "nl", ("nl",), ["113", "0800-0113", "112", "088 0767 000"]),
    ],
)
def test_order_for_a_person(
    catalog: Catalog,
    country: str,
    language: Language,
    speaks: tuple[Language, ...],
    expected: list[str],
) -> None:
    assert phones(catalog, country, language, *speaks) == expected


def test_without_a_country_every_line_with_the_persons_language_first(catalog: Catalog) -> None:
    ordered = helplines_for_person(catalog.helplines, None, "fr", ("fr",))
    assert ordered[0].phone == "0800 32 123"
    assert {h.country for h in ordered} == {"BE", "NL", "EU"}
    crisis = [h.crisis for h in ordered]
    assert crisis == sorted(crisis, reverse=True), "crisis lines before listening lines"


# ------------------------------------------------------------------ helplines.toml validation

SHIPPED = (shipped_data_dir() / HELPLINES_FILE).read_text(encoding="utf-8")


def tables(text: str) -> list[str]:
    """The ``[[helplines]]`` tables of a helplines.toml, each as its own text."""
    return ["[[helplines]]" + part for part in text.split("[[helplines]]")[1:]]


def without(*phones: str) -> str:
    """The shipped file without the lines of these phone numbers."""
    return "".join(t for t in tables(SHIPPED) if not any(f'phone = "{p}"' in t for p in phones))


def validate(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    code = main(["catalog", "validate", "--data", str(data)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("helplines = []\n", ["no crisis line for BE", "no crisis line for NL", "112"]),
        (without("113", "0800-0113"), ["no crisis line for NL"]),
        (without("1813", "0800 32 123"), ["no crisis line for BE"]),
        (without("112"), ["emergency number 112"]),
        # Only the other country's lines (and their listening lines): Belgium has none.
        (without("1813", "0800 32 123", "106", "107", "112"), ["for BE", "112"]),
    ],
    ids=["no lines", "no NL", "no BE", "no 112", "only NL"],
)
def test_a_file_a_person_in_crisis_would_miss_a_number_in_does_not_validate(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    missing: list[str],
) -> None:
    (tmp_path / HELPLINES_FILE).write_text(text, encoding="utf-8")
    code, err = validate(tmp_path, capsys, monkeypatch)
    assert code == 2
    problems = [line for line in err.splitlines() if line.startswith(str(tmp_path))]
    assert len(problems) == len(missing), err
    for problem, expected in zip(problems, missing, strict=True):
        assert problem.startswith(f"{tmp_path / HELPLINES_FILE}: helplines: "), problem
        assert expected in problem


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('languages = ["fr"]\n', "", "helplines.1.languages"),
        ('languages = ["fr"]\n', "languages = []\n", "helplines.1.languages"),
        (
            'hours = { nl = "24 uur op 24, gratis en anoniem", ',
            "hours = { ",
            "helplines.1.hours.nl",
        ),
        ('about = { nl = "Franstalige crisislijn', 'about = { nl = " ", xx = "', None),
        (
            'en = "French-language crisis line for people thinking about suicide, and for those'
            ' close to them." }',
            'en = "  " }',
            "helplines.1.about.en",
        ),
        ('name = "Centre de Prévention du Suicide"', 'name = { nl = "C", fr = "C" }', None),
    ],
    ids=["no languages", "empty languages", "no Dutch hours", "bad about", "blank about", "name"],
)
def test_every_line_needs_languages_hours_and_about_texts_in_three_languages(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    field: str | None,
) -> None:
    assert old in SHIPPED
    (tmp_path / HELPLINES_FILE).write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    code, err = validate(tmp_path, capsys, monkeypatch)
    assert code == 2
    first = err.splitlines()[0]
    line = SHIPPED.splitlines().index("[[helplines]]", 20) + 1  # the second line's table
    assert first.startswith(f"{tmp_path / HELPLINES_FILE}:{line}: helplines.1."), err
    if field is not None:
        assert f": {field}: " in first, err


def test_the_shipped_file_validates_and_names_are_translated(catalog: Catalog) -> None:
    emergency = next(h for h in catalog.helplines if h.phone == "112")
    names = {emergency.name.get(code) for code in ("nl", "fr", "en")}
    assert names == {"Noodnummer 112", "Numéro d'urgence 112", "Emergency number 112"}
    assert all(h.languages and h.about.fr and h.hours.en for h in catalog.helplines)
