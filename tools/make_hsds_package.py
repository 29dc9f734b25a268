"""Write a large, made-up HSDS 3 package, to time `groupfinder catalog import-hsds` on it.

    python tools/make_hsds_package.py OUT [--services 20000]
    time groupfinder catalog import-hsds OUT --out /tmp/imported --force

Every service is a support, therapy or talk group in a Belgian or Dutch city (postcodes
and coordinates from the shipped places.csv), with a weekly schedule, a phone, a language
and two or three terms of a small tree-shaped taxonomy with AIRS-like codes; one in seven
cannot be imported (no format, a language groupfinder lacks, status inactive), so the
report has something to count. The package is the same for the same arguments.
"""

from __future__ import annotations

import argparse
import csv
import random
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("3f1d2c4b-5a69-4788-9abc-def012345678")

HEADERS = {
    "organizations.csv": ["id", "name", "description", "email", "website"],
    "services.csv": ["id", "organization_id", "name", "description", "email", "status"],
    "locations.csv": ["id", "location_type", "name", "latitude", "longitude"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "addresses.csv": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "schedules.csv": ["id", "service_id", "freq", "interval", "byday", "opens_at", "closes_at"],
    "languages.csv": ["id", "service_id", "name", "code"],
    "phones.csv": ["id", "service_id", "number", "extension", "type"],
    "taxonomies.csv": ["id", "name", "description"],
    "taxonomy_terms.csv": ["id", "code", "name", "description", "parent_id", "taxonomy_id"],
    "attributes.csv": ["id", "link_id", "taxonomy_term_id", "link_entity", "value"],
}
#: (code, name, parent code): a tree whose leaves the shipped mapping only knows by a parent.
TERMS = [
    ("PN", "Support Groups", ""),
    ("PN-8000", "Peer Support Groups", "PN"),
    ("PN-8000.0500", "Grief Support Circles", "PN-8000"),
    ("PN-8000.0600", "Anxiety Peer Circles", "PN-8000"),
    ("RP", "Group Therapy", ""),
    ("RP-1400.8000", "Group Therapy for Depression", "RP"),
    ("YZ", "Anxiety", ""),
    ("YB", "Bereavement", ""),
    ("YD", "Depression", ""),
    ("ZZ", "Financial Counseling", ""),
]


def _id(kind: str, n: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{n}"))


def _places(count: int) -> list[dict[str, str]]:
    path = Path(__file__).resolve().parents[1] / "data" / "places.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("latitude")]
    random.Random(7).shuffle(rows)
    return rows[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--services", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(20_000)
    places = _places(500)
    tables: dict[str, list[list[str]]] = {name: [] for name in HEADERS}
    taxonomy = _id("taxonomy", 0)
    tables["taxonomies.csv"].append([taxonomy, "Example AIRS", "A tree of made-up terms"])
    codes = {code: _id("term", n) for n, (code, _, _) in enumerate(TERMS)}
    for code, name, parent in TERMS:
        row = [codes[code], code, name, name, codes.get(parent, ""), taxonomy]
        tables["taxonomy_terms.csv"].append(row)
    for n in range(10):
        tables["organizations.csv"].append(
            [_id("org", n), f"Organisation {n}", "Made up", f"org{n}@example.org", ""]
        )
    leaves = ["PN-8000.0500", "PN-8000.0600", "RP-1400.8000", "PN-8000"]
    for n in range(args.services):
        service, location, place = _id("service", n), _id("location", n), places[n % len(places)]
        broken = n % 7 == 6
        status = "inactive" if broken and n % 3 == 0 else "active"
        tables["services.csv"].append(
            [service, _id("org", n % 10), f"Groep {n}", "Samen sterker", "", status]
        )
        tables["locations.csv"].append(
            [location, "physical", f"Zaal {n}", place["latitude"], place["longitude"]]
        )
        tables["service_at_location.csv"].append([_id("sal", n), service, location])
        tables["addresses.csv"].append(
            [
                _id("address", n),
                location,
                f"Straat {n}",
                place["place"],
                "",
                place["postcode"],
                place["country"],
                "physical",
            ]
        )
        hour = rng.choice(["7:30 PM", "19:00", "10:00:00", "2:00 PM"])
        day = rng.choice(["MO", "TU", "WE", "TH"])
        tables["schedules.csv"].append([_id("schedule", n), service, "WEEKLY", "1", day, hour, ""])
        code = "pl" if broken and n % 3 == 1 else rng.choice(["nl", "nl-BE", "fr", "en"])
        tables["languages.csv"].append([_id("language", n), service, "", code])
        extension = str(n % 50) if n % 4 == 0 else ""
        tables["phones.csv"].append(
            [_id("phone", n), service, f"+32 00 {n:06d}", extension, "voice"]
        )
        terms = ["ZZ"] if broken and n % 3 == 2 else [leaves[n % 4], rng.choice(["YZ", "YB", "YD"])]
        for k, term in enumerate(terms):
            tables["attributes.csv"].append(
                [_id(f"attribute{k}", n), service, codes[term], "service", ""]
            )
    args.out.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        with (args.out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(tables[name])
    print(f"Wrote {args.services} services to {args.out}")


if __name__ == "__main__":
    main()
