"""The import: an HSDS package's services converted to groupfinder groups, with a note
for every service left out."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from groupfinder.catalog.hsds.export import ORGANIZATION_ID, service_id_of
from groupfinder.catalog.hsds.json_io import is_json_input, read_json_package
from groupfinder.catalog.hsds.mapping import HsdsMapping, ServiceChoice, TermKinds, term_key
from groupfinder.catalog.hsds.read import Package, Row, Sheet, linked_entity, read_package
from groupfinder.catalog.hsds.schema import TAXONOMY, VALUE_TERMS, PackageError, number_text
from groupfinder.catalog.loader import (
    COLUMNS,
    GROUPS_FILE,
)
from groupfinder.catalog.places import BOUNDS, PlaceIndex
from groupfinder.catalog.rows import check_rows, without_gc
from groupfinder.domain.errors import CatalogError, FieldError, Problem
from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.models import (
    LEADERSHIPS,
    Group,
    Language,
    Setting,
)
from groupfinder.domain.schedule import COLUMNS as SCHEDULE_COLUMNS
from groupfinder.domain.schedule import ScheduleFieldError, hsds_columns, timezone_for
from groupfinder.domain.text import GUARDED_FIRST, clean_text, guard_cell, one_line

# =========================================================================== import


@dataclass(frozen=True)
class ServiceNote:
    """A service that was left out (``skipped``), or a detail of one that was imported."""

    file: str
    line: int
    service: str
    name: str
    message: str
    values: MappingOf[str, Any] = dataclasses.field(default_factory=dict)
    column: str | None = None
    skipped: bool = True
    #: Where the reason is when it is not the service's own row ("cost_options.csv:3").
    source: str | None = None
    #: What was left out of an imported service (a phrase such as "schedule left out").
    lost: str | None = None

    def render(self, language: Language = "en") -> str:
        reason = self._reason(language, tr(language, self.message, **self.values))
        template = _SKIPPED if self.skipped else _NOTED
        text = tr(
            language,
            template,
            id=one_line(self.service),
            name=one_line(self.name),
            reason=one_line(reason),  # it may quote the package: show it literally
        )
        return f"{self.file}:{self.line}: {text}"

    def _reason(self, language: Language, reason: str) -> str:
        if self.column:
            reason = f"{self.column}: {reason}"
        if self.source:
            reason = f"{self.source}: {reason}"
        if self.lost:
            reason = f"{tr(language, self.lost)}: {reason}"
        return reason

    @property
    def kind(self) -> tuple[str | None, str | None, str, bool]:
        """What notes of the same reason share, whatever their values."""
        return (self.lost, self.column, self.message, self.skipped)

    def reason_label(self, language: Language = "en") -> str:
        """The reason with its values left out, for counting notes by reason."""
        blank = {key: _Blank() for key in self.values}
        return one_line(self._reason(language, tr(language, self.message, **blank)))


class _Blank:
    """A value shown as "…" whatever the format asks of it."""

    def __format__(self, spec: str) -> str:
        return "…"

    def __repr__(self) -> str:
        return "'…'"

    def __str__(self) -> str:
        return "…"


_SKIPPED = N_("service {id} ({name}) skipped: {reason}")
_NOTED = N_("service {id} ({name}): {reason}")


@dataclass(frozen=True)
class ImportResult:
    #: The groups.csv to write.
    groups_csv: str
    #: Its groups, as groupfinder loads them (each built when it is first looked at).
    groups: Sequence[Group]
    #: How many services the package has.
    services: int
    notes: list[ServiceNote]

    @property
    def skipped(self) -> list[ServiceNote]:
        return [note for note in self.notes if note.skipped]

    def by_reason(self, skipped: bool = True) -> list[tuple[ServiceNote, int]]:
        """One note of each reason (the first) and how many notes give it, most first."""
        chosen = [note for note in self.notes if note.skipped == skipped]
        counts = Counter(note.kind for note in chosen)
        first: dict[tuple[str | None, str | None, str, bool], ServiceNote] = {}
        for note in chosen:
            first.setdefault(note.kind, note)
        return sorted(
            ((note, counts[kind]) for kind, note in first.items()), key=lambda item: -item[1]
        )


def import_package(
    path: Path,
    mapping: HsdsMapping,
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None = None,
    audiences: Iterable[str] = (),
    default_language: Language | None = None,
) -> ImportResult:
    """Turn the HSDS package at ``path`` into the text of a groups.csv. Nothing is written.

    ``default_language`` is the language of services that languages.csv says nothing about
    (or of every service, when the package has no languages.csv). Raises
    :class:`PackageError` when the package is malformed.
    """
    with without_gc():  # 180,000 rows for 20,000 services: collecting them took 40%
        package = read_json_package(path) if is_json_input(path) else read_package(path)
        format_ids, topic_ids = frozenset(formats), frozenset(topics)
        converter = _Converter(package, mapping, format_ids, topic_ids, default_language)
        candidates = converter.run()
        if converter.problems:
            raise PackageError(converter.problems)
        text, groups, rejected = _validated(candidates, format_ids, topic_ids, places, audiences)
        notes = sorted(converter.notes + rejected, key=lambda note: (note.line, note.service))
        services = len(package["service"].rows)
        # Freed while collection is off: the first collection after would go through every
        # row of the package (60 ms for 20,000 services).
        del package, converter, candidates
    return ImportResult(text, groups, services, notes)


class _Skip(Exception):
    """Why a service cannot become a group."""

    def __init__(
        self, message: str, column: str | None = None, source: str | None = None, **values: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.values = values
        self.column = column
        self.source = source

    @classmethod
    def of(cls, problem: Problem, service_file: str | None = None) -> _Skip:
        """The skip for a cell the import cannot use; its file and line unless it is in
        the service's own row (``service_file``)."""
        source = None
        if problem.file != service_file:
            source = f"{Path(problem.file).name}:{problem.line}"
        return cls(problem.message, problem.field, source, **problem.values)


