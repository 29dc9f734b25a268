"""The one CSV reader behind groups.csv, places.csv and the HSDS tables."""

from __future__ import annotations

import pytest

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
