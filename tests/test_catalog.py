"""The shipped catalog meets its contract, and every kind of bad catalog gets a clear message."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from groupfinder.catalog.loader import (
    COLUMNS,
    load_catalog,
    load_formats,
    load_groups,
    load_helplines,
    shipped_data_dir,
)
from groupfinder.catalog.places import PlaceIndex
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.models import FORMAT_IDS, NEEDS, Catalog
from helpers import MakeCatalog, csv_text, row

REQUIRED_TOPICS = {
    "grief",
    "addiction",
    "anxiety",
    "depression",
    "trauma",
    "burnout",
    "chronic_illness",
    "eating_disorder",
    "relationships",
    "loneliness",
    "family_carer",
    "self_esteem",
}

# ------------------------------------------------------------------ the shipped catalog


def test_formats_are_the_seven_of_the_seed_table(catalog: Catalog) -> None:
    assert set(catalog.formats) == set(FORMAT_IDS)
    for fmt in catalog.formats.values():
        for text in (fmt.name, fmt.description, fmt.goal, fmt.led_by):
            assert text.nl
            assert text.fr
            assert text.en
        assert max(fmt.needs.values()) == 3, f"{fmt.id} should strongly serve one need"


def test_every_need_is_served_strongly_by_some_format(catalog: Catalog) -> None:
    for need in NEEDS:
        assert any(f.needs.get(need) == 3 for f in catalog.formats.values()), need
        assert catalog.needs[need].explain.en


def test_topic_vocabulary(catalog: Catalog) -> None:
    assert set(catalog.topics) >= REQUIRED_TOPICS
    for topic in catalog.topics.values():
        assert topic.name.nl
        assert topic.name.fr
        assert topic.name.en


def test_sample_groups_cover_the_contract(catalog: Catalog) -> None:
    groups = catalog.groups
    assert len(groups) >= 120
    assert {g.format for g in groups} == set(FORMAT_IDS)
    assert {g.leadership for g in groups} == {"professional", "trained", "peer"}
    assert {g.setting for g in groups} == {"in_person", "online", "hybrid"}
    assert {g.drop_in for g in groups} >= {True, False}
    assert any(g.cost_eur == 0 for g in groups)
    assert any((g.cost_eur or 0) > 0 for g in groups)
    assert {lang for g in groups for lang in g.languages} == {"nl", "fr", "en"}
    assert len({t for g in groups for t in g.topics}) >= 12
    towns = {(g.country, g.city) for g in groups if g.setting != "online"}
    assert len(towns) >= 25
    assert {country for country, _ in towns} == {"BE", "NL"}
    assert any(g.postcode and g.postcode.startswith("10") and g.country == "BE" for g in groups)


def test_sample_groups_are_marked_fictional(catalog: Catalog) -> None:
    for group in catalog.groups:
        assert group.contact.email is None or group.contact.email.endswith("@example.org")
        assert group.contact.website is None or "example.org" in group.contact.website
        assert group.contact.phone is None or " 00 " in group.contact.phone
        assert group.description
        assert group.description.endswith(
            ("Fictieve voorbeeldgroep.", "Groupe d'exemple fictif.", "Fictional sample group.")
        )


def test_groups_that_meet_somewhere_have_coordinates(catalog: Catalog) -> None:
    for group in catalog.groups:
        if group.setting == "online":
            continue
        assert group.has_coordinates, group.id
        assert 49.4 < (group.latitude or 0) < 53.7
        assert 2.4 < (group.longitude or 0) < 7.3


def test_helplines(catalog: Catalog) -> None:
    phones = {(h.country, h.phone) for h in catalog.helplines}
    assert ("BE", "1813") in phones
    assert ("BE", "106") in phones
    assert ("NL", "113") in phones
    assert ("EU", "112") in phones
    for helpline in catalog.helplines:
        assert helpline.hours.nl
        assert helpline.hours.fr
        assert helpline.hours.en
    assert all(h.languages for h in catalog.helplines)


def test_catalog_is_only_read(tmp_path: Path, data_dir: Path, places: PlaceIndex) -> None:
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    load_catalog(data_dir, places)
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


def test_missing_operator_files_fall_back_to_the_shipped_ones(
    tmp_path: Path, places: PlaceIndex
) -> None:
    (tmp_path / "groups.csv").write_text(csv_text([row()]), encoding="utf-8")
    catalog = load_catalog(tmp_path, places)
    assert [g.id for g in catalog.groups] == ["t-1"]
    assert catalog.sources["formats.toml"] == shipped_data_dir() / "formats.toml"


def test_the_loader_does_not_read_the_environment(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$GROUPFINDER_DATA is resolved by the command line's settings (tests/test_settings.py);
    below it, no data folder means the shipped catalog."""
    (tmp_path / "groups.csv").write_text(csv_text([row(id="env-1")]), encoding="utf-8")
    monkeypatch.setenv("GROUPFINDER_DATA", str(tmp_path))
    assert "env-1" not in {g.id for g in load_catalog(None, places).groups}


