"""The mapping file (``hsds_mapping.toml``): which terms of another directory's
taxonomies give a format, topics and a leadership."""

from __future__ import annotations

import re
from collections.abc import Iterable
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

    def matches(self, term: Row) -> bool:
        if self.taxonomy is not None and term_key(self.taxonomy) != term_key(term.get("taxonomy")):
            return False
        keys = {term_key(term.get("code")), term_key(term.get("name"))} - {""}
        return any(term_key(text) in keys for text in self.match)


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

    def rules_for(self, term: Row) -> list[_Rule]:
        return [rule for rule in self.rules if rule.matches(term)]

    def language(self, row: Row) -> Language | None:
        for text in (row.get("code"), row.get("name")):
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
