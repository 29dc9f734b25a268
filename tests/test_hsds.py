"""Open Referral HSDS 3: import a hand-made package, export the catalog, and the round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from groupfinder.catalog import hsds
from groupfinder.catalog.atomic import write_atomic
from groupfinder.catalog.hsds import HsdsMapping, ImportResult, PackageError
from groupfinder.catalog.loader import load_catalog, load_groups, shipped_data_dir
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import CatalogError
from groupfinder.domain.models import Catalog, Group
from groupfinder.domain.schedule import schedule_cells
from helpers import MakeCatalog, hsds_import, row, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "hsds" / "directory"
#: The CSV examples of the official specification (openreferral/specification, branch 3.0).
OFFICIAL = Path(__file__).parent / "fixtures" / "hsds" / "official"
SERVICE = "5e5e0000-0000-4000-8000-0000000000{:02d}".format
LOCATION = "10c00000-0000-4000-8000-0000000000{:02d}".format
HSDS_TABLES = {
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "schedule",
    "language",
    "accessibility",
    "cost_option",
    "phone",
    "taxonomy_term",
    "attribute",
}


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the hand-made package that a test may spoil."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "package"))


def fields(group: Group) -> dict[str, Any]:
    """Everything about a group but the line it came from, its structured schedule (see
    :func:`test_round_trip_keeps_structured_schedules`) and what an import keeps for an
    export (:data:`SOURCE_FIELDS`, checked in tests/test_hsds_export.py)."""
    return group.model_dump(exclude={"line", "timetable", *SOURCE_FIELDS})


#: What an import carries for an export (tests/test_hsds_export.py checks it).
SOURCE_FIELDS = ("organization", "hsds_service_id", "hsds_organization_id", "coordinates_text")


# ------------------------------------------------------------------ editing a package


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(path: Path, row_id: str, **cells: str) -> int:
    """Change cells of the row with ``row_id``; returns the row's line."""
    header, rows = read_rows(path)
    index = next(n for n, r in enumerate(rows) if r["id"] == row_id)
    rows[index].update(cells)
    write_rows(path, header, rows)
    return index + 2


def drop_column(path: Path, column: str) -> None:
    header, rows = read_rows(path)
    header.remove(column)
    write_rows(path, header, [{k: v for k, v in r.items() if k != column} for r in rows])


def line_of(path: Path, row_id: str) -> int:
    _, rows = read_rows(path)
    return next(n for n, r in enumerate(rows) if r["id"] == row_id) + 2


# ------------------------------------------------------------------ importing the hand-made package


@pytest.fixture(scope="module")
def imported(catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping) -> ImportResult:
    return hsds_import(FIXTURE, catalog, places, mapping)


def by_id(result: ImportResult) -> dict[str, Group]:
    return {group.id: group for group in result.groups}


def test_fixture_imports_the_services_it_can_place(imported: ImportResult) -> None:
    assert imported.services == 12
    assert list(by_id(imported)) == [
        SERVICE(1),
        SERVICE(2),
        SERVICE(3),
        "gf-fixture-1",
        f"{SERVICE(11)}@{LOCATION(8)}",
        f"{SERVICE(11)}@{LOCATION(9)}",
    ]


def test_a_service_with_terms_of_another_taxonomy(imported: ImportResult) -> None:
    group = by_id(imported)[SERVICE(1)]
    assert fields(group) == {
        "id": SERVICE(1),
        "name": "Rouwgroep Gent",
        "format": "support_group",
        "topics": ("grief",),
        "leadership": "peer",
        "size_min": None,
        "size_max": None,
        "setting": "in_person",  # the postal location is not a place to meet
        "drop_in": None,
        "address": "Kouter 1",  # the physical address, not the postal one listed first
        "postcode": "9000",
        "city": "Gent",
        "country": "BE",
        "latitude": 51.0543,
        "longitude": 3.7174,
        "languages": ("nl",),
        "schedule": "Elke eerste maandag van de maand, 19:30-21:30",
        "cost_eur": 0.0,
        "contact": {
            "phone": "+32 00 000 00 01",
            "email": "rouw@samen.example.org",
            "website": "https://samen.example.org/rouw",
        },
        "wheelchair": "yes",
        "audience": "Volwassenen die hun partner verloren",
        "description": "Lotgenoten die hun partner verloren, elke maand samen.",
        "last_verified": dt.date(2026, 3, 1),
        "for_whom": "both",
        "age_min": None,
        "age_max": None,
        "restricted_to": (),
    }


def test_an_online_service_uses_defaults_and_fallbacks(imported: ImportResult) -> None:
    group = by_id(imported)[SERVICE(2)]
    assert (group.format, group.topics, group.setting) == ("therapy_group", ("anxiety",), "online")
    assert group.leadership == "professional"  # [defaults] in the mapping: therapy groups
    assert group.languages == ("en",)  # "eng" understood, Arabic left out
    assert group.schedule is None  # no description: the structured columns say it all
    assert schedule_cells(group.timetable) == {
        "rrule": "FREQ=WEEKLY;BYDAY=TH",
        "start_time": "19:00",
        "end_time": "20:30",
        "first_date": "2026-01-01",
        "last_date": "",
        "cost_unit": "",
    }
    assert group.cost_eur == 20  # the cheapest EUR option
    assert group.contact.phone == "+31 00 000 0002"  # the organization's phone
    assert group.contact.email is None
    assert group.last_verified == dt.date(2026, 2, 10)  # from last_modified
    assert (group.address, group.city, group.latitude) == (None, None, None)


def test_a_hybrid_service(imported: ImportResult) -> None:
    group = by_id(imported)[SERVICE(3)]
    assert (group.format, group.topics, group.leadership) == ("workshop", ("burnout",), "trained")
    assert group.setting == "hybrid"
    assert group.schedule == "Zes dinsdagen, 10:00-12:00"  # of the service at that location
    assert group.languages == ("nl",)  # languages.csv gives them for the location
    assert group.wheelchair == "no"  # from the accessibility details
    assert group.cost_eur is None  # only a price in GBP
    assert (group.address, group.postcode, group.country) == (
        "Oudegracht 100, 2e verdieping",
        "3511 AB",
        "NL",
    )
    assert group.has_coordinates  # from the postcode
    assert group.contact.website == "https://samen.example.org"  # the organization's


def test_groupfinder_terms_carry_id_and_values(imported: ImportResult) -> None:
    group = by_id(imported)["gf-fixture-1"]
    assert (group.format, group.topics, group.leadership) == ("talk_group", ("loneliness",), "peer")
    assert (group.drop_in, group.size_min, group.size_max) == (True, 5, 12)
    assert group.languages == ("nl", "fr")
    assert group.cost_eur == 2.5
    assert group.city == "Brussel"


def test_a_service_at_two_places_is_two_groups(imported: ImportResult) -> None:
    groups = by_id(imported)
    leuven = groups[f"{SERVICE(11)}@{LOCATION(8)}"]
    hasselt = groups[f"{SERVICE(11)}@{LOCATION(9)}"]
    assert (leuven.city, hasselt.city) == ("Leuven", "Hasselt")
    assert leuven.schedule is None
    assert leuven.timetable is not None  # of the location
    assert leuven.timetable.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert schedule_cells(leuven.timetable)["start_time"] == "19:00"
    assert leuven.contact.phone == "+32 00 000 00 08"
    assert hasselt.schedule is None
    assert hasselt.timetable is None
    assert hasselt.contact.phone is None


