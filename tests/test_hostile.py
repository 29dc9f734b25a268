"""Untrusted input, checked once where it is read (issue 14).

A hostile catalog (tests/fixtures/hostile/) goes through ``catalog validate``, every output
format and every screen and must come out literally; control, bidi and invisible characters
are refused where each file is read, with file, line and field; values are bounded; the
answers reader survives anything (a hypothesis fuzz test); CSV cells never run as formulas.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.widgets import Static
from textual.widgets._toast import Toast

from groupfinder.catalog.answers import parse_answers
from groupfinder.catalog.loader import load_catalog, shipped_data_dir
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import AnswersError, InputError
from groupfinder.domain.models import Catalog
from groupfinder.domain.text import (
    REFUSED_IN_A_LINE,
    check_text,
    clean_text,
    guard_cell,
    one_line,
    unguard_cell,
    unsafe_char,
)
from helpers import csv_text, row, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "hostile"
#: Markup that Textual would run or choke on, as it stands in the fixture.
MARKUP = "[/] [@click=app.quit]quit[/] [link=https://evil.example]x[/link] [bold red]B *x* <b>|"
#: What must reach every surface literally.
LITERAL = "[@click=app.quit]quit[/]"
FORMAT_NAME = "Therapy group " + MARKUP

#: Every family the gate refuses: C0, ESC and OSC 52 (clipboard), DEL, C1 CSI/OSC, bidi
#: override and isolate, zero-width space, line separator.
CONTROLS = {
    "nul": "\x00",
    "bell": "\x07",
    "esc-csi": "\x1b[2J",
    "osc52": "\x1b]52;c;aGk=\x07",
    "del": "\x7f",
    "c1-csi": "\x9b31m",
    "c1-osc": "\x9d0;x\x9c",
    "bidi-override": "\u202e",
    "bidi-isolate": "\u2066",
    "zero-width": "\u200b",
    "line-separator": "\u2028",
}


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The hostile catalog, with a formats.toml whose therapy group has a hostile name."""
    data = Path(shutil.copytree(FIXTURE, tmp_path / "hostile"))
    text = (shipped_data_dir() / "formats.toml").read_text(encoding="utf-8")
    text = text.replace('en = "Therapy group"', f'en = "{FORMAT_NAME}"', 1)
    assert MARKUP in text
    (data / "formats.toml").write_text(text, encoding="utf-8")
    return data


@pytest.fixture
def hostile_catalog(hostile: Path, places: PlaceIndex) -> Catalog:
    return load_catalog(hostile, places)


