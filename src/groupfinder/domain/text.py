"""Keep catalog and user strings literal on the way to a terminal or a document."""

from __future__ import annotations

import re

# C0 controls (but tab and newline), DEL and the C1 controls: ESC starts terminal sequences,
# and U+009B is a one-character CSI on some terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Inline Markdown that could turn data into emphasis, code, links, HTML or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control(text: str, *, line_breaks: bool = False) -> bool:
    """Whether ``text`` holds a control character (tab and newline allowed with ``line_breaks``)."""
    return bool((_CONTROL if line_breaks else _CONTROL_OR_BREAK).search(text))


def visible(text: str) -> str:
    """``text`` with every control character shown as a harmless escape such as ``\\x1b``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """:func:`visible`, folded onto one line."""
    return " ".join(visible(text).split())


def markdown_escape(text: str) -> str:
    """Catalog text as literal Markdown: no links, emphasis, HTML or table breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
