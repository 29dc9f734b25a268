"""The export: a catalog's groups as an HSDS 3 package (file name -> text), and writing
the package to a folder.

The package is described by the official HSDS 3.0 ``datapackage.json`` (vendored beside
this module, written unchanged): every table it lists is written, with exactly its columns
in its order, even when no row of it applies. :func:`export_rows` gives the rows of each
table, which :mod:`groupfinder.catalog.hsds.json_io` nests into HSDS 3 JSON.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.resources
import io
import json
import uuid
from collections import Counter
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any

from groupfinder.catalog.atomic import write_atomic
from groupfinder.catalog.hsds.schema import (
    DESCRIPTOR,
    LANGUAGE_NAMES,
    LEADERSHIP_NAMES,
    NAMESPACE,
    ORGANIZATION_NAME,
    TAXONOMY,
    WHEELCHAIR_TEXT,
    number_text,
)
from groupfinder.catalog.loader import PLACES_FILE, data_file
from groupfinder.catalog.places.names import normalise
from groupfinder.domain.models import (
    LEADERSHIPS,
    Catalog,
    Group,
    Setting,
)
from groupfinder.domain.schedule import to_hsds
from groupfinder.domain.text import guard_cell

# =========================================================================== the descriptor


@functools.cache
def official_text() -> str:
    """The official HSDS 3.0 datapackage.json, byte for byte (see ATTRIBUTION.md)."""
    resource = importlib.resources.files("groupfinder.catalog.hsds").joinpath(DESCRIPTOR)
    return resource.read_text(encoding="utf-8")


def descriptor() -> dict[str, Any]:
    """The datapackage.json of an export: the official HSDS 3.0 descriptor, as it is."""
    loaded: dict[str, Any] = json.loads(official_text())
    return loaded


@dataclass(frozen=True)
class Resource:
    """One table of the official descriptor: its name, file and fields."""

    name: str
    path: str
    fields: tuple[dict[str, Any], ...]

    @property
    def columns(self) -> list[str]:
        return [field["name"] for field in self.fields]


@functools.cache
def resources() -> tuple[Resource, ...]:
    """The tables of the official descriptor, in its order."""
    return tuple(
        Resource(r["name"], r["path"], tuple(r["schema"]["fields"]))
        for r in descriptor()["resources"]
    )


def resource(name: str) -> Resource:
    return next(r for r in resources() if r.name == name)


# =========================================================================== provinces


@dataclass(frozen=True)
class Provinces:
    """The provinces of Dutch postcodes, from the ``province`` column of places.csv."""

    #: postcode (4 digits) -> {normalised place name: province}
    by_place: MappingOf[str, MappingOf[str, str]]

    def of(self, postcode: str | None, city: str | None) -> str:
        """The province of a Dutch postcode ("1012" or "1012 AB"); "" when unknown.

        A postcode of two provinces (3 of 4,000) takes the one of the city; without a match,
        the province of most of its places, the first by name on a tie.
        """
        digits = (postcode or "").strip()[:4]
        places = self.by_place.get(digits)
        if not places:
            return ""
        found = places.get(normalise(city or ""))
        if found:
            return found
        counts = Counter(places.values())
        return min(counts, key=lambda name: (-counts[name], name))


def load_provinces(path: Path) -> Provinces:
    """The Dutch provinces of a places.csv (its ``province`` column; none when it has none)."""
    by_place: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            province = (record.get("province") or "").strip()
            if record.get("country") == "NL" and province:
                places = by_place.setdefault(record["postcode"].strip()[:4], {})
                places[normalise(record.get("place") or "")] = province
    return Provinces(by_place)


@functools.cache
def _shipped_provinces() -> Provinces:
    return load_provinces(data_file(PLACES_FILE))


#: Belgian postcodes by first digits (bpost): (first postcode, last postcode, province).
_BELGIAN_PROVINCES = (
    (1000, 1299, "Brussels-Capital Region"),
    (1300, 1499, "Walloon Brabant"),
    (1500, 1999, "Flemish Brabant"),
    (2000, 2999, "Antwerp"),
    (3000, 3499, "Flemish Brabant"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Liège"),
    (5000, 5999, "Namur"),
    (6000, 6599, "Hainaut"),
    (6600, 6999, "Luxembourg"),
    (7000, 7999, "Hainaut"),
    (8000, 8999, "West Flanders"),
    (9000, 9999, "East Flanders"),
)


def belgian_province(postcode: str | None) -> str:
    """The province of a Belgian postcode (Brussels is a region); "" when it is no postcode."""
    if not postcode or not postcode.strip().isdigit():
        return ""
    number = int(postcode)
    return next((name for low, high, name in _BELGIAN_PROVINCES if low <= number <= high), "")


# =========================================================================== export


def _uuid(*parts: str) -> str:
    """A UUID that depends only on ``parts``: the same group gets the same ids every time.

    ``str(uuid.uuid5(NAMESPACE, json.dumps(parts)))``, without the general JSON encoder or
    a UUID object (the import works one out for each of 20,000 services): the SHA-1 of the
    namespace and the JSON list of the parts, with version 5 in the 13th hex digit and the
    RFC 4122 variant in the 17th.
    """
    name = "[" + ", ".join(map(encode_basestring_ascii, parts)) + "]"
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode()).hexdigest()
    return (
        f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-"
        f"{_VARIANT[digest[16]]}{digest[17:20]}-{digest[20:32]}"
    )


_NAMESPACE_BYTES = NAMESPACE.bytes
#: The 17th hex digit of a UUID of the RFC 4122 variant (10xx), from that of the digest.
_VARIANT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


def service_id_of(group_id: str) -> str:
    """The HSDS id an export gives the service of a group without a source id."""
    return _uuid("service", group_id)


ORGANIZATION_ID = _uuid("organization")
TAXONOMY_ID = _uuid("taxonomy", TAXONOMY)
#: The groupfinder terms whose attribute carries a place when the group has no address row.
PLACE_TERMS = ("address", "postcode", "city", "country")

Rows = dict[str, list[dict[str, str]]]


def export_package(catalog: Catalog, provinces: Provinces | None = None) -> dict[str, str]:
    """The catalog's groups as an HSDS 3 package: file name -> text, datapackage.json included.

    ``provinces`` gives Dutch addresses their province (default: the shipped places.csv).
    """
    rows = export_rows(catalog, provinces)
    files = {r.path: _table_csv(r, rows[r.name]) for r in resources()}
    files[DESCRIPTOR] = official_text()
    return files


def export_rows(catalog: Catalog, provinces: Provinces | None = None) -> Rows:
    """Every table of the official descriptor (by name) with the rows of the export."""
    exporter = _Exporter(catalog, provinces or _shipped_provinces())
    return exporter.rows


class _Exporter:
    def __init__(self, catalog: Catalog, provinces: Provinces) -> None:
        self.provinces = provinces
        self.rows: Rows = {r.name: [] for r in resources()}
        # A source HSDS id is given back only where it is one group's (a service at two
        # places was imported as two groups: they get ids of their own).
        self.shared = {
            key
            for key, count in Counter(
                g.hsds_service_id for g in catalog.groups if g.hsds_service_id
            ).items()
            if count > 1
        }
        self.organizations: dict[str, str] = {}
        self.rows["taxonomy"].append(
            {
                "id": TAXONOMY_ID,
                "name": TAXONOMY,
                "description": (
                    "groupfinder's own terms: formats, topics, leadership, and the terms "
                    "whose attribute carries what HSDS has no field for."
                ),
            }
        )
        self.rows["taxonomy_term"].extend(_vocabulary(catalog))
        for group in catalog.groups:
            self._group(group)

    def add(self, table: str, row: dict[str, str]) -> None:
        self.rows[table].append(row)

    def _organization(self, group: Group) -> str:
        """The id of the group's organization; its row is written the first time."""
        name = group.organization or ORGANIZATION_NAME
        source = group.hsds_organization_id
        key = source or name
        if key in self.organizations:
            return self.organizations[key]
        org_id = source if source and _is_uuid(source) else _uuid("organization", name)
        if not group.organization and not source:
            org_id = ORGANIZATION_ID
        self.organizations[key] = org_id
        self.add(
            "organization",
            {
                "id": org_id,
                "name": name,
                "description": (
                    "The groups of a groupfinder catalog, exported as Open Referral HSDS."
                    if name == ORGANIZATION_NAME
                    else f"Runs groups listed in a groupfinder catalog: {name}."
                ),
            },
        )
        return org_id

    def _group(self, group: Group) -> None:
        source = group.hsds_service_id
        keep = source is not None and _is_uuid(source) and source not in self.shared
        service_id = source if keep and source else service_id_of(group.id)
        self.add(
            "service",
            {
                "id": service_id,
                "organization_id": self._organization(group),
                "name": group.name,
                "description": group.description or "",
                "url": group.contact.website or "",
                "email": group.contact.email or "",
                "status": "active",
                "eligibility_description": group.audience or "",
                "minimum_age": "" if group.age_min is None else str(group.age_min),
                "maximum_age": "" if group.age_max is None else str(group.age_max),
                "assured_date": group.last_verified.isoformat() if group.last_verified else "",
            },
        )
        has_address = self._locations(group, service_id)
        self._details(group, service_id)
        self._attributes(group, service_id, has_address)

    # ---------------------------------------------------------------- places

    def _locations(self, group: Group, service_id: str) -> bool:
        """The group's locations; True when its meeting place got an address row."""
        kinds = _LOCATION_KINDS[group.setting]
        meeting = kinds[0]  # the location that keeps the address, coordinates and access
        has_address = False
        for kind in kinds:
            location_id = _uuid("location", group.id, kind)
            location = {"id": location_id, "location_type": kind, "name": group.name}
            if kind == "virtual":
                location["url"] = group.contact.website or ""
            if kind == meeting:
                location["latitude"], location["longitude"] = _coordinates(group)
            self.add("location", location)
            self.add(
                "service_at_location",
                {
                    "id": _uuid("service_at_location", group.id, kind),
                    "service_id": service_id,
                    "location_id": location_id,
                },
            )
            if kind == meeting:
                address = self._address(group, location_id, kind)
                if address is not None:
                    self.add("address", address)
                    has_address = True
        if group.wheelchair != "unknown":
            self.add(
                "accessibility",
                {
                    "id": _uuid("accessibility", group.id),
                    "location_id": _uuid("location", group.id, meeting),
                    "description": WHEELCHAIR_TEXT[group.wheelchair],
                },
            )
        return has_address

    def _address(self, group: Group, location_id: str, kind: str) -> dict[str, str] | None:
        """The address row, when the group has every field HSDS requires of one."""
        if group.setting == "online":
            return None  # an online group's place (if any) travels in attributes
        province = (
            belgian_province(group.postcode)
            if group.country == "BE"
            else self.provinces.of(group.postcode, group.city)
            if group.country == "NL"
            else ""
        )
        row = {
            "id": _uuid("address", group.id),
            "location_id": location_id,
            "address_1": group.address or "",
            "city": group.city or "",
            "state_province": province,
            "postal_code": group.postcode or "",
            "country": group.country or "",
            "address_type": kind,
        }
        return row if all(row.values()) else None

    # ---------------------------------------------------------------- details

    def _details(self, group: Group, service_id: str) -> None:
        fields = to_hsds(group.timetable) if group.timetable else {}
        for name in ("opens_at", "closes_at"):
            if name in fields:
                fields[name] = _clock(fields[name])
        if group.schedule or fields:
            self.add(
                "schedule",
                {
                    "id": _uuid("schedule", group.id),
                    "service_id": service_id,
                    **fields,
                    "description": group.schedule or "",
                },
            )
        for code in group.languages:
            self.add(
                "language",
                {
                    "id": _uuid("language", group.id, code),
                    "service_id": service_id,
                    "name": LANGUAGE_NAMES[code],
                    "code": code,
                },
            )
        if group.cost_eur is not None or group.cost_unit != "session":
            # "per stay": what the amount pays for (groups.csv cost_unit), even unknown.
            self.add(
                "cost_option",
                {
                    "id": _uuid("cost_option", group.id),
                    "service_id": service_id,
                    "currency": "" if group.cost_eur is None else "EUR",
                    "amount": "" if group.cost_eur is None else number_text(group.cost_eur),
                    "amount_description": f"per {group.cost_unit}",
                },
            )
        if group.contact.phone:
            self.add(
                "phone",
                {
                    "id": _uuid("phone", group.id),
                    "service_id": service_id,
                    "number": group.contact.phone,
                    "type": "voice",
                },
            )

    def _attributes(self, group: Group, service_id: str, has_address: bool) -> None:
        terms = [
            ("id", group.id),
            (f"format:{group.format}", ""),
            *((f"topic:{topic}", "") for topic in group.topics),
            (f"leadership:{group.leadership}", ""),
        ]
        if group.drop_in is not None:
            terms.append(("drop_in", "yes" if group.drop_in else "no"))
        if group.size_min is not None:
            terms.append(("size_min", str(group.size_min)))
        if group.size_max is not None:
            terms.append(("size_max", str(group.size_max)))
        if not has_address:
            place = (group.address, group.postcode, group.city, group.country)
            terms.extend(
                (code, value) for code, value in zip(PLACE_TERMS, place, strict=True) if value
            )
        if group.for_whom != "both":
            terms.append(("for_whom", group.for_whom))
        if group.restricted_to:
            terms.append(("restricted_to", ";".join(group.restricted_to)))
        for code, value in terms:
            self.add(
                "attribute",
                {
                    "id": _uuid("attribute", group.id, code),
                    "link_id": service_id,
                    "taxonomy_term_id": _uuid("taxonomy_term", code),
                    "link_entity": "service",
                    "value": value,
                },
            )


