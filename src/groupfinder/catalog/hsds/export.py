"""The export: a catalog's groups as an HSDS 3 package (file name -> text), and writing
the package to a folder."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from collections.abc import Mapping as MappingOf
from pathlib import Path
from typing import Any

from groupfinder.catalog.atomic import write_atomic
from groupfinder.catalog.hsds.schema import (
    DESCRIPTOR,
    HSDS_VERSION,
    LANGUAGE_NAMES,
    LEADERSHIP_NAMES,
    NAMESPACE,
    ORGANIZATION_NAME,
    TABLES,
    TAXONOMY,
    WHEELCHAIR_TEXT,
    Column,
    Table,
    number_text,
)
from groupfinder.domain.models import (
    LEADERSHIPS,
    Catalog,
    Group,
    Setting,
)
from groupfinder.domain.text import guard_cell

# =========================================================================== export


def _uuid(*parts: str) -> str:
    """A UUID that depends only on ``parts``: the same group gets the same ids every time."""
    return str(uuid.uuid5(NAMESPACE, json.dumps(parts)))


ORGANIZATION_ID = _uuid("organization")


def export_package(catalog: Catalog) -> dict[str, str]:
    """The catalog's groups as an HSDS 3 package: file name -> text, datapackage.json included."""
    rows: dict[str, list[dict[str, str]]] = {table.name: [] for table in TABLES}
    rows["organization"].append(
        {
            "id": ORGANIZATION_ID,
            "name": ORGANIZATION_NAME,
            "description": "The groups of a groupfinder catalog, exported as Open Referral HSDS.",
        }
    )
    rows["taxonomy_term"].extend(_vocabulary(catalog))
    for group in catalog.groups:
        for table, row in _group_rows(group):
            rows[table].append(row)
    files = {table.path: _table_csv(table, rows[table.name]) for table in TABLES}
    files[DESCRIPTOR] = json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"
    return files


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
        ("country", "Country", "The country an online group is for (BE or NL)."),
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
        }
        for code, name, description in sorted(terms)
    ]


def _group_rows(group: Group) -> Iterator[tuple[str, dict[str, str]]]:
    service_id = _uuid("service", group.id)
    yield (
        "service",
        {
            "id": service_id,
            "organization_id": ORGANIZATION_ID,
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
    yield from _location_rows(group, service_id)
    yield from _detail_rows(group, service_id)
    yield from _attribute_rows(group, service_id)


_LOCATION_KINDS: dict[Setting, tuple[str, ...]] = {
    "in_person": ("physical",),
    "online": ("virtual",),
    "hybrid": ("physical", "virtual"),
}


def _location_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
    kinds = _LOCATION_KINDS[group.setting]
    meeting = kinds[0]  # the location that keeps the address, coordinates and access
    for kind in kinds:
        location_id = _uuid("location", group.id, kind)
        location = {"id": location_id, "location_type": kind, "name": group.name}
        if kind == "virtual":
            location["url"] = group.contact.website or ""
        if kind == meeting:
            location["latitude"] = _float_text(group.latitude)
            location["longitude"] = _float_text(group.longitude)
        yield "location", location
        yield (
            "service_at_location",
            {
                "id": _uuid("service_at_location", group.id, kind),
                "service_id": service_id,
                "location_id": location_id,
            },
        )
        if kind == meeting and _has_address(group):
            yield "address", _address_row(group, location_id, kind)
    if group.wheelchair != "unknown":
        yield (
            "accessibility",
            {
                "id": _uuid("accessibility", group.id),
                "location_id": _uuid("location", group.id, meeting),
                "description": WHEELCHAIR_TEXT[group.wheelchair],
            },
        )


def _has_address(group: Group) -> bool:
    """An online group with only a country keeps it in an attribute, not in an address."""
    street = any((group.address, group.postcode, group.city))
    return street or (group.country is not None and group.setting != "online")


def _address_row(group: Group, location_id: str, kind: str) -> dict[str, str]:
    return {
        "id": _uuid("address", group.id),
        "location_id": location_id,
        "address_1": group.address or "",
        "city": group.city or "",
        "state_province": belgian_province(group.postcode) if group.country == "BE" else "",
        "postal_code": group.postcode or "",
        "country": group.country or "",
        "address_type": kind,
    }


def _detail_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
    if group.schedule:
        yield (
            "schedule",
            {
                "id": _uuid("schedule", group.id),
                "service_id": service_id,
                "description": group.schedule,
            },
        )
    for code in group.languages:
        yield (
            "language",
            {
                "id": _uuid("language", group.id, code),
                "service_id": service_id,
                "name": LANGUAGE_NAMES[code],
                "code": code,
            },
        )
    if group.cost_eur is not None:
        yield (
            "cost_option",
            {
                "id": _uuid("cost_option", group.id),
                "service_id": service_id,
                "currency": "EUR",
                "amount": number_text(group.cost_eur),
                "amount_description": "per session",
            },
        )
    if group.contact.phone:
        yield (
            "phone",
            {
                "id": _uuid("phone", group.id),
                "service_id": service_id,
                "number": group.contact.phone,
                "type": "voice",
            },
        )


def _attribute_rows(group: Group, service_id: str) -> Iterator[tuple[str, dict[str, str]]]:
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
    if group.country and not _has_address(group):
        terms.append(("country", group.country))
    if group.for_whom != "both":
        terms.append(("for_whom", group.for_whom))
    if group.restricted_to:
        terms.append(("restricted_to", ";".join(group.restricted_to)))
    for code, value in terms:
        yield (
            "attribute",
            {
                "id": _uuid("attribute", group.id, code),
                "link_id": service_id,
                "taxonomy_term_id": _uuid("taxonomy_term", code),
                "link_entity": "service",
                "value": value,
            },
        )


def _float_text(value: float | None) -> str:
    return "" if value is None else repr(value)


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


def _table_csv(table: Table, rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.column_names, lineterminator="\n")
    writer.writeheader()
    # Cells a spreadsheet would run as formulas are written as text ('=...).
    writer.writerows({key: guard_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def descriptor() -> dict[str, Any]:
    """The datapackage.json of an export: one resource per table, with its fields and keys."""
    return {
        "profile": "tabular-data-package",
        "name": "groupfinder-groups",
        "title": "groupfinder groups",
        "description": (
            "Groups from a groupfinder catalog as Open Referral Human Services Data "
            "Specification (HSDS) tables. Terms of the taxonomy 'groupfinder' carry what "
            "HSDS has no field for."
        ),
        "version": HSDS_VERSION,
        "homepage": "https://docs.openreferral.org",
        "resources": [_resource(table) for table in TABLES],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "primaryKey": "id",
    }
    keys = [
        {"fields": c.name, "reference": {"resource": c.references, "fields": "id"}}
        for c in table.columns
        if c.references is not None
    ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.format:
        field["format"] = column.format
    constraints: dict[str, Any] = {"required": column.required, "unique": column.unique}
    if column.enum:
        constraints["enum"] = list(column.enum)
    field["constraints"] = constraints
    return field


def write_package(folder: Path, files: MappingOf[str, str]) -> None:
    """Write every file of a package into ``folder`` (made when missing), each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        write_atomic(folder / name, files[name])