@dataclass(slots=True)  # not frozen: one is made per service, and frozen ones are slow to make
class _Candidate:
    """A group about to be written: the service it comes from and its groups.csv cells."""

    file: str
    service: Row
    cells: dict[str, str]


@dataclass(slots=True)  # not frozen: one is made per service, and frozen ones are slow to make
class _Kind:
    format: str
    topics: list[str]
    leadership: str


@dataclass(slots=True)  # not frozen: one is made per service, and frozen ones are slow to make
class _Where:
    """Where a service meets: the (service_at_location, location) pairs of each kind."""

    setting: Setting
    physical: list[tuple[Row, Row]]
    virtual: list[tuple[Row, Row]]

    @property
    def meetings(self) -> list[tuple[Row, Row]]:
        """One group per physical location; an online service is one group."""
        return self.physical or self.virtual[:1]


def _values_of(items: Iterable[str]) -> list[str]:
    """The items without repeats, in their order."""
    if isinstance(items, list) and len(items) < 2:
        return items[:]  # mostly: one format, one topic, one leadership
    return list(dict.fromkeys(items))


class _Converter:
    """Services to groups.csv rows. Package errors go to ``problems``, left-out services to
    ``notes``."""

    def __init__(
        self,
        package: Package,
        mapping: HsdsMapping,
        formats: frozenset[str],
        topics: frozenset[str],
        default_language: Language | None = None,
    ) -> None:
        self.package = package
        self.mapping = mapping
        self.formats = formats
        self.topics = topics
        self.default_language = default_language
        self.kinds = TermKinds(mapping, package["taxonomy_term"].by_id, package["taxonomy"].by_id)
        self.problems: list[Problem] = []
        self.notes: list[ServiceNote] = []
        #: Terms of the groupfinder taxonomy that are not groupfinder's, by id.
        self.bad_terms: dict[str, Problem] = {}
        #: The schedule columns of a country and a schedule row's fields.
        self._schedules: dict[
            tuple[str | None, ...], dict[str, str] | ScheduleFieldError | None
        ] = {}
        self._addresses: dict[str, dict[str, str] | _Skip] = {}
        #: The code of each groupfinder term, by id.
        self._own_codes = {
            term.get("id"): _own_code(term)
            for term in package["taxonomy_term"].rows
            if _is_own(term)
        }
        self._no_choice = ServiceChoice()  # for a service the mapping says nothing about
        # The rows looked up for each service, by the id they hold (Sheet.where without a
        # call each: 20,000 services make 265,000 look-ups).
        self._attributes_of = package["attribute"].index("link_id")
        self._cost_options_of = package["cost_option"].index("service_id")
        self._links_of = package["service_at_location"].index("service_id")
        self._addresses_of = package["address"].index("location_id")
        self._accessibility_of = package["accessibility"].index("location_id")
        #: The language of a languages.csv code and name.
        self._languages_of: dict[tuple[str, str], Language | None] = {}

    def run(self) -> list[_Candidate]:
        self._check_own_terms()
        candidates: list[_Candidate] = []
        for service in self.package["service"].rows:
            try:
                found = self._service(service)
            except _Skip as skip:
                self.notes.append(
                    self._note(
                        service,
                        skip.message,
                        skip.values,
                        column=skip.column,
                        source=skip.source,
                    )
                )
                continue
            self._clean(service, found)
            candidates.extend(found)
        return candidates

    def _clean(self, service: Row, candidates: list[_Candidate]) -> None:
        """The text gate for third-party text: what it refuses is removed, and said."""
        columns: dict[str, None] = {}
        for candidate in candidates:
            joined = "".join(candidate.cells.values())
            if joined.isascii() and joined.isprintable():
                continue  # every cell plain text
            for column, value in candidate.cells.items():
                if value.isascii() and value.isprintable():
                    continue  # plain text: nothing for the gate to remove
                cleaned, changed = clean_text(value, multiline=column == "description")
                if changed:
                    candidate.cells[column] = cleaned
                    columns[column] = None
        if columns:
            message = N_("control or invisible characters removed from: {columns}")
            values = {"columns": ", ".join(columns)}
            self.notes.append(self._note(service, message, values, skipped=False))

    def _note(
        self,
        service: Row,
        message: str,
        values: MappingOf[str, Any],
        skipped: bool = True,
        column: str | None = None,
        source: str | None = None,
        lost: str | None = None,
    ) -> ServiceNote:
        sheet = self.package["service"]
        return ServiceNote(
            sheet.file,
            service.line,
            service.get("id"),
            service.get("name"),
            message,
            dict(values),
            column,
            skipped,
            source,
            lost,
        )

    def _lost(self, service: Row, what: str, problem: Problem) -> None:
        """Note a part of ``service`` left out (``what``: "schedule left out"...)."""
        source = f"{Path(problem.file).name}:{problem.line}"
        self.notes.append(
            self._note(service, problem.message, problem.values, False, problem.field, source, what)
        )

    # ---------------------------------------------------------------- terms

    def _check_own_terms(self) -> None:
        sheet = self.package["taxonomy_term"]
        for term in sheet.rows:
            code = _own_code(term)
            kind, _, value = code.partition(":")
            if not _is_own(term) or code in VALUE_TERMS or (value and kind in _KINDS):
                continue
            self.bad_terms[term.get("id")] = Problem(
                sheet.file,
                N_(
                    "unknown groupfinder term {value!r}; expected format:<id>, "
                    "topic:<id>, leadership:<id>, id, drop_in, size_min, size_max, address, "
                    "postcode, city, country, for_whom or restricted_to"
                ),
                term.line,
                "code",
                {"value": _own_code(term)},
            )

    def _terms(self, service: Row) -> list[tuple[Row, Row]]:
        """The (attribute, taxonomy term) pairs that describe ``service``."""
        terms = self.package["taxonomy_term"].by_id
        pairs = []
        for attribute in self._attributes_of.get(service.get("id"), ()):
            if linked_entity(attribute.get("link_entity")) in ("service", None):
                term_id = attribute.get("taxonomy_term_id")
                if term_id in self.bad_terms:
                    raise _Skip.of(self.bad_terms[term_id])
                pairs.append((attribute, terms[term_id]))
        return pairs

    def _own_values(self, terms: list[tuple[Row, Row]]) -> dict[str, str]:
        """The cells that groupfinder terms with a value give (id, drop_in, sizes, country)."""
        cells: dict[str, str] = {}
        sheet = self.package["attribute"]
        for attribute, term in terms:
            code = self._own_codes.get(term.get("id"), "")
            if code not in VALUE_TERMS:
                continue
            try:
                cells[code] = _VALUE_PARSERS[code](attribute.get("value"))
            except FieldError as exc:
                problem = Problem(sheet.file, exc.message, attribute.line, "value", exc.values)
                raise _Skip.of(problem) from None
        return cells

    def _kind(self, service: Row, terms: list[tuple[Row, Row]]) -> _Kind:
        own: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        mapped: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        for _, term in terms:
            code = self._own_codes.get(term.get("id"))
            if code is not None:
                kind, _, value = code.partition(":")
                if kind in own:
                    own[kind].append(value)
                continue
            given = self.kinds.of(term)
            mapped["format"].extend(given.formats)
            mapped["topic"].extend(given.topics)
            mapped["leadership"].extend(given.leaderships)
        choice = self.mapping.services.get(service.get("id"), self._no_choice)
        format_id = choice.format or self._format(service, own["format"] or mapped["format"])
        topics = choice.topics or own["topic"] or mapped["topic"] or self.mapping.defaults.topics
        leadership = choice.leadership or self._leadership(
            service, format_id, own["leadership"] or mapped["leadership"]
        )
        return _Kind(format_id, self._topics(topics), leadership)

    def _format(self, service: Row, found: list[str]) -> str:
        values = _values_of(found)
        if not values:
            raise _Skip(N_("no format: none of its taxonomy terms maps to a format"))
        if len(values) > 1:
            raise _Skip(
                N_('several formats ({values}); choose one under [services."{id}"] in the mapping'),
                values=", ".join(values),
                id=service.get("id"),
            )
        if values[0] not in self.formats:
            raise _Skip(
                N_("unknown format {value!r}; expected one of: {expected}"),
                value=values[0],
                expected=", ".join(sorted(self.formats)),
            )
        return values[0]

    def _topics(self, found: list[str]) -> list[str]:
        values = _values_of(found)
        if not values:
            raise _Skip(N_("no topic: none of its taxonomy terms maps to a topic"))
        for topic in values:
            if topic not in self.topics:
                raise _Skip(
                    N_("unknown topic {value!r}; expected one of: {expected}"),
                    value=topic,
                    expected=", ".join(sorted(self.topics)),
                )
        return values

    def _leadership(self, service: Row, format_id: str, found: list[str]) -> str:
        values = _values_of(found)
        if not values:
            default = self.mapping.defaults.leadership.get(format_id)
            if default is None:
                raise _Skip(
                    N_(
                        "no leadership: none of its taxonomy terms maps to a leadership, "
                        "and the mapping has no default for {format}"
                    ),
                    format=format_id,
                )
            return default
        if len(values) > 1:
            raise _Skip(
                N_(
                    'several leaderships ({values}); choose one under [services."{id}"] '
                    "in the mapping"
                ),
                values=", ".join(values),
                id=service.get("id"),
            )
        if values[0] not in LEADERSHIPS:
            raise _Skip(
                N_("unknown value {value!r}; expected one of: {expected}"),
                value=values[0],
                expected=", ".join(LEADERSHIPS),
            )
        return values[0]

    # ---------------------------------------------------------------- a service

    def _service(self, service: Row) -> list[_Candidate]:
        for problem in service.errors.values():
            raise _Skip.of(problem, self.package["service"].file)
        status = service.values.get("status")
        if status != "active":
            raise _Skip(
                N_("its status is {value!r}; only active services are imported"), value=status
            )
        terms = self._terms(service)
        own = self._own_values(terms)
        kind = self._kind(service, terms)
        for option in self._cost_options_of.get(service.get("id"), ()):
            for problem in option.errors.values():
                raise _Skip.of(problem)
        where = self._where(service, own)
        shared = self._service_cells(service, kind, where, own)
        base_id = own.get("id") or service.get("id")
        organization = self.package["organization"].by_id.get(service.get("organization_id"))
        shared.update(_source(service, organization, base_id))
        candidates = []
        meetings = where.meetings
        several = len(meetings) > 1
        file = self.package["service"].file
        for link, location in meetings:
            cells = dict(shared) if several else shared  # one group: its cells are the shared
            cells.update(self._location_cells(service, link, location, own))
            cells["id"] = f"{base_id}@{location.get('id')}" if several else base_id
            candidates.append(_Candidate(file, service, cells))
        return candidates

    def _where(self, service: Row, own: MappingOf[str, str]) -> _Where:
        locations = self.package["location"].by_id
        links = self._links_of.get(service.get("id"), ())
        pairs, refused = [], []
        for link in links:
            location = locations[link.get("location_id")]
            problem = self._location_problem(location, own)
            if problem is None:
                pairs.append((link, location))
            else:
                refused.append(problem)
        physical = [p for p in pairs if p[1].values.get("location_type") == "physical"]
        virtual = [p for p in pairs if p[1].values.get("location_type") == "virtual"]
        if refused and not physical and not virtual:
            raise _Skip.of(refused[0])
        for problem in refused:
            self._lost(service, N_("location left out"), problem)
        if not physical and not virtual:
            raise _Skip(
                N_(
                    "no place: service_at_location.csv links it to no physical or virtual "
                    "location, so it is neither in person nor online"
                )
            )
        setting: Setting = "online" if not physical else "hybrid" if virtual else "in_person"
        return _Where(setting, physical, virtual)

    def _service_cells(
        self, service: Row, kind: _Kind, where: _Where, own: dict[str, str]
    ) -> dict[str, str]:
        organization = self.package["organization"].by_id[service.get("organization_id")]
        virtual_url = next((loc.get("url") for _, loc in where.virtual if loc.get("url")), "")
        checked = service.values.get("assured_date") or service.values.get("last_modified")
        cells = _BLANK_GROUP.copy()
        cells.update(
            name=service.get("name"),
            format=kind.format,
            topics=";".join(kind.topics),
            leadership=kind.leadership,
            setting=where.setting,
            drop_in=own.get("drop_in", ""),
            size_min=own.get("size_min", ""),
            size_max=own.get("size_max", ""),
            cost_eur=self._cost(service),
            cost_unit=self._cost_unit(service),
            contact_email=service.get("email") or organization.get("email"),
            website=service.get("url") or organization.get("website") or virtual_url,
            audience=service.get("eligibility_description"),
            description=service.get("description"),
            last_verified=checked.isoformat() if checked else "",
            for_whom=own.get("for_whom", ""),
            restricted_to=own.get("restricted_to", ""),
            age_min=_whole(service.get("minimum_age")),
            age_max=_whole(service.get("maximum_age")),
        )
        return cells

    def _location_problem(self, location: Row, own: MappingOf[str, str]) -> Problem | None:
        """Why a location cannot be used, if it cannot: a cell of it or of its address the
        import cannot use, or coordinates outside the group's country."""
        for problem in location.errors.values():
            return problem
        for address in self._addresses_of.get(location.get("id"), ()):
            for problem in address.errors.values():
                return problem
        lat, lon = location.values.get("latitude"), location.values.get("longitude")
        country = self._address_of(location).get("country") or own.get("country", "")
        if lat is None or lon is None or country not in BOUNDS:
            return None
        if _inside(country, lat, lon):
            return None
        sheet = self.package["location"]
        values = {"lat": lat, "lon": lon, "country": country}
        message = (
            N_(
                "latitude {lat} and longitude {lon} look swapped: the other way round they "
                "are in {country}; correct the location"
            )
            if _inside(country, lon, lat)
            else N_("latitude {lat}, longitude {lon} is not in {country}")
        )
        return Problem(sheet.file, message, location.line, "latitude", values)

    def _location_cells(
        self, service: Row, link: Row, location: Row, own: dict[str, str]
    ) -> dict[str, str]:
        cells = {
            # A place without a complete address row travels in groupfinder's terms.
            "address": own.get("address", ""),
            "postcode": own.get("postcode", ""),
            "city": own.get("city", ""),
            "country": own.get("country", ""),
        }
        cells.update(self._address_of(location))
        cells.update(
            languages=self._languages(service, location),
            contact_phone=self._phone(service, link, location),
            wheelchair=self._wheelchair(location),
        )
        cells.update(self._schedule(service, link, location, cells["country"]))
        for column in ("latitude", "longitude"):
            # As written (51.04920 stays 51.04920); read.py checked it is a number.
            cells[column] = location.get(column) if column in location.values else ""
        return cells

    # ---------------------------------------------------------------- details

    def _address_of(self, location: Row) -> MappingOf[str, str]:
        """The address cells of a location (raises :class:`_Skip` for one abroad), worked
        out once for each location: not to be changed."""
        key = location.get("id")
        found = self._addresses.get(key)
        if found is None:
            found = self._addresses[key] = self._work_out_address(location)
        if isinstance(found, _Skip):
            raise _Skip(found.message, found.column, found.source, **found.values)
        return found

    def _work_out_address(self, location: Row) -> dict[str, str] | _Skip:
        try:
            return self._address_cells(location)
        except _Skip as skip:
            return skip

    def _address_cells(self, location: Row) -> dict[str, str]:
        rows = self._addresses_of.get(location.get("id"), ())
        physical = [r for r in rows if r.values.get("address_type") in (None, "physical")]
        if not rows:
            return {}
        chosen = (physical or rows)[0]
        country = chosen.get("country").upper()
        if country and country not in ("BE", "NL"):
            raise _Skip(
                N_(
                    "its address is in {value!r}; groupfinder lists groups in Belgium (BE) "
                    "and the Netherlands (NL)"
                ),
                value=chosen.get("country"),
            )
        street = ", ".join(
            part for part in (chosen.get("address_1"), chosen.get("address_2")) if part
        )
        cells = {
            "address": street,
            "postcode": chosen.get("postal_code"),
            "city": chosen.get("city"),
        }
        if country:
            cells["country"] = country
        return cells

    def _languages(self, service: Row, location: Row) -> str:
        sheet = self.package["language"]
        rows = sheet.where("service_id", service.get("id")) or sheet.where(
            "location_id", location.get("id")
        )
        if not rows and self.default_language is not None:
            return self.default_language
        if not rows:
            raise _Skip(
                N_(
                    "no language: languages.csv has no row for it or its location "
                    "(--default-language gives one)"
                )
            )
        known = _values_of(lang for row in rows if (lang := self._language(row)))
        if not known:
            others = ", ".join(row.get("code") or row.get("name") for row in rows)
            raise _Skip(
                N_("none of its languages ({values}) is Dutch, French or English"),
                values=others,
            )
        return ";".join(known)

    def _language(self, row: Row) -> Language | None:
        """The language of a languages.csv row, worked out once for the same code and name."""
        key = (row.get("code"), row.get("name"))
        if key not in self._languages_of:
            self._languages_of[key] = self.mapping.language(row)
        return self._languages_of[key]

    def _schedule(self, service: Row, link: Row, location: Row, country: str) -> dict[str, str]:
        """The schedule cells: the first schedule with recurrence fields goes into the
        structured columns (rrule, start_time...), every description into ``schedule``."""
        sheet = self.package["schedule"]
        rows = (
            sheet.where("service_at_location_id", link.get("id"))
            or sheet.where("service_id", service.get("id"))
            or sheet.where("location_id", location.get("id"))
        )
        cells = _BLANK_SCHEDULE.copy()
        texts = [row.get("description") for row in rows if row.get("description")]
        structured = False
        for row in rows:
            found = self._schedule_columns(row, country)
            if isinstance(found, ScheduleFieldError):
                problem = Problem(sheet.file, found.message, row.line, found.field, found.values)
                self._lost(service, N_("schedule left out"), problem)
                continue
            if found is None:
                continue
            if structured:
                problem = Problem(
                    sheet.file,
                    N_("groups.csv holds one structured schedule per group; the first is kept"),
                    row.line,
                )
                self._lost(service, N_("schedule left out"), problem)
                continue
            structured = True
            cells.update(found)
        cells["schedule"] = "; ".join(_values_of(texts))
        return cells

    def _schedule_columns(
        self, row: Row, country: str
    ) -> dict[str, str] | ScheduleFieldError | None:
        """:func:`hsds_columns` of a schedule row in local time (``None`` when it has no
        structured fields), worked out once for the same fields in the same country."""
        cells = row.cells
        key = (country, *map(cells.get, _SCHEDULE_FIELDS))  # None: a column not there
        if key not in self._schedules:
            self._schedules[key] = _local_columns(cells, country)
        return self._schedules[key]

    def _cost_unit(self, service: Row) -> str:
        """What the cost pays for, as the export writes it ("per stay"); blank: a session."""
        for row in self._cost_options_of.get(service.get("id"), ()):
            unit = row.get("amount_description").lower().removeprefix("per ").strip()
            if unit in ("series", "stay", "month"):
                return unit
        return ""

    def _cost(self, service: Row) -> str:
        amounts: list[float] = []
        others: list[str] = []
        for row in self._cost_options_of.get(service.get("id"), ()):
            amount = row.values.get("amount")
            currency = row.get("currency").upper()
            if amount is None:
                continue
            if currency in ("", "EUR"):
                amounts.append(amount)
            else:
                others.append(currency)
        if amounts:
            return number_text(min(amounts))
        if others:
            self.notes.append(
                self._note(
                    service,
                    N_("cost in {value} left out: groupfinder lists costs in euro"),
                    {"value": ", ".join(_values_of(others))},
                    skipped=False,
                )
            )
        return ""

    def _phone(self, service: Row, link: Row, location: Row) -> str:
        """The number to call: of the service, else the service at the location, the
        location or the organization; a voice number before a mobile, text or video one;
        never a fax or pager. The extension is kept ("+32 9 123 45 67 ext. 12")."""
        sheet = self.package["phone"]
        for column, value in (
            ("service_id", service.get("id")),
            ("service_at_location_id", link.get("id")),
            ("location_id", location.get("id")),
            ("organization_id", service.get("organization_id")),
        ):
            usable = []
            for row in sheet.where(column, value):
                kind = term_key(row.get("type"))
                if kind in _NOT_TO_CALL:
                    continue
                rank = _PHONE_TYPES.get(kind, len(_PHONE_TYPES))
                number = _phone_text(row.get("number"))
                extension = _phone_text(row.get("extension")).removesuffix(".0")
                if extension and not extension.isdigit():
                    self._lost(service, N_("phone left out"), _bad_extension(sheet, row))
                    continue
                if number:
                    usable.append((rank, f"{number} ext. {extension}" if extension else number))
            if usable:
                return min(usable, key=lambda item: item[0])[1]
        return ""

    def _wheelchair(self, location: Row) -> str:
        for row in self._accessibility_of.get(location.get("id"), ()):
            found = self.mapping.wheelchair_of(row)
            if found is not None:
                return found
        return "unknown"