def test_services_that_cannot_be_placed_are_listed_with_the_reason(
    imported: ImportResult,
) -> None:
    reasons = {note.service: note.render("en") for note in imported.skipped}
    assert set(reasons) == {SERVICE(n) for n in (4, 5, 6, 7, 8, 9, 12)}
    expected = {
        4: "(Oude praatgroep) skipped: its status is 'defunct'",
        5: "(Budgetadvies) skipped: no format: none of its taxonomy terms maps to a format",
        6: "several formats (support_group, therapy_group)",
        7: "no leadership: none of its taxonomy terms maps to a leadership, and the mapping "
        "has no default for support_group",
        8: "its address is in 'DE'",
        9: "none of its languages (pl) is Dutch, French or English",
        12: "postcode: unknown postcode '0000'",
    }
    for n, words in expected.items():
        assert words in reasons[SERVICE(n)]
        assert reasons[SERVICE(n)].startswith(f"{FIXTURE / 'services.csv'}:{n + 1}: ")


def test_a_detail_left_out_is_noted_but_the_service_imported(imported: ImportResult) -> None:
    (note,) = [n for n in imported.notes if not n.skipped]
    assert note.service == SERVICE(3)
    assert "cost in GBP left out" in note.render("en")


def test_the_written_file_loads_as_the_same_groups(
    imported: ImportResult, catalog: Catalog, places: PlaceIndex, tmp_path: Path
) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(imported.groups_csv, encoding="utf-8")
    groups = load_groups(path, catalog.formats, catalog.topics, places)
    assert [fields(g) for g in groups] == [fields(g) for g in imported.groups]


def test_import_reads_datapackage_json_paths(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    (package / "tables").mkdir()
    resources = []
    for table in hsds.TABLES:
        moved = f"tables/{table.name}-export.csv"
        (package / table.path).rename(package / moved)
        resources.append({"name": table.name, "path": moved})
    resources.append({"name": "contact", "path": "contacts.csv"})  # a table not read
    descriptor = package / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    expected = [fields(g) for g in hsds_import(FIXTURE, catalog, places, mapping).groups]
    for path in (package, descriptor):
        assert [fields(g) for g in hsds_import(path, catalog, places, mapping).groups] == expected


def write_mapping(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_operator_mapping_settles_what_the_shipped_one_leaves_out(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    custom = write_mapping(
        tmp_path / "mapping.toml",
        f"""
version = 1

[[terms]]
match = ["FIN"]  # a code
taxonomy = "example directory"
format = "workshop"
topics = ["stress"]
leadership = "trained"

[[terms]]
match = ["support   groups"]
format = "support_group"

[[terms]]
match = ["Depression", "bereavement", "Anxiety"]
topics = ["depression"]

[defaults]
leadership = {{ support_group = "peer", therapy_group = "professional" }}

[services."{SERVICE(6)}"]
format = "therapy_group"
topics = ["loneliness"]
leadership = "professional"
""",
    )
    mapping = hsds.load_mapping(custom, catalog.formats, catalog.topics)
    groups = by_id(hsds_import(FIXTURE, catalog, places, mapping))
    assert (groups[SERVICE(5)].format, groups[SERVICE(5)].topics) == ("workshop", ("stress",))
    assert (groups[SERVICE(6)].format, groups[SERVICE(6)].topics) == (
        "therapy_group",
        ("loneliness",),
    )
    assert groups[SERVICE(7)].leadership == "peer"  # from [defaults]
    assert groups[SERVICE(1)].topics == ("depression",)  # "bereavement" now maps elsewhere


def test_a_taxonomy_limit_is_respected(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    custom = write_mapping(
        tmp_path / "mapping.toml",
        'version = 1\n[[terms]]\nmatch = ["FIN"]\ntaxonomy = "AIRS"\nformat = "workshop"\n'
        'topics = ["stress"]\nleadership = "trained"\n',
    )
    mapping = hsds.load_mapping(custom, catalog.formats, catalog.topics)
    assert SERVICE(5) not in by_id(hsds_import(FIXTURE, catalog, places, mapping))


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (
            'version = 1\n\n[[terms]]\nmatch = ["X"]\nformat = "yoga"\n',
            5,
            "terms.0.format",
            "unknown format 'yoga'",
        ),
        (
            'version = 1\n[[terms]]\nmatch = ["X"]\nformat = "workshop"\n[[terms]]\n'
            'match = ["Y"]\ntopics = ["gardening"]\n',
            7,
            "terms.1.topics",
            "unknown topic 'gardening'",
        ),
        ('version = 1\n[[terms]]\nmatch = ["X"]\n', 2, "terms.0", "give at least one of"),
        ('version = 1\n[[terms]]\nmatch = []\nformat = "workshop"\n', 3, "terms.0.match", ""),
        ('version = 1\n[[terms]]\nmatch = ["X"]\nleadership = "boss"\n', 4, "", "'boss'"),
        ("version = 1\ncolour = 'blue'\n", 2, "colour", "unknown key"),
        ('version = 1\n[defaults]\nleadership = { yoga = "peer" }\n', 3, "", "'yoga'"),
        ("version = 2\n", 1, "version", "unknown value 2"),
    ],
)
def test_a_bad_mapping_names_line_and_field(
    tmp_path: Path, catalog: Catalog, text: str, line: int, field: str, words: str
) -> None:
    path = write_mapping(tmp_path / "mapping.toml", text)
    with pytest.raises(CatalogError) as caught:
        hsds.load_mapping(path, catalog.formats, catalog.topics)
    problem = caught.value.problems[0]
    assert problem.line == line, problem
    assert (problem.field or "").startswith(field)
    assert words in str(problem)


def test_the_shipped_mapping_is_valid_and_documented(catalog: Catalog) -> None:
    path = shipped_data_dir() / hsds.MAPPING_FILE
    mapping = hsds.load_mapping(path, catalog.formats, catalog.topics)
    mapped = {rule.format for rule in mapping.rules if rule.format}
    assert mapped == set(catalog.formats)
    assert {t for rule in mapping.rules for t in rule.topics} >= set(catalog.topics) - {"general"}
    assert {rule.leadership for rule in mapping.rules} >= {"professional", "trained", "peer"}
    comments = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    ]
    assert len(comments) > 30


# ------------------------------------------------------------------ the command


def test_import_command_writes_groups_csv_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(FIXTURE), "--out", str(out)
    )
    assert code == 0
    assert "Imported 6 groups from 12 services" in stdout
    assert "7 services left out" in stdout
    assert f"{SERVICE(5)} (Budgetadvies) skipped: no format" in stderr
    assert len([line for line in stderr.splitlines() if " skipped: " in line]) == 7
    code, stdout, _ = run_cli(capsys, "catalog", "validate", "--data", str(out))
    assert code == 0
    assert "6 groups" in stdout


