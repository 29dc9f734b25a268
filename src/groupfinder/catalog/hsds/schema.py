"""The HSDS 3 tables groupfinder reads and writes: their files, columns and checks,
and the constants of groupfinder's own taxonomy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from groupfinder.domain.errors import InputError
from groupfinder.domain.models import (
    Language,
    Leadership,
    Wheelchair,
)

HSDS_VERSION = "3.0"
DESCRIPTOR = "datapackage.json"
MAPPING_FILE = "hsds_mapping.toml"
#: The taxonomy of groupfinder's own terms.
TAXONOMY = "groupfinder"
#: Never change it: every exported id is derived from it.
NAMESPACE = uuid.UUID("8f0e7f4c-3a51-4d1e-9c2b-6a7d5e4b3c21")

#: Terms of the groupfinder taxonomy whose attribute carries a value.
VALUE_TERMS = (
    "id",
    "drop_in",
    "size_min",
    "size_max",
    "address",
    "postcode",
    "city",
    "country",
    "for_whom",
    "restricted_to",
)
#: What the export writes in accessibility.csv, always understood by the import.
WHEELCHAIR_TEXT: dict[Wheelchair, str] = {
    "yes": "Wheelchair accessible",
    "no": "Not wheelchair accessible",
}
LANGUAGE_NAMES: dict[Language, str] = {"nl": "Dutch", "fr": "French", "en": "English"}
LEADERSHIP_NAMES: dict[Leadership, str] = {
    "professional": "Led by a professional",
    "trained": "Led by a trained facilitator",
    "peer": "Led by peers",
}
ORGANIZATION_NAME = "groupfinder catalog"


def number_text(value: float) -> str:
    """A number as HSDS cells hold it: ``3`` rather than ``3.0``."""
    return str(int(value)) if value == int(value) else repr(value)


class PackageError(InputError):
    """An HSDS package is missing, malformed or inconsistent."""


# =========================================================================== the tables


@dataclass(frozen=True)
class Column:
    """One column of an HSDS table, as its datapackage.json field describes it."""

    name: str
    type: str = "string"
    format: str | None = None
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    #: The table whose ids this column holds, when the official 3.0 datapackage.json declares
    #: the foreign key and the import uses the column: only those links are checked.
    references: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[Column, ...]
    #: Columns the import reads that must be in the header and filled in every row.
    needs: tuple[str, ...] = ("id",)
    #: True when the import cannot do without the file.
    required: bool = False
    #: Other file names seen in the wild, tried when there is no datapackage.json.
    alternates: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _id() -> Column:
    return Column("id", format="uuid", required=True, unique=True)


def _link(name: str, table: str | None, required: bool = False) -> Column:
    return Column(name, format="uuid", required=required, references=table)


def _texts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name) for name in names)


def _typed(kind: str, *names: str) -> tuple[Column, ...]:
    return tuple(Column(name, type=kind) for name in names)


LOCATION_TYPES = ("physical", "postal", "virtual")
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        "organizations.csv",
        (
            _id(),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description", required=True),
            Column("email", format="email"),
            Column("website", format="uri"),
            *_texts("tax_status", "tax_id"),
            Column("year_incorporated", type="number"),
            Column("legal_status"),
            Column("logo", format="uri"),
            Column("uri", format="uri"),
            _link("parent_organization_id", None),  # no foreign key in HSDS 3.0
        ),
        required=True,
    ),
    Table(
        "service",
        "services.csv",
        (
            _id(),
            _link("organization_id", "organization", required=True),
            _link("program_id", None),
            Column("name", required=True),
            *_texts("alternate_name", "description"),
            Column("url", format="uri"),
            Column("email", format="email"),
            Column("status", required=True, enum=STATUSES),
            *_texts(
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "fees",
                "accreditations",
                "eligibility_description",
            ),
            *_typed("number", "minimum_age", "maximum_age"),
            Column("assured_date", type="date"),
            Column("assurer_email", format="email"),
            *_texts("licenses", "alert"),
            Column("last_modified", type="datetime"),
        ),
        needs=("id", "name", "organization_id"),
        required=True,
    ),
    Table(
        "location",
        "locations.csv",
        (
            _id(),
            Column("location_type", required=True, enum=LOCATION_TYPES),
            Column("url", format="uri"),
            _link("organization_id", None),  # a foreign key, but the import does not use it
            *_texts("name", "alternate_name", "description", "transportation"),
            *_typed("number", "latitude", "longitude"),
            *_texts("external_identifier", "external_identifier_type"),
        ),
        needs=("id", "location_type"),
        required=True,
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        (
            _id(),
            _link("service_id", "service", required=True),
            _link("location_id", "location", required=True),
            Column("description"),
        ),
        needs=("id", "service_id", "location_id"),
        required=True,
        alternates=("service_at_locations.csv", "services_at_location.csv"),
    ),
    Table(
        "address",
        "addresses.csv",
        (
            _id(),
            _link("location_id", "location"),
            Column("attention"),
            Column("address_1", required=True),
            Column("address_2"),
            Column("city", required=True),
            Column("region"),
            Column("state_province", required=True),
            Column("postal_code", required=True),
            Column("country", required=True),
            Column("address_type", required=True, enum=LOCATION_TYPES),
        ),
        needs=("id", "location_id"),
        alternates=("address.csv",),
    ),
    Table(
        "schedule",
        "schedules.csv",
        (
            _id(),
            _link("service_id", "service"),
            _link("location_id", "location"),
            _link("service_at_location_id", "service_at_location"),
            *_typed("date", "valid_from", "valid_to", "dtstart"),
            Column("timezone", type="number"),
            Column("until", type="date"),
            Column("count", type="number"),
            Column("wkst", enum=_WEEKDAYS),
            Column("freq", enum=("WEEKLY", "MONTHLY")),
            Column("interval", type="number"),
            *_texts("byday", "byweekno", "bymonthday", "byyearday", "description"),
            *_typed("time", "opens_at", "closes_at"),
            Column("schedule_link", format="uri"),
            *_texts("attending_type", "notes"),
        ),
        alternates=("schedule.csv",),
    ),
    Table(
        "language",
        "languages.csv",
        (
            _id(),
            _link("service_id", "service"),
            _link("location_id", "location"),
            _link("phone_id", None),  # a foreign key, but the import does not use it
            *_texts("name", "code", "note"),
        ),
        alternates=("language.csv",),
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        (
            _id(),
            _link("location_id", "location"),
            *_texts("description", "details"),
            Column("url", format="uri"),
        ),
        needs=("id", "location_id"),
        alternates=("accessibility_for_disabilities.csv",),
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        (
            _id(),
            _link("service_id", "service", required=True),
            *_typed("date", "valid_from", "valid_to"),
            *_texts("option", "currency"),
            Column("amount", type="number"),
            Column("amount_description"),
        ),
        needs=("id", "service_id"),
        alternates=("cost_option.csv",),
    ),
    Table(
        "phone",
        "phones.csv",
        (
            _id(),
            _link("location_id", "location"),
            _link("service_id", "service"),
            _link("organization_id", "organization"),
            _link("contact_id", None),
            _link("service_at_location_id", "service_at_location"),
            Column("number", required=True),
            Column("extension", type="number"),
            *_texts("type", "description"),
        ),
        needs=("id", "number"),
        alternates=("phone.csv",),
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        (
            _id(),
            Column("code", unique=True),
            Column("name", required=True),
            Column("description", required=True),
            # No foreign key in HSDS 3.0: a parent that is not there makes a root term.
            _link("parent_id", None),
            *_texts("taxonomy", "language"),
            # A foreign key, read leniently: an id not in taxonomies.csv (the official
            # example has one) leaves the term with its ``taxonomy`` text.
            _link("taxonomy_id", None),
            Column("term_uri", format="uri"),
        ),
        needs=("id", "name"),
        alternates=("taxonomy_term.csv",),
    ),
    Table(
        "attribute",
        "attributes.csv",
        (
            _id(),
            _link("link_id", None, required=True),  # points at any table: link_entity says
            _link("taxonomy_term_id", "taxonomy_term", required=True),
            Column("link_type"),
            Column("link_entity", required=True),
            *_texts("value", "label"),
        ),
        needs=("id", "link_id", "taxonomy_term_id"),
        alternates=("attribute.csv",),
    ),
)
#: Read by the import, never written: the taxonomies that terms name by ``taxonomy_id``.
TAXONOMIES = Table(
    "taxonomy",
    "taxonomies.csv",
    (
        _id(),
        Column("name", required=True),
        Column("description", required=True),
        Column("uri", format="uri"),
        Column("version"),
    ),
)
#: Every table the import reads.
READ_TABLES: tuple[Table, ...] = (*TABLES, TAXONOMIES)
TABLES_BY_NAME = {table.name: table for table in READ_TABLES}
