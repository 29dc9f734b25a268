"""The one CSV reader behind groups.csv, places.csv and the HSDS tables."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupfinder.catalog.csvfile import open_csv
from groupfinder.domain.errors import CatalogError, Problem


def header_problems(text: str, **checks: object) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        open_csv("f.csv", text, **checks)  # type: ignore[arg-type]
    return [p.render() for p in caught.value.problems]


def test_the_header_is_checked_once_for_missing_unknown_and_repeated_columns() -> None:
    assert header_problems("id,colour,id\n", required=("id", "name"), known=("id", "name")) == [
        "f.csv:1: name: required column is missing from the header",
        "f.csv:1: colour: unknown column; expected one of: id, name",
        "f.csv:1: id: column appears twice in the header",
    ]
    assert header_problems("") == ["f.csv:1: is empty; expected a header row"]


def test_blank_header_cells_are_unknown_columns_not_repeated_ones() -> None:
    """Trailing commas (as spreadsheets save them) leave blank header cells: where columns
    are known they are unknown ones, and never "twice"; else the file reads."""
    assert header_problems("id,name,,\n", known=("id", "name")) == [
        "f.csv:1: (empty): unknown column; expected one of: id, name",
        "f.csv:1: (empty): unknown column; expected one of: id, name",
    ]
    assert open_csv("f.csv", "id,name,,\n").header == ["id", "name", "", ""]


def test_header_cells_are_stripped_and_can_be_lower_cased() -> None:
    assert open_csv("f.csv", " ID , Name\n", lower=True).header == ["id", "name"]


def test_rows_come_with_the_line_they_start_on_and_blank_rows_are_skipped() -> None:
    text = 'id,name\n1,"two\nlines"\n\n , \n3,x,extra\n4,four\n'
    problems: list[Problem] = []
    rows = list(open_csv("f.csv", text).rows(problems))
    assert rows == [(2, ["1", "two\nlines"]), (7, ["4", "four"])]
    assert [p.render() for p in problems] == ["f.csv:6: row has 3 fields but the header has 2"]


def test_a_csv_error_is_a_problem_on_its_line_and_ends_the_file() -> None:
    problems: list[Problem] = []
    rows = list(open_csv("f.csv", 'id,name\n1,a\n2,"b"c\n3,d\n').rows(problems))
    assert rows == [(2, ["1", "a"])]
    assert len(problems) == 1 and problems[0].line == 3
    assert "is not valid CSV" in problems[0].render()


# -- chunks: the rows of rows(), read a chunk at a time ----------------------------------

CELLS = st.sampled_from(["", " ", "a", "b c", '"', "x\ny", "x\r\ny", "x\ry", "\r", "\n", ",", "é"])


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    """A small CSV text of two columns: rows of any width, blank lines, quoted cells over
    several lines, any line ending; now and then a quote where none may be."""
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=ending)
    writer.writerow(["id", "name"])
    for cells in draw(st.lists(st.lists(CELLS, max_size=3), max_size=12)):
        writer.writerow(cells)
    text = out.getvalue()
    if draw(st.booleans()) and len(text) > 8:
        cut = draw(st.integers(8, len(text)))
        text = text[:cut] + draw(st.sampled_from(['"x"y', "\n\n", "", ending])) + text[cut:]
    return text


@given(text=csv_texts(), size=st.integers(1, 5))
@settings(max_examples=400, deadline=None)
def test_chunks_give_the_rows_lines_and_problems_of_rows(text: str, size: int) -> None:
    one_by_one: list[Problem] = []
    try:
        expected = list(open_csv("f.csv", text).rows(one_by_one))
    except CatalogError:
        return  # a header the reader refuses: neither reads a row
    in_chunks: list[Problem] = []
    chunks = list(open_csv("f.csv", text).chunks(in_chunks, size))
    assert all(0 < len(rows) <= size and len(lines) == len(rows) for lines, rows in chunks)
    assert [
        (line, row) for lines, rows in chunks for line, row in zip(lines, rows, strict=True)
    ] == expected
    assert in_chunks == one_by_one


def test_a_csv_error_in_a_chunk_keeps_the_rows_before_it() -> None:
    problems: list[Problem] = []
    text = 'id,name\n1,"a\nb"\n2,b\n3,"c"x\n4,d\n'
    chunks = list(open_csv("f.csv", text).chunks(problems, 10))
    assert [(list(lines), rows) for lines, rows in chunks] == [
        ([2, 4], [["1", "a\nb"], ["2", "b"]])
    ]
    assert [(p.line, p.message) for p in problems] == [(5, "is not valid CSV: {reason}")]


def test_a_chunk_holds_at_least_one_row() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        next(open_csv("f.csv", "id,name\n1,a\n").chunks([], 0))
