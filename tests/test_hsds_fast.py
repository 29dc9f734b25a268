"""The fast paths of the HSDS import give what the plain ones give: reading a package a column
at a time, derived ids, guarded cells."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from groupfinder.catalog.hsds import PackageError, convert, export, read
from groupfinder.catalog.hsds.read import Package, Row, Sheet, read_package
from groupfinder.catalog.hsds.schema import NAMESPACE
from groupfinder.catalog.loader import COLUMNS
from groupfinder.domain.text import GUARDED_FIRST, guard_cell

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"

#: A services.csv with every cell _cell changes or a check refuses, over several lines.
TRICKY_SERVICES = (
    "id,organization_id,name,description,status,assured_date,last_modified,,\n"
    "5e5e0000-0000-4000-8000-000000000001,or-1,  Rouw  ,'=SUM(A1),active,2024-01-31,,a,b\n"
    '5e5e0000-0000-4000-8000-000000000002,or-1,"Two\nlines ",\'x,Active,2024-13-01,,c,d\n'
    "5e5e0000-0000-4000-8000-000000000003,or-1,\u00a0Nbsp\u00a0,'+1,,2024-02-02,"
    "2024-02-02T10:00:00Z,e,f\n"
    "5e5e0000-0000-4000-8000-000000000004,or-1,Tab\t,'-x,defunct,,yesterday,g,h\n"
)


def sheets_as_read(package: Package) -> dict[str, Any]:
    """Everything a sheet holds, to compare two readings."""
    return {name: _sheet(sheet) for name, sheet in package.sheets.items()}


def _sheet(sheet: Sheet) -> Any:
    rows = [(row.line, row.cells, row.values, list(row.errors.items())) for row in sheet.rows]
    return sheet.file, rows, {key: row.line for key, row in sheet.by_id.items()}


def read_by_rows(path: Path, monkeypatch: pytest.MonkeyPatch) -> Package:
    with monkeypatch.context() as patch:
        patch.setattr(read, "_read_columns", lambda *args: False)
        return read_package(path)


def by_columns_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading a row at a time fail, so a test knows the columns did the work."""

    def refuse(*args: object) -> None:
        raise AssertionError("read a row at a time")

    monkeypatch.setattr(read, "_read_rows", refuse)


