"""The HSDS export against the official HSDS 3.0 schemas (CSV and JSON), round trips that
keep every byte, and HSDS 3 JSON in."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from groupfinder.catalog import hsds
from groupfinder.catalog.hsds import HsdsMapping, PackageError
from groupfinder.catalog.loader import GROUPS_FILE, data_file, load_catalog
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.models import Catalog, Group
from helpers import (
    HSDS_SPEC,
    MakeCatalog,
    hsds_import,
    hsds_json_violations,
    row,
    run_cli,
    table_schema_violations,
)

FIXTURE = Path(__file__).parent / "fixtures" / "hsds" / "directory"
EXAMPLES = HSDS_SPEC / "examples"
#: sha256 of the official datapackage.json, openreferral/specification branch 3.0, commit
#: 279fd2eb3552c349bf698c07c00cc25f5fc8249b (ATTRIBUTION.md): the vendored file is unchanged.
OFFICIAL_SHA256 = "06d063ec1a22f8797da3ee9cd1e2a9e519fa813d6f3e93140bbdd7814d36984b"
SERVICE = "5e5e0000-0000-4000-8000-0000000000{:02d}".format

#: Groups of every shape the export knows.
SHAPES = [
    row(id="bare-place", address="", city="", postcode="", latitude="", longitude=""),
    row(
        id="no-street", address="", postcode="9000", city="Gent", latitude="51.05", longitude="3.72"
    ),
    row(
        id="amsterdam",
        address="Damrak 1",
        postcode="1012 LG",
        city="Amsterdam",
        country="NL",
        latitude="52.37400",
        longitude="4.89500",
    ),
    row(id="nl-unknown", address="X 1", postcode="1000", city="Nergens", country="NL"),
    row(
        id="online-nl",
        setting="online",
        address="",
        postcode="",
        city="",
        latitude="",
        longitude="",
        country="NL",
    ),
    row(id="hybrid", setting="hybrid", languages="en;nl", cost_eur="12.5", wheelchair="no"),
    row(
        id="structured",
        schedule="Behalve in juli",
        rrule="FREQ=MONTHLY;BYDAY=1MO",
        start_time="19:30",
        end_time="21:30",
    ),
    row(
        id="stay",
        cost_eur="190",
        cost_unit="stay",
        schedule="",
        first_date="2027-03-05",
        last_date="2027-03-07",
        start_time="18:00",
        end_time="16:00",
    ),
    row(id="formula", name="=SUM(A1)", contact_phone="+32 00 000 00 99"),
]


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPFINDER_LANG", "en")
    monkeypatch.delenv("GROUPFINDER_DATA", raising=False)


def fields(group: Group) -> dict[str, Any]:
    return group.model_dump(exclude={"line"})


def table(files: dict[str, str], path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[path], newline="")))


@pytest.fixture
def imported_catalog(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> Catalog:
    """The hand-made package, imported into a catalog."""
    result = hsds_import(FIXTURE, catalog, places, mapping)
    (tmp_path / GROUPS_FILE).write_text(result.groups_csv, encoding="utf-8")
    return load_catalog(tmp_path, places)


def catalogs(kind: str, catalog: Catalog, make_catalog: MakeCatalog, imported: Catalog) -> Catalog:
    if kind == "shapes":
        return make_catalog(SHAPES)
    return imported if kind == "imported" else catalog


# ------------------------------------------------------------------ the official schemas


def test_the_descriptor_is_the_official_one_unchanged(catalog: Catalog) -> None:
    files = hsds.export_package(catalog)
    text = files["datapackage.json"]
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == OFFICIAL_SHA256
    descriptor = json.loads(text)
    assert (descriptor["name"], descriptor["version"]) == ("human_services_data", "3.0.0")
    assert descriptor["license"]["type"] == "CC-BY-SA-4.0"
    assert set(files) == {r["path"] for r in descriptor["resources"]} | {"datapackage.json"}
    assert "label" not in files["attributes.csv"].splitlines()[0].split(",")


@pytest.mark.parametrize("kind", ["shipped", "shapes", "imported"])
def test_every_csv_export_meets_the_official_table_schema(
    kind: str, catalog: Catalog, make_catalog: MakeCatalog, imported_catalog: Catalog
) -> None:
    source = catalogs(kind, catalog, make_catalog, imported_catalog)
    files = hsds.export_package(source)
    assert table_schema_violations(hsds.descriptor(), files) == []
    assert len(table(files, "services.csv")) == len(source.groups)


@pytest.mark.parametrize("kind", ["shipped", "shapes", "imported"])
def test_every_json_export_meets_the_official_json_schema(
    kind: str, catalog: Catalog, make_catalog: MakeCatalog, imported_catalog: Catalog
) -> None:
    source = catalogs(kind, catalog, make_catalog, imported_catalog)
    page = json.loads(hsds.page_text(source))
    assert hsds_json_violations(page) == []
    assert page["total_items"] == page["size"] == len(page["contents"]) == len(source.groups)


def test_the_validators_catch_what_they_should(catalog: Catalog) -> None:
    files = hsds.export_package(catalog)
    spoiled = dict(files, **{"addresses.csv": files["addresses.csv"].replace(",BE,", ",,", 1)})
    assert any(
        "country is required" in p for p in table_schema_violations(hsds.descriptor(), spoiled)
    )
    extra = dict(
        files, **{"attributes.csv": files["attributes.csv"].replace("value\n", "value,label\n", 1)}
    )
    assert table_schema_violations(hsds.descriptor(), extra)
    page = hsds.export_page(catalog)
    page["contents"][0]["attributes"][0]["label"] = "3.1 only"
    assert hsds_json_violations(page)
    example = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    assert hsds_json_violations(example, "service") == []


# ------------------------------------------------------------------ what the export writes


def test_dutch_addresses_get_their_province(make_catalog: MakeCatalog) -> None:
    files = hsds.export_package(make_catalog(SHAPES))
    (amsterdam,) = [a for a in table(files, "addresses.csv") if a["postal_code"] == "1012 LG"]
    assert amsterdam["state_province"] == "North Holland"
    provinces = hsds.load_provinces(data_file("places.csv"))
    assert provinces.of("3512 AB", "Utrecht") == "Utrecht"
    assert provinces.of("", "x") == ""


def test_no_address_row_without_its_required_fields(make_catalog: MakeCatalog) -> None:
    files = hsds.export_package(make_catalog(SHAPES))
    terms = {t["id"]: t["code"] for t in table(files, "taxonomy_terms.csv")}
    values = {
        (a["link_id"], terms[a["taxonomy_term_id"]]): a["value"]
        for a in table(files, "attributes.csv")
    }
    ids = {v: k for (k, code), v in values.items() if code == "id"}
    assert values[(ids["no-street"], "postcode")] == "9000"
    assert values[(ids["no-street"], "city")] == "Gent"
    assert values[(ids["nl-unknown"], "address")] == "X 1"  # no province known for 1000
    assert values[(ids["online-nl"], "country")] == "NL"
    locations = {
        sal["location_id"]: sal["service_id"] for sal in table(files, "service_at_location.csv")
    }
    with_address = {locations[a["location_id"]] for a in table(files, "addresses.csv")}
    without = {ids[name] for name in ("bare-place", "no-street", "nl-unknown", "online-nl")}
    assert with_address.isdisjoint(without)
    assert ids["amsterdam"] in with_address
    assert len(table(files, "services.csv")) == len(SHAPES)


def test_structured_schedules_and_cost_units_are_exported(make_catalog: MakeCatalog) -> None:
    files = hsds.export_package(make_catalog(SHAPES))
    schedules = {s["description"]: s for s in table(files, "schedules.csv")}
    monthly = schedules["Behalve in juli"]
    assert (monthly["freq"], monthly["byday"], monthly["opens_at"], monthly["closes_at"]) == (
        "MONTHLY",
        "1MO",
        "19:30:00",
        "21:30:00",
    )
    costs = {c["amount"]: c["amount_description"] for c in table(files, "cost_options.csv")}
    assert costs["190"] == "per stay"


# ------------------------------------------------------------------ round trips


def test_import_then_export_is_byte_identical(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    first = hsds.export_package(catalog)
    assert ",51.04920," in first["locations.csv"]  # as groups.csv writes it
    hsds.write_package(tmp_path / "one", first)
    result = hsds_import(tmp_path / "one", catalog, places, mapping)
    assert result.notes == []
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / GROUPS_FILE).write_text(result.groups_csv, encoding="utf-8")
    again = load_catalog(tmp_path / "data", places)
    assert [fields(g) for g in again.groups] == [fields(g) for g in catalog.groups]
    assert hsds.export_package(again) == first


def test_a_foreign_package_keeps_its_ids_organisations_and_coordinates(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    package = Path(shutil.copytree(FIXTURE, tmp_path / "package"))
    locations = (package / "locations.csv").read_text(encoding="utf-8")
    (package / "locations.csv").write_text(locations.replace("51.0543", "51.05430"), "utf-8")
    result = hsds_import(package, catalog, places, mapping)
    groups = {g.id: g for g in result.groups}
    ghent = groups[SERVICE(1)]
    assert (ghent.hsds_service_id, ghent.organization) == (SERVICE(1), "Vzw Samen Verder")
    assert ghent.hsds_organization_id == "0d900000-0000-4000-8000-000000000001"
    assert ghent.coordinates_text == ("51.05430", "3.7174")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / GROUPS_FILE).write_text(result.groups_csv, encoding="utf-8")
    files = hsds.export_package(load_catalog(tmp_path / "data", places))
    services = {s["id"]: s for s in table(files, "services.csv")}
    assert services[SERVICE(1)]["organization_id"] == "0d900000-0000-4000-8000-000000000001"
    organizations = {o["id"]: o["name"] for o in table(files, "organizations.csv")}
    assert organizations["0d900000-0000-4000-8000-000000000001"] == "Vzw Samen Verder"
    assert ",51.05430,3.7174," in files["locations.csv"]
    # A service at two places became two groups: they get ids of their own.
    assert SERVICE(11) not in services
    assert table_schema_violations(hsds.descriptor(), files) == []
    # ... and the next import gives the same groups back.
    hsds.write_package(tmp_path / "two", files)
    second = hsds_import(tmp_path / "two", catalog, places, mapping)
    (tmp_path / "data2").mkdir()
    (tmp_path / "data2" / GROUPS_FILE).write_text(second.groups_csv, encoding="utf-8")
    assert hsds.export_package(load_catalog(tmp_path / "data2", places)) == files


# ------------------------------------------------------------------ JSON in


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ["page", "list", "service"])
def test_json_import_of_each_shape(
    shape: str, tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    page = hsds.export_page(catalog)
    data = {"page": page, "list": page["contents"], "service": page["contents"][0]}[shape]
    result = hsds_import(write_json(tmp_path / "services.json", data), catalog, places, mapping)
    expected = catalog.groups if shape != "service" else catalog.groups[:1]
    assert result.notes == []
    assert [fields(g) for g in result.groups] == [
        {**fields(g), "coordinates_text": result_text(g)} for g in expected
    ]


def result_text(group: Group) -> tuple[str, str] | None:
    """JSON numbers have no trailing zeros: 51.04920 comes back as 51.0492."""
    if group.latitude is None or group.longitude is None:
        return None
    return repr(group.latitude), repr(group.longitude)


def test_the_official_json_examples_are_read(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    for name in ("service_full.json", "service_list.json"):
        # As published: a latitude of 100, links to objects the example leaves out.
        path = EXAMPLES / name
        result = hsds_import(path, catalog, places, mapping)
        assert result.services == 1
        assert list(result.groups) == []  # Community Counselling in the UK: no place here
        (note,) = result.skipped
        assert note.file == str(path)
        assert note.line > 1


def test_bad_json_names_file_line_and_field(
    tmp_path: Path, catalog: Catalog, places: PlaceIndex, mapping: HsdsMapping
) -> None:
    path = write_json(tmp_path / "x.json", 3)
    with pytest.raises(PackageError) as shape:
        hsds_import(path, catalog, places, mapping)
    assert "a list of services, or a Page" in str(shape.value)
    page = hsds.export_page(catalog)
    page["contents"][1]["service_at_locations"][0]["location"]["latitude"] = "north"
    path = write_json(tmp_path / "bad.json", page)
    result = hsds_import(path, catalog, places, mapping)  # the value costs its location only
    text = path.read_text(encoding="utf-8")
    location_id = page["contents"][1]["service_at_locations"][0]["location"]["id"]
    line = text[: text.index(f'"id": "{location_id}"')].count("\n") + 1
    said = [note.render("en") for note in result.notes]
    reason = f"bad.json:{line}: location.latitude: expected a number, got 'north'"
    assert any(reason in words for words in said), said
    assert not any("locations.csv" in words for words in said)  # the JSON, not a flat copy
    path.write_text("{", encoding="utf-8")
    with pytest.raises(PackageError, match="is not valid JSON"):
        hsds_import(path, catalog, places, mapping)


def test_export_hsds_json_and_import_it_through_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog: Catalog, places: PlaceIndex
) -> None:
    code, _, _ = run_cli(capsys, "catalog", "export-hsds", "--json", "--out", str(tmp_path / "j"))
    assert code == 0
    assert [p.name for p in (tmp_path / "j").iterdir()] == ["services.json"]
    page = json.loads((tmp_path / "j" / "services.json").read_text(encoding="utf-8"))
    assert hsds_json_violations(page) == []
    code, _, stderr = run_cli(
        capsys,
        "catalog",
        "import-hsds",
        str(tmp_path / "j" / "services.json"),
        "--out",
        str(tmp_path / "d"),
    )
    assert (code, stderr) == (0, "")
    again = load_catalog(tmp_path / "d", places)
    assert [g.id for g in again.groups] == [g.id for g in catalog.groups]