# ------------------------------------------------------------------ groups.csv, row by row


def problems_for(make_catalog: MakeCatalog, rows: list[dict[str, str]]) -> list[Problem]:
    with pytest.raises(CatalogError) as caught:
        make_catalog(rows)
    return caught.value.problems


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"format": "yoga_class"}, "format", "unknown format 'yoga_class'"),
        ({"topics": "grief;gardening"}, "topics", "unknown topic 'gardening'"),
        ({"leadership": "boss"}, "leadership", "unknown value 'boss'"),
        ({"setting": "outdoors"}, "setting", "unknown value 'outdoors'"),
        ({"languages": "nl;de"}, "languages", "unknown value 'de'"),
        ({"drop_in": "maybe"}, "drop_in", "expected yes or no"),
        ({"wheelchair": "sometimes"}, "wheelchair", "unknown value 'sometimes'"),
        ({"country": "DE"}, "country", "unknown value 'DE'"),
        ({"size_min": "six"}, "size_min", "expected a whole number"),
        ({"size_max": "0"}, "size_max", "at least 1"),
        ({"size_min": "20", "size_max": "8"}, "size_min", "larger than size_max"),
        ({"cost_eur": "free"}, "cost_eur", "expected a number"),
        ({"cost_eur": "-5"}, "cost_eur", "cannot be negative"),
        ({"latitude": "151.0"}, "latitude", "between -90 and 90"),
        ({"longitude": "-200"}, "longitude", "between -180 and 180"),
        ({"latitude": "abc"}, "latitude", "expected a number"),
        ({"latitude": "nan"}, "latitude", "expected a number"),
        ({"longitude": ""}, "longitude", "give both latitude and longitude"),
        ({"last_verified": "21/11/2026"}, "last_verified", "YYYY-MM-DD"),
        ({"for_whom": "family"}, "for_whom", "unknown value 'family'"),
        ({"age_min": "eighteen"}, "age_min", "expected a whole number"),
        ({"age_max": "130"}, "age_max", "age from 0 to 120"),
        ({"age_min": "30", "age_max": "20"}, "age_min", "larger than age_max"),
        ({"restricted_to": "women;wizards"}, "restricted_to", "unknown audience 'wizards'"),
        ({"name": "  "}, "name", "required"),
        ({"languages": ""}, "languages", "required"),
        ({"latitude": "", "longitude": "", "postcode": "0000"}, "postcode", "unknown postcode"),
        (
            {"latitude": "", "longitude": "", "postcode": "1060", "country": ""},
            "postcode",
            "exists in Belgium and in the Netherlands",
        ),
    ],
)
def test_bad_cell_names_file_line_and_field(
    make_catalog: MakeCatalog, cells: dict[str, str], field: str, words: str
) -> None:
    problems = problems_for(make_catalog, [row(id="ok"), row(id="bad", **cells)])
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.file.endswith("groups.csv")
    assert problem.line == 3
    assert problem.field == field
    assert words in str(problem)