def answers_file(tmp_path: Path, **values: Any) -> str:
    data = {
        "language": "en",
        "needs": ["recognition", "therapy"],
        "topics": ["grief"],
        "risk": "thoughts",
        "location": "9000",
        "languages": ["nl", "en"],
        **values,
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def no_escape(text: str) -> None:
    """Nothing that a terminal would act on: no ESC, no C1, no bidi control."""
    assert unsafe_char(text, multiline=True) is None, repr(unsafe_char(text, multiline=True))


# ------------------------------------------------------------------ the hostile catalog


def test_the_hostile_catalog_validates(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert (code, err) == (0, "")
    assert "3 groups" in out


def test_guarded_formulas_are_read_back_as_they_were_meant(hostile_catalog: Catalog) -> None:
    groups = hostile_catalog.groups_by_id
    assert groups["h-1"].audience == '=HYPERLINK("https://evil.example","klik")'
    assert groups["h-1"].contact.phone == "+32 000 00 00 [/]"
    assert groups["h-1"].contact.email == "@SUM(1+1)"
    assert groups["h-2"].name == "=1+2 [b]therapie[/b]"
    assert groups["h-2"].schedule == "+cmd|' /C calc'!A0"


@pytest.mark.parametrize("output", ["table", "json", "markdown"])
def test_every_output_format_shows_the_hostile_catalog_literally(
    hostile: Path,
    tmp_path: Path,
    output: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    args = ("recommend", "--answers", answers_file(tmp_path), "--data", str(hostile))
    code, out, err = run_cli(capsys, *args, "--format", output)
    assert code == 0, err
    no_escape(out)
    if output == "json":
        data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-finite {c}"))
        names = [g["name"] for g in data["groups"]]
        assert "Rouwgroep " + MARKUP in names
        assert any(h["name"].startswith("Zelfmoordlijn [/]") for h in data["crisis_help"])
    elif output == "table":
        flat = " ".join(out.split())
        assert LITERAL in flat
        assert "Zelfmoordlijn [/] [@click=app.quit]1813[/]" in flat
    else:
        assert r"\[@click=app.quit\]quit\[/\]" in out
        assert "[@click" not in out.replace(r"\[@click", "")


def test_counselor_exports_and_hsds_export_of_the_hostile_catalog(
    hostile: Path,
    hostile_catalog: Catalog,
    places: PlaceIndex,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from groupfinder.catalog.answers import read_answers
    from groupfinder.matching.matcher import Matcher
    from groupfinder.modes.record import Record
    from groupfinder.present.export import export_files

    answers = read_answers(answers_file(tmp_path))
    rec = Matcher(hostile_catalog, places).recommend(answers)
    record = Record(answers=answers, notes="[/] [@click=app.quit]x[/]\nline two")
    paths = export_files(tmp_path / "out", "intake", rec, hostile_catalog, record)
    for path in paths:
        if path.suffix != ".pdf":
            no_escape(path.read_text(encoding="utf-8"))
    assert paths[0].read_bytes().startswith(b"%PDF")

    code, _, err = run_cli(capsys, "catalog", "export-hsds", "--out", str(tmp_path / "hsds"))
    assert code == 0, err
    code, _, err = run_cli(
        capsys,
        "catalog",
        "export-hsds",
        "--data",
        str(hostile),
        "--out",
        str(tmp_path / "hsds-hostile"),
    )
    assert code == 0, err
    for path in (tmp_path / "hsds-hostile").glob("*.csv"):
        for cells in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in cells:
                assert not cell or cell[0] not in "=+@\t\r", (path.name, cell)


# ------------------------------------------------------------------ every screen


def screen_text(app: App[Any]) -> str:
    """What the widgets of the screen show, toasts included."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
    for table in app.screen.query("DataTable"):
        for key in table.rows:  # type: ignore[attr-defined]
            parts.extend(str(cell) for cell in table.get_row(key))  # type: ignore[attr-defined]
    parts.extend(str(Toast(n).render()) for n in app._notifications)
    return "\n".join(parts)


def screenshot_clean(app: App[Any]) -> None:
    svg = app.export_screenshot()
    no_escape(svg)


def find_result(app: Any, group_id: str) -> Any:
    rec = app.recommendation()
    return next(r for r in [*rec.groups, *rec.near_misses] if r.group.id == group_id)


async def test_personal_screens_show_hostile_names_literally(
    hostile_catalog: Catalog, places: PlaceIndex
) -> None:
    from groupfinder.tui.app import GroupfinderApp
    from groupfinder.tui.base import CrisisScreen
    from groupfinder.tui.screens import GroupScreen, ResultsScreen

    app = GroupfinderApp(catalog=hostile_catalog, places=places, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, CrisisScreen)
        assert "Zelfmoordlijn [/] [@click=app.quit]1813[/] [link=x]" in screen_text(app)
        screenshot_clean(app)
        await pilot.press("escape")
        app.answer("needs", ["recognition", "therapy"])
        app.answer("risk", "thoughts")
        app.answer("topics", ["grief"])
        app.answer("languages", ["nl", "en"])
        app.show_results()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("1")
        await pilot.pause()
        assert FORMAT_NAME in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert LITERAL in text
        screenshot_clean(app)
        for group_id in ("h-1", "h-2", "h-3"):
            result = find_result(app, group_id)
            app.push_screen(GroupScreen(result))
            await pilot.pause()
            text = screen_text(app)
            assert one_line(result.group.name) in text
            screenshot_clean(app)
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running


async def test_counselor_screens_show_hostile_names_literally(
    hostile_catalog: Catalog, places: PlaceIndex
) -> None:
    from groupfinder.tui.counselor import CounselorApp

    app = CounselorApp(catalog=hostile_catalog, places=places, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.answer("needs", ["recognition", "therapy"])
        app.answer("topics", ["grief"])
        app.answer("languages", ["nl", "en"])
        app.screen.refresh_ranking()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        text = screen_text(app)
        assert LITERAL in text
        screenshot_clean(app)
        assert app.is_running


async def test_kiosk_toast_and_take_home_show_hostile_names_literally(
    hostile_catalog: Catalog, places: PlaceIndex
) -> None:
    from groupfinder.modes.kiosk import KioskConfig, hash_pin
    from groupfinder.tui.kiosk import KioskApp
    from groupfinder.tui.screens import GroupScreen
    from groupfinder.tui.takehome import TakeHomeScreen

    config = KioskConfig.model_validate(
        {
            "centre": "Buurthuis [/] [@click=app.quit]x[/]",
            "country": "BE",
            "location": "9000",
            "language": "en",
            "pin_hash": hash_pin("2468"),
        }
    )
    app = KioskApp(config, catalog=hostile_catalog, places=places)
    async with app.run_test(size=(100, 34)) as pilot:
        assert "Buurthuis [/] [@click=app.quit]x[/]" in screen_text(app)
        app.answer("needs", ["recognition", "therapy"])
        app.answer("topics", ["grief"])
        app.answer("languages", ["nl", "en"])
        app.show_results()
        await pilot.pause()
        for group_id in ("h-1", "h-3"):
            result = find_result(app, group_id)
            app.push_screen(GroupScreen(result))
            await pilot.pause()
            await pilot.press("c")  # on the take-home list: a toast with the name
            await pilot.pause()
            assert app.is_running
            assert one_line(result.group.name) in screen_text(app)
            # What each toast shows: markup=False keeps "[@click=...]" and "[/]" as text.
            toasts = [str(Toast(n).render()) for n in app._notifications]
            assert any(one_line(result.group.name) in t for t in toasts), toasts
            await pilot.press("escape")
            await pilot.pause()
        app.push_screen(TakeHomeScreen())
        await pilot.pause()
        assert "[link=x]Online[/link] [/]" in screen_text(app)
        screenshot_clean(app)
        assert app.is_running


# ------------------------------------------------------------------ the gate, per file


def toml_escape(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if unsafe_char(c) else c for c in text)


def only_field(err: str) -> str:
    lines = [line for line in err.splitlines() if "U+" in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("family", CONTROLS)
def test_controls_in_formats_toml_are_refused(
    family: str, hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile / "formats.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('nl = "Therapiegroep"', f'nl = "Therapie{toml_escape(CONTROLS[family])}"')
    path.write_text(text, encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith('nl = "Therapie\\'))
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert f"formats.toml:{line}: formats.therapy_group.name.nl: holds a control" in only_field(err)


@pytest.mark.parametrize("family", CONTROLS)
def test_controls_in_helplines_toml_are_refused(
    family: str, hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile / "helplines.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('phone = "1813 [/]"', f'phone = "1813{toml_escape(CONTROLS[family])}"')
    path.write_text(text, encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith('phone = "1813'))
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert f"helplines.toml:{line}: helplines.0.phone: holds a control" in only_field(err)


@pytest.mark.parametrize("family", CONTROLS)
@pytest.mark.parametrize("column", ["name", "contact_phone", "description", "city"])
def test_controls_in_groups_csv_are_refused(
    family: str, column: str, hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row(id="ok"), row(id="bad", **{column: "Gent " + CONTROLS[family] + " x"})]
    (hostile / "groups.csv").write_text(csv_text(rows), encoding="utf-8", newline="")
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert f"groups.csv:3: {column}: holds a control" in only_field(err)


def test_line_breaks_are_allowed_in_a_description_only(make_catalog: Any) -> None:
    catalog = make_catalog([row(description="one\r\ntwo\tthree")])
    assert catalog.groups[0].description == "one\r\ntwo\tthree"
    with pytest.raises(InputError) as caught:
        make_catalog([row(name="one\ntwo")])
    assert [p.field for p in caught.value.problems] == ["name"]


@pytest.mark.parametrize("family", ["esc-csi", "c1-csi", "bidi-override", "zero-width"])
def test_controls_in_places_csv_are_refused(
    family: str, hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (shipped_data_dir() / "places.csv").read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader(lines[1:2]))
    header = next(csv.reader(lines[:1]))
    name_column = header.index("place") if "place" in header else 2
    cells[name_column] += CONTROLS[family]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    lines[1] = buffer.getvalue().rstrip("\n")
    (hostile / "places.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert f"places.csv:2: {header[name_column]}: holds a control" in only_field(err)


@pytest.mark.parametrize("family", CONTROLS)
def test_controls_in_kiosk_toml_are_refused(family: str, tmp_path: Path) -> None:
    from groupfinder.modes.kiosk import hash_pin, load_kiosk_config

    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'centre = "Buurthuis{toml_escape(CONTROLS[family])}"\ncountry = "BE"\n'
        f'location = "9000"\npin_hash = "{hash_pin("2468")}"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_kiosk_config(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "centre")
    assert "holds a control" in str(problem)


@pytest.mark.parametrize("family", CONTROLS)
def test_controls_in_answers_and_records_are_refused(
    family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        '{\n  "needs": ["rest"],\n  "location": ' + json.dumps("9000" + CONTROLS[family]) + "\n}",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "recommend", "--answers", str(path))
    assert code == 2
    assert "a.json:3: location: holds a control" in only_field(err)
    record = {
        "kind": "groupfinder-record",
        "answers": {"needs": ["rest"]},
        "header": {"client_ref": "C-1"},
        "notes": "line one\nline two\t" + CONTROLS[family],
    }
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    code, _, err = run_cli(capsys, "recommend", "--answers", str(path))
    assert code == 2
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index(next(s for s in path.read_text(encoding="utf-8").splitlines() if '"notes"' in s))
        + 1
    )
    assert f"a.json:{line}: notes: holds a control" in only_field(err)


def test_a_record_may_have_notes_on_several_lines(tmp_path: Path) -> None:
    from groupfinder.modes.record import load_answers_or_record

    path = tmp_path / "r.json"
    record = {"kind": "groupfinder-record", "answers": {"needs": ["rest"]}, "notes": "a\nb\tc"}
    path.write_text(json.dumps(record), encoding="utf-8")
    _, loaded = load_answers_or_record(str(path))
    assert loaded is not None and loaded.notes == "a\nb\tc"


def test_import_hsds_removes_controls_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(__file__).parent / "fixtures" / "hsds" / "directory"
    package = Path(shutil.copytree(source, tmp_path / "package"))
    services = package / "services.csv"
    with services.open(encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    assert table
    first = table[0]
    first["name"] = "Rouw\x1b]52;c;aGk=\x07groep\u202e\u200b =SUM(A1)"
    first["description"] = "Eerste\nTweede\x9b31m"
    with services.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(first))
        writer.writeheader()
        writer.writerows(table)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "catalog", "import-hsds", str(package), "--out", str(out))
    assert code == 0, err
    assert f"service {first['id']}" in err and "control or invisible characters removed" in err
    no_escape(err)
    written = (out / "groups.csv").read_text(encoding="utf-8")
    no_escape(written.replace("\n", " "))
    catalog = load_catalog(out)
    names = [g.name for g in catalog.groups]
    assert any(name.startswith("Rouw ") and "groep" in name for name in names), names


# ------------------------------------------------------------------ spreadsheet cells

CELLS = [
    '=HYPERLINK("https://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=already quoted",
    "''+two quotes",
    "-5",
    "-0,5",
    "'",
    "plain",
    "",
]


@given(st.text(max_size=30) | st.sampled_from(CELLS))
@settings(max_examples=300, deadline=None)
def test_a_guarded_cell_reads_back_the_same(value: str) -> None:
    guarded = guard_cell(value)
    assert unguard_cell(guarded) == value
    assert not guarded or guarded[0] not in "=+@\t\r"
    if guarded.startswith("-"):
        assert re.fullmatch(r"-\d+(?:[.,]\d+)?", guarded)


def test_import_hsds_round_trip_keeps_formula_like_text(
    tmp_path: Path,
    hostile: Path,
    hostile_catalog: Catalog,
    places: PlaceIndex,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli(
        capsys, "catalog", "export-hsds", "--data", str(hostile), "--out", str(tmp_path / "p")
    )
    assert code == 0, err
    out = tmp_path / "back"
    out.mkdir()
    code, _, err = run_cli(capsys, "catalog", "import-hsds", str(tmp_path / "p"), "--out", str(out))
    assert code == 0, err
    text = (out / "groups.csv").read_text(encoding="utf-8")
    for cells in csv.reader(io.StringIO(text)):
        for cell in cells:
            assert not cell or cell[0] not in "=+@\t\r", cell
    again = {g.name: g for g in load_catalog(out, places).groups}
    assert "=1+2 [b]therapie[/b]" in again
    assert again["=1+2 [b]therapie[/b]"].schedule == hostile_catalog.groups_by_id["h-2"].schedule


# ------------------------------------------------------------------ bounded values


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"cost_eur": "1e30"}, "cost_eur", "at most 100000"),
        ({"cost_eur": "1e400"}, "cost_eur", "expected a number"),
        ({"size_max": "5000"}, "size_max", "at most 1000"),
        ({"age_min": "9" * 5000}, "age_min", "expected a whole number"),
        ({"latitude": "48.0", "country": "BE"}, "latitude", "outside BE"),
        ({"longitude": "8.0", "country": "NL"}, "longitude", "outside NL"),
    ],
)
def test_values_out_of_range_are_refused(
    make_catalog: Any, cells: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        make_catalog([row(**cells)])
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (2, field)
    assert words in str(problem)
    assert len(str(problem)) < 400


def answers_problem(text: str) -> str:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "a.json")
    return "\n".join(str(p) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"needs": ["rest"], "max_distance_km": 1e400}', "endless or too long"),
        ('{"needs": ["rest"], "max_cost_eur": NaN}', "endless or too long"),
        ('{"needs": ["rest"], "max_cost_eur": -Infinity}', "endless or too long"),
        ('{"needs": ["rest"], "max_cost_eur": ' + "1" * 5000 + "}", "endless or too long"),
        ('{"needs": ' + "[" * 5000 + "]" * 5000 + "}", "more than 32 deep"),
        ('{"needs": ' + "[" * 40 + "]" * 40 + "}", "more than 32 deep"),
        ('{"needs": ["rest"], "location": "' + "x" * 10_000_00 + '"}', "…"),
    ],
)
def test_endless_deep_and_huge_json_is_refused(text: str, words: str) -> None:
    message = answers_problem(text)
    assert words in message
    assert len(message) < 500


def test_an_endless_answers_stream_stops_at_one_mebibyte(
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.monotonic()
    code, _, err = run_cli(capsys, "recommend", "--answers", "/dev/zero")
    assert code == 2
    assert "larger than 1 MiB" in err
    assert time.monotonic() - started < 10


def test_a_huge_data_file_is_refused(
    hostile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupfinder.catalog import loader

    path = hostile / "helplines.toml"
    with path.open("a", encoding="utf-8") as stream:
        stream.write("#" * (loader.MAX_DATA_BYTES + 1))
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert "helplines.toml: is larger than 32 MiB" in err
    # groups.csv is read as a stream, up to its own limit (a million groups): 2 MiB here.
    monkeypatch.setattr(loader, "MAX_GROUPS_BYTES", 2 * 1024 * 1024)
    with (hostile / "groups.csv").open("a", encoding="utf-8") as stream:
        stream.write("#" * (loader.MAX_GROUPS_BYTES + 1))
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    assert "groups.csv: is larger than 2 MiB" in err


def test_many_unknown_keys_are_reported_quickly_and_counted() -> None:
    keys = ",".join(f'"k{i}":1' for i in range(80_000))
    text = '{"needs":["rest"],' + keys + "}"
    started = time.monotonic()
    message = answers_problem(text)
    assert time.monotonic() - started < 10
    assert "a.json:1: k0: unknown key" in message
    assert "and 79900 more problems" in message


def test_a_semicolon_separated_groups_csv_is_named_once(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = csv_text([row()]).replace(",", ";")
    (hostile / "groups.csv").write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert code == 2
    problems = [line for line in err.splitlines() if "groups.csv" in line]
    assert problems == [
        f"{hostile / 'groups.csv'}:1: this file is separated by semicolons; "
        "save it as CSV UTF-8 (comma separated)"
    ]


# ------------------------------------------------------------------ the gate itself


@pytest.mark.parametrize("family", CONTROLS)
def test_check_and_clean_agree(family: str) -> None:
    value = "a" + CONTROLS[family] + "b"
    problem = check_text(value, file="f", line=3, field="name")
    assert problem is not None and (problem.line, problem.field) == (3, "name")
    cleaned, changed = clean_text(value)
    assert changed and unsafe_char(cleaned) is None
    assert unsafe_char(one_line(value)) is None


def test_letters_of_every_language_and_emoji_pass() -> None:
    for text in ("Café Zoë", "Ζωή", "שלום", "مرحبا", "👩‍👩‍👧", "नमस्ते", "می‌خواهم"):
        assert check_text(text, file="f") is None, text


# ------------------------------------------------------------------ fuzzing the answers reader

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "version",
        "needs",
        "language",
        "risk",
        "location",
        "max_distance_km",
        "max_cost_eur",
        "topics",
        "audiences",
        "languages",
        "in_crisis",
        "setting",
        "kind",
        "answers",
        "notes",
    ]
)


def fuzz_texts() -> st.SearchStrategy[str]:
    objects = st.dictionaries(KEYS | st.text(max_size=6), JSON_VALUES, max_size=6).map(
        lambda d: json.dumps(d, allow_nan=True)
    )
    mangled = st.tuples(objects, st.integers(0, 200), st.text(max_size=8)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    )
    return objects | mangled | st.text(max_size=200)


@given(fuzz_texts())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_answers_reader_never_fails_unexpectedly(text: str) -> None:
    from groupfinder.modes.record import load_answers_or_record

    started = time.monotonic()
    try:
        load_answers_or_record("-", text)
    except AnswersError as exc:
        for problem in exc.problems:
            rendered = str(problem)
            assert len(rendered) < 2000
            no_escape(rendered)
    assert time.monotonic() - started < 2


def test_many_unknown_keys_in_formats_toml_are_counted(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile / "formats.toml"
    keys = "".join(f"k{i} = 1\n" for i in range(20_000))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[formats.workshop]\n", "[formats.workshop]\n" + keys, 1))
    started = time.monotonic()
    code, _, err = run_cli(capsys, "catalog", "validate", "--data", str(hostile))
    assert time.monotonic() - started < 30
    assert code == 2
    assert "formats.workshop.k0: unknown key" in err
    assert "and 19900 more problems" in err


def test_the_gate_refuses_exactly_its_declared_characters() -> None:
    """One declaration (REFUSED_IN_A_LINE) behind both gates: a one-line text refuses every
    character in it, a text of several lines all but tab and newline, and nothing else."""
    declared = {c for first, last in REFUSED_IN_A_LINE for c in range(first, last + 1)}
    astral = range(0x10000, 0x110000, 0x1001)
    for code in itertools.chain(range(0x10000), astral):
        char = chr(code)
        assert (unsafe_char(char) is not None) is (code in declared), hex(code)
        in_lines = code in declared and char not in "\t\n"
        assert (unsafe_char(char, multiline=True) is not None) is in_lines, hex(code)
