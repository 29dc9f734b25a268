"""The import: an HSDS package's services converted to groupfinder groups, with a note
for every service left out."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Callable, Iterable
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from groupfinder.catalog.hsds.mapping import HsdsMapping, ServiceChoice, term_key
from groupfinder.catalog.hsds.read import Package, Row, linked_entity, read_package
from groupfinder.catalog.hsds.schema import TAXONOMY, VALUE_TERMS, PackageError, number_text
from groupfinder.catalog.loader import (
    COLUMNS,
    GROUPS_FILE,
)
from groupfinder.catalog.places import PlaceIndex
from groupfinder.catalog.rows import check_rows
from groupfinder.domain.errors import CatalogError, FieldError, Problem
from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.models import (
    LEADERSHIPS,
    Group,
    Language,
    Setting,
)
from groupfinder.domain.text import clean_text, guard_cell, one_line

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

    def render(self, language: Language = "en") -> str:
        reason = tr(language, self.message, **self.values)
        if self.column:
            reason = f"{self.column}: {reason}"
        template = _SKIPPED if self.skipped else _NOTED
        text = tr(
            language,
            template,
            id=one_line(self.service),
            name=one_line(self.name),
            reason=one_line(reason),  # it may quote the package: show it literally
        )
        return f"{self.file}:{self.line}: {text}"


_SKIPPED = N_("service {id} ({name}) skipped: {reason}")
_NOTED = N_("service {id} ({name}): {reason}")


@dataclass(frozen=True)
class ImportResult:
    #: The groups.csv to write.
    groups_csv: str
    #: Its groups, as groupfinder loads them.
    groups: list[Group]
    #: How many services the package has.
    services: int
    notes: list[ServiceNote]

    @property
    def skipped(self) -> list[ServiceNote]:
        return [note for note in self.notes if note.skipped]


def import_package(
    path: Path,
    mapping: HsdsMapping,
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None = None,
    audiences: Iterable[str] = (),
) -> ImportResult:
    """Turn the HSDS package at ``path`` into the text of a groups.csv. Nothing is written.

    Raises :class:`PackageError` when the package is malformed.
    """
    package = read_package(path)
    format_ids, topic_ids = frozenset(formats), frozenset(topics)
    converter = _Converter(package, mapping, format_ids, topic_ids)
    candidates = converter.run()
    if converter.problems:
        raise PackageError(converter.problems)
    text, groups, rejected = _validated(candidates, format_ids, topic_ids, places, audiences)
    notes = sorted(converter.notes + rejected, key=lambda note: (note.line, note.service))
    return ImportResult(text, groups, len(package["service"].rows), notes)


class _Skip(Exception):
    """Why a service cannot become a group."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


@dataclass(frozen=True)
class _Candidate:
    """A group about to be written: the service it comes from and its groups.csv cells."""

    file: str
    service: Row
    cells: dict[str, str]


@dataclass(frozen=True)
class _Kind:
    format: str
    topics: list[str]
    leadership: str