def test_import_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "groups.csv").write_text("keep me\n", encoding="utf-8")
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(FIXTURE), "--out", str(out)
    )
    assert code == 2
    assert stdout == ""
    assert "groups.csv: already exists; add --force to replace it" in stderr
    assert (out / "groups.csv").read_text(encoding="utf-8") == "keep me\n"
    args = ("catalog", "import-hsds", str(FIXTURE), "--out", str(out), "--force")
    code, _, _ = run_cli(capsys, *args)
    assert code == 0
    assert (out / "groups.csv").read_text(encoding="utf-8").startswith("id,name,format")
    assert sorted(p.name for p in out.iterdir()) == ["groups.csv"]  # no temporary file left


def test_import_uses_the_formats_and_mapping_of_the_out_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / hsds.MAPPING_FILE).write_text(
        'version = 1\n[[terms]]\nmatch = ["Financial Counseling"]\nformat = "workshop"\n'
        'topics = ["stress"]\nleadership = "trained"\n',
        encoding="utf-8",
    )
    code, stdout, _ = run_cli(capsys, "catalog", "import-hsds", str(FIXTURE), "--out", str(out))
    assert code == 0
    assert "Imported 2 groups" in stdout  # Budgetadvies, and the service with own terms
    other = write_mapping(tmp_path / "other.toml", "version = 1\n")
    args = ("catalog", "import-hsds", str(FIXTURE), "--out", str(out), "--force")
    code, stdout, _ = run_cli(capsys, *args, "--mapping", str(other))
    assert "Imported 1 group from" in stdout


def test_nothing_to_import_writes_nothing(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = read_rows(package / "services.csv")
    write_rows(package / "services.csv", header, [{**r, "status": "inactive"} for r in rows])
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(out)
    )
    assert code == 2
    assert stdout == ""
    assert "no service could be imported, so nothing was written" in stderr
    assert stderr.count(" skipped: its status is 'inactive'") == 10  # the first ten
    assert "… and 2 more (--verbose lists them all)." in stderr
    assert "      12  its status is '…'; only active services are imported" in stderr
    assert not out.exists()


def test_a_bad_mapping_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_mapping(tmp_path / "bad.toml", 'version = 1\n[[terms]]\nmatch = ["X"]\n')
    out = tmp_path / "out"
    code, _, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(FIXTURE), "--out", str(out), "--mapping", str(bad)
    )
    assert code == 2
    assert f"{bad}:2: terms.0: give at least one of format, topics or leadership" in stderr
    assert not out.exists()


def test_out_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spot = tmp_path / "file.txt"
    spot.write_text("x", encoding="utf-8")
    for command in (["import-hsds", str(FIXTURE)], ["export-hsds"]):
        code, _, stderr = run_cli(capsys, "catalog", *command, "--out", str(spot))
        assert code == 2
        assert "--out: is not a folder" in stderr
    assert spot.read_text(encoding="utf-8") == "x"


# ------------------------------------------------------------------ malformed packages

Spoil = Callable[[Path], str]


def missing_file(package: Path) -> str:
    (package / "services.csv").unlink()
    return "services.csv: file not found; an HSDS package needs it"


def missing_column(package: Path) -> str:
    drop_column(package / "service_at_location.csv", "location_id")
    return "service_at_location.csv:1: location_id: required column is missing from the header"


def broken_location_link(package: Path) -> str:
    line = edit(
        package / "service_at_location.csv",
        "5a100000-0000-4000-8000-000000000013",
        location_id=LOCATION(99),
    )
    return (
        f"service_at_location.csv:{line}: location_id: '{LOCATION(99)}' is not an id in "
        "locations.csv"
    )


def broken_term_link(package: Path) -> str:
    missing = "7e470000-0000-4000-8000-000000000999"
    line = edit(
        package / "attributes.csv",
        "a7740000-0000-4000-8000-000000000004",
        taxonomy_term_id=missing,
    )
    return (
        f"attributes.csv:{line}: taxonomy_term_id: '{missing}' is not an id in taxonomy_terms.csv"
    )


def broken_organization_link(package: Path) -> str:
    missing = "0d900000-0000-4000-8000-000000000009"
    line = edit(package / "services.csv", SERVICE(3), organization_id=missing)
    return f"services.csv:{line}: organization_id: '{missing}' is not an id in organizations.csv"


def duplicate_id(package: Path) -> str:
    line = edit(package / "locations.csv", LOCATION(9), id=LOCATION(8))
    return f"locations.csv:{line}: id: duplicate id '{LOCATION(8)}'; first used on line {line - 1}"


def empty_required_cell(package: Path) -> str:
    line = edit(package / "services.csv", SERVICE(10), name=" ")
    return f"services.csv:{line}: name: required; this cell is empty"


def short_row(package: Path) -> str:
    path = package / "phones.csv"
    text = path.read_text(encoding="utf-8") + "9b0e0000-0000-4000-8000-000000000004,x\n"
    path.write_text(text, encoding="utf-8")
    return "phones.csv:5: row has 2 fields but the header has 10"


def not_utf8(package: Path) -> str:
    path = package / "services.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    return f"services.csv:{line_of(FIXTURE / 'services.csv', SERVICE(10))}: is not UTF-8 text"


def broken_quote(package: Path) -> str:
    path = package / "schedules.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'x,,,,,,,,,,,"open\n', encoding="utf-8")
    return "schedules.csv:8: is not valid CSV"


def separated_by_semicolons(package: Path) -> str:
    path = package / "phones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    return "phones.csv:1: this file is separated by semicolons; save it as CSV UTF-8"


def escape_in_header(package: Path) -> str:
    path = package / "locations.csv"
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header + ",\x1b[31mnote\n" + rest, encoding="utf-8")
    column = len(header.split(",")) + 1
    return f"locations.csv:1: column {column}: holds a control or invisible character (U+001B)"


def descriptor_not_json(package: Path) -> str:
    (package / "datapackage.json").write_text('{"resources": [\n', encoding="utf-8")
    return "datapackage.json:2: is not valid JSON"


def descriptor_path_outside(package: Path) -> str:
    resources = [{"name": t.name, "path": t.path} for t in hsds.TABLES]
    resources[1]["path"] = "../services.csv"
    (package / "datapackage.json").write_text(json.dumps({"resources": resources}), "utf-8")
    return (
        "datapackage.json: resources.1.path: expected the path of a CSV file inside the "
        "package, got '../services.csv'"
    )


def descriptor_without_services(package: Path) -> str:
    resources = [{"name": t.name, "path": t.path} for t in hsds.TABLES if t.name != "service"]
    (package / "datapackage.json").write_text(json.dumps({"resources": resources}), "utf-8")
    return "datapackage.json: resources: no resource named 'service'; an HSDS package needs it"


def no_package(package: Path) -> str:
    shutil.rmtree(package)
    return "package: not found; expected the folder of an HSDS package"