def test_all_problems_of_a_file_are_reported_together(make_catalog: MakeCatalog) -> None:
    problems = problems_for(
        make_catalog,
        [
            row(id="a", format="nope"),
            row(id="b", leadership="nope", setting="nope"),
            row(id="c"),
            row(id="c"),
        ],
    )
    assert [(p.line, p.field) for p in problems] == [
        (2, "format"),
        (3, "leadership"),
        (3, "setting"),
        (5, "id"),
    ]
    assert "first used on line 4" in str(problems[-1])


def test_blank_coordinates_come_from_the_postcode(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog([row(latitude="", longitude="", postcode="3000", city="")])
    group = catalog.groups[0]
    assert group.latitude == pytest.approx(50.88, abs=0.05)
    assert group.longitude == pytest.approx(4.70, abs=0.05)
    assert group.city


def test_online_groups_need_no_place(make_catalog: MakeCatalog) -> None:
    catalog = make_catalog(
        [row(setting="online", latitude="", longitude="", postcode="", city="", address="")]
    )
    assert catalog.groups[0].latitude is None


def test_control_characters_in_cells_are_refused(make_catalog: MakeCatalog) -> None:
    problems = problems_for(make_catalog, [row(name="Evil\x1b[2J group\x07")])
    assert [(p.line, p.field) for p in problems] == [(2, "name")]
    assert "U+001B" in str(problems[0])


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_csv(path: Path, places: PlaceIndex) -> list[Problem]:
    with pytest.raises(CatalogError) as caught:
        load_groups(path, FORMAT_IDS, {"grief"}, places)
    return caught.value.problems


def test_a_version_1_file_loads_as_groups_open_to_all(tmp_path: Path, places: PlaceIndex) -> None:
    version_1 = COLUMNS[: COLUMNS.index("last_verified") + 1]
    path = write(tmp_path / "groups.csv", csv_text([row()], version_1))
    (group,) = load_groups(path, FORMAT_IDS, {"grief"}, places)
    assert (group.for_whom, group.age_min, group.age_max, group.restricted_to) == (
        "both",
        None,
        None,
        (),
    )


def test_missing_header_columns(tmp_path: Path, places: PlaceIndex) -> None:
    columns = tuple(c for c in COLUMNS if c not in ("format", "languages"))
    problems = load_csv(write(tmp_path / "groups.csv", csv_text([row()], columns)), places)
    assert [(p.line, p.field) for p in problems] == [(1, "format"), (1, "languages")]
    assert all("missing from the header" in str(p) for p in problems)


def test_unknown_and_repeated_columns(tmp_path: Path, places: PlaceIndex) -> None:
    text = csv_text([row()]).replace("wheelchair", "wheelchiar", 1)
    problems = load_csv(write(tmp_path / "groups.csv", text), places)
    assert [(p.line, p.field) for p in problems] == [(1, "wheelchiar")]
    text = csv_text([row()]).replace("audience", "city", 1)
    problems = load_csv(write(tmp_path / "groups.csv", text), places)
    assert [(p.line, p.field) for p in problems] == [(1, "city")]


def test_row_with_the_wrong_number_of_cells(tmp_path: Path, places: PlaceIndex) -> None:
    text = csv_text([row()]) + "x,y,z\n"
    problems = load_csv(write(tmp_path / "groups.csv", text), places)
    assert problems[0].line == 3
    assert f"3 fields but the header has {len(COLUMNS)}" in str(problems[0])


def test_not_utf8(tmp_path: Path, places: PlaceIndex) -> None:
    text = csv_text([row(), row(id="t-2", name="Café Rouw")])
    problems = load_csv(write(tmp_path / "groups.csv", text.encode("latin-1")), places)
    assert problems[0].line == 3
    assert "not UTF-8" in str(problems[0])


def test_empty_file_and_missing_file(tmp_path: Path, places: PlaceIndex) -> None:
    problems = load_csv(write(tmp_path / "groups.csv", ""), places)
    assert "empty" in str(problems[0])
    problems = load_csv(tmp_path / "nothing.csv", places)
    assert "file not found" in str(problems[0])


def test_utf8_with_bom_and_blank_lines_are_fine(tmp_path: Path, places: PlaceIndex) -> None:
    text = "\ufeff" + csv_text([row()]) + "\n,,,\n"
    groups = load_groups(write(tmp_path / "groups.csv", text), FORMAT_IDS, {"grief"}, places)
    assert [g.id for g in groups] == ["t-1"]


def test_quoted_cell_with_a_newline_keeps_line_numbers(tmp_path: Path, places: PlaceIndex) -> None:
    text = csv_text([row(description="line one\nline two"), row(id="t-2", format="bad")])
    problems = load_csv(write(tmp_path / "groups.csv", text), places)
    assert (problems[0].line, problems[0].field) == (4, "format")


# ------------------------------------------------------------------ formats.toml and helplines


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "formats.toml", "[formats.workshop]\nneeds = { learning = 3\n")
    with pytest.raises(CatalogError) as caught:
        load_formats(path)
    assert caught.value.problems[0].line == 2
    assert "not valid TOML" in str(caught.value.problems[0])