@dataclass(frozen=True)
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
    ) -> None:
        self.package = package
        self.mapping = mapping
        self.formats = formats
        self.topics = topics
        self.problems: list[Problem] = []
        self.notes: list[ServiceNote] = []

    def run(self) -> list[_Candidate]:
        self._check_own_terms()
        candidates: list[_Candidate] = []
        for service in self.package["service"].rows:
            try:
                found = self._service(service)
            except _Skip as skip:
                self.notes.append(self._note(service, skip.message, skip.values))
                continue
            self._clean(service, found)
            candidates.extend(found)
        return candidates

    def _clean(self, service: Row, candidates: list[_Candidate]) -> None:
        """The text gate for third-party text: what it refuses is removed, and said."""
        columns: dict[str, None] = {}
        for candidate in candidates:
            for column, value in candidate.cells.items():
                cleaned, changed = clean_text(value, multiline=column == "description")
                if changed:
                    candidate.cells[column] = cleaned
                    columns[column] = None
        if columns:
            message = N_("control or invisible characters removed from: {columns}")
            values = {"columns": ", ".join(columns)}
            self.notes.append(self._note(service, message, values, skipped=False))

    def _note(
        self, service: Row, message: str, values: MappingOf[str, Any], skipped: bool = True
    ) -> ServiceNote:
        sheet = self.package["service"]
        return ServiceNote(
            sheet.file,
            service.line,
            service.get("id"),
            service.get("name"),
            message,
            dict(values),
            skipped=skipped,
        )

    # ---------------------------------------------------------------- terms

    def _check_own_terms(self) -> None:
        sheet = self.package["taxonomy_term"]
        for term in sheet.rows:
            code = _own_code(term)
            kind, _, value = code.partition(":")
            if not _is_own(term) or code in VALUE_TERMS or (value and kind in _KINDS):
                continue
            self.problems.append(
                Problem(
                    sheet.file,
                    N_(
                        "unknown groupfinder term {value!r}; expected format:<id>, "
                        "topic:<id>, leadership:<id>, id, drop_in, size_min, size_max, country, "
                        "for_whom or restricted_to"
                    ),
                    term.line,
                    "code",
                    {"value": _own_code(term)},
                )
            )

    def _terms(self, service: Row) -> list[tuple[Row, Row]]:
        """The (attribute, taxonomy term) pairs that describe ``service``."""
        terms = self.package["taxonomy_term"].by_id
        pairs = []
        for attribute in self.package["attribute"].where("link_id", service.get("id")):
            if linked_entity(attribute.get("link_entity")) in ("service", None):
                pairs.append((attribute, terms[attribute.get("taxonomy_term_id")]))
        return pairs

    def _own_values(self, terms: list[tuple[Row, Row]]) -> dict[str, str]:
        """The cells that groupfinder terms with a value give (id, drop_in, sizes, country)."""
        cells: dict[str, str] = {}
        sheet = self.package["attribute"]
        for attribute, term in terms:
            code = _own_code(term) if _is_own(term) else ""
            if code not in VALUE_TERMS:
                continue
            try:
                cells[code] = _VALUE_PARSERS[code](attribute.get("value"))
            except FieldError as exc:
                self.problems.append(
                    Problem(sheet.file, exc.message, attribute.line, "value", exc.values)
                )
        return cells

    def _kind(self, service: Row, terms: list[tuple[Row, Row]]) -> _Kind:
        own: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        mapped: dict[str, list[str]] = {"format": [], "topic": [], "leadership": []}
        for _, term in terms:
            if _is_own(term):
                kind, _, value = _own_code(term).partition(":")
                if kind in own:
                    own[kind].append(value)
                continue
            for rule in self.mapping.rules_for(term):
                mapped["format"].extend([rule.format] if rule.format else [])
                mapped["topic"].extend(rule.topics)
                mapped["leadership"].extend([rule.leadership] if rule.leadership else [])
        choice = self.mapping.services.get(service.get("id"), ServiceChoice())
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
        status = service.values.get("status")
        if status != "active":
            raise _Skip(
                N_("its status is {value!r}; only active services are imported"), value=status
            )
        terms = self._terms(service)
        own = self._own_values(terms)
        kind = self._kind(service, terms)
        where = self._where(service)
        shared = self._service_cells(service, kind, where, own)
        base_id = own.get("id") or service.get("id")
        candidates = []
        for link, location in where.meetings:
            cells = {**shared, **self._location_cells(service, link, location, where, own)}
            several = len(where.meetings) > 1
            cells["id"] = f"{base_id}@{location.get('id')}" if several else base_id
            candidates.append(_Candidate(self.package["service"].file, service, cells))
        return candidates

    def _where(self, service: Row) -> _Where:
        locations = self.package["location"].by_id
        links = self.package["service_at_location"].where("service_id", service.get("id"))
        pairs = [(link, locations[link.get("location_id")]) for link in links]
        physical = [p for p in pairs if p[1].values.get("location_type") == "physical"]
        virtual = [p for p in pairs if p[1].values.get("location_type") == "virtual"]
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
        cells = dict.fromkeys(COLUMNS, "")
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

    def _location_cells(
        self, service: Row, link: Row, location: Row, where: _Where, own: dict[str, str]
    ) -> dict[str, str]:
        cells = {
            "country": own.get("country", ""),
            "languages": self._languages(service, location),
            "schedule": self._schedule(service, link, location),
            "contact_phone": self._phone(service, link, location),
            "wheelchair": self._wheelchair(location),
        }
        cells.update(self._address(location))
        for column in ("latitude", "longitude"):
            value = location.values.get(column)
            cells[column] = "" if value is None else repr(value)
        return cells

    # ---------------------------------------------------------------- details

    def _address(self, location: Row) -> dict[str, str]:
        rows = self.package["address"].where("location_id", location.get("id"))
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
        if not rows:
            raise _Skip(N_("no language: languages.csv has no row for it or its location"))
        known = _values_of(lang for row in rows if (lang := self.mapping.language(row)))
        if not known:
            others = ", ".join(row.get("code") or row.get("name") for row in rows)
            raise _Skip(
                N_("none of its languages ({values}) is Dutch, French or English"),
                values=others,
            )
        return ";".join(known)

    def _schedule(self, service: Row, link: Row, location: Row) -> str:
        sheet = self.package["schedule"]
        rows = (
            sheet.where("service_at_location_id", link.get("id"))
            or sheet.where("service_id", service.get("id"))
            or sheet.where("location_id", location.get("id"))
        )
        return "; ".join(text for text in map(_schedule_text, rows) if text)

    def _cost(self, service: Row) -> str:
        amounts: list[float] = []
        others: list[str] = []
        for row in self.package["cost_option"].where("service_id", service.get("id")):
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
        sheet = self.package["phone"]
        rows = (
            sheet.where("service_id", service.get("id"))
            or sheet.where("service_at_location_id", link.get("id"))
            or sheet.where("location_id", location.get("id"))
            or sheet.where("organization_id", service.get("organization_id"))
        )
        return rows[0].get("number") if rows else ""

    def _wheelchair(self, location: Row) -> str:
        for row in self.package["accessibility"].where("location_id", location.get("id")):
            found = self.mapping.wheelchair_of(row)
            if found is not None:
                return found
        return "unknown"


