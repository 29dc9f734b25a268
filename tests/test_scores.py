"""How a reason and a match read, the one presenter behind the table, Markdown and screens."""

from __future__ import annotations

import pytest

from groupfinder.domain.words import Reason
from groupfinder.present.scores import bar_cells, reason_line


@pytest.mark.parametrize(
    ("points", "language", "sign", "tone", "shown"),
    [
        (6.0, "en", "+", "plus", "(+6)"),
        (19.5, "nl", "+", "plus", "(+19,5)"),
        (-5.0, "fr", "\u2212", "minus", "(-5)"),
        (0.0, "en", "·", "neutral", ""),
    ],
)
def test_a_reason_has_one_sign_tone_and_points(
    points: float, language: str, sign: str, tone: str, shown: str
) -> None:
    line = reason_line(Reason("size", points, "A small group\nof eight"), language)  # type: ignore[arg-type]
    assert (line.sign, line.tone, line.points) == (sign, tone, shown)
    assert line.text == "A small group of eight"


def test_the_markdown_item_escapes_the_text_and_keeps_the_points() -> None:
    line = reason_line(Reason("topic", 40.0, "On *your* topic"), "en")
    assert line.markdown == r"   - On \*your\* topic (+40)"
    assert reason_line(Reason("x", 0.0, "Check the times"), "en").markdown == "   - Check the times"


@pytest.mark.parametrize(
    ("match", "width", "cells"),
    [
        (0, 10, ("", "░" * 10, "   0%")),
        (50, 10, ("█" * 5, "░" * 5, "  50%")),
        (100, 5, ("█" * 5, "", " 100%")),
        (87, 5, ("█" * 4, "░", "  87%")),
        (140, 4, ("█" * 4, "", " 140%")),
    ],
)
def test_a_match_bar_is_always_as_wide_as_asked(
    match: int, width: int, cells: tuple[str, str, str]
) -> None:
    assert bar_cells(match, width) == cells
    assert len(cells[0] + cells[1]) == width
