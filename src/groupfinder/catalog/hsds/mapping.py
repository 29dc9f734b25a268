"""The mapping file (``hsds_mapping.toml``): which terms of another directory's
taxonomies give a format, topics and a leadership.

Taxonomies are trees (AIRS/211, Open Eligibility): a rule on a term covers its descendants,
found through ``parent_id`` and, for codes such as AIRS's ``PN-8300.8000-500``, through the
code's prefixes (``PN-8300.8000``, ``PN-8300``, ``PN``). For each of format, topics and
leadership the nearest term with a rule that gives it wins, so a rule on a child refines its
parent's. :class:`TermKinds` works this out once per term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from groupfinder.catalog.hsds.read import Row
from groupfinder.catalog.hsds.schema import WHEELCHAIR_TEXT
from groupfinder.catalog.loader import (
    describe_error,
    read_toml,
    toml_line,
)
from groupfinder.domain.errors import CatalogError, FieldError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import (
    LANGUAGES,
    Language,
    Leadership,
    Wheelchair,
)

# =========================================================================== the mapping


def term_key(text: str) -> str:
    """How terms are compared: case and extra spaces do not matter."""
    return " ".join(text.split()).casefold()


class _Rule(BaseModel):
    """One [[terms]] entry of the mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    match: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    taxonomy: str | None = None
    format: str | None = None
    topics: list[str] = []
    leadership: Leadership | None = None

    @model_validator(mode="after")
    def _says_something(self) -> _Rule:
        if self.format is None and not self.topics and self.leadership is None:
            raise FieldError(N_("give at least one of format, topics or leadership"))
        return self

    def matches(self, term: Row, taxonomies: Mapping[str, Row] | None = None) -> bool:
        if not self.in_taxonomy(taxonomy_names(term, taxonomies or {})):
            return False
        keys = {term_key(term.get("code")), term_key(term.get("name"))} - {""}
        return any(term_key(text) in keys for text in self.match)

    def in_taxonomy(self, names: frozenset[str]) -> bool:
        """Whether the rule applies to a term of the taxonomies ``names`` (term keys)."""
        return self.taxonomy is None or term_key(self.taxonomy) in names


def taxonomy_names(term: Row, taxonomies: Mapping[str, Row]) -> frozenset[str]:
    """The names of a term's taxonomy (term keys): its ``taxonomy`` text and the name of the
    taxonomies.csv row its ``taxonomy_id`` points at."""
    names = {term_key(term.get("taxonomy"))}
    taxonomy = taxonomies.get(term.get("taxonomy_id"))
    if taxonomy is not None:
        names.add(term_key(taxonomy.get("name")))
    return frozenset(names - {""})


class ServiceChoice(BaseModel):
    """A [services."<id>"] entry: what one service is, whatever its terms say."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    format: str | None = None
    topics: list[str] | None = None
    leadership: Leadership | None = None


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    leadership: dict[str, Leadership] = {}
    topics: list[str] = []


class _WheelchairWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    yes: list[str] = []
    no: list[str] = []


class _MappingFile(BaseModel):
    """The shape of hsds_mapping.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: Literal[1]
    terms: list[_Rule] = []
    defaults: _Defaults = _Defaults()
    languages: dict[Language, list[str]] = {}
    wheelchair: _WheelchairWords = _WheelchairWords()
    services: dict[str, ServiceChoice] = {}


@dataclass(frozen=True)
class HsdsMapping:
    """The mapping file, checked against the catalog's formats and topics."""

    file: str
    rules: tuple[_Rule, ...]
    defaults: _Defaults
    services: dict[str, ServiceChoice]
    languages: dict[str, Language]
    wheelchair: dict[str, Wheelchair]

    def rules_for(self, term: Row, taxonomies: Mapping[str, Row] | None = None) -> list[_Rule]:
        """The rules that name ``term`` itself (not its ancestors), in file order."""
        return [rule for rule in self.rules if rule.matches(term, taxonomies)]

    def language(self, row: Row) -> Language | None:
        """The language of a languages.csv row: its code (ISO 639-1 or -3, or a BCP 47 tag
        such as ``nl-BE``, whose first part counts), else its name."""
        code = row.get("code")
        primary = re.split(r"[-_]", code, maxsplit=1)[0]
        for text in (code, primary, row.get("name")):
            found = self.languages.get(term_key(text))
            if found is not None:
                return found
        return None

    def wheelchair_of(self, row: Row) -> Wheelchair | None:
        for text in (row.get("description"), row.get("details")):
            found = self.wheelchair.get(term_key(text))
            if found is not None:
                return found
        return None


def load_mapping(path: Path, formats: Iterable[str], topics: Iterable[str]) -> HsdsMapping:
    """Read the mapping file; every problem names its line and field."""
    data, text = read_toml(path)
    file = str(path)
    try:
        parsed = _MappingFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_mapping_problems(exc, file, text)) from None
    problems = _unknown_ids(parsed, file, text, frozenset(formats), frozenset(topics))
    if problems:
        raise CatalogError(problems)
    languages: dict[str, Language] = {code: code for code in LANGUAGES}
    for language, names in parsed.languages.items():
        languages.update({term_key(name): language for name in names})
    wheelchair: dict[str, Wheelchair] = {term_key(t): w for w, t in WHEELCHAIR_TEXT.items()}
    wheelchair.update({term_key(text): "yes" for text in parsed.wheelchair.yes})
    wheelchair.update({term_key(text): "no" for text in parsed.wheelchair.no})
    return HsdsMapping(
        file, tuple(parsed.terms), parsed.defaults, dict(parsed.services), languages, wheelchair
    )


