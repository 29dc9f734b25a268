"""Counselor exports: the record and its loader, the handout PDF, the summary, atomic writes."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pypdf
import pytest

from groupfinder.catalog import atomic
from groupfinder.catalog.places import PlaceIndex
from groupfinder.cli.main import main
from groupfinder.domain.errors import AnswersError
from groupfinder.domain.i18n import format_day, tr
from groupfinder.domain.models import Answers, Catalog, Contact, Group, Language
from groupfinder.matching.matcher import Matcher, Recommendation
from groupfinder.modes.record import IntakeHeader, Record, load_answers_or_record, record_json
from groupfinder.present import export, handout
from groupfinder.present.export import (
    ExportError,
    ExportExists,
    calendar_ics,
    default_basename,
    default_export_dir,
    export_files,
    export_paths,
    render_exports,
    summary_markdown,
)
from groupfinder.present.facts import chosen_groups
from groupfinder.present.handout import (
    QR_MAX_BYTES,
    handout_pdf,
    handout_qr_payload,
    qr_code,
    qr_drawing,
)
from helpers import MakeCatalog, row

DAY = dt.date(2026, 11, 21)
#: A fictional sample group in Gent with a phone, an e-mail and a price.
GENT_GROUP = "gf-0001"
EVIL = "<b>x</b> & [bold]Boom[/bold]"


def intake(
    matcher: Matcher, language: Language = "nl", **values: Any
) -> tuple[Recommendation, Record]:
    """A recommendation and a record for a client in Gent (BE)."""
    answers = Answers.model_validate(
        {"needs": ["therapy", "recognition"], "language": language, "location": "Gent", **values}
    )
    rec = matcher.recommend(answers)
    record = Record(
        answers=answers,
        header=IntakeHeader(client_ref="C-7F3K2Q", date=DAY, counselor="AB"),
        notes="Wil eerst één sessie proberen.\nVraagt naar *kosten* & <vervoer>.",
        pinned_formats=("support_group", "therapy_group"),
        pinned_groups=(rec.groups[1].group.id,),
        suggested_groups=(GENT_GROUP, rec.groups[0].group.id),
    )
    return rec, record


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root``, with the files' contents."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


# --------------------------------------------------------------------------- the record


def test_header_defaults_to_a_code_today_and_no_initials() -> None:
    header = IntakeHeader()
    assert re.fullmatch(r"C-[A-HJKMNP-Z2-9]{6}", header.client_ref)
    assert header.date == dt.date.today()
    assert header.counselor == ""
    codes = {IntakeHeader().client_ref for _ in range(50)}
    assert len(codes) > 45


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"client_ref": "C-1\nJan"}, "one line"),
        ({"client_ref": "   "}, "must not be empty"),
        ({"counselor": "ABCDEFGHI"}, "too long: 9 characters, at most 8"),
        ({"date": "21/11/2026"}, "YYYY-MM-DD"),
        ({"date": 20261121}, "YYYY-MM-DD"),
        ({"name": "Jan"}, "Extra inputs are not permitted"),
    ],
)
def test_header_rejects_bad_values(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IntakeHeader.model_validate(values)


def test_record_json_has_a_fixed_shape(matcher: Matcher) -> None:
    _, record = intake(matcher)
    text = record_json(record)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == [
        "version",
        "kind",
        "answers",
        "header",
        "notes",
        "pinned_formats",
        "pinned_groups",
        "suggested_groups",
    ]
    assert data["kind"] == "groupfinder-record"
    assert data["answers"] == record.answers.as_json_dict()
    assert data["header"] == {"client_ref": "C-7F3K2Q", "date": "2026-11-21", "counselor": "AB"}
    assert data["suggested_groups"][0] == GENT_GROUP
    assert "één" in text  # UTF-8, not \u escapes
    assert record_json(record) == text


def test_record_round_trips_through_json(
    matcher: Matcher, catalog: Catalog, tmp_path: Path
) -> None:
    _, record = intake(matcher)
    path = tmp_path / "record.json"
    path.write_text(record_json(record), encoding="utf-8")
    answers, loaded = load_answers_or_record(str(path), catalog=catalog)
    assert loaded == record
    assert answers == record.answers
    assert record_json(loaded) == record_json(record)


def test_a_plain_answers_file_loads_without_a_record(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"needs": ["rest"], "topics": ["grief"]}', encoding="utf-8")
    answers, record = load_answers_or_record(str(path), catalog=catalog)
    assert record is None
    assert answers.needs == ("rest",) and answers.topics == ("grief",)


def test_a_record_loads_from_standard_input(matcher: Matcher, catalog: Catalog) -> None:
    _, record = intake(matcher)
    answers, loaded = load_answers_or_record("-", record_json(record), catalog.topics)
    assert loaded == record and answers == record.answers


def problems_of(tmp_path: Path, data: dict[str, Any], catalog: Catalog | None) -> list[str]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        load_answers_or_record(str(path), catalog=catalog)
    return [p.render("en") for p in caught.value.problems]


def test_record_problems_name_file_line_and_field(
    matcher: Matcher, catalog: Catalog, tmp_path: Path
) -> None:
    _, record = intake(matcher)
    data = json.loads(record_json(record))
    data["pinned_groups"] = ["no-such-group"]
    data["pinned_formats"] = ["yoga"]
    data["header"]["counselor"] = "ABCDEFGHIJK"
    data["header"]["nickname"] = "Jan"
    data["answers"]["needs"] = ["sleep"]
    problems = problems_of(tmp_path, data, catalog)
    file = str(tmp_path / "record.json")
    text = (tmp_path / "record.json").read_text(encoding="utf-8").splitlines()

    def line_of(key: str) -> int:
        return next(n for n, line in enumerate(text, start=1) if f'"{key}":' in line)

    assert (
        f"{file}:{line_of('pinned_groups')}: pinned_groups: unknown group id 'no-such-group'"
        in ("\n".join(problems))
    )
    assert any(
        p.startswith(f"{file}:{line_of('pinned_formats')}: pinned_formats: ") for p in problems
    )
    assert any("header.counselor: too long: 11 characters" in p for p in problems)
    assert any("header.nickname: unknown key" in p for p in problems)
    assert any("answers.needs.0: unknown value 'sleep'" in p for p in problems)
    assert len(problems) == 5


def test_record_ids_are_only_checked_against_a_catalog(matcher: Matcher, tmp_path: Path) -> None:
    _, record = intake(matcher)
    data = json.loads(record_json(record))
    data["pinned_groups"] = ["from-another-catalog"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _, loaded = load_answers_or_record(str(path))
    assert loaded is not None and loaded.pinned_groups == ("from-another-catalog",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "something-else"}, "kind: unknown value 'something-else'"),
        ({"version": 3}, "version: unsupported version 3"),
        ({"notes": "bell \x07"}, "notes: holds a control"),
        ({"extra": 1}, "extra: unknown key"),
    ],
)
def test_bad_records_are_refused(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    _, record = intake(matcher)
    problems = problems_of(tmp_path, {**json.loads(record_json(record)), **change}, catalog)
    assert any(message in p for p in problems), problems


def test_recommend_accepts_a_record(
    matcher: Matcher,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)
    _, record = intake(matcher)
    (tmp_path / "record.json").write_text(record_json(record), encoding="utf-8")
    (tmp_path / "answers.json").write_text(
        json.dumps(record.answers.as_json_dict()), encoding="utf-8"
    )
    outputs = []
    for name in ("record.json", "answers.json"):
        code = main(["recommend", "--answers", str(tmp_path / name), "--format", "json"])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1]
    assert outputs[0]["answers"]["location"] == "Gent"

    monkeypatch.setattr(sys, "stdin", io.StringIO(record_json(record)))
    assert main(["recommend", "--answers", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == outputs[0]

    data = json.loads(record_json(record))
    data["answers"]["group_size"] = "huge"
    (tmp_path / "bad.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    code = main(["recommend", "--answers", str(tmp_path / "bad.json")])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"{tmp_path / 'bad.json'}:" in err and "answers.group_size: unknown value 'huge'" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- the handout


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_handout_is_in_the_clients_language(
    matcher: Matcher, catalog: Catalog, language: Language
) -> None:
    rec, record = intake(matcher, language)
    data = handout_pdf(rec, catalog, record)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for heading in (
        "Groups that may help you",
        "Kinds of group we talked about",
        "Groups to contact",
        "Tips for joining a group",
        "If you need someone to talk to",
        "Keep the contacts on your phone",
    ):
        assert tr(language, heading) in text
    assert format_day(language, DAY) in text
    for format_id in record.pinned_formats:
        assert catalog.formats[format_id].name.get(language) in text
    for group_id in record.suggested_groups:
        group = catalog.groups_by_id[group_id]
        assert group.name in text
        assert group.contact.email and group.contact.email in text
    gent = catalog.groups_by_id[GENT_GROUP]
    assert gent.contact.phone and gent.contact.phone in text
    assert gent.schedule and gent.schedule in text
    assert "€" in text
    assert catalog.advice[0].text.get(language) in text
    # A client in Belgium: the Belgian lines and 112, not the Dutch ones.
    assert "1813" in text and "112" in text and "113 Zelfmoordpreventie" not in text
    assert "diagnos" in text  # "not a diagnosis", in every language


def test_handout_keeps_accents_and_markup_literal(
    make_catalog: MakeCatalog, places: PlaceIndex
) -> None:
    catalog = make_catalog(
        [
            row(id="t-1", name=EVIL, contact_phone="+32 9 123 45 67", cost_eur="12.5"),
            row(id="t-2", name="Café Ëlan: ça va", schedule="Élke dinsdag", cost_eur="0"),
        ]
    )
    answers = Answers.model_validate({"needs": ["recognition"], "language": "fr"})
    rec = Matcher(catalog, places).recommend(answers)
    record = Record(answers=answers, suggested_groups=("t-1", "t-2"))
    text = pdf_text(handout_pdf(rec, catalog, record))
    assert EVIL in text
    assert "Café Ëlan: ça va" in text and "Élke dinsdag" in text
    assert "12,50 €" in text.replace("\xa0", " ")
    assert "Gratuit" in text


def test_handout_shows_the_helplines_first_in_a_crisis(matcher: Matcher, catalog: Catalog) -> None:
    rec, record = intake(matcher, "en", risk="acute")
    text = pdf_text(handout_pdf(rec, catalog, record))
    assert text.index("Help right now") < text.index("1813") < text.index("Kinds of group")
    rec, record = intake(matcher, "en")
    text = pdf_text(handout_pdf(rec, catalog, record))
    assert text.index("Kinds of group") < text.index("1813")


def test_handout_without_picks_shows_the_best(matcher: Matcher, catalog: Catalog) -> None:
    rec, record = intake(matcher, "en")
    record = record.model_copy(
        update={"pinned_formats": (), "pinned_groups": (), "suggested_groups": ()}
    )
    text = pdf_text(handout_pdf(rec, catalog, record))
    # The kinds are shown with their description; the third kind is not among them.
    about = [" ".join(r.format.description.get("en").split()) for r in rec.formats]
    assert about[0] in text and about[1] in text and about[2] not in text
    for result in rec.groups[:3]:
        assert result.group.name in text
    assert rec.groups[3].group.name not in text


def test_pinned_groups_are_shown_when_none_is_suggested(matcher: Matcher, catalog: Catalog) -> None:
    rec, record = intake(matcher, "en")
    record = record.model_copy(update={"suggested_groups": ()})
    assert [r.group.id for r in chosen_groups(rec, catalog, record)] == list(record.pinned_groups)
    text = pdf_text(handout_pdf(rec, catalog, record))
    assert catalog.groups_by_id[record.pinned_groups[0]].name in text
    assert catalog.groups_by_id[GENT_GROUP].name not in text


def test_a_chosen_group_outside_the_ranking_is_still_shown(
    matcher: Matcher, catalog: Catalog
) -> None:
    rec, record = intake(matcher, "en")
    ranked = {r.group.id for r in (*rec.groups, *rec.near_misses)}
    outside = next(g for g in catalog.groups if g.id not in ranked and g.setting != "online")
    record = record.model_copy(update={"suggested_groups": (outside.id,)})
    (result,) = chosen_groups(rec, catalog, record)
    assert result.group == outside
    assert result.distance_km is not None and result.distance_km > 0
    assert outside.name in pdf_text(handout_pdf(rec, catalog, record))


def test_renderers_refuse_a_ranking_of_other_answers(matcher: Matcher, catalog: Catalog) -> None:
    rec, record = intake(matcher, "en")
    other, _ = intake(matcher, "en", needs=["rest"])
    with pytest.raises(ValueError, match="other answers"):
        handout_pdf(other, catalog, record)
    with pytest.raises(ValueError, match="other answers"):
        summary_markdown(other, catalog, record)
    assert summary_markdown(rec, catalog, record)


# --------------------------------------------------------------------------- the QR code


def sample_group(n: int, name: str) -> Group:
    return Group(
        id=f"q-{n}",
        name=name,
        format="support_group",
        topics=("grief",),
        leadership="peer",
        setting="online",
        languages=("nl",),
        contact=Contact(
            phone=f"+32 9 000 00 {n:02d}",
            email=f"group-{n}@example.org",
            website=f"https://example.org/groups/{n}",
        ),
    )


def test_qr_payload_holds_the_groups_contacts() -> None:
    groups = [sample_group(1, "Rouwgroep Gent"), sample_group(2, "Praatgroep Brugge")]
    payload = handout_qr_payload(groups, "nl")
    assert payload.splitlines()[0] == "groupfinder: " + tr("nl", "Groups to contact")
    for group in groups:
        assert group.name in payload
        assert group.contact.phone and group.contact.phone in payload
        assert group.contact.email and group.contact.email in payload
        assert group.contact.website and group.contact.website in payload
    assert "more" not in payload and "nog" not in payload
    code = qr_code(payload)
    assert code.error == "M" and code.mode == "byte"


def test_a_large_selection_still_fits_in_the_qr_code() -> None:
    groups = [sample_group(n, f"Groupe de parole très long numéro {n} " * 4) for n in range(60)]
    payload = handout_qr_payload(groups, "fr")
    assert len(payload.encode("utf-8")) <= QR_MAX_BYTES
    assert groups[0].name[:30] in payload
    assert "…" in payload  # long names are shortened
    blocks = payload.split("\n\n")
    match = re.fullmatch(r"\+ (\d+) de plus sur la fiche", blocks[-1])
    assert match, blocks[-1]
    shown = blocks[1:-1]
    assert len(shown) >= 3
    assert len(shown) + int(match.group(1)) == 60
    assert all("example.org" in block or "+32 9" in block for block in shown)
    code = qr_code(payload)
    assert code.error == "M" and isinstance(code.version, int) and code.version <= 19


def test_qr_payload_is_plain_text() -> None:
    group = sample_group(1, "Evil \x1b[2J group\nwith a newline")
    payload = handout_qr_payload([group], "en")
    assert "\x1b" not in payload and "Evil \\x1b[2J group with a newline" in payload


def dark_modules(drawing: Any, size: int) -> list[list[bool]]:
    """The modules a drawing paints black, read back from its rectangles."""
    from reportlab.lib import colors  # type: ignore[import-untyped]

    module = drawing.width / (size + 2 * handout.QR_QUIET_ZONE)
    grid = [[False] * size for _ in range(size)]
    for shape in drawing.contents:
        if shape.fillColor != colors.black:
            continue
        x0 = round(shape.x / module) - handout.QR_QUIET_ZONE
        top = round((drawing.height - shape.y) / module) - 1 - handout.QR_QUIET_ZONE
        for x in range(x0, x0 + round(shape.width / module)):
            grid[top][x] = True
    return grid


def test_qr_drawing_paints_exactly_the_dark_modules() -> None:
    payload = handout_qr_payload([sample_group(1, "Rouwgroep Gent")], "nl")
    code = qr_code(payload)
    matrix = [[bool(cell) for cell in line] for line in code.matrix]
    assert dark_modules(qr_drawing(payload), len(matrix)) == matrix


def test_qr_drawing_decodes_to_the_payload() -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image, ImageDraw

    payload = handout_qr_payload(
        [sample_group(1, "Café Ëlan"), sample_group(2, "Praatgroep")], "fr"
    )
    size = len(list(qr_code(payload).matrix))
    grid = dark_modules(qr_drawing(payload), size)
    scale, quiet = 6, handout.QR_QUIET_ZONE
    image = Image.new("L", ((size + 2 * quiet) * scale,) * 2, 255)
    pen = ImageDraw.Draw(image)
    for y, line in enumerate(grid):
        for x, dark in enumerate(line):
            if dark:
                left, top = (x + quiet) * scale, (y + quiet) * scale
                pen.rectangle((left, top, left + scale - 1, top + scale - 1), fill=0)
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == payload


# --------------------------------------------------------------------------- the summary


def test_summary_has_header_answers_notes_picks_and_helplines(
    matcher: Matcher, catalog: Catalog
) -> None:
    rec, record = intake(matcher, "en")
    text = summary_markdown(rec, catalog, record)
    assert text.startswith("# Intake summary: C-7F3K2Q\n")
    assert "- Date: 21 November 2026" in text and "- Counselor: AB" in text
    assert "- **What are you looking for?** Therapy, Recognition" in text
    assert "- **Where are you?** Gent" in text
    assert "> Wil eerst één sessie proberen." in text
    assert r"> Vraagt naar \*kosten\* \& \<vervoer\>." in text
    assert "## Kinds of group pinned" in text
    assert text.index("1. **Support group**") < text.index("2. **Therapy group**")
    support = next(r for r in rec.formats if r.format.id == "support_group")
    assert support.reasons[0].text in text
    assert "## Groups suggested to the client" in text
    gent = catalog.groups_by_id[GENT_GROUP]
    assert f"1. **{gent.name}**" in text
    pinned = catalog.groups_by_id[record.pinned_groups[0]]
    assert f"Also pinned: {pinned.name}" in text
    assert "**Zelfmoordlijn 1813**: 1813" in text and "113 Zelfmoordpreventie" not in text
    assert text.rstrip().endswith("you decide what feels right.")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_summary_escapes_catalog_text(make_catalog: MakeCatalog, places: PlaceIndex) -> None:
    catalog = make_catalog([row(id="t-1", name=EVIL)])
    answers = Answers.model_validate({"needs": ["recognition"], "language": "en"})
    rec = Matcher(catalog, places).recommend(answers)
    record = Record(answers=answers, suggested_groups=("t-1",), notes="[link](http://x)")
    text = summary_markdown(rec, catalog, record)
    assert r"\<b\>x\</b\> \& \[bold\]Boom\[/bold\]" in text
    assert "<b>" not in text and "[link](" not in text
    assert "No notes." not in text and "## Kinds of group: the best two" in text


def test_summary_is_in_the_clients_language(matcher: Matcher, catalog: Catalog) -> None:
    rec, record = intake(matcher, "fr")
    text = summary_markdown(rec, catalog, record)
    assert text.startswith("# Résumé de l'entretien d'accueil : C-7F3K2Q")
    assert f"- **{tr('fr', 'What are you looking for?')}** " in text
    assert tr("fr", "Groups suggested to the client") in text


# --------------------------------------------------------------------------- writing


def test_default_basename_and_paths(matcher: Matcher) -> None:
    _, record = intake(matcher)
    assert default_basename(record) == "C-7F3K2Q-2026-11-21"
    named = record.model_copy(
        update={"header": IntakeHeader(client_ref="Jan / Peeters..", date=DAY)}
    )
    assert default_basename(named) == "Jan-Peeters-2026-11-21"
    folder = Path("/x")
    assert [p.name for p in export_paths(folder, "b")] == [
        "b-handout.pdf",
        "b-summary.md",
        "b-record.json",
        "b-calendar.ics",
    ]


def test_export_writes_the_four_files(matcher: Matcher, catalog: Catalog, tmp_path: Path) -> None:
    rec, record = intake(matcher)
    folder = tmp_path / "deep" / "exports"
    written = export_files(folder, default_basename(record), rec, catalog, record)
    assert written == export_paths(folder, "C-7F3K2Q-2026-11-21")
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    pdf, summary, record_file, calendar = written
    assert calendar.read_bytes() == calendar_ics(rec, catalog, record)
    assert pdf.read_bytes() == handout_pdf(rec, catalog, record)
    assert summary.read_text(encoding="utf-8") == summary_markdown(rec, catalog, record)
    assert record_file.read_text(encoding="utf-8") == record_json(record)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in written)
    assert load_answers_or_record(str(record_file), catalog=catalog)[1] == record


def test_export_never_replaces_without_asking(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec, record = intake(matcher)
    base = default_basename(record)
    existing = tmp_path / f"{base}-summary.md"
    existing.write_text("the counselor's earlier summary", encoding="utf-8")
    before = tree(tmp_path)
    opened: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        opened.append("mkstemp")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with pytest.raises(ExportExists) as caught:
        export_files(tmp_path, base, rec, catalog, record)
    assert opened == []  # refused before writing anything, even a temporary file
    assert caught.value.paths == [existing]
    assert "already exists" in caught.value.render("en")
    assert tree(tmp_path) == before

    written = export_files(tmp_path, base, rec, catalog, record, overwrite=True)
    assert opened == ["mkstemp"] * len(written)
    assert existing.read_text(encoding="utf-8") == summary_markdown(rec, catalog, record)
    assert sorted(tree(tmp_path)) == sorted(p.name for p in written)


def test_a_file_that_appears_meanwhile_is_not_replaced(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec, record = intake(matcher)
    target = export_paths(tmp_path, "b")[0]
    real = atomic.write_temporary

    def racing(path: Path, content: bytes, mode: int, prefix: str | None = None) -> Path:
        if not target.exists():
            target.write_text("someone else's", encoding="utf-8")
        return real(path, content, mode, prefix)

    monkeypatch.setattr(export, "write_temporary", racing)
    with pytest.raises(ExportExists):
        export_files(tmp_path, "b", rec, catalog, record)
    assert tree(tmp_path) == {target.name: b"someone else's"}


def fail_on(calls: list[int], when: int, error: OSError) -> None:
    calls.append(1)
    if len(calls) == when:
        raise error


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        ("mkstemp", OSError(errno.EROFS, "Read-only file system"), "read-only"),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("write", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("replace", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        ("replace", OSError(errno.EIO, "Input/output error"), "cannot write: Input/output error"),
    ],
)
@pytest.mark.parametrize("when", [1, 3])
def test_a_failed_write_leaves_nothing_behind(
    matcher: Matcher,
    catalog: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    error: OSError,
    message: str,
    when: int,
) -> None:
    rec, record = intake(matcher)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "other.txt").write_text("keep me", encoding="utf-8")
    old = folder / "b-handout.pdf"
    old.write_bytes(b"%PDF old handout")
    before = tree(tmp_path)
    calls: list[int] = []
    if target == "mkstemp":
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
            fail_on(calls, when, error)
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    elif target == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            fail_on(calls, when, error)
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    elif target == "write":
        real_fdopen = os.fdopen

        class Full(io.BufferedWriter):
            def write(self, data: Any) -> int:
                fail_on(calls, when, error)
                return super().write(data)

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            return Full(real_fdopen(fd, "wb", buffering=0))

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        real_replace = os.replace

        def replace(src: Any, dst: Any) -> None:
            fail_on(calls, when, error)
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(ExportError) as caught:
        export_files(folder, "b", rec, catalog, record, overwrite=True)
    assert not isinstance(caught.value, ExportExists)
    rendered = caught.value.render("en")
    assert message in rendered
    assert str(folder / "b-") in rendered  # names the file that failed
    assert calls and len(calls) == when
    monkeypatch.undo()
    after = tree(tmp_path)
    # Even when the first two files were in place before the third failed, the old handout
    # is back and the summary placed by this export is removed: all three or none.
    assert after == before  # no temporary file, no partial file, old files intact


def test_a_failure_removes_the_folders_it_made(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec, record = intake(matcher)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError, match="disk is full"):
        export_files(tmp_path / "a" / "b" / "c", "x", rec, catalog, record)
    assert tree(tmp_path) == {}


def test_a_file_where_the_folder_should_be(
    matcher: Matcher, catalog: Catalog, tmp_path: Path
) -> None:
    rec, record = intake(matcher)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    for folder in (blocker, blocker / "exports"):
        with pytest.raises(ExportError) as caught:
            export_files(folder, "b", rec, catalog, record)
        assert caught.value.path == blocker
        assert (
            caught.value.render("en")
            == f"{blocker}: is a file, not a folder; choose another folder"
        )
        assert "een bestand, geen map" in caught.value.render("nl")
    assert tree(tmp_path) == {"notes.txt": b"not a folder"}


def test_a_folder_where_a_file_should_be(
    matcher: Matcher, catalog: Catalog, tmp_path: Path
) -> None:
    rec, record = intake(matcher)
    (tmp_path / "b-summary.md").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_files(tmp_path, "b", rec, catalog, record, overwrite=True)
    assert tree(tmp_path) == {"b-summary.md": None}


@pytest.mark.parametrize("basename", ["", "..", "../escape", "a/b", ".hidden", "nul\0"])
def test_bad_base_names_are_refused(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, basename: str
) -> None:
    rec, record = intake(matcher)
    with pytest.raises(ExportError, match="not a valid file or folder name"):
        export_files(tmp_path / "out", basename, rec, catalog, record)
    assert tree(tmp_path) == {}


def test_a_name_too_long_is_reported(matcher: Matcher, catalog: Catalog, tmp_path: Path) -> None:
    rec, record = intake(matcher)
    with pytest.raises(ExportError, match="too long") as caught:
        export_files(tmp_path / ("x" * 300), "b", rec, catalog, record)
    assert caught.value.render("fr").endswith(
        "le nom est trop long ; choisissez un nom de dossier plus court"
    )
    assert tree(tmp_path) == {}


def test_nothing_is_written_before_an_export(
    matcher: Matcher, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    temp = tmp_path / "tmp"
    for folder in (home, work, temp):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DOCUMENTS_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(work)
    before = tree(tmp_path)

    folder = default_export_dir()
    assert folder.name == "groupfinder" and folder.is_relative_to(home)
    rec, record = intake(matcher)
    rendered = render_exports(rec, catalog, record)
    assert [len(content) > 0 for content in rendered] == [True, True, True, True]
    assert rendered[2].decode("utf-8") == record_json(record)
    assert not folder.exists()
    assert tree(tmp_path) == before

    written = export_files(folder, default_basename(record), rec, catalog, record)
    assert set(tree(tmp_path)) - set(before) >= {str(p.relative_to(tmp_path)) for p in written}


@pytest.mark.parametrize(
    ("text", "in_a_line", "in_notes"),
    [
        ("Gent 9000", False, False),
        ("two\nlines\tand a tab", True, False),
        ("escape \x1b[2J", True, True),
        ("one-character CSI \x9b", True, True),
        ("bell \x07", True, True),
    ],
)
def test_control_characters_are_found_where_they_are_not_allowed(
    text: str, in_a_line: bool, in_notes: bool
) -> None:
    from groupfinder.domain.text import has_control

    assert has_control(text) is in_a_line
    assert has_control(text, line_breaks=True) is in_notes


# --------------------------------------------------------------------------- killed half-way

KILLED_EXPORT = """
import os, signal, sys
from pathlib import Path
from groupfinder.catalog.loader import load_catalog
from groupfinder.domain.models import Answers
from groupfinder.matching.matcher import Matcher
from groupfinder.modes.record import Record
from groupfinder.present import export

