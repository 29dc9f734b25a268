"""Reading data/places.csv: where the shipped file is, and every row checked (country,
postcode, names, coordinates within the country's bounds)."""

from __future__ import annotations

import csv
import math
import operator
from itertools import compress
from pathlib import Path
from typing import Final, cast, get_args

import groupfinder
from groupfinder.catalog.csvfile import open_csv
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Country
from groupfinder.domain.text import check_text, unsafe_char

COUNTRIES: Final[tuple[Country, ...]] = get_args(Country)

#: The columns places.csv must have (it may have more; they are ignored).
COLUMNS: Final = (
    "country",
    "postcode",
    "place",
    "municipality_nl",
    "municipality_fr",
    "latitude",
    "longitude",
)

#: Latitude and longitude bounds of each country (a little generous): a row outside is an error,
#: which catches swapped or mistyped coordinates.
#: The largest places.csv read (the shipped one is well under 1 MiB).
MAX_BYTES: Final = 32 * 1024 * 1024
BOUNDS: Final[dict[Country, tuple[float, float, float, float]]] = {
    "BE": (49.4, 51.6, 2.4, 6.5),
    "NL": (50.7, 53.7, 3.2, 7.3),
}


#: A row of places.csv as the index keeps it: (country, postcode, place, municipality_nl,
#: municipality_fr, latitude, longitude). The Place of a row is made the first time it is needed:
#: a load makes no objects but these tuples (frozen dataclasses are slow to create).
PlaceRow = tuple[Country, str, str, str | None, str | None, float, float]


def default_path() -> Path:
    """Where the shipped places.csv is: inside the installed package, else in the checkout."""
    package = Path(groupfinder.__file__).resolve().parent
    installed = package / "data" / "places.csv"
    if installed.exists():
        return installed
    return package.parents[1] / "data" / "places.csv"


def unsafe_cell(file: str, text: str) -> Problem | None:
    """The text gate for the whole file at once (fast), naming the first bad cell."""
    if unsafe_char(text, multiline=True) is None and "\t" not in text:
        return None
    lines = text.splitlines()
    header = next(csv.reader(lines[:1]), [])
    for number, row in enumerate(csv.reader(lines), start=1):
        for column, cell in enumerate(row):
            field = header[column] if column < len(header) else f"column {column + 1}"
            problem = check_text(cell, file=file, line=number, field=field)
            if problem is not None:
                return problem
    return None


def parse_places(file: str, text: str) -> tuple[list[PlaceRow], list[Problem]]:
    """Validate the rows of places.csv; collect every problem."""
    try:
        table = open_csv(file, text, required=COLUMNS, lower=True, strict=False)
        rows = table.all_rows()
    except CatalogError as exc:
        return [], exc.problems
    except csv.Error:
        rows = []
    at = [table.header.index(c) for c in COLUMNS]
    valid = _parse_valid(rows, len(table.header), at)
    if valid is not None:
        return valid, []
    return _parse_rows(file, text, at)


def _parse_valid(rows: list[list[str]], width: int, at: list[int]) -> list[PlaceRow] | None:
    """The rows of a file that is entirely valid, checked a column at a time (fast); None as
    soon as anything is off, and :func:`_parse_rows` then finds and names every problem."""
    if not rows or set(map(len, rows)) != {width}:
        return None
    columns = list(zip(*rows, strict=True))
    country, postcode, name, mun_nl, mun_fr, lat_s, lon_s = (list(columns[i]) for i in at)
    if not set(country) <= BOUNDS.keys():
        return None
    joined = "".join(postcode)
    if set(map(len, postcode)) != {4} or not (joined.isascii() and joined.isdigit()):
        return None
    if not all(name) or [n.strip() for n in name] != name:
        return None
    try:
        lat = list(map(float, lat_s))
        lon = list(map(float, lon_s))
    except ValueError:
        return None
    for c, (lat_min, lat_max, lon_min, lon_max) in BOUNDS.items():
        here = [x == c for x in country]
        lats, lons = list(compress(lat, here)), list(compress(lon, here))
        if lats and not (
            math.isfinite(sum(lats) + sum(lons))
            and lat_min <= min(lats)
            and max(lats) <= lat_max
            and lon_min <= min(lons)
            and max(lons) <= lon_max
        ):
            return None
    if len(set(zip(country, postcode, name, strict=True))) != len(rows):
        return None
    nl: list[str | None] = [m or None for m in mun_nl]
    fr: list[str | None] = [m or None for m in mun_fr]
    countries = cast("list[Country]", country)
    return list(zip(countries, postcode, name, nl, fr, lat, lon, strict=True))