def _mapping_problems(error: ValidationError, file: str, text: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message, values = describe_error(item)
        field = ".".join(str(part) for part in loc) or None
        problems.append(Problem(file, message, _mapping_line(text, loc), field, values))
    return problems


def _mapping_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line of a key; [[terms]] entries are counted, since they have no name."""
    if len(loc) < 2 or loc[0] != "terms" or not isinstance(loc[1], int):
        return toml_line(text, loc)
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines) if line.strip() == "[[terms]]"]
    if loc[1] >= len(headers):
        return None
    start = headers[loc[1]]
    if len(loc) > 2:
        key = re.compile(rf"^\s*{re.escape(str(loc[2]))}\s*=")
        for number in range(start + 1, len(lines)):
            if lines[number].lstrip().startswith("["):
                break
            if key.match(lines[number]):
                return number + 1
    return start + 1


def _unknown_ids(
    parsed: _MappingFile, file: str, text: str, formats: frozenset[str], topics: frozenset[str]
) -> list[Problem]:
    """Formats and topics that the catalog does not have."""
    checks: list[tuple[tuple[str | int, ...], str | None, list[str]]] = []
    for n, rule in enumerate(parsed.terms):
        checks.append((("terms", n, "format"), rule.format, rule.topics))
    for service_id, choice in parsed.services.items():
        checks.append((("services", service_id, "format"), choice.format, choice.topics or []))
    for key in parsed.defaults.leadership:
        checks.append((("defaults", "leadership", key), key, []))
    checks.append((("defaults", "topics"), None, parsed.defaults.topics))

    problems = []
    for loc, format_id, topic_ids in checks:
        if format_id is not None and format_id not in formats:
            problems.append(
                _mapping_problem(
                    file,
                    text,
                    loc,
                    N_("unknown format {value!r}; expected one of: {expected}"),
                    format_id,
                    formats,
                )
            )
        topics_loc = loc if loc[-1] == "topics" else (*loc[:-1], "topics")
        for topic in topic_ids:
            if topic not in topics:
                problems.append(
                    _mapping_problem(
                        file,
                        text,
                        topics_loc,
                        N_("unknown topic {value!r}; expected one of: {expected}"),
                        topic,
                        topics,
                    )
                )
    return problems


def _mapping_problem(
    file: str,
    text: str,
    loc: tuple[str | int, ...],
    message: str,
    value: str,
    expected: frozenset[str],
) -> Problem:
    return Problem(
        file,
        message,
        _mapping_line(text, loc),
        ".".join(str(part) for part in loc),
        {"value": value, "expected": ", ".join(sorted(expected))},
    )


# =========================================================================== taxonomy trees


@dataclass(frozen=True)
class TermKind:
    """What one taxonomy term gives, its ancestors' rules included."""

    formats: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    leaderships: tuple[str, ...] = ()


#: How deep a parent_id chain is followed (a loop or a very deep tree stops there).
MAX_DEPTH = 64
_CODE_PARTS = re.compile(r"[.\-]")


class TermKinds:
    """The :class:`TermKind` of each term of a package, worked out once per term."""

    def __init__(
        self, mapping: HsdsMapping, terms: Mapping[str, Row], taxonomies: Mapping[str, Row]
    ) -> None:
        self.terms = terms
        self.taxonomies = taxonomies
        #: The rules (by their place in the file) that match a term key.
        self.index: dict[str, list[int]] = {}
        self.rules = mapping.rules
        for n, rule in enumerate(mapping.rules):
            for text in rule.match:
                self.index.setdefault(term_key(text), []).append(n)
        self._cache: dict[str, TermKind] = {}

    def of(self, term: Row) -> TermKind:
        key = term.get("id")
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._work_out(term)
        return found

    def _levels(self, term: Row) -> list[list[str]]:
        """The keys to look up, nearest first: the term, its parents, its code's prefixes."""
        levels = []
        seen: set[str] = set()
        current: Row | None = term
        while current is not None and current.get("id") not in seen and len(seen) < MAX_DEPTH:
            seen.add(current.get("id"))
            levels.append([current.get("code"), current.get("name")])
            current = self.terms.get(current.get("parent_id"))
        code = term.get("code")
        if any(c.isdigit() for c in code):
            cuts = [m.start() for m in _CODE_PARTS.finditer(code)]
            levels.extend([code[:cut]] for cut in reversed(cuts) if cut > 0)
        return levels

    def _work_out(self, term: Row) -> TermKind:
        names = taxonomy_names(term, self.taxonomies)
        formats: list[str] | None = None
        topics: list[str] | None = None
        leaderships: list[str] | None = None
        for keys in self._levels(term):
            numbers = {n for text in keys for n in self.index.get(term_key(text), ())}
            rules = [self.rules[n] for n in sorted(numbers) if self.rules[n].in_taxonomy(names)]
            if not rules:
                continue
            if formats is None and any(r.format for r in rules):
                formats = [r.format for r in rules if r.format]
            if topics is None and any(r.topics for r in rules):
                topics = [t for r in rules for t in r.topics]
            if leaderships is None and any(r.leadership for r in rules):
                leaderships = [r.leadership for r in rules if r.leadership]
        return TermKind(tuple(formats or ()), tuple(topics or ()), tuple(leaderships or ()))