_KINDS = ("format", "topic", "leadership")
#: Phone types (HSDS 3: text, voice, fax, cell, video, pager, textphone) a person can call
#: or message, best first; a row without a type counts as voice, another type comes last.
_PHONE_TYPES = {"voice": 0, "": 0, "cell": 1, "mobile": 1, "textphone": 2, "text": 3, "video": 4}
#: Numbers that are no use to a person looking for a group.
_NOT_TO_CALL = frozenset({"fax", "pager"})


def _phone_text(value: str) -> str:
    """A phone cell without the literal quotes some exports leave around it."""
    return value.strip().strip("\"'\u2018\u2019\u201c\u201d").strip()


def _bad_extension(sheet: Sheet, row: Row) -> Problem:
    return Problem(
        sheet.file,
        N_("expected a number, got {value!r}"),
        row.line,
        "extension",
        {"value": row.get("extension")},
    )


def _inside(country: str, lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = BOUNDS[country]  # type: ignore[index]
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


#: The schedule columns of groupfinder that a schedule row fills. The cost's unit comes
#: from the service's cost options (_cost_unit), not from here.
_SCHEDULE_CELLS = tuple(column for column in SCHEDULE_COLUMNS if column != "cost_unit")
#: Every cell of a group and of its schedule blank (copied: faster than dict.fromkeys).
_BLANK_GROUP = dict.fromkeys(COLUMNS, "")
_BLANK_SCHEDULE = dict.fromkeys(_SCHEDULE_CELLS, "")
#: The fields of a schedule row that :func:`hsds_columns` reads.
_SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "byweekno",
    "byyearday",
    "count",
    "until",
    "dtstart",
    "valid_from",
    "valid_to",
    "opens_at",
    "closes_at",
)
_OFFSET = re.compile(r"^(.*?)\s*(Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)


def _local_times(cells: MappingOf[str, str], country: str) -> dict[str, str]:
    """A schedule row with ``opens_at``/``closes_at`` in the group's local time.

    A time with the UTC offset of the group's own time zone (+01:00 or +02:00 in Belgium
    and the Netherlands) is local already; with another offset (``Z``, ``-05:00``) it is
    converted on the schedule's first date (``dtstart``, else ``valid_from``), and refused
    when there is none.
    """
    row = dict(cells)
    for field in ("opens_at", "closes_at"):
        match = _OFFSET.match(row.get(field, "").strip())
        if match is None:
            continue
        zone = timezone_for(country or None)
        own = {zone.utcoffset(dt.datetime(2024, month, 15)) for month in (1, 7)}
        clock, offset = match.group(1), _utc_offset(match.group(2))
        if offset in own:
            row[field] = clock
            continue
        first = (row.get("dtstart") or row.get("valid_from") or "").strip()[:10]
        try:
            day = dt.date.fromisoformat(first)
            hour, minute = (int(part) for part in re.split("[:.]", clock)[:2])
            moment = dt.datetime.combine(day, dt.time(hour, minute), dt.timezone(offset))
        except ValueError:
            raise ScheduleFieldError(
                field,
                N_("a time with the offset {value!r} needs a dtstart to be read as local time"),
                value=match.group(2),
            ) from None
        row[field] = f"{moment.astimezone(zone):%H:%M}"
    return row


def _local_columns(
    cells: MappingOf[str, str], country: str
) -> dict[str, str] | ScheduleFieldError | None:
    """The cells :func:`hsds_columns` gives a schedule row, its times in local time
    (:func:`_local_times`): ``None`` when they are all blank."""
    try:
        local = _local_times(cells, country)
        found = hsds_columns({field: local.get(field, "") for field in _SCHEDULE_FIELDS})
    except ScheduleFieldError as exc:
        return exc
    if not any(found.values()):
        return None
    return {column: value for column, value in found.items() if column != "cost_unit"}


def _utc_offset(text: str) -> dt.timedelta:
    if text.upper() == "Z":
        return dt.timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _source(service: Row, organization: Row | None, group_id: str) -> dict[str, str]:
    """Who runs the service and its HSDS ids, for an export to give back; blank where an
    export derives them itself (a package groupfinder exported)."""
    org_id = organization.get("id") if organization else ""
    ours = org_id == ORGANIZATION_ID
    service_id = service.get("id")
    # The export derives a service's id from its group's id (which it gives as a groupfinder
    # term): a service whose group takes its own id has not got a derived one.
    derived = group_id != service_id and service_id == service_id_of(group_id)
    return {
        "organization": organization.get("name") if organization and not ours else "",
        "hsds_service_id": "" if derived else service_id,
        "hsds_organization_id": "" if ours else org_id,
    }


def _is_own(term: Row) -> bool:
    return term_key(term.get("taxonomy")) == TAXONOMY


def _own_code(term: Row) -> str:
    return term.get("code") or term.get("name")


def _text_value(value: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(N_("required; this cell is empty"))
    return value


def _yes_no_value(value: str) -> str:
    value = value.strip().lower()
    if value not in ("yes", "no"):
        raise FieldError(N_("unknown value {value!r}; expected yes or no"), value=value)
    return value


def _size_value(value: str) -> str:
    try:
        number = int(value.strip())
    except ValueError:
        raise FieldError(N_("expected a whole number, got {value!r}"), value=value) from None
    if number < 1:
        raise FieldError(N_("expected a number of at least 1, got {value}"), value=number)
    return str(number)


def _country_value(value: str) -> str:
    country = value.strip().upper()
    if country not in ("BE", "NL"):
        raise FieldError(
            N_("unknown value {value!r}; expected one of: {expected}"),
            value=value,
            expected="BE, NL",
        )
    return country


def _for_whom_value(value: str) -> str:
    value = value.strip()
    if value not in ("self", "relatives", "both"):
        raise FieldError(
            N_("unknown value {value!r}; expected one of: {expected}"),
            value=value,
            expected="self, relatives, both",
        )
    return value


def _whole(value: str) -> str:
    """An HSDS number (``18`` or ``18.0``) as a whole number of years; blank when none."""
    try:
        return str(int(float(value))) if value else ""
    except ValueError:
        return value


_VALUE_PARSERS: dict[str, Callable[[str], str]] = {
    "for_whom": _for_whom_value,
    "restricted_to": _text_value,
    "id": _text_value,
    "drop_in": _yes_no_value,
    "size_min": _size_value,
    "size_max": _size_value,
    "address": _text_value,
    "postcode": _text_value,
    "city": _text_value,
    "country": _country_value,
}


def _validated(
    candidates: list[_Candidate],
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None,
    audiences: Iterable[str] = (),
) -> tuple[str, Sequence[Group], list[ServiceNote]]:
    """Check the rows exactly as groupfinder loads groups.csv (the same column checks, on the
    cells as they will be written); a row it refuses leaves its service out."""
    format_ids, topic_ids, audience_ids = list(formats), list(topics), list(audiences)
    notes: list[ServiceNote] = []
    while True:
        text, starts, written = _groups_csv(candidates)
        rows = ((line, written[index]) for line, index in starts.items())
        # As the CSV reader does, a row of blank cells is no row.
        rows = ((line, cells) for line, cells in rows if any(cell.strip() for cell in cells))
        groups, problems = check_rows(
            GROUPS_FILE, list(COLUMNS), rows, format_ids, topic_ids, places, audience_ids
        )
        if not problems:
            return text, groups, notes
        refused: dict[int, Problem] = {}
        for problem in problems:
            if problem.line in starts:
                refused.setdefault(starts[problem.line], problem)
        if not refused:
            raise CatalogError(problems)
        for index, problem in sorted(refused.items()):
            notes.append(_refused_note(candidates[index], problem))
        # Without them, the lines of the rows that stay change: check those again.
        candidates = [c for n, c in enumerate(candidates) if n not in refused]


def _refused_note(candidate: _Candidate, problem: Problem) -> ServiceNote:
    service = candidate.service
    return ServiceNote(
        candidate.file,
        service.line,
        service.get("id"),
        service.get("name"),
        problem.message,
        dict(problem.values),
        problem.field,
    )


def _written(cells: MappingOf[str, str]) -> list[str]:
    """A group's cells (every column: they start as _BLANK_GROUP) in the order of the
    columns, as groups.csv holds them (guarded)."""
    return [guard_cell(cell) if cell[:1] in GUARDED_FIRST else cell for cell in _IN_ORDER(cells)]


_IN_ORDER = operator.itemgetter(*COLUMNS)


def _groups_csv(candidates: list[_Candidate]) -> tuple[str, dict[int, int], list[list[str]]]:
    """The text of groups.csv; for each line where a row starts, that row's index; and each
    row's cells as written (guarded), in the order of the columns."""
    rows = [_written(candidate.cells) for candidate in candidates]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    parts = [buffer.getvalue()]
    starts: dict[int, int] = {}
    line = 2
    for index, cells in enumerate(rows):
        starts[line] = index
        text = ",".join(cells)
        if len(cells) > 1 and text.count(",") == len(cells) - 1 and _unquoted(text):
            # No cell to quote (a comma, a quote, a line break): as the csv module writes
            # it, without it (it looks at every character of every cell).
            parts.append(text + "\n")
            line += 1
            continue
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        chunk = buffer.getvalue()
        line += sum(1 for _ in io.StringIO(chunk, newline=""))  # a cell of several lines
        parts.append(chunk)
    return "".join(parts), starts, rows


def _unquoted(text: str) -> bool:
    """Whether a row's text holds no quote and no line break (``\\n``, or ``\\r``, which the
    csv module writes unquoted but a reader takes for the end of a line)."""
    return '"' not in text and "\n" not in text and "\r" not in text
