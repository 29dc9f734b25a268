"""The one order of helplines for a person (DESIGN.md, contract 2)."""

from __future__ import annotations

import pytest

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