step, when, overwrite = sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
catalog = load_catalog()
answers = Answers.model_validate({"needs": ["therapy"], "language": "nl"})
rec = Matcher(catalog).recommend(answers)
record = Record(answers=answers, notes="gezondheid")
calls = []
real = {"replace": os.replace, "fsync": os.fsync}[step]

def killing(*args):
    calls.append(1)
    if len(calls) == when:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)

setattr(os, step, killing)
export.export_files(Path(sys.argv[1]), "b", rec, catalog, record, overwrite=overwrite)
"""


@pytest.mark.parametrize(
    ("step", "when"),
    [("fsync", 2), ("replace", 2), ("replace", 3)],
)
@pytest.mark.parametrize("overwrite", [False, True])
def test_an_export_killed_half_way_is_undone_by_the_next(
    matcher: Matcher,
    catalog: Catalog,
    tmp_path: Path,
    step: str,
    when: int,
    overwrite: bool,
) -> None:
    import signal
    import subprocess

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "other.txt").write_text("keep me", encoding="utf-8")
    if overwrite:
        for path in export_paths(folder, "b"):
            path.write_bytes(b"old " + path.name.encode())
    before = tree(folder)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_EXPORT,
            str(folder),
            step,
            str(when),
            "1" if overwrite else "0",
        ],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    left = [p.name for p in folder.iterdir()]
    staging = [name for name in left if name.startswith(export.STAGING_PREFIX)]
    assert len(staging) == 1, left  # recognisable, with the health data inside it only
    assert not [n for n in left if n.startswith(".") and n not in staging]

    export.recover_exports(folder)
    assert tree(folder) == before  # as before the killed export: all three, or none

    rec, record = intake(matcher)
    written = export_files(folder, "b", rec, catalog, record, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["other.txt", *(p.name for p in written)]
    )
