"""The column checks of groups.csv (catalog/rows.py) against the per-row path they replace
(helpers.load_groups_per_row): the same problems (file, line, field, message, values, in
order), the same groups, the same columns and the same rankings."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupfinder.catalog import rows
from groupfinder.catalog.loader import (
    COLUMNS,
    FORMATS_FILE,
    GROUPS_FILE,
    _parse_row,
    load_catalog,
    load_formats,
    load_groups,
    shipped_data_dir,
)
from groupfinder.catalog.places import PlaceIndex
from groupfinder.catalog.rows import GroupRows, columns_of
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.models import Catalog, Group
from groupfinder.domain.text import REFUSED_IN_A_LINE, unsafe_char
from groupfinder.matching.matcher import Matcher, Recommendation
from groupfinder.matching.rules import GroupTable
from helpers import answers, load_groups_per_row
from personas import PERSONAS

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BENCH = Path(__file__).parents[1] / "bench" / "bench_load.py"

#: Cells that trip one check or another (and some that pass where a naive check would not).
TRICKY = [
    "",
    " ",
    "x",
    "'",
    "'=1+2",
    "'-x",
    "=1",
    "-",
    "-4.5",
    "4,5",
    "51,05",
    " 51.05 ",
    "1_0",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "0",
    "-1",
    "1",
    "12",
    "120",
    "121",
    "1000",
    "1001",
    "99999999999999",
    "abc",
    "2026-13-01",
    "2026-02-03",
    "yes",
    "no",
    "YES",
    "unknown",
    "BE",
    "NL",
    "DE",
    "9000",
    "1012",
    "3000",
    "1012 AB",
    "0000",
    "online",
    "hybrid",
    "in_person",
    "peer",
    "trained",
    "support_group",
    "talk_group",
    "nope_group",
    "grief",
    "grief;anxiety",
    "grief;nope",
    " ; ",
    "nl",
    "nl;fr",
    "nl;xx",
    "women",
    "women;nope",
    "self",
    "relatives",
    "both",
    "\x1b[31m",
    "a\nb",
    "a\r\nb",
    "a\rb",
    "a\r",
    "x\u202ey",
    "\u200b",
    "\t",
    "'\t",
    "FREQ=WEEKLY;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=MONTHLY;BYDAY=1TU",
    "10:00",
    "12:00",
    "25:00",
    "2027-01-01",
    "2026-01-01",
    "session",
    "stay",
    "month",
    "50.9",
    "4.4",
    "90.5",
    "-181",
    "53.2",
    "6.5",
]


def problem_key(problem: Problem) -> tuple[Any, ...]:
    return (problem.file, problem.line, problem.field, problem.message, repr(dict(problem.values)))


def outcome(load: Any, *args: Any) -> tuple[list[Group], list[tuple[Any, ...]]]:
    try:
        return list(load(*args)), []
    except CatalogError as exc:
        return [], [problem_key(p) for p in exc.problems]


def assert_same_tables(a: GroupTable, b: GroupTable) -> None:
    for name, value in vars(a).items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, getattr(b, name), err_msg=name)
            assert value.dtype == getattr(b, name).dtype, name


def assert_same_load(path: Path, places: PlaceIndex) -> int:
    """Both paths on one file agree; how many problems they found."""
    declared = load_formats(shipped_data_dir() / FORMATS_FILE)
    args = (path, declared.formats, declared.topics, places, declared.audiences)
    old_groups, old_problems = outcome(load_groups_per_row, *args)
    new_groups, new_problems = outcome(load_groups, *args)
    assert new_problems == old_problems
    assert [g.model_dump() for g in new_groups] == [g.model_dump() for g in old_groups]
    assert [g.line for g in new_groups] == [g.line for g in old_groups]
    return len(old_problems)


def mutated_rows(seed: int, count: int) -> list[dict[str, str]]:
    """Rows of the shipped catalog and the hostile fixture, some cells replaced by TRICKY
    ones, some ids repeated."""
    chance = random.Random(seed)
    sources = []
    for folder in (shipped_data_dir(), HOSTILE):
        with (folder / GROUPS_FILE).open(encoding="utf-8", newline="") as stream:
            sources += list(csv.DictReader(stream))
    rows = []
    for n in range(count):
        cells = dict(chance.choice(sources))
        cells["id"] = f"m-{n}" if chance.random() > 0.02 else f"m-{chance.randrange(n + 1)}"
        for _ in range(chance.choice((0, 0, 1, 1, 2, 3))):
            cells[chance.choice(COLUMNS)] = chance.choice(TRICKY)
        if chance.random() < 0.1:  # placed by its postcode
            cells["latitude"] = cells["longitude"] = ""
        rows.append(cells)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for cells in rows:
        writer.writerow({c: cells.get(c, "") for c in columns})
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def test_the_shipped_and_hostile_catalogs_load_the_same(places: PlaceIndex) -> None:
    assert assert_same_load(shipped_data_dir() / GROUPS_FILE, places) == 0
    assert assert_same_load(HOSTILE / GROUPS_FILE, places) == 0


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 256 rows, so that the checks also meet across chunks in small files."""
    monkeypatch.setattr(rows, "CHUNK_ROWS", 256)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutated_rows_give_the_same_problems_and_groups(
    tmp_path: Path, places: PlaceIndex, seed: int
) -> None:
    path = write_csv(tmp_path / GROUPS_FILE, mutated_rows(seed, 1500))
    assert assert_same_load(path, places) > 100


