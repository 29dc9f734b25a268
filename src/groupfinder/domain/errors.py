"""Problems with input, reported the same way everywhere.

Every problem names the file, the line (when there is one) and the field, and says what was
expected. Loaders collect all problems of a file before raising, so a person fixes a
spreadsheet in one go rather than one error at a time.

A problem's message is an English template marked for translation, with ``{name}``
placeholders filled from ``values``; :meth:`Problem.render` gives it in any language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from groupfinder.domain.i18n import tr

if TYPE_CHECKING:
    from groupfinder.domain.models import Language


#: Longest value quoted in a message; longer ones are cut (a 10 MB cell is not echoed back).
MAX_QUOTED = 80


def cut(value: str, limit: int = MAX_QUOTED) -> str:
    """``value`` cut to ``limit`` characters with an ellipsis, for quoting in a message."""
    return value if len(value) <= limit else value[:limit] + "…"


class _Cut:
    """A value quoted in a message, cut to a readable length whichever way it is formatted."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return cut(_safe(repr, self.value))

    def __str__(self) -> str:
        return cut(_safe(str, self.value))

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(self.value, spec)


def _safe(show: Any, value: object) -> str:
    try:
        return str(show(value))
    except ValueError:  # an integer of more than 4,300 digits
        return "…"


#: Lists of what is expected and reasons may be longer than a quoted value, not endless.
_LIMITS = {"expected": 1000, "reason": 300}


def _quotable(value: object, limit: int) -> object:
    if isinstance(value, bool | float) or (isinstance(value, int) and abs(value) < 10**30):
        return value
    if isinstance(value, str):
        return cut(value, limit)
    return _Cut(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def render(self, language: Language = "en") -> str:
        where = cut(self.file, MAX_QUOTED * 3)
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {cut(self.field)}"
        values = {key: _quotable(v, _LIMITS.get(key, MAX_QUOTED)) for key, v in self.values.items()}
        from groupfinder.domain.text import one_line  # text imports this module

        # Whatever a value held, the message reaches the terminal as one plain line.
        return one_line(f"{where}: {tr(language, self.message, **values)}")

    def __str__(self) -> str:
        return self.render("en")


class FieldError(ValueError):
    """A bad value, raised by a field parser; the loader adds file, line and field."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


class InputError(Exception):
    """Bad input: the CLI prints every problem and exits with status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class CatalogError(InputError):
    """The catalog (formats.toml, groups.csv, helplines.toml, places.csv) is invalid."""


class AnswersError(InputError):
    """An answers file is missing, unreadable or invalid."""
