"""QR codes: the one payload packer (:func:`qr_payload`, for the kiosk's screen and the
handout's paper alike), the pages of codes for a small screen, and the code drawn in text
cells.

**The QR code in text.** :func:`qr_text_rows` draws two modules per character cell, the
upper one and the lower one, with four characters:

========  ==========  ============
char      upper       lower
========  ==========  ============
``█``     dark        dark
``▀``     dark        light
``▄``     light       dark
`` ``     light       light
========  ==========  ============

Draw every row in **black on white** (foreground ``#000000``, background ``#FFFFFF``), whatever
the theme: dark modules are then the foreground and light ones the background, which is what
phones expect. The rows include the four-module quiet zone; when the code has an odd number of
module rows, the last text row has a light lower half (more quiet zone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import segno

from groupfinder.domain.i18n import tr, trn
from groupfinder.domain.models import Group, Helpline, Topic
from groupfinder.domain.text import one_line
from groupfinder.domain.vocabulary import Language
from groupfinder.domain.words import who_for
from groupfinder.present.facts import contact_lines

# --------------------------------------------------------------------------- the QR code

#: The most a QR code holds: version 40, error correction L, byte mode.
QR_MAX_VERSION: Final = 40
QR_MAX_BYTES: Final = 2953
QR_BORDER: Final = 4
DARK_DARK, DARK_LIGHT, LIGHT_DARK, LIGHT_LIGHT = "█", "▀", "▄", " "
QR_CELLS: Final = {
    (True, True): DARK_DARK,
    (True, False): DARK_LIGHT,
    (False, True): LIGHT_DARK,
    (False, False): LIGHT_LIGHT,
}


def _make_qr(payload: str, max_version: int = QR_MAX_VERSION) -> segno.QRCode | None:
    """The QR code of ``payload`` (UTF-8, at least level L), or None when it does not fit."""
    try:
        qr = segno.make(payload, error="l", encoding="utf-8", micro=False, boost_error=True)
    except segno.DataOverflowError:
        return None
    version = qr.version
    return qr if isinstance(version, int) and version <= max_version else None


def qr_max_version(columns: int, rows: int) -> int:
    """The largest QR version whose text rows (with quiet zone) fit ``columns`` x ``rows``.

    0 when not even version 1 fits.
    """
    best = 0
    for version in range(1, QR_MAX_VERSION + 1):
        side = 17 + 4 * version + 2 * QR_BORDER
        if side <= columns and (side + 1) // 2 <= rows:
            best = version
    return best


#: Names longer than this are shortened (…) in a code; a shortened group keeps less.
QR_NAME_LIMIT: Final = 80
QR_SHORT_NAME_LIMIT: Final = 40


def _fits(payload: str, max_version: int | None, max_bytes: int | None) -> bool:
    if max_bytes is not None and len(payload.encode("utf-8")) > max_bytes:
        return False
    return max_version is None or _make_qr(payload, max_version) is not None


def _budget(max_version: int | None, max_bytes: int | None) -> str:
    parts = [f"up to version {max_version}"] if max_version is not None else []
    parts += [f"of at most {max_bytes} bytes"] if max_bytes is not None else []
    return " ".join(parts)


def _clip(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_block(
    group: Group,
    language: Language,
    audiences: Mapping[str, Topic] | None = None,
    *,
    compact: bool = False,
) -> str:
    """A group's lines in a code: its name, who it is for (when ``audiences`` is given) and
    its contacts; ``compact``: a shorter name and the first contact only."""
    if compact:
        contact = group.contact
        first = next((c for c in (contact.phone, contact.email, contact.website) if c), None)
        return "\n".join(
            [_clip(group.name, QR_SHORT_NAME_LIMIT), *([one_line(first)] if first else [])]
        )
    lines = [_clip(group.name, QR_NAME_LIMIT)]
    if audiences is not None:
        lines.append(one_line(who_for(group, audiences, language)))
    lines += contact_lines(group, language)
    return "\n".join(lines)


def _help_block(helplines: Sequence[Helpline], hidden: int, language: Language) -> str | None:
    if not helplines and not hidden:
        return None
    lines = [tr(language, "Help lines:")]
    lines.extend(f"{one_line(h.name.get(language))}: {one_line(h.phone)}" for h in helplines)
    if hidden:
        lines.append(trn(language, "+{n} more help line", "+{n} more help lines", hidden))
    return "\n".join(lines)


@dataclass(frozen=True)
class TakeHomeFurther:
    """Short plain lines on where to look further, and whether they come before the groups
    (while the catalog is sample data: the real directories first)."""

    lines: tuple[str, ...] = ()
    first: bool = False


def _text(
    heading: str,
    blocks: Sequence[str],
    rest: str | None,
    help_block: str | None,
    further: TakeHomeFurther | None = None,
) -> str:
    """The payload: the heading, the groups, what was left out, where to look further and
    the help lines, each a paragraph (a blank line between); with ``further.first`` the
    places to look further come right after the heading."""
    look = "\n".join(one_line(line) for line in further.lines) if further else ""
    before, after = ([look], []) if further and further.first else ([], [look])
    return "\n\n".join(
        part for part in [heading, *before, *blocks, rest, *after, help_block] if part
    )


def _more_groups(language: Language) -> Callable[[int], str]:
    return lambda n: trn(language, "+{n} more group", "+{n} more groups", n)


def _payload(
    groups: Sequence[Group],
    left_out: int,
    helplines: Sequence[Helpline],
    hidden: int,
    language: Language,
    part: tuple[int, int] | None = None,
    audiences: Mapping[str, Topic] | None = None,
    further: TakeHomeFurther | None = None,
) -> str:
    heading = tr(language, "groupfinder: your groups")
    if part is not None:
        heading += f" ({part[0]}/{part[1]})"
    return _text(
        heading,
        [group_block(group, language, audiences) for group in groups],
        _more_groups(language)(left_out) if left_out else None,
        _help_block(helplines, hidden, language),
        further,
    )


def qr_payload(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int | None = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
    *,
    max_bytes: int | None = None,
    heading: str | None = None,
    more: Callable[[int], str] | None = None,
    further: TakeHomeFurther | None = None,
) -> str:
    """The plain text a phone reads from a QR code: the one packer of every code we make.

    The ``heading`` (default "groupfinder: your groups"), then the groups in order (name, who
    it is for when the ``audiences`` vocabulary is given, phone, email, website), then the
    help lines (name and phone). It fits a QR code up to ``max_version`` (level L, as the
    kiosk draws it; None: no limit; see :func:`qr_max_version` for a code that fits the
    screen) and at most ``max_bytes`` of UTF-8 (None: no limit). A group that does not fit
    whole is shortened to its name and first contact; when even that does not fit, the rest
    are left out and ``more(n)`` (default "+N more groups") says how many. Help lines are
    only cut (with "+N more help lines") when no group fits beside them. ``further`` (short
    lines: where to look further) is kept like the help lines.
    Raises ValueError when not even the heading fits.
    """
    heading = tr(language, "groupfinder: your groups") if heading is None else heading
    more = _more_groups(language) if more is None else more

    def fits(text: str) -> bool:
        return _fits(text, max_version, max_bytes)

    rest = more(len(groups)) if groups else None
    help_block = _help_block(helplines, 0, language)
    if not fits(_text(heading, [], rest, help_block, further)):
        for keep in range(len(helplines) - 1, -1, -1):
            hidden = len(helplines) - keep
            text = _text(
                heading, [], rest, _help_block(helplines[:keep], hidden, language), further
            )
            if fits(text):
                return text
        raise ValueError(f"no QR code {_budget(max_version, max_bytes)} holds even the heading")
    blocks: list[str] = []
    for n, group in enumerate(groups):
        left = len(groups) - n - 1
        tail = more(left) if left else None
        for block in (
            group_block(group, language, audiences),
            group_block(group, language, compact=True),
        ):
            if fits(_text(heading, [*blocks, block], tail, help_block, further)):
                blocks.append(block)
                break
        else:
            return _text(heading, blocks, more(len(groups) - n), help_block, further)
    return _text(heading, blocks, None, help_block, further)


def qr_pages(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
    further: TakeHomeFurther | None = None,
) -> list[str]:
    """The take-home payloads for codes no larger than ``max_version``, to show one by one.

    One code when everything fits. Otherwise the groups, in order, are spread over several
    codes, each headed "(1/3)", "(2/3)", ...; the help lines go on the last code, or on one
    of their own. Nothing is left out, so the list is empty when not even one group (or the
    help lines) fits a code that small: the screen is too small for a useful code.
    ``further`` (where to look further) goes with the help lines, as in :func:`qr_payload`.
    """
    everything = _payload(groups, 0, helplines, 0, language, audiences=audiences, further=further)
    if _make_qr(everything, max_version) is not None:
        return [everything]
    # Pack with the widest heading a page can get, so that the real one fits too.
    widest = (len(groups) + 1, len(groups) + 1)
    pages: list[Sequence[Group]] = []
    start = 0
    while start < len(groups):
        count = 0
        while start + count < len(groups):
            trial = _payload(
                groups[start : start + count + 1], 0, [], 0, language, widest, audiences=audiences
            )
            if _make_qr(trial, max_version) is None:
                break
            count += 1
        if count == 0:
            return []
        pages.append(groups[start : start + count])
        start += count
    with_help = bool(pages) and (
        _make_qr(
            _payload(
                pages[-1], 0, helplines, 0, language, widest, audiences=audiences, further=further
            ),
            max_version,
        )
        is not None
    )
    if (
        not with_help
        and _make_qr(
            _payload([], 0, helplines, 0, language, widest, audiences=audiences, further=further),
            max_version,
        )
        is None
    ):
        return []
    total = len(pages) + (0 if with_help else 1)
    texts = [
        _payload(
            page,
            0,
            helplines if with_help and n == len(pages) else [],
            0,
            language,
            (n, total),
            audiences=audiences,
            further=further if with_help and n == len(pages) else None,
        )
        for n, page in enumerate(pages, start=1)
    ]
    if not with_help:
        texts.append(
            _payload(
                [], 0, helplines, 0, language, (total, total), audiences=audiences, further=further
            )
        )
    return texts


def qr_matrix(payload: str, max_version: int = QR_MAX_VERSION) -> list[list[bool]]:
    """The modules of the QR code of ``payload``, True = dark, with the 4-module quiet zone.

    Raises ValueError when ``payload`` does not fit (use :func:`qr_payload` first).
    """
    qr = _make_qr(payload, max_version)
    if qr is None:
        raise ValueError(f"the payload does not fit in a QR code up to version {max_version}")
    return [[bool(module) for module in row] for row in qr.matrix_iter(scale=1, border=QR_BORDER)]


def qr_text_rows(matrix: Sequence[Sequence[bool]]) -> list[str]:
    """Two module rows per text row, with the characters of :data:`QR_CELLS` (module docs).

    Draw the rows black on white. An odd last module row gets a light lower half.
    """
    rows: list[str] = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        rows.append(
            "".join(QR_CELLS[(bool(a), bool(b))] for a, b in zip(upper, lower, strict=True))
        )
    return rows
