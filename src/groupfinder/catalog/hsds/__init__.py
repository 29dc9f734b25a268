"""Open Referral HSDS 3 tabular data packages in and out of groupfinder.

An HSDS package is a folder of CSV files, one per table, often described by a
``datapackage.json`` (a Frictionless tabular data package). groupfinder reads twelve of its
tables: organizations, services, locations, service_at_location, addresses, schedules,
languages, accessibility, cost_options, phones, taxonomy_terms and attributes. It writes the
official HSDS 3.0 ``datapackage.json`` unchanged (vendored beside this module) and every
table it lists, with exactly its columns. HSDS 3 JSON (a service, a list of services or a
Page) is read and written by ``json_io``.

A group is one HSDS service. Where HSDS has a field, the group uses it:

==========================  ===========================================================
groupfinder (groups.csv)    HSDS 3
==========================  ===========================================================
name, description           service.name, service.description
contact_email, website      service.email, service.url
audience                    service.eligibility_description
last_verified               service.assured_date ("the date the information was checked")
setting                     the service's locations (service_at_location): physical =
                            in_person, virtual = online, both = hybrid
latitude, longitude         location.latitude, location.longitude of the physical location
address, postcode, city,    addresses.csv of that location (address_1, postal_code, city,
country                     state_province, country) when every required field is known;
                            else (no street, no province, an online group) the groupfinder
                            terms address, postcode, city and country
languages                   languages.csv rows of the service (ISO 639-1/-3 code or BCP 47
                            tag such as nl-BE), in order; else --default-language
schedule                    schedules.csv description
rrule, start_time,          schedules.csv freq, interval, byday, bymonthday, count, until,
end_time, first_date,       opens_at, closes_at, dtstart (else valid_from), valid_to
last_date                   (domain/schedule.hsds_columns and to_hsds; AM/PM and UTC offsets
                            understood)
cost_unit                   cost_options.csv amount_description ("per stay")
organization, hsds_*_id     organizations.csv name and id, services.csv id (kept by the
                            import, given back by the export)
cost_eur                    cost_options.csv amount, currency EUR
contact_phone               phones.csv number and extension (voice first, never a fax)
wheelchair                  accessibility.csv of the location: "Wheelchair accessible" or
                            "Not wheelchair accessible"; none = unknown
==========================  ===========================================================

HSDS has no field for the rest, so it travels as attributes (attributes.csv, link_entity
"service") pointing at terms of the taxonomy "groupfinder" (taxonomy_terms.csv): the terms
``format:<id>``, ``topic:<id>`` and ``leadership:<id>``, and the terms ``id``, ``drop_in``,
``size_min``, ``size_max``, ``address``, ``postcode``, ``city``, ``country``, ``for_whom``
and ``restricted_to`` whose attribute carries the value. Export, then
import, gives back exactly the same groups.

Services from another directory use other taxonomies. The mapping file
(``data/hsds_mapping.toml``, documented inside) says which of their terms give a format,
topics and a leadership. A service the mapping does not settle is not imported: the import
lists it with the reason and writes the others. Nothing is guessed.

Ids are UUIDs derived from the groupfinder id (uuid5), so an export is the same every time
and a group keeps its HSDS ids from one export to the next; a group imported from another
directory keeps that directory's service and organization ids. The export puts every other
group under one organization, "groupfinder catalog". The import keeps the id of the groupfinder term
``id`` when there is one, else takes the service id; a service at several physical locations
becomes one group per location, with the id ``<service id>@<location id>``. Postal locations
are not places to meet, and only active services are imported.

Two kinds of trouble are kept apart, as strictly as the official HSDS 3.0 datapackage.json
and no more. A malformed package (a missing table the import needs or a missing column, a
file that is not CSV, a duplicate id, a link the official descriptor declares on a column the
import uses that points at no row, an HSDS 1.x or 2.0 package) raises :class:`PackageError`
with every problem's file, line and field; nothing is imported. A service that groupfinder
cannot use (no format, a language it does not offer, an address abroad, a cell it cannot
read such as a status ``Active`` or an amount ``5,00``) becomes a :class:`ServiceNote` and
is left out; a bad location, phone or schedule costs only itself, and is noted.

The modules, by job: ``schema`` (the tables, their columns and groupfinder's taxonomy),
``read`` (a package's folder and CSV files, checked), ``json_io`` (HSDS 3 JSON in and out),
``mapping`` (the mapping file), ``convert`` (services to groups, the import) and ``export``
(groups to a package).
"""

from __future__ import annotations

from groupfinder.catalog.hsds.convert import ImportResult, ServiceNote, import_package
from groupfinder.catalog.hsds.export import (
    Provinces,
    belgian_province,
    descriptor,
    export_package,
    export_rows,
    load_provinces,
    write_package,
)
from groupfinder.catalog.hsds.json_io import (
    JSON_FILE,
    export_page,
    page_text,
    read_json_package,
)
from groupfinder.catalog.hsds.mapping import HsdsMapping, load_mapping
from groupfinder.catalog.hsds.read import Package, Row, Sheet, read_package
from groupfinder.catalog.hsds.schema import (
    DESCRIPTOR,
    HSDS_VERSION,
    MAPPING_FILE,
    TABLES,
    Column,
    PackageError,
    Table,
)

__all__ = [
    "DESCRIPTOR",
    "HSDS_VERSION",
    "JSON_FILE",
    "MAPPING_FILE",
    "TABLES",
    "Column",
    "HsdsMapping",
    "ImportResult",
    "Package",
    "PackageError",
    "Provinces",
    "Row",
    "ServiceNote",
    "Sheet",
    "Table",
    "belgian_province",
    "descriptor",
    "export_package",
    "export_page",
    "export_rows",
    "import_package",
    "load_mapping",
    "load_provinces",
    "page_text",
    "read_json_package",
    "read_package",
    "write_package",
]
