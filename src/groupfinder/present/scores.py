"""How points and matches read, on every surface: a reason's sign, tone and points, and the
cells of a match bar. The table, the Markdown outputs and the screens only add their styling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from groupfinder.domain.i18n import format_points
from groupfinder.domain.text import markdown_escape, one_line
from groupfinder.domain.vocabulary import Language

if TYPE_CHECKING:
    from groupfinder.domain.words import Reason

Tone = Literal["plus", "minus", "neutral"]
#: The sign before a reason: a real minus sign reads better than a hyphen.
SIGNS: dict[Tone, str] = {"plus": "+", "minus": "\u2212", "neutral": "·"}
BAR_WIDTH = 10
BAR_FILLED, BAR_EMPTY = "█", "░"


@dataclass(frozen=True)
class ReasonLine:
    """One reason as a person reads it: "+ Led by peers (+6)"."""

    tone: Tone
    text: str
    #: The points in brackets, signed, in the person's language; "" for a reason without points.
    points: str

    @property
    def sign(self) -> str:
        return SIGNS[self.tone]

    @property
    def markdown(self) -> str:
        """The Markdown list item under a numbered format or group (text escaped)."""
        return f"   - {markdown_escape(self.text)}{f' {self.points}' if self.points else ''}"


def reason_line(reason: Reason, language: Language) -> ReasonLine:
    tone: Tone = "plus" if reason.points > 0 else "minus" if reason.points < 0 else "neutral"
    points = f"({format_points(language, reason.points)})" if reason.points else ""
    return ReasonLine(tone, one_line(reason.text), points)


def reason_lines(reasons: tuple[Reason, ...], language: Language) -> list[ReasonLine]:
    return [reason_line(reason, language) for reason in reasons]


def bar_cells(match: int, width: int = BAR_WIDTH) -> tuple[str, str, str]:
    """A match bar: the filled part, the empty part and the number ("█████░░░░░", " 50%")."""
    filled = round(max(0, min(100, match)) / 100 * width)
    return BAR_FILLED * filled, BAR_EMPTY * (width - filled), f" {match:>3}%"