def _parse_rows(file: str, text: str, at: list[int]) -> tuple[list[PlaceRow], list[Problem]]:
    """Check row by row, forgiving stray spaces, naming every problem with its line."""
    problems: list[Problem] = []
    places: list[PlaceRow] = []
    seen: set[tuple[str, str, str]] = set()
    cells = operator.itemgetter(*at)
    line = 1
    for line, row in open_csv(file, text, lower=True, strict=False).rows(problems):
        place = _check_row(file, line, cells(row), problems)
        if place is None:
            continue
        ident = place[:3]
        if ident in seen:
            problems.append(
                Problem(
                    file, N_("{value!r} appears twice"), line, "place", {"value": " ".join(ident)}
                )
            )
            continue
        seen.add(ident)
        places.append(place)
    if not places and not problems:
        problems.append(Problem(file, N_("no places in the file"), line))
    return places, problems


def _check_row(
    file: str, line: int, cells: tuple[str, ...], problems: list[Problem]
) -> PlaceRow | None:
    """Every problem of one row; the row when it is fine after all."""
    country_s, postcode, name, mun_nl, mun_fr, lat_s, lon_s = (c.strip() for c in cells)
    before = len(problems)
    country: Country | None = None
    for c in COUNTRIES:
        if country_s.upper() == c:
            country = c
    if country is None:
        problems.append(
            Problem(
                file,
                N_("unknown value {value!r}; expected one of: {expected}"),
                line,
                "country",
                {"value": country_s, "expected": "BE, NL"},
            )
        )
    if not (len(postcode) == 4 and postcode.isascii() and postcode.isdigit()):
        problems.append(
            Problem(
                file,
                N_("postcode {value!r} is not four digits"),
                line,
                "postcode",
                {"value": postcode},
            )
        )
    if not name:
        problems.append(Problem(file, N_("required; this cell is empty"), line, "place"))
    lat = _coordinate(file, line, "latitude", lat_s, problems)
    lon = _coordinate(file, line, "longitude", lon_s, problems)
    if country is not None and lat is not None and lon is not None:
        lat_min, lat_max, lon_min, lon_max = BOUNDS[country]
        if not lat_min <= lat <= lat_max:
            problems.append(
                Problem(
                    file,
                    N_("{value} is outside {country} ({low} to {high})"),
                    line,
                    "latitude",
                    {"value": lat, "country": country, "low": lat_min, "high": lat_max},
                )
            )
        if not lon_min <= lon <= lon_max:
            problems.append(
                Problem(
                    file,
                    N_("{value} is outside {country} ({low} to {high})"),
                    line,
                    "longitude",
                    {"value": lon, "country": country, "low": lon_min, "high": lon_max},
                )
            )
    if len(problems) > before or country is None or lat is None or lon is None:
        return None
    return (country, postcode, name, mun_nl or None, mun_fr or None, lat, lon)


def _coordinate(
    file: str, line: int, column: str, value: str, problems: list[Problem]
) -> float | None:
    try:
        return float(value)
    except ValueError:
        problems.append(
            Problem(file, N_("expected a number, got {value!r}"), line, column, {"value": value})
        )
        return None