def _vocabulary(catalog: Catalog) -> list[dict[str, str]]:
    """The groupfinder taxonomy: formats, topics, leadership and the terms with a value."""
    terms = [(f"format:{f.id}", f.name.en, f.description.en) for f in catalog.formats.values()]
    terms += [
        (f"topic:{t.id}", t.name.en, f"A group about: {t.name.en}") for t in catalog.topics.values()
    ]
    terms += [(f"leadership:{k}", LEADERSHIP_NAMES[k], LEADERSHIP_NAMES[k]) for k in LEADERSHIPS]
    terms += [
        ("id", "groupfinder id", "The id of the group in groupfinder's groups.csv."),
        ("drop_in", "Drop-in", "yes: people can join any session; no: they sign up first."),
        ("size_min", "Smallest group size", "The fewest participants the group meets with."),
        ("size_max", "Largest group size", "The most participants the group takes."),
        (
            "address",
            "Street address",
            "The street and number of a group that has no complete address row.",
        ),
        ("postcode", "Postcode", "The postcode of a group that has no complete address row."),
        ("city", "City", "The city of a group that has no complete address row."),
        (
            "country",
            "Country",
            "The country (BE or NL) of a group that has no complete address row, such as "
            "an online group.",
        ),
        ("for_whom", "For whom", "self, relatives or both: who the group is for."),
        (
            "restricted_to",
            "Only for",
            "The audiences (;-separated ids) a group is only for; none means open to all.",
        ),
    ]
    return [
        {
            "id": _uuid("taxonomy_term", code),
            "code": code,
            "name": name,
            "description": description,
            "taxonomy": TAXONOMY,
            "language": "en",
            "taxonomy_id": TAXONOMY_ID,
        }
        for code, name, description in sorted(terms)
    ]


_LOCATION_KINDS: dict[Setting, tuple[str, ...]] = {
    "in_person": ("physical",),
    "online": ("virtual",),
    "hybrid": ("physical", "virtual"),
}


def _coordinates(group: Group) -> tuple[str, str]:
    """Latitude and longitude as groups.csv wrote them ("51.04920" stays "51.04920")."""
    if group.latitude is None or group.longitude is None:
        return "", ""
    if group.coordinates_text is not None:
        return group.coordinates_text
    return repr(group.latitude), repr(group.longitude)


def _clock(value: str) -> str:
    """HH:MM as a Table Schema ``time`` (HH:MM:SS)."""
    return f"{value}:00" if len(value) == 5 else value


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _table_csv(table: Resource, rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    # A cell outside the official columns is a bug: DictWriter raises on it.
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    # Cells a spreadsheet would run as formulas are written as text ('=...).
    writer.writerows({key: guard_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def write_package(folder: Path, files: MappingOf[str, str]) -> None:
    """Write every file of a package into ``folder`` (made when missing), each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        write_atomic(folder / name, files[name])