@pytest.mark.parametrize(
    "spoil",
    [
        missing_file,
        missing_column,
        broken_location_link,
        broken_term_link,
        broken_organization_link,
        duplicate_id,
        empty_required_cell,
        short_row,
        not_utf8,
        broken_quote,
        separated_by_semicolons,
        escape_in_header,
        descriptor_not_json,
        descriptor_path_outside,
        descriptor_without_services,
        no_package,
    ],
)
def test_a_malformed_package_exits_2_and_writes_nothing(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], spoil: Spoil
) -> None:
    expected = spoil(package)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(out)
    )
    assert code == 2
    assert stdout == ""
    assert expected in stderr, stderr
    assert str(package) in stderr  # the full path of the file
    found = re.search(r"^(\d+) problems? found\.$", stderr, re.MULTILINE)
    assert found is not None
    assert int(found[1]) <= 3, "one mistake should not bury the reader in consequences"
    assert "Traceback" not in stderr
    assert "\x1b" not in stderr  # what a file holds is said as text, never sent as an escape
    assert " skipped: " not in stderr  # a malformed package is not half imported
    assert not out.exists()


def test_every_problem_of_every_file_is_reported_at_once(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    expected = [
        broken_location_link(package),
        broken_organization_link(package),
        duplicate_id(package),
    ]
    with pytest.raises(PackageError) as caught:
        hsds_import(package, catalog, places, mapping)
    rendered = [str(p) for p in caught.value.problems]
    for words in expected:
        assert any(words in text for text in rendered), words


def test_problems_are_translated(
    package: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = broken_organization_link(package)
    monkeypatch.setenv("GROUPFINDER_LANG", "nl")
    code, _, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert expected.split(": ", 1)[0] + ": " in stderr
    assert "is not an id in" not in stderr


# ------------------------------------------------------------------ cells the import cannot use

#: What a spoiled cell costs: (the service, words of its note, whether it is left out).
Cost = tuple[str, str, bool]


def cost_with_a_comma(package: Path) -> Cost:
    line = edit(package / "cost_options.csv", "c0570000-0000-4000-8000-000000000002", amount="5,00")
    return SERVICE(2), f"cost_options.csv:{line}: amount: expected a number, got '5,00'", True


def negative_cost(package: Path) -> Cost:
    line = edit(package / "cost_options.csv", "c0570000-0000-4000-8000-000000000002", amount="-5")
    return SERVICE(2), f"cost_options.csv:{line}: amount: cost cannot be negative, got -5.0", True


def status_with_a_capital(package: Path) -> Cost:
    edit(package / "services.csv", SERVICE(2), status="Active")
    return SERVICE(2), "skipped: status: unknown value 'Active'; expected one of: active", True


def no_status(package: Path) -> Cost:
    edit(package / "services.csv", SERVICE(2), status="")
    return SERVICE(2), "skipped: status: required; this cell is empty", True


def date_with_a_time(package: Path) -> Cost:
    edit(package / "services.csv", SERVICE(1), assured_date="2026-03-01T10:00:00")
    words = "assured_date: expected a date as YYYY-MM-DD, got '2026-03-01T10:00:00'"
    return SERVICE(1), words, True


def bad_datetime(package: Path) -> Cost:
    edit(package / "services.csv", SERVICE(2), last_modified="yesterday")
    return SERVICE(2), "skipped: last_modified: expected a date and time", True


def latitude_not_a_number(package: Path) -> Cost:
    line = edit(package / "locations.csv", LOCATION(8), latitude="north")
    words = f"location left out: locations.csv:{line}: latitude: expected a number, got 'north'"
    return SERVICE(11), words, False


def latitude_out_of_range(package: Path) -> Cost:
    line = edit(package / "locations.csv", LOCATION(8), latitude="100")
    words = f"locations.csv:{line}: latitude: latitude must be between -90 and 90, got 100.0"
    return SERVICE(11), words, False


def unknown_location_type(package: Path) -> Cost:
    line = edit(package / "locations.csv", LOCATION(8), location_type="building")
    words = f"locations.csv:{line}: location_type: unknown value 'building'"
    return SERVICE(11), words, False


def swapped_coordinates(package: Path) -> Cost:
    line = edit(package / "locations.csv", LOCATION(1), latitude="3.7174", longitude="51.0543")
    words = (
        f"skipped: locations.csv:{line}: latitude: latitude 3.7174 and longitude 51.0543 look "
        "swapped: the other way round they are in BE; correct the location"
    )
    return SERVICE(1), words, True


def coordinates_abroad(package: Path) -> Cost:
    line = edit(package / "locations.csv", LOCATION(8), latitude="48.8566", longitude="2.3522")
    words = f"locations.csv:{line}: latitude: latitude 48.8566, longitude 2.3522 is not in BE"
    return SERVICE(11), words, False


def bad_drop_in(package: Path) -> Cost:
    line = edit(package / "attributes.csv", "a7740000-0000-4000-8000-000000000027", value="maybe")
    words = f"attributes.csv:{line}: value: unknown value 'maybe'; expected yes or no"
    return SERVICE(10), words, True


def bad_size(package: Path) -> Cost:
    line = edit(package / "attributes.csv", "a7740000-0000-4000-8000-000000000028", value="five")
    return SERVICE(10), f"attributes.csv:{line}: value: expected a whole number, got 'five'", True


def unknown_own_term(package: Path) -> Cost:
    line = edit(
        package / "taxonomy_terms.csv", "7e470000-0000-4000-8000-000000000105", code="colour"
    )
    words = f"taxonomy_terms.csv:{line}: code: unknown groupfinder term 'colour'"
    return SERVICE(10), words, True


def bad_extension(package: Path) -> Cost:
    line = edit(package / "phones.csv", "9b0e0000-0000-4000-8000-000000000001", extension="x1")
    words = f"phone left out: phones.csv:{line}: extension: expected a number, got 'x1'"
    return SERVICE(1), words, False


def bad_schedule(package: Path) -> Cost:
    line = line_of(package / "schedules.csv", "5c4e0000-0000-4000-8000-000000000002")
    edit(package / "schedules.csv", "5c4e0000-0000-4000-8000-000000000002", opens_at="25:00")
    words = f"schedule left out: schedules.csv:{line}: opens_at: expected a time such as 19:30"
    return SERVICE(2), words, False


@pytest.mark.parametrize(
    "spoil",
    [
        cost_with_a_comma,
        negative_cost,
        status_with_a_capital,
        no_status,
        date_with_a_time,
        bad_datetime,
        latitude_not_a_number,
        latitude_out_of_range,
        unknown_location_type,
        swapped_coordinates,
        coordinates_abroad,
        bad_drop_in,
        bad_size,
        unknown_own_term,
        bad_extension,
        bad_schedule,
    ],
)
def test_a_value_the_import_cannot_use_costs_only_what_it_describes(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    imported: ImportResult,
    spoil: Callable[[Path], Cost],
) -> None:
    service, words, skipped = spoil(package)
    result = hsds_import(package, catalog, places, mapping)
    notes = [n.render("en") for n in result.notes if n.service == service]
    assert any(words in note for note in notes), notes
    before = {g.id.split("@")[0] for g in imported.groups}
    after = {g.id.split("@")[0] for g in result.groups}
    if skipped:
        assert service not in after
        assert [n.service for n in result.skipped if n.service == service] == [service]
        assert before - after <= {service, "gf-fixture-1"}  # 10 is imported as gf-fixture-1
    else:
        assert after == before  # the service keeps what else it has


def test_links_the_official_descriptor_does_not_declare_are_not_checked(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    edit(package / "attributes.csv", "a7740000-0000-4000-8000-000000000099", link_id=LOCATION(77))
    edit(
        package / "taxonomy_terms.csv",
        "7e470000-0000-4000-8000-000000000001",
        parent_id="7e470000-0000-4000-8000-000000000999",
    )
    expected = [fields(g) for g in hsds_import(FIXTURE, catalog, places, mapping).groups]
    assert [fields(g) for g in hsds_import(package, catalog, places, mapping).groups] == expected


def test_every_declared_link_is_one_the_official_descriptor_declares() -> None:
    official = json.loads((OFFICIAL / "datapackage.json").read_text(encoding="utf-8"))
    declared = {
        (resource["name"], key["fields"], key["reference"]["resource"])
        for resource in official["resources"]
        for key in resource["schema"].get("foreignKeys", [])
    }
    checked = {
        (table.name, column.name, column.references)
        for table in hsds.schema.READ_TABLES
        for column in table.columns
        if column.references
    }
    assert checked <= declared, checked - declared


# ------------------------------------------------------------------ export and round trip


@pytest.fixture(scope="module")
def exported(catalog: Catalog) -> dict[str, str]:
    return hsds.export_package(catalog)


def tables(files: dict[str, str]) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    result = {}
    for resource in json.loads(files["datapackage.json"])["resources"]:
        reader = csv.DictReader(io.StringIO(files[resource["path"]], newline=""))
        result[resource["name"]] = (list(reader.fieldnames or []), list(reader))
    return result


def test_export_writes_every_table_and_a_descriptor(exported: dict[str, str]) -> None:
    descriptor = json.loads(exported["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) >= HSDS_TABLES  # the official descriptor: all 21 tables
    assert set(exported) == {r["path"] for r in resources.values()} | {"datapackage.json"}
    for name, (header, _) in tables(exported).items():
        schema = resources[name]["schema"]
        assert header == [f["name"] for f in schema["fields"]], name
        assert schema["primaryKey"] == "id"


def value_ok(field: dict[str, Any], value: str) -> bool:
    kind, fmt = field["type"], field.get("format")
    try:
        if kind == "number":
            float(value)
        elif kind == "date":
            dt.date.fromisoformat(value)
        elif fmt == "uuid":
            uuid.UUID(value)
    except ValueError:
        return False
    return value in field["constraints"].get("enum", [value])


def test_export_meets_its_own_datapackage_schema(exported: dict[str, str]) -> None:
    """What a Frictionless validator checks: types, required, unique, enums, foreign keys."""
    resources = {r["name"]: r for r in json.loads(exported["datapackage.json"])["resources"]}
    data = tables(exported)
    ids = {name: {r["id"] for r in rows} for name, (_, rows) in data.items()}
    missing = []
    for name, (_, rows) in data.items():
        schema = resources[name]["schema"]
        assert len(ids[name]) == len(rows), f"{name}: ids are not unique"
        for record in rows:
            for field in schema["fields"]:
                value = record[field["name"]]
                if not value:
                    if field["constraints"]["required"]:
                        missing.append((name, field["name"], record.get("country")))
                    continue
                assert value_ok(field, value), (name, field["name"], value)
        for key in schema.get("foreignKeys", []):
            target = key["reference"]["resource"]
            for record in rows:
                value = record[key["fields"]]
                assert not value or value in ids[target], (name, key["fields"], value)
    assert missing == []  # Dutch provinces come from places.csv, Belgian from the postcode


def test_every_attribute_points_at_a_service(exported: dict[str, str]) -> None:
    data = tables(exported)
    services = {r["id"] for r in data["service"][1]}
    attributes = data["attribute"][1]
    assert attributes
    assert all(a["link_entity"] == "service" and a["link_id"] in services for a in attributes)


def test_belgian_addresses_get_their_province(exported: dict[str, str]) -> None:
    addresses = tables(exported)["address"][1]
    ghent = next(a for a in addresses if a["postal_code"] == "9000")
    assert ghent["state_province"] == "East Flanders"
    assert hsds.belgian_province("1050") == "Brussels-Capital Region"
    assert hsds.belgian_province("3500") == "Limburg"
    assert hsds.belgian_province("1012 AB") == ""


def test_export_is_deterministic_and_ids_are_stable(
    catalog: Catalog, exported: dict[str, str], make_catalog: MakeCatalog
) -> None:
    assert hsds.export_package(catalog) == exported
    one = tables(hsds.export_package(make_catalog([row(id="a"), row(id="b")])))
    two = tables(hsds.export_package(make_catalog([row(id="b"), row(id="c")])))
    for table in ("service", "location", "attribute"):
        ids_one = {r["id"] for r in one[table][1]}
        ids_two = {r["id"] for r in two[table][1]}
        assert ids_one & ids_two, table  # group "b" keeps its HSDS ids
        assert ids_one != ids_two, table
    for record in one["service"][1]:
        assert uuid.UUID(record["id"]).version == 5


def test_shipped_catalog_round_trip_loses_nothing(
    catalog: Catalog,
    exported: dict[str, str],
    places: PlaceIndex,
    mapping: HsdsMapping,
    tmp_path: Path,
) -> None:
    hsds.write_package(tmp_path / "hsds", exported)
    result = hsds_import(tmp_path / "hsds", catalog, places, mapping)
    assert result.notes == []
    assert [fields(g) for g in result.groups] == [fields(g) for g in catalog.groups]


EDGE_ROWS = [
    row(
        id="online-country",
        setting="online",
        address="",
        postcode="",
        city="",
        latitude="",
        longitude="",
        country="NL",
        wheelchair="unknown",
    ),
    row(
        id="online-bare",
        setting="online",
        address="",
        postcode="",
        city="",
        latitude="",
        longitude="",
        country="",
        wheelchair="yes",
        drop_in="",
        size_min="",
        size_max="",
    ),
    row(id="online-with-place", setting="online", wheelchair="no"),
    row(id="hybrid-no", setting="hybrid", wheelchair="no", languages="en;nl", cost_eur="12.5"),
    row(
        id="bare",
        address="",
        postcode="",
        city="",
        country="",
        latitude="",
        longitude="",
        schedule="",
        cost_eur="",
        contact_email="",
        website="",
        audience="",
        description="",
        last_verified="",
        wheelchair="",
        drop_in="",
        size_min="",
        size_max="",
        contact_phone="",
    ),
    row(
        id="country-only", address="", postcode="", city="", latitude="", longitude="", country="BE"
    ),
    row(
        id="text",
        name='Groep "De Brug", Gent',
        description='Twee regels:\nhier, en "hier".',
        schedule="Ma; di",
        topics="grief;trauma;general",
        contact_phone="+32 00 000 00 99",
    ),
    row(
        id="id with spaces/and:colons",
        latitude="52.37",
        longitude="4.89",
        postcode="1012",
        country="NL",
        city="Amsterdam",
    ),
]


def test_round_trip_of_every_kind_of_group(
    make_catalog: MakeCatalog, places: PlaceIndex, mapping: HsdsMapping, tmp_path: Path
) -> None:
    catalog = make_catalog(EDGE_ROWS)
    hsds.write_package(tmp_path / "hsds", hsds.export_package(catalog))
    result = hsds_import(tmp_path / "hsds", catalog, places, mapping)
    assert result.notes == []
    assert [fields(g) for g in result.groups] == [fields(g) for g in catalog.groups]


def test_round_trip_keeps_structured_schedules(
    catalog: Catalog,
    exported: dict[str, str],
    places: PlaceIndex,
    mapping: HsdsMapping,
    tmp_path: Path,
) -> None:
    hsds.write_package(tmp_path / "hsds", exported)
    result = hsds_import(tmp_path / "hsds", catalog, places, mapping)
    assert [g.timetable for g in result.groups] == [g.timetable for g in catalog.groups]


def test_round_trip_through_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog: Catalog, places: PlaceIndex
) -> None:
    package, data = tmp_path / "hsds", tmp_path / "data"
    code, stdout, _ = run_cli(capsys, "catalog", "export-hsds", "--out", str(package))
    assert code == 0
    assert f"Wrote {len(catalog.groups)} groups" in stdout
    code, _, stderr = run_cli(capsys, "catalog", "import-hsds", str(package), "--out", str(data))
    assert (code, stderr) == (0, "")
    again = load_catalog(data, places)
    assert [fields(g) for g in again.groups] == [fields(g) for g in catalog.groups]
    code, _, _ = run_cli(
        capsys, "catalog", "export-hsds", "--out", str(tmp_path / "again"), "--data", str(data)
    )
    assert code == 0
    for table in hsds.TABLES:
        first = (package / table.path).read_text(encoding="utf-8")
        assert (tmp_path / "again" / table.path).read_text(encoding="utf-8") == first


def test_export_of_a_bad_catalog_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "groups.csv").write_text("id,name\nx,y\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli(
        capsys, "catalog", "export-hsds", "--out", str(out), "--data", str(data)
    )
    assert code == 2
    assert "groups.csv:1: format: required column is missing from the header" in stderr
    assert not out.exists()


# ------------------------------------------------------------------ writing


def test_write_atomic_replaces_or_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "groups.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["groups.csv"]

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "newer\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["groups.csv"]


def test_package_text_in_the_report_is_shown_literally(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    edit(package / "services.csv", SERVICE(9), name="Grupa\x1b[2J wsparcia")
    edit(package / "languages.csv", "1a9e0000-0000-4000-8000-000000000009", code="pl\x1b]0;x\x07")
    result = hsds_import(package, catalog, places, mapping)
    (note,) = [n for n in result.skipped if n.service == SERVICE(9)]
    text = note.render("en")
    assert "\x1b" not in text and "\x07" not in text
    assert "Grupa\\x1b[2J wsparcia" in text


# ------------------------------------------------------------------ the official examples


def add_rows(path: Path, *rows: dict[str, str]) -> None:
    """Append rows (missing cells blank, new columns added to the header)."""
    header, old = read_rows(path) if path.exists() else ([], [])
    header = list(dict.fromkeys([*header, *(column for row in rows for column in row)]))
    every = [*old, *rows]
    write_rows(path, header, [{c: r.get(c, "") for c in header} for r in every])


OFFICIAL_SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def official_mapping(tmp_path: Path, catalog: Catalog) -> HsdsMapping:
    custom = write_mapping(
        tmp_path / "official.toml",
        f'version = 1\n[services."{OFFICIAL_SERVICE}"]\nformat = "therapy_group"\n'
        'topics = ["anxiety"]\nleadership = "professional"\n',
    )
    return hsds.load_mapping(custom, catalog.formats, catalog.topics)


def test_the_official_examples_are_read_as_they_are(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    result = hsds_import(OFFICIAL, catalog, places, mapping)  # no PackageError
    assert (result.services, list(result.groups)) == (1, [])
    (note,) = result.skipped
    assert "skipped: no format: none of its taxonomy terms maps to a format" in note.render()
    # Settle the format, and the next thing it lacks is a place: its latitude is 100.
    result = hsds_import(OFFICIAL, catalog, places, official_mapping(tmp_path, catalog))
    (note,) = result.skipped
    assert (
        "skipped: locations.csv:2: latitude: latitude must be between -90 and 90, got 100.0"
        in note.render()
    )


def test_the_official_example_made_belgian_imports_with_every_conversion(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    package = Path(shutil.copytree(OFFICIAL, tmp_path / "official"))
    location = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    edit(package / "locations.csv", location, latitude="51.0543", longitude="3.7174")
    edit(
        package / "addresses.csv",
        "74706e55-df26-4b84-80fe-ecc30b5befb4",
        address_1="Kouter 1",
        address_2="",
        city="Gent",
        postal_code="9000",
        country="BE",
        address_type="physical",
    )
    edit(package / "languages.csv", "2989d3ed-c547-48f8-8f9d-432d81c7892e", code="nl-BE")
    result = hsds_import(package, catalog, places, official_mapping(tmp_path, catalog))
    (group,) = result.groups
    assert (group.id, group.city, group.country, group.languages) == (
        OFFICIAL_SERVICE,
        "Gent",
        "BE",
        ("nl",),
    )
    assert group.contact.phone == "+44 1234 234567 ext. 100"  # no literal quotes
    assert group.schedule is not None
    assert group.schedule.startswith("The service is available from 10 am to 6pm weekdays.")
    assert group.timetable is None  # byweekno: groupfinder cannot say it, so it says why
    assert group.cost_eur is None
    notes = [note.render() for note in result.notes]
    assert any(
        "schedule left out: schedules.csv:2: byweekno: byweekno is not supported" in n
        for n in notes
    ), notes
    assert any("cost in GBP left out" in n for n in notes), notes


def test_the_official_example_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(OFFICIAL), "--out", str(out)
    )
    assert code == 2
    assert stdout == ""
    assert "no service could be imported, so nothing was written" in stderr
    assert f"{OFFICIAL_SERVICE} (Community Counselling) skipped: no format" in stderr
    assert "is not an id in" not in stderr
    assert not out.exists()


# ------------------------------------------------------------------ versions and optional tables


def test_an_hsds_1_package_is_named(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "schedules.csv").rename(package / "regular_schedules.csv")
    code, _, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(tmp_path)
    )
    assert code == 2
    assert (
        f"{package}: this is an HSDS 1.x package (regular_schedules.csv); groupfinder reads "
        "HSDS 3.0: convert it to HSDS 3.0 first"
    ) in stderr
    assert "Traceback" not in stderr


def test_an_hsds_2_descriptor_is_named(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resources = [{"name": t.name, "path": t.path} for t in hsds.TABLES]
    descriptor = {"name": "human_services_data", "version": "2.0.1", "resources": resources}
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    code, _, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(tmp_path)
    )
    assert code == 2
    assert "datapackage.json: version: this is an HSDS 2.0 package (2.0.1)" in stderr


@pytest.mark.parametrize(
    "descriptor",
    [
        {"name": "human_services_data", "version": "3.0.0"},
        {"name": "our-directory", "version": "2.1"},  # the package's own version
    ],
)
def test_a_3_0_descriptor_is_read(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    descriptor: dict[str, str],
) -> None:
    resources = [{"name": t.name, "path": t.path} for t in hsds.TABLES]
    text = json.dumps({**descriptor, "resources": resources})
    (package / "datapackage.json").write_text(text, encoding="utf-8")
    assert len(hsds_import(package, catalog, places, mapping).groups) == 6


def test_an_empty_location_type_costs_only_that_location(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    line = edit(package / "locations.csv", LOCATION(9), location_type="")
    result = hsds_import(package, catalog, places, mapping)
    assert [g.city for g in result.groups if g.id.startswith(SERVICE(11))] == ["Leuven"]
    assert any(
        f"location left out: locations.csv:{line}: location_type: required; this cell is empty"
        in note.render()
        for note in result.notes
    )


def test_taxonomy_terms_and_attributes_are_optional(
    package: Path, tmp_path: Path, catalog: Catalog, places: PlaceIndex
) -> None:
    (package / "taxonomy_terms.csv").unlink()
    (package / "attributes.csv").unlink()
    custom = write_mapping(
        tmp_path / "mapping.toml",
        f'version = 1\n[services."{SERVICE(1)}"]\nformat = "support_group"\n'
        'topics = ["grief"]\nleadership = "peer"\n',
    )
    mapping = hsds.load_mapping(custom, catalog.formats, catalog.topics)
    result = hsds_import(package, catalog, places, mapping)
    assert [g.id for g in result.groups] == [SERVICE(1)]
    assert "no format" in result.skipped[0].render()


def test_a_package_without_languages_takes_the_default_language(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "languages.csv").unlink()
    out = tmp_path / "out"
    code, _, stderr = run_cli(capsys, "catalog", "import-hsds", str(package), "--out", str(out))
    assert code == 2
    assert "no language: languages.csv has no row for it or its location (--default-language" in (
        stderr
    )
    args = ("catalog", "import-hsds", str(package), "--out", str(out), "--default-language", "nl")
    code, stdout, _ = run_cli(capsys, *args)
    assert code == 0
    assert "Imported 7 groups" in stdout  # Grupa wsparcia (Polish) now in Dutch too
    _, rows = read_rows(out / "groups.csv")
    assert {r["languages"] for r in rows} == {"nl"}


@pytest.mark.parametrize(("code", "expected"), [("nl-BE", ("nl",)), ("fr_BE", ("fr",))])
def test_bcp_47_language_tags_are_understood(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    code: str,
    expected: tuple[str, ...],
) -> None:
    edit(package / "languages.csv", "1a9e0000-0000-4000-8000-000000000001", code=code, name="")
    assert by_id(hsds_import(package, catalog, places, mapping))[SERVICE(1)].languages == expected


# ------------------------------------------------------------------ conversions

ONLINE_SCHEDULE = "5c4e0000-0000-4000-8000-000000000002"


@pytest.mark.parametrize(
    ("cells", "start", "end"),
    [
        ({"opens_at": "7:30 PM", "closes_at": "9:00 pm"}, "19:30", "21:00"),
        ({"opens_at": "7:30 AM", "closes_at": "12:00 PM"}, "07:30", "12:00"),
        ({"opens_at": "19:00:00+01:00", "closes_at": "20:30+02:00"}, "19:00", "20:30"),
        ({"opens_at": "18:00:00Z", "closes_at": "19:30Z"}, "19:00", "20:30"),  # 1 January
        ({"opens_at": "18:00Z", "valid_from": "2026-07-01"}, "20:00", "20:30"),  # summer
        ({"opens_at": "13:00-05:00", "closes_at": ""}, "19:00", ""),
    ],
)
def test_times_in_am_pm_or_with_an_offset_become_local_times(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    cells: dict[str, str],
    start: str,
    end: str,
) -> None:
    edit(package / "schedules.csv", ONLINE_SCHEDULE, **cells)
    group = by_id(hsds_import(package, catalog, places, mapping))[SERVICE(2)]
    timetable = schedule_cells(group.timetable)
    assert (timetable["start_time"], timetable["end_time"]) == (start, end)
    assert timetable["rrule"] == "FREQ=WEEKLY;BYDAY=TH"


def test_an_offset_without_a_first_date_leaves_the_schedule_out(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    line = edit(package / "schedules.csv", ONLINE_SCHEDULE, opens_at="18:00Z", valid_from="")
    result = hsds_import(package, catalog, places, mapping)
    assert by_id(result)[SERVICE(2)].timetable is None
    assert any(
        f"schedule left out: schedules.csv:{line}: opens_at: a time with the offset 'Z' needs "
        "a dtstart" in note.render()
        for note in result.notes
    )


def test_schedule_fields_become_the_structured_columns(
    package: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    edit(
        package / "schedules.csv",
        "5c4e0000-0000-4000-8000-000000000001",
        freq="MONTHLY",
        interval="1",
        byday="1MO",
        opens_at="19:30",
        closes_at="21:30",
        valid_from="2026-01-05",
        valid_to="2026-12-31",
    )
    group = by_id(hsds_import(package, catalog, places, mapping))[SERVICE(1)]
    assert schedule_cells(group.timetable) == {
        "rrule": "FREQ=MONTHLY;BYDAY=1MO",
        "start_time": "19:30",
        "end_time": "21:30",
        "first_date": "2026-01-05",
        "last_date": "2026-12-31",
        "cost_unit": "",
    }
    assert group.schedule == "Elke eerste maandag van de maand, 19:30-21:30"  # kept as written


def phone(n: int, **cells: str) -> dict[str, str]:
    return {"id": f"9b0e0000-0000-4000-8000-0000000001{n:02d}", **cells}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # voice before fax, whatever the order; the extension kept, literal quotes removed
        (
            [
                phone(1, service_id=SERVICE(10), number="+32 2 000 00 99", type="fax"),
                phone(2, service_id=SERVICE(10), number='"+32 2 000 00 10"', extension="12"),
            ],
            "+32 2 000 00 10 ext. 12",
        ),
        (
            [
                phone(1, service_id=SERVICE(10), number="+32 470 00 00 10", type="text"),
                phone(2, service_id=SERVICE(10), number="+32 2 000 00 10", type="voice"),
            ],
            "+32 2 000 00 10",
        ),
        (
            [phone(1, service_id=SERVICE(10), number="+32 470 00 00 10", type="text")],
            "+32 470 00 00 10",
        ),
        # a type HSDS does not list comes after the ones it does
        (
            [
                phone(1, service_id=SERVICE(10), number="+32 2 000 00 11", type="Main office"),
                phone(2, service_id=SERVICE(10), number="+32 470 00 00 10", type="cell"),
            ],
            "+32 470 00 00 10",
        ),
        # a fax is never the number to call: the organization's phone is used instead
        (
            [
                phone(1, service_id=SERVICE(10), number="+32 2 000 00 99", type="fax"),
                phone(2, organization_id="0d900000-0000-4000-8000-000000000001", number="+32 9"),
            ],
            "+32 9",
        ),
    ],
)
def test_the_phone_to_call_is_chosen_by_type(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    rows: list[dict[str, str]],
    expected: str,
) -> None:
    add_rows(package / "phones.csv", *rows)
    found = by_id(hsds_import(package, catalog, places, mapping))["gf-fixture-1"].contact.phone
    assert found == expected


# ------------------------------------------------------------------ taxonomy trees

SUPPORT_GROUPS = "7e470000-0000-4000-8000-000000000001"


def term(n: int, **cells: str) -> dict[str, str]:
    return {"id": f"7e470000-0000-4000-8000-000000000{n:03d}", "description": "x", **cells}


def describe_with(package: Path, service: str, *terms: dict[str, str]) -> None:
    """Give ``service`` exactly the attributes of ``terms`` (added to taxonomy_terms.csv)."""
    add_rows(package / "taxonomy_terms.csv", *terms)
    header, rows = read_rows(package / "attributes.csv")
    rows = [r for r in rows if r["link_id"] != service]
    for n, given in enumerate(terms):
        attribute = f"a7740000-0000-4000-8000-0000000009{n:02d}"
        rows.append(
            dict.fromkeys(header, "")
            | {"id": attribute, "link_id": service, "taxonomy_term_id": given["id"]}
            | {"link_entity": "service"}
        )
    write_rows(package / "attributes.csv", header, rows)


TREE_MAPPING = """
version = 1
[[terms]]
match = ["Support Groups"]
format = "support_group"
leadership = "peer"

[[terms]]
match = ["Grief circles"]
topics = ["grief"]

[[terms]]
match = ["Online circles"]
format = "talk_group"
topics = ["loneliness"]

[[terms]]
match = ["PN-8000"]
taxonomy = "AIRS"
format = "workshop"
topics = ["stress"]
leadership = "trained"
"""


@pytest.fixture
def tree_mapping(tmp_path: Path, catalog: Catalog) -> HsdsMapping:
    path = write_mapping(tmp_path / "tree.toml", TREE_MAPPING)
    return hsds.load_mapping(path, catalog.formats, catalog.topics)


def test_a_rule_on_a_term_covers_its_children(
    package: Path, catalog: Catalog, places: PlaceIndex, tree_mapping: HsdsMapping
) -> None:
    grief = term(201, code="GC", name="Grief circles", parent_id=SUPPORT_GROUPS)
    grandchild = term(202, code="GC2", name="Widows", parent_id=grief["id"])
    add_rows(package / "taxonomy_terms.csv", grief)
    describe_with(package, SERVICE(5), grandchild)
    group = by_id(hsds_import(package, catalog, places, tree_mapping))[SERVICE(5)]
    # format and leadership from the grandparent, the topic from the parent
    assert (group.format, group.topics, group.leadership) == ("support_group", ("grief",), "peer")


def test_the_nearest_rule_wins(
    package: Path, catalog: Catalog, places: PlaceIndex, tree_mapping: HsdsMapping
) -> None:
    online = term(203, code="OC", name="Online circles", parent_id=SUPPORT_GROUPS)
    describe_with(package, SERVICE(5), online)
    group = by_id(hsds_import(package, catalog, places, tree_mapping))[SERVICE(5)]
    assert (group.format, group.leadership) == ("talk_group", "peer")


def test_a_loop_of_parents_ends(
    package: Path, catalog: Catalog, places: PlaceIndex, tree_mapping: HsdsMapping
) -> None:
    one = term(204, code="L1", name="Loop one", parent_id="7e470000-0000-4000-8000-000000000205")
    two = term(205, code="L2", name="Loop two", parent_id=one["id"])
    describe_with(package, SERVICE(5), one, two)
    result = hsds_import(package, catalog, places, tree_mapping)
    assert "no format" in next(n.render() for n in result.skipped if n.service == SERVICE(5))


def test_code_prefixes_and_taxonomy_ids_place_a_term(
    package: Path, catalog: Catalog, places: PlaceIndex, tree_mapping: HsdsMapping
) -> None:
    airs = "7a500000-0000-4000-8000-000000000001"
    add_rows(package / "taxonomies.csv", {"id": airs, "name": "AIRS", "description": "211"})
    leaf = term(206, code="PN-8000.0500-100", name="Bereavement circles", taxonomy_id=airs)
    describe_with(package, SERVICE(5), leaf)
    group = by_id(hsds_import(package, catalog, places, tree_mapping))[SERVICE(5)]
    assert (group.format, group.topics, group.leadership) == ("workshop", ("stress",), "trained")
    # Without the taxonomy the rule's `taxonomy = "AIRS"` does not hold.
    (package / "taxonomies.csv").unlink()
    result = hsds_import(package, catalog, places, tree_mapping)
    assert SERVICE(5) not in by_id(result)


def test_each_term_is_worked_out_once(
    package: Path,
    catalog: Catalog,
    places: PlaceIndex,
    mapping: HsdsMapping,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    work_out = hsds.mapping.TermKinds._work_out

    def counting(self: hsds.mapping.TermKinds, row: hsds.Row) -> hsds.mapping.TermKind:
        calls.append(row.get("id"))
        return work_out(self, row)

    monkeypatch.setattr(hsds.mapping.TermKinds, "_work_out", counting)
    hsds_import(package, catalog, places, mapping)
    assert calls
    assert len(calls) == len(set(calls))


# ------------------------------------------------------------------ the report


def test_the_report_lists_ten_and_counts_every_reason(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = read_rows(package / "services.csv")
    extra = [
        {**rows[4], "id": f"5e5e0000-0000-4000-8000-0000000001{n:02d}", "name": f"Extra {n}"}
        for n in range(12)
    ]
    write_rows(package / "services.csv", header, rows + extra)  # twelve more without a format
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(
        capsys, "catalog", "import-hsds", str(package), "--out", str(out)
    )
    assert code == 0
    assert "19 services left out" in stdout
    assert len([line for line in stderr.splitlines() if " skipped: " in line]) == 10
    assert "… and 9 more (--verbose lists them all)." in stderr
    assert "Services left out, by reason:" in stderr
    assert "      13  no format: none of its taxonomy terms maps to a format" in stderr
    assert "       1  its address is in '…'; groupfinder lists groups" in stderr
    args = ("catalog", "import-hsds", str(package), "--out", str(out), "--force", "--verbose")
    code, _, stderr = run_cli(capsys, *args)
    assert len([line for line in stderr.splitlines() if " skipped: " in line]) == 19
    assert "more (--verbose" not in stderr


def test_an_import_builds_no_group_it_does_not_show(
    catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    """The import checks the rows a column at a time and writes groups.csv from the cells:
    building a Group for each of 20,000 services took two thirds of the import's time."""
    result = hsds_import(FIXTURE, catalog, places, mapping)
    assert len(result.groups) > 0
    assert getattr(result.groups, "_built", None) == {}
    assert result.groups[0].id  # one is built when it is looked at
    assert len(result.groups._built) == 1  # type: ignore[attr-defined]
