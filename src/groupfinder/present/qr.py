"""QR codes: the payload packer and the code drawn in text cells.

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

from collections.abc import Mapping, Sequence
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


def _payload(
    groups: Sequence[Group],
    left_out: int,
    helplines: Sequence[Helpline],
    hidden: int,
    language: Language,
    part: tuple[int, int] | None = None,
    audiences: Mapping[str, Topic] | None = None,
) -> str:
    lines = [tr(language, "groupfinder: your groups")]
    if part is not None:
        lines[0] += f" ({part[0]}/{part[1]})"
    for group in groups:
        lines.append("")
        lines.append(one_line(group.name))
        if audiences is not None:
            lines.append(one_line(who_for(group, audiences, language)))
        lines += contact_lines(group, language)
    if left_out:
        lines.extend(["", trn(language, "+{n} more group", "+{n} more groups", left_out)])
    if helplines or hidden:
        lines.extend(["", tr(language, "Help lines:")])
        lines.extend(f"{one_line(h.name)}: {one_line(h.phone)}" for h in helplines)
        if hidden:
            lines.append(trn(language, "+{n} more help line", "+{n} more help lines", hidden))
    return "\n".join(lines)


def qr_payload(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
) -> str:
    """The plain text a phone reads from the take-home QR code.

    The chosen groups (name, who it is for when the ``audiences`` vocabulary is given, phone,
    email, website) in order, then the help lines (name and phone). When it does not fit in a
    QR code of ``max_version`` (default 40, the largest; see :func:`qr_max_version` for a code
    that fits the screen), groups are left out from the end and a "+N more groups" line says
    so; help lines are only cut when no group is left.
    Raises ValueError when not even the heading fits.
    """
    for keep in range(len(groups), -1, -1):
        text = _payload(
            groups[:keep], len(groups) - keep, helplines, 0, language, audiences=audiences
        )
        if _make_qr(text, max_version) is not None:
            return text
    for keep in range(len(helplines) - 1, -1, -1):
        text = _payload(
            [], len(groups), helplines[:keep], len(helplines) - keep, language, audiences=audiences
        )
        if _make_qr(text, max_version) is not None:
            return text
    raise ValueError(f"no QR code up to version {max_version} holds even the heading")


def qr_pages(
    groups: Sequence[Group],
    helplines: Sequence[Helpline],
    language: Language,
    max_version: int = QR_MAX_VERSION,
    audiences: Mapping[str, Topic] | None = None,
) -> list[str]:
    """The take-home payloads for codes no larger than ``max_version``, to show one by one.

    One code when everything fits. Otherwise the groups, in order, are spread over several
    codes, each headed "(1/3)", "(2/3)", ...; the help lines go on the last code, or on one
    of their own. Nothing is left out, so the list is empty when not even one group (or the
    help lines) fits a code that small: the screen is too small for a useful code.
    """
    everything = _payload(groups, 0, helplines, 0, language, audiences=audiences)
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
            _payload(pages[-1], 0, helplines, 0, language, widest, audiences=audiences), max_version
        )
        is not None
    )
    if (
        not with_help
        and _make_qr(
            _payload([], 0, helplines, 0, language, widest, audiences=audiences), max_version
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
        )
        for n, page in enumerate(pages, start=1)
    ]
    if not with_help:
        texts.append(_payload([], 0, helplines, 0, language, (total, total), audiences=audiences))
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