def test_only_the_valid_rows_of_a_mutated_file_make_the_same_groups(
    tmp_path: Path, places: PlaceIndex
) -> None:
    declared = load_formats(shipped_data_dir() / FORMATS_FILE)
    args = (declared.formats, declared.topics, places, declared.audiences)
    known = frozenset(declared.formats), frozenset(declared.topics)
    valid = []
    for n, cells in enumerate(mutated_rows(4, 1500)):
        cells = {column: cells.get(column, "") for column in COLUMNS}
        group, _ = _parse_row("x", 2, cells, *known, places, frozenset(declared.audiences))
        if group is not None:
            valid.append({**cells, "id": f"v-{n}"})
    assert len(valid) > 700
    assert assert_same_load(write_csv(tmp_path / GROUPS_FILE, valid), places) == 0
    groups = load_groups(tmp_path / GROUPS_FILE, *args)
    assert isinstance(groups, GroupRows)
    catalog = load_catalog(shipped_data_dir(), places)
    columnar = dataclasses.replace(catalog, groups=groups, audiences=catalog.audiences)
    assert_same_tables(GroupTable(columnar), GroupTable(as_objects(columnar)))


def test_a_version_1_file_and_columns_in_another_order_load_the_same(
    tmp_path: Path, places: PlaceIndex
) -> None:
    rows = mutated_rows(5, 600)
    version_1 = COLUMNS[: COLUMNS.index("last_verified") + 1]
    assert assert_same_load(write_csv(tmp_path / "v1.csv", rows, version_1), places) > 10
    shuffled = list(COLUMNS)
    random.Random(5).shuffle(shuffled)
    assert assert_same_load(write_csv(tmp_path / "any.csv", rows, tuple(shuffled)), places) > 10


def test_bad_files_give_the_same_problems(tmp_path: Path, places: PlaceIndex) -> None:
    header = ",".join(COLUMNS)
    texts = {
        "empty.csv": "",
        "header.csv": header + ",extra\n",
        "semicolons.csv": header.replace(",", ";") + "\n",
        "width.csv": header + "\nx,y\n\n,,,\n",
        "quote.csv": header + '\n"x' + "," * 40 + "\n",
        "bom.csv": "\ufeff" + header + "\n",
    }
    for name, text in texts.items():
        assert_same_load(write_text(tmp_path / name, text), places)
    broken = tmp_path / "latin1.csv"
    broken.write_bytes((header + "\nnaïve\n").encode("latin-1"))
    assert_same_load(broken, places)
    both = tmp_path / "both.csv"  # a bad header and, further on, bytes that are not UTF-8
    both.write_bytes(b"id,nope\n" + b"x\n" * 10_000 + b"\xff\n")
    assert_same_load(both, places)


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def as_objects(catalog: Catalog) -> Catalog:
    """The same catalog with every group built: the matcher lays them out itself."""
    return dataclasses.replace(catalog, groups=list(catalog.groups))