def test_formats_toml_bad_values_name_the_key(tmp_path: Path) -> None:
    text = (shipped_data_dir() / "formats.toml").read_text(encoding="utf-8")
    text = text.replace('structure = "open"', 'structure = "loose"', 1)
    text = text.replace("[formats.workshop", "[formats.yoga")
    with pytest.raises(CatalogError) as caught:
        load_formats(write(tmp_path / "formats.toml", text))
    messages = {p.field: (p.line, str(p)) for p in caught.value.problems}
    assert "formats.talk_group.structure" in messages
    line, message = messages["formats.talk_group.structure"]
    assert "unknown value 'loose'" in message
    assert line is not None
    assert 'structure = "loose"' in text.splitlines()[line - 1]
    assert "unknown format id" in messages["formats.yoga"][1]
    assert "all seven formats" in messages["formats.workshop"][1]


def test_formats_toml_need_strength_out_of_range(tmp_path: Path) -> None:
    text = (shipped_data_dir() / "formats.toml").read_text(encoding="utf-8")
    text = text.replace("needs = { learning = 3,", "needs = { learning = 7,", 1)
    with pytest.raises(CatalogError) as caught:
        load_formats(write(tmp_path / "formats.toml", text))
    assert [p.field for p in caught.value.problems] == ["formats.workshop.needs.learning"]
    assert "at most 3" in str(caught.value.problems[0])


def test_helplines_missing_field_names_the_entry(tmp_path: Path) -> None:
    text = (shipped_data_dir() / "helplines.toml").read_text(encoding="utf-8")
    text = text.replace('phone = "106"\n', "", 1)
    with pytest.raises(CatalogError) as caught:
        load_helplines(write(tmp_path / "helplines.toml", text))
    problem = caught.value.problems[0]
    assert problem.field is not None
    assert problem.field.endswith(".phone")
    assert problem.line is not None
    assert text.splitlines()[problem.line - 1] == "[[helplines]]"


def test_problems_of_several_files_are_collected(data_dir: Path, places: PlaceIndex) -> None:
    write(data_dir / "groups.csv", csv_text([row(format="nope")]))
    write(data_dir / "helplines.toml", "helplines = 3\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_dir, places)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"groups.csv", "helplines.toml"}


def test_problem_messages_are_translated() -> None:
    problem = Problem(
        "groups.csv",
        "unknown value {value!r}; expected yes or no",
        3,
        "drop_in",
        {"value": "misschien"},
    )
    english = problem.render("en")
    assert english == "groups.csv:3: drop_in: unknown value 'misschien'; expected yes or no"
    assert problem.render("nl") != english
    assert problem.render("fr") != english
    assert problem.render("nl").startswith("groups.csv:3: drop_in: ")


def test_last_verified_is_a_date(catalog: Catalog) -> None:
    assert all(isinstance(g.last_verified, dt.date) for g in catalog.groups)
    assert Counter(g.format for g in catalog.groups).most_common()[-1][1] >= 5