_KINDS = ("format", "topic", "leadership")


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
    "country": _country_value,
}

_FREQUENCY_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _schedule_text(row: Row) -> str:
    """A schedule row as text: its description, else what its recurrence fields say."""
    if row.get("description"):
        return row.get("description")
    parts = []
    unit = _FREQUENCY_UNITS.get(row.get("freq").upper())
    interval = row.get("interval").removesuffix(".0")
    if unit:
        parts.append(f"every {interval} {unit}s" if interval not in ("", "1") else f"every {unit}")
    if row.get("byday"):
        parts.append("on " + row.get("byday"))
    if row.get("bymonthday"):
        parts.append("on day " + row.get("bymonthday"))
    hours = "-".join(t for t in (_clock(row.get("opens_at")), _clock(row.get("closes_at"))) if t)
    return ", ".join(part for part in (" ".join(parts), hours) if part)


def _clock(value: str) -> str:
    match = re.match(r"^(\d{1,2}:\d{2})", value)
    return match.group(1) if match else value


def _validated(
    candidates: list[_Candidate],
    formats: Iterable[str],
    topics: Iterable[str],
    places: PlaceIndex | None,
    audiences: Iterable[str] = (),
) -> tuple[str, list[Group], list[ServiceNote]]:
    """Check the rows exactly as groupfinder loads groups.csv (the same column checks, on the
    cells as they will be written); a row it refuses leaves its service out."""
    format_ids, topic_ids, audience_ids = list(formats), list(topics), list(audiences)
    notes: list[ServiceNote] = []
    while True:
        text, starts = _groups_csv(candidates)
        rows = (
            (line, [guard_cell(candidates[index].cells.get(column, "")) for column in COLUMNS])
            for line, index in starts.items()
        )
        # As the CSV reader does, a row of blank cells is no row.
        rows = ((line, cells) for line, cells in rows if any(cell.strip() for cell in cells))
        groups, problems = check_rows(
            GROUPS_FILE, list(COLUMNS), rows, format_ids, topic_ids, places, audience_ids
        )
        if not problems:
            return text, list(groups), notes
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


def _groups_csv(candidates: list[_Candidate]) -> tuple[str, dict[int, int]]:
    """The text of groups.csv and, for each line where a row starts, that row's index."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(COLUMNS)
    parts = [header.getvalue()]
    starts: dict[int, int] = {}
    line = 2
    for index, candidate in enumerate(candidates):
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n").writerow(
            {column: guard_cell(value) for column, value in candidate.cells.items()}
        )
        chunk = buffer.getvalue()
        starts[line] = index
        line += sum(1 for _ in io.StringIO(chunk, newline=""))
        parts.append(chunk)
    return "".join(parts), starts