@pytest.mark.parametrize("name", ["directory", "official"])
def test_the_fixtures_read_the_same_both_ways(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = sheets_as_read(read_by_rows(FIXTURES / name, monkeypatch))
    by_columns_only(monkeypatch)
    assert sheets_as_read(read_package(FIXTURES / name)) == slow


def test_cells_to_clean_and_refuse_read_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(shutil.copytree(FIXTURES / "directory", tmp_path / "package"))
    (package / "services.csv").write_text(TRICKY_SERVICES, encoding="utf-8")
    (package / "organizations.csv").write_text(
        "id,name,description\nor-1,Org,About\n", encoding="utf-8"
    )
    (package / "attributes.csv").write_text(
        "id,link_id,taxonomy_term_id,link_entity\n", encoding="utf-8"
    )
    for table in ("service_at_location", "cost_options", "languages", "phones", "schedules"):
        (package / f"{table}.csv").unlink(missing_ok=True)
    (package / "service_at_location.csv").write_text(
        "id,service_id,location_id\n", encoding="utf-8"
    )
    slow = read_by_rows(package, monkeypatch)
    services = slow["service"].rows
    assert [row.line for row in services] == [2, 3, 5, 6]
    assert [row.get("name") for row in services] == ["Rouw", "Two\nlines", "Nbsp", "Tab"]
    assert [row.get("description") for row in services] == ["=SUM(A1)", "'x", "+1", "-x"]
    assert [list(row.errors) for row in services] == [
        [],
        ["status", "assured_date"],
        ["status"],
        ["last_modified"],
    ]
    assert services[0].get("") == "b"  # two columns without a name: the last counts
    by_columns_only(monkeypatch)
    assert sheets_as_read(read_package(package)) == sheets_as_read(slow)


def test_a_missing_status_column_costs_every_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(shutil.copytree(FIXTURES / "directory", tmp_path / "package"))
    services = package / "services.csv"
    with services.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    with services.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, [c for c in rows[0] if c != "status"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    slow = sheets_as_read(read_by_rows(package, monkeypatch))
    by_columns_only(monkeypatch)
    fast = read_package(package)
    assert all("status" in row.errors for row in fast["service"].rows)
    assert sheets_as_read(fast) == slow


@pytest.mark.parametrize(
    "blank",
    [
        "\n\n",  # blank lines
        ",,,,\n",  # a row of empty cells
        '" \n ",,,,\n',  # a row of blank cells, one over two lines
    ],
)
def test_blank_rows_are_left_out_by_the_columns_as_a_row_at_a_time(
    blank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(shutil.copytree(FIXTURES / "directory", tmp_path / "package"))
    phones = package / "phones.csv"
    lines = phones.read_text(encoding="utf-8").splitlines(keepends=True)
    phones.write_text("".join([*lines[:2], blank, *lines[2:], blank]), encoding="utf-8")
    slow = sheets_as_read(read_by_rows(package, monkeypatch))
    by_columns_only(monkeypatch)
    fast = read_package(package)
    assert len(fast["phone"].rows) == len(lines) - 1
    assert sheets_as_read(fast) == slow


@pytest.mark.parametrize(
    "spoil",
    [
        "x,y\n",  # a row of another width
        '"open\n',  # a quote never closed
    ],
)
def test_what_the_columns_cannot_read_is_read_a_row_at_a_time(
    spoil: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(shutil.copytree(FIXTURES / "directory", tmp_path / "package"))
    with (package / "phones.csv").open("a", encoding="utf-8", newline="") as file:
        file.write(spoil)
    calls: list[str] = []
    read_rows = read._read_rows

    def counting(sheet: Sheet, *args: Any) -> Any:
        calls.append(sheet.table.name)
        return read_rows(sheet, *args)

    monkeypatch.setattr(read, "_read_rows", counting)
    with contextlib.suppress(PackageError):
        read_package(package)
    assert calls == ["phone"]


def test_a_duplicate_id_is_reported_with_its_first_line(tmp_path: Path) -> None:
    package = Path(shutil.copytree(FIXTURES / "directory", tmp_path / "package"))
    phones = package / "phones.csv"
    lines = phones.read_text(encoding="utf-8").splitlines()
    phones.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(PackageError) as raised:
        read_package(package)
    [problem] = raised.value.problems
    assert (problem.line, problem.field, problem.values["first"]) == (len(lines) + 1, "id", 2)


def test_derived_ids_are_those_of_uuid5() -> None:
    many = [("location", f"gf-{n}", str(n * 7919)) for n in range(500)]
    for parts in [(), ("organization",), ("service", "gf-\u00e9\u20ac"), *many]:
        assert export._uuid(*parts) == str(uuid.uuid5(NAMESPACE, json.dumps(parts)))


def test_only_cells_of_the_guarded_first_characters_are_guarded() -> None:
    """The HSDS import's writer leaves a cell as it is unless it starts with one of them."""
    for code in range(0x3000):
        first = chr(code)
        for cell in (first, f"{first}=1", f"{first}12", f"{first}-1"):
            if guard_cell(cell) != cell:
                assert first in GUARDED_FIRST, repr(cell)


def test_groups_csv_knows_where_each_row_starts() -> None:
    texts = [
        "plain",
        "two\nlines",
        "a\r\nb",
        "=1+1",
        "-x",
        "",
        "'@x",
        "\n",
        "a, b",
        'say "hi"',
        ",",
    ]
    text, starts, written = convert._groups_csv(candidates(texts * 3))
    reader = csv.reader(io.StringIO(text, newline=""))
    assert next(reader) == list(COLUMNS)
    found: dict[int, int] = {}
    for n, cells in enumerate(written):
        line = reader.line_num + 1
        assert next(reader) == cells
        found[line] = n
    assert next(reader, None) is None
    assert starts == found
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(written)
    assert text == expected.getvalue()
    assert written[3][COLUMNS.index("description")] == "'=1+1"
    # A lone carriage return ends a line too.
    assert convert._groups_csv(candidates(["one\rtwo", "three"]))[1] == {2: 0, 4: 1}


def candidates(descriptions: list[str]) -> list[convert._Candidate]:
    return [
        convert._Candidate(
            "services.csv",
            Row.of(n, {}),
            {**dict.fromkeys(COLUMNS, ""), "id": f"g{n}", "description": text},
        )
        for n, text in enumerate(descriptions)
    ]
