"""The client's handout: a kind, readable A4 PDF in the client's language, with a QR code.

It holds the kinds of group talked about (with why), the groups to contact (with contact
and schedule), the seed articles' tips for joining a group, the helplines of the client's
country and a QR code with the chosen groups' names and contacts. A client in crisis sees
the helplines first. Everything is made in memory: nothing is written to disk here.

Catalog text is escaped before it reaches reportlab's paragraph markup, so a group called
``<b>x</b>`` prints as those characters. The font is Bitstream Vera, which ships inside
reportlab and covers the accents of Dutch and French and the euro sign.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab.graphics.shapes import Drawing, Rect  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from groupfinder.domain.i18n import format_day, tr
from groupfinder.domain.models import Catalog, Group, Helpline, Language
from groupfinder.domain.text import one_line
from groupfinder.matching.matcher import GroupResult, Recommendation
from groupfinder.modes.record import Record
from groupfinder.present.facts import (
    chosen_formats,
    chosen_groups,
    group_facts,
)
from groupfinder.present.further import LookFurther, look_further_section
from groupfinder.present.qr import qr_payload

FONT = "GroupfinderSans"
FONT_BOLD = "GroupfinderSans-Bold"
FONT_ITALIC = "GroupfinderSans-Italic"

#: The QR code holds at most this many bytes (UTF-8): version 19 at error level M, 93 modules
#: a side, which a phone reads easily at :data:`QR_SIZE` on paper.
QR_MAX_BYTES = 600
QR_ERROR = "m"
QR_SIZE = 50 * mm
#: White modules around the code, as the QR standard asks.
QR_QUIET_ZONE = 4

INK = colors.HexColor("#1d3b3a")
ACCENT = colors.HexColor("#2f6f6a")
MUTED = colors.HexColor("#555555")


def same_answers(rec: Recommendation, record: Record) -> None:
    """Refuse to mix a ranking with the answers of another intake."""
    if rec.answers != record.answers:
        raise ValueError("the recommendation was made for other answers than the record's")


# --------------------------------------------------------------------------- the QR code


def handout_qr_payload(
    groups: Sequence[Group], language: Language, limit: int = QR_MAX_BYTES
) -> str:
    """The handout's code: the groups' names and contacts, at most ``limit`` bytes of UTF-8.

    Packed by :func:`groupfinder.present.qr.qr_payload` (groups that do not fit whole are
    shortened to their name and first contact; when even that does not fit, the text ends
    with how many more groups are on the handout).
    """
    return qr_payload(
        groups,
        [],
        language,
        max_version=None,
        max_bytes=limit,
        heading="groupfinder: " + tr(language, "Groups to contact"),
        more=lambda n: tr(language, "+ {n} more on the handout", n=n),
    )


def qr_code(payload: str) -> segno.QRCode:
    """The QR code of ``payload`` at error level M (never boosted: the size stays known)."""
    return segno.make(payload, error=QR_ERROR, boost_error=False, micro=False)


def qr_drawing(payload: str, size: float = QR_SIZE) -> Drawing:
    """The QR code as vector squares: one rectangle per horizontal run of dark modules."""
    code = qr_code(payload)
    rows = [list(row) for row in code.matrix]
    count = len(rows) + 2 * QR_QUIET_ZONE
    module = size / count
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            drawing.add(
                Rect(
                    (start + QR_QUIET_ZONE) * module,
                    size - (y + 1 + QR_QUIET_ZONE) * module,
                    (x - start) * module,
                    module,
                    fillColor=colors.black,
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
    return drawing


# --------------------------------------------------------------------------- the PDF


@functools.cache
def _register_fonts() -> None:
    # Vera ships inside reportlab (reportlab/fonts): no system font is needed.
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, "VeraIt.ttf"))
    pdfmetrics.registerFont(TTFont(FONT + "-BoldItalic", "VeraBI.ttf"))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT + "-BoldItalic"
    )


@dataclass(frozen=True)
class _Styles:
    title: Any
    meta: Any
    heading: Any
    body: Any
    name: Any
    small: Any
    label: Any
    footer: Any


@functools.cache
def _styles() -> _Styles:
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK)
    return _Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=4
        ),
        meta=ParagraphStyle("meta", parent=body, textColor=MUTED, fontSize=9.5, spaceAfter=8),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=6,
        ),
        body=ParagraphStyle("body2", parent=body, spaceAfter=4),
        name=ParagraphStyle(
            "name", parent=body, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=6
        ),
        small=ParagraphStyle("small", parent=body, fontSize=9.5, leading=13),
        label=ParagraphStyle("label", parent=body, fontSize=9.5, leading=13, textColor=MUTED),
        footer=ParagraphStyle("footer", parent=body, fontSize=8, leading=10, textColor=MUTED),
    )


def pdf_text(text: str) -> str:
    """Catalog or user text as literal reportlab paragraph markup, on one line."""
    # Vera has no narrow spaces; Babel uses them in some French number formats.
    text = one_line(text).replace("\u202f", "\xa0").replace("\u2009", " ")
    return escape(text)


def _para(text: str, style: Any) -> Paragraph:
    return Paragraph(pdf_text(text), style)


def _bullets(items: list[str], style: Any) -> ListFlowable:
    return ListFlowable(
        [ListItem(_para(item, style), leftIndent=12) for item in items],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=FONT,
        bulletFontSize=9,
    )


def _helplines(lang: Language, lines: Sequence[Helpline], st: _Styles, crisis: bool) -> list[Any]:
    title = tr(lang, "Help right now") if crisis else tr(lang, "If you need someone to talk to")
    out: list[Any] = [_para(title, st.heading)]
    if crisis:
        out.append(_para(tr(lang, "You do not have to face this alone. Help right now:"), st.body))
    rows = []
    for h in lines:
        detail = h.hours.get(lang) + (f" · {h.url}" if h.url else "")
        rows.append(
            [
                Paragraph(f"<b>{pdf_text(h.phone)}</b>", st.body),
                Paragraph(f"<b>{pdf_text(h.name.get(lang))}</b><br/>{pdf_text(detail)}", st.small),
            ]
        )
    table = Table(rows, colWidths=[32 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out.append(table)
    return out


def _group(
    result: GroupResult, catalog: Catalog, lang: Language, st: _Styles, today: dt.date
) -> KeepTogether:
    g = result.group
    parts: list[Any] = [_para(g.name, st.name)]
    if g.description:
        parts.append(_para(g.description, st.small))
    if result.missed:
        parts.append(_para(tr(lang, "Misses: {what}", what=result.missed), st.small))
    rows = [
        [_para(label, st.label), _para(value, st.small)]
        for label, value in group_facts(result, catalog, lang, today)
    ]
    table = Table(rows, colWidths=[34 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    parts += [Spacer(1, 3), table, Spacer(1, 6)]
    return KeepTogether(parts)


def _qr_section(lang: Language, groups: list[Group], st: _Styles) -> KeepTogether:
    text = [
        _para(tr(lang, "Keep the contacts on your phone"), st.heading),
        _para(
            tr(
                lang,
                "Scan this code with your phone's camera: it holds the names "
                "and contacts of the groups above.",
            ),
            st.body,
        ),
    ]
    table = Table([[text, qr_drawing(handout_qr_payload(groups, lang))]], colWidths=[None, QR_SIZE])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([table])


def _look_further(section: LookFurther, st: _Styles) -> list[Any]:
    """Where to look further: heading, intro, and each place with its web address, offer
    and source. The sample-data line is among the notices above."""
    story: list[Any] = [_para(section.title, st.heading), _para(section.intro, st.body)]
    for p in section.entries:
        story.append(
            KeepTogether(
                [
                    _para(p.name, st.name),
                    _para(p.url, st.body),
                    _para(p.about, st.body),
                    _para(p.provenance, st.small),
                ]
            )
        )
    return story


def handout_story(rec: Recommendation, catalog: Catalog, record: Record) -> list[Any]:
    """The flowables of the handout, top to bottom."""
    same_answers(rec, record)
    lang = record.answers.language
    st = _styles()
    header = record.header
    story: list[Any] = [_para(tr(lang, "Groups that may help you"), st.title)]
    meta = [format_day(lang, header.date)]
    if header.counselor:
        meta.append(tr(lang, "Counselor: {initials}", initials=header.counselor))
    meta.append(tr(lang, "Reference: {code}", code=header.client_ref))
    story.append(_para(" · ".join(meta), st.meta))

    helplines = rec.helplines
    if record.answers.at_risk:
        story += _helplines(lang, helplines, st, crisis=True)
    story.append(
        _para(
            tr(
                lang,
                "These are the kinds of group and the groups we talked about. Take your time, "
                "and choose what feels right for you.",
            ),
            st.body,
        )
    )
    story += [_para(notice.text, st.body) for notice in rec.notices]
    further = look_further_section(rec)
    if further.first:  # sample data: the real directories before the fictional groups
        story += _look_further(further, st)

    story.append(_para(tr(lang, "Kinds of group we talked about"), st.heading))
    for result in chosen_formats(rec, record):
        fmt = result.format
        block: list[Any] = [
            _para(fmt.name.get(lang), st.name),
            _para(fmt.description.get(lang), st.body),
        ]
        why = [r.text for r in result.reasons if r.points > 0]
        if why:
            block.append(_para(tr(lang, "Why it may suit you:"), st.small))
            block.append(_bullets(why, st.small))
        story.append(KeepTogether(block))

    groups = chosen_groups(rec, catalog, record)
    story.append(_para(tr(lang, "Groups to contact"), st.heading))
    if not groups:
        story.append(_para(tr(lang, "We did not choose a group together this time."), st.body))
    story += [_group(result, catalog, lang, st, header.date) for result in groups]

    if groups:
        story.append(_qr_section(lang, [r.group for r in groups], st))

    if not further.first:
        story += _look_further(further, st)

    if catalog.advice:
        tips = [a.text.get(lang) for a in catalog.advice]
        story.append(
            KeepTogether(
                [_para(tr(lang, "Tips for joining a group"), st.heading), _bullets(tips, st.body)]
            )
        )

    if not record.answers.at_risk:
        story += _helplines(lang, helplines, st, crisis=False)

    return story


def handout_pdf(rec: Recommendation, catalog: Catalog, record: Record) -> bytes:
    """The client's handout as PDF bytes (A4), in the client's language."""
    lang = record.answers.language
    st = _styles()
    title = tr(lang, "Groups that may help you")
    footer = tr(
        lang,
        "groupfinder is not a diagnosis. It suggests kinds of groups and groups "
        "near you; you decide what feels right.",
    )

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        note = Paragraph(pdf_text(footer), st.footer)
        width = A4[0] - doc.leftMargin - doc.rightMargin - 18 * mm
        _, height = note.wrap(width, 20 * mm)
        note.drawOn(canvas, doc.leftMargin, 10 * mm + (10 * mm - height) / 2)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(A4[0] - doc.rightMargin, 12 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=24 * mm,
        title=title,
        author="groupfinder",
        creator="groupfinder",
        lang=lang,
        invariant=True,
    )
    document.build(handout_story(rec, catalog, record), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