def same_recommendation(a: Recommendation, b: Recommendation) -> None:
    assert a.total_matches == b.total_matches
    for ours, theirs in ((a.groups, b.groups), (a.near_misses, b.near_misses)):
        assert [dataclasses.astuple(r)[1:] for r in ours] == [
            dataclasses.astuple(r)[1:] for r in theirs
        ]
        assert [r.group for r in ours] == [r.group for r in theirs]


def test_the_rankings_on_columns_are_those_on_objects(
    catalog: Catalog, places: PlaceIndex, hostile_dir: Path
) -> None:
    assert isinstance(catalog.groups, GroupRows)
    hostile = load_catalog(hostile_dir, places)
    for one in (catalog, hostile):
        columnar, objects = Matcher(one, places), Matcher(as_objects(one), places)
        assert_same_tables(columnar.table, objects.table)
        for persona in PERSONAS:
            person = answers(**persona["answers"])
            same_recommendation(columnar.recommend(person), objects.recommend(person))


#: Characters on both sides of each edge of what the gate refuses, and some far from it.
EDGES = sorted(
    {
        chr(c)
        for first, last in REFUSED_IN_A_LINE
        for c in (first - 1, first, last, last + 1)
        if c >= 0
    }
    | set("a\u00e9\u2019\u2013\U0001f600\ud800")
)


@given(
    st.lists(
        st.lists(
            st.text(st.sampled_from(EDGES) | st.characters(), max_size=6), min_size=3, max_size=3
        ),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=500)
def test_a_chunk_is_plain_only_when_the_gate_passes_every_cell(cells: list[list[str]]) -> None:
    expected = all(unsafe_char(cell) is None for row in cells for cell in row)
    assert rows._plain([rows._SEP.join(row) for row in cells], 3) is expected


def test_groups_are_built_only_when_asked_for(places: PlaceIndex) -> None:
    catalog = load_catalog(shipped_data_dir(), places)
    groups = catalog.groups
    assert isinstance(groups, GroupRows)
    Matcher(catalog, places).recommend(answers(location="9000", topics=["grief"]))
    built = len(groups._built)
    assert 0 < built <= 15
    assert catalog.groups_by_id["gf-0002"] is groups[1]
    assert "nope" not in catalog.groups_by_id
    assert list(catalog.groups_by_id)[:2] == ["gf-0001", "gf-0002"]
    assert groups[-1] is groups[len(groups) - 1]
    assert [g.id for g in groups[:2]] == ["gf-0001", "gf-0002"]
    with pytest.raises(IndexError):
        groups[len(groups)]
    assert columns_of(list(groups)).ids == groups.ids


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(HOSTILE, tmp_path / "hostile"))


@pytest.mark.slow
def test_a_generated_catalog_of_100000_groups_loads_and_ranks(tmp_path: Path) -> None:
    """The benchmark's 100,000 rows, once: a cold ``recommend`` on them."""
    subprocess.run(
        [sys.executable, str(BENCH), "--generate", str(tmp_path), "--rows", "100000"], check=True
    )
    person = tmp_path / "answers.json"
    person.write_text(json.dumps({"needs": ["recognition"], "location": "9000"}), "utf-8")
    data = tmp_path / "rows-100000"
    started = time.monotonic()
    command = [sys.executable, "-m", "groupfinder", "recommend", "--data", str(data)]
    done = subprocess.run(
        [*command, "--answers", str(person), "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert time.monotonic() - started < 15
    output = json.loads(done.stdout)
    assert len(output["groups"]) == 10
    assert all(g["id"].startswith("gen-") for g in output["groups"])
    catalog = load_catalog(data)
    assert len(catalog.groups) == 100_000
