"""The one text gate: what untrusted text may hold, checked where it is read.

Every data file (formats.toml, helplines.toml, groups.csv, places.csv, kiosk.toml), answers
file, record and note passes :func:`check_text` once, where it is read; text from a third
party (an HSDS feed) passes :func:`clean_text`, which removes what the gate refuses. The same
set of characters is refused everywhere:

- C0 control characters (tab and newline only where a field allows several lines), DEL and
  every C1 control (U+0080 to U+009F): ESC starts terminal sequences, U+009B is a
  one-character CSI and U+009D an OSC on some terminals;
- bidirectional overrides, embeddings and isolates (U+202A to U+202E, U+2066 to U+2069) and
  marks (U+200E, U+200F, U+061C), which can show a phone number reversed;
- invisible characters that hide text or split words where nobody sees it: zero-width space
  U+200B, word joiner U+2060, invisible operators U+2061 to U+2064, U+FEFF inside text, and
  the line and paragraph separators U+2028 and U+2029. Zero-width (non-)joiners (U+200C,
  U+200D) are kept: emoji and several scripts need them.

The display helpers (:func:`visible`, :func:`one_line`, :func:`markdown_escape`) are a second
line of defence on the way out: they show any such character as a harmless escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from groupfinder.domain.errors import MAX_QUOTED as MAX_QUOTED
from groupfinder.domain.errors import Problem
from groupfinder.domain.errors import cut as cut
from groupfinder.domain.i18n import N_

#: The invisible characters the gate refuses, as ranges of code points (first, last).
INVISIBLE = (
    (0x061C, 0x061C),
    (0x200B, 0x200B),
    (0x200E, 0x200F),
    (0x2028, 0x2029),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
)
#: What a one-line text may not hold: every control character, then the invisible ones.
#: All are below U+10000 (one UTF-16 unit each: catalog/rows.py relies on it).
REFUSED_IN_A_LINE = ((0x00, 0x1F), (0x7F, 0x9F), *INVISIBLE)
#: The control characters a text of several lines may hold: tab and newline.
LINE_CONTROLS = (0x09, 0x0A)

Ranges = tuple[tuple[int, int], ...]


def _without(ranges: Ranges, points: tuple[int, ...]) -> Ranges:
    """``ranges`` without the code points ``points``."""
    kept = []
    for first, last in ranges:
        for point in sorted(p for p in points if first <= p <= last):
            if first < point:
                kept.append((first, point - 1))
            first = point + 1
        if first <= last:
            kept.append((first, last))
    return tuple(kept)


def _char_class(ranges: Ranges) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]")


#: What no text may hold (tab and newline aside).
_UNSAFE = _char_class(_without(REFUSED_IN_A_LINE, LINE_CONTROLS))
_INVISIBLE_ONE = _char_class(INVISIBLE)
_UNSAFE_LINE = _char_class(REFUSED_IN_A_LINE)
# Inline Markdown that could turn data into emphasis, code, links, HTML or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")

CONTROL_MESSAGE = N_(
    "holds a control or invisible character ({char}); remove it "
    "(only plain text, and line breaks where a field allows them)"
)


def unsafe_char(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` the gate refuses, or None when it is plain text.

    With ``multiline``, tab and newline (and a carriage return before a newline) are allowed.
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    match = (_UNSAFE if multiline else _UNSAFE_LINE).search(text)
    return match.group() if match else None


def has_control(text: str, *, line_breaks: bool = False) -> bool:
    """Whether ``text`` holds a character the gate refuses (see :func:`unsafe_char`)."""
    return unsafe_char(text, multiline=line_breaks) is not None


def char_name(char: str) -> str:
    """A refused character as a person can look it up: ``U+202E``."""
    return f"U+{ord(char):04X}"


def check_text(
    value: str,
    *,
    file: str,
    line: int | None = None,
    field: str | None = None,
    multiline: bool = False,
) -> Problem | None:
    """The problem with ``value`` read from ``file`` at ``line``, ``field``; None when fine."""
    char = unsafe_char(value, multiline=multiline)
    if char is None:
        return None
    return Problem(file, CONTROL_MESSAGE, line=line, field=field, values={"char": char_name(char)})


def clean_text(value: str, *, multiline: bool = False) -> tuple[str, bool]:
    """Third-party ``value`` without what the gate refuses, and whether anything was removed.

    Control characters become spaces (they often stand where a space was meant); bidi and
    invisible characters are dropped.
    """
    if unsafe_char(value, multiline=multiline) is None:
        return value, False
    if multiline:
        value = value.replace("\r\n", "\n")
    pattern = _UNSAFE if multiline else _UNSAFE_LINE
    cleaned = pattern.sub(lambda m: "" if _INVISIBLE_ONE.match(m.group()) else " ", value)
    return cleaned, True


def visible(text: str) -> str:
    """``text`` with every refused character shown as a harmless escape such as ``\\x1b``."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """:func:`visible`, folded onto one line."""
    return " ".join(visible(text).split())


def markdown_escape(text: str) -> str:
    """Catalog text as literal Markdown: no links, emphasis, HTML or table breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def strings_in(
    data: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in decoded TOML or JSON ``data`` (keys too), with where it is."""
    stack: list[tuple[tuple[str | int, ...], object]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if isinstance(key, str):
                    yield (*where, key), key
                stack.append(((*where, key), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*where, i), item) for i, item in reversed(list(enumerate(value))))


def check_tree(
    data: object,
    *,
    file: str,
    locate: Callable[[tuple[str | int, ...]], int | None],
    multiline: Callable[[tuple[str | int, ...]], bool] = lambda _: False,
) -> list[Problem]:
    """:func:`check_text` on every string of decoded ``data``; ``locate`` gives a line."""
    problems = []
    for where, value in strings_in(data):
        if unsafe_char(value, multiline=multiline(where)) is None:
            continue
        dotted = ".".join(str(part) for part in where) or None
        problem = check_text(
            value, file=file, line=locate(where), field=dotted, multiline=multiline(where)
        )
        if problem is not None:
            problems.append(problem)
    return problems


# --------------------------------------------------------------------------- spreadsheet cells

_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")
#: What a cell that a spreadsheet reads as a formula starts with (or hides it from view).
_FORMULA_FIRST = "=+@\t\r"
#: Every first character of a cell that :func:`guard_cell` may change: a cell that starts
#: with anything else is written as it is.
GUARDED_FIRST = frozenset(_FORMULA_FIRST + "-'")


def needs_guard(cell: str) -> bool:
    """Whether a spreadsheet would read ``cell`` as a formula (or hide a leading character).

    A cell starting with ``=``, ``+``, ``@``, a tab or a carriage return, or with ``-`` when it
    is not a plain negative number; and, so that every value comes back the same, a cell that
    starts with ``'`` followed by any of those.
    """
    if not cell:
        return False
    first = cell[0]
    if first in _FORMULA_FIRST:
        return True
    if first == "-":
        return _NUMBER.fullmatch(cell) is None
    return first == "'" and needs_guard(cell[1:])


def guard_cell(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it: ``'=SUM(A1)`` for ``=SUM(A1)``."""
    return "'" + cell if needs_guard(cell) else cell


def unguard_cell(cell: str) -> str:
    """The value :func:`guard_cell` wrote: ``unguard_cell(guard_cell(v)) == v`` for every v."""
    return cell[1:] if cell.startswith("'") and needs_guard(cell[1:]) else cell
