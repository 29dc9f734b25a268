"""A counselor's record of an intake: the answers (contract 1) plus header, notes and picks.

A record is JSON::

    {
      "version": 1,
      "kind": "groupfinder-record",
      "answers": {...contract 1...},
      "header": {"client_ref": "C-7F3K2Q", "date": "2026-11-21", "counselor": "AB"},
      "notes": "free text",
      "pinned_formats": ["therapy_group"],
      "pinned_groups": ["gf-0001"],
      "suggested_groups": ["gf-0001"]
    }

:func:`load_answers_or_record` reads either a record or a plain answers file, so everything
that takes an answers file (``recommend --answers``, ``--counselor --load``) takes a record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from groupfinder.catalog.answers import (
    UNSUPPORTED_VERSION,
    answers_from_data,
    json_object,
    key_error,
    key_line,
    read_source,
    upgrade,
    validation_problems,
)
from groupfinder.domain.errors import AnswersError, FieldError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Answers
from groupfinder.domain.text import has_control
from groupfinder.modes.client_ref import new_client_ref

if TYPE_CHECKING:
    from groupfinder.domain.models import Catalog

#: Version 2 holds answers of version 2; a version 1 record is read with its answers upgraded.
RECORD_VERSION: Literal[2] = 2
RECORD_KIND: Literal["groupfinder-record"] = "groupfinder-record"

MAX_CLIENT_REF = 40
MAX_INITIALS = 8
MAX_NOTES = 20_000

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _single_line(value: str, limit: int) -> str:
    value = value.strip()
    if has_control(value):
        raise FieldError(N_("must be one line of text, without control characters"))
    _check_length(value, limit)
    return value


def _check_length(value: str, limit: int) -> None:
    if len(value) > limit:
        raise FieldError(N_("too long: {n} characters, at most {limit}"), n=len(value), limit=limit)


class IntakeHeader(BaseModel):
    """Who and when: a client reference (a code by default), the date, the counselor's initials."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    client_ref: str = Field(default_factory=new_client_ref)
    date: dt.date = Field(default_factory=dt.date.today)
    counselor: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # JSON has no dates: take "YYYY-MM-DD" only (not numbers, not other spellings).
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise FieldError(N_("expected a date as YYYY-MM-DD, got {value!r}"), value=value)

    @field_validator("client_ref")
    @classmethod
    def _short_code(cls, value: str) -> str:
        value = _single_line(value, MAX_CLIENT_REF)
        if not value:
            raise FieldError(N_("must not be empty"))
        return value

    @field_validator("counselor")
    @classmethod
    def _initials(cls, value: str) -> str:
        return _single_line(value, MAX_INITIALS)


class Record(BaseModel):
    """An intake: the answers, the header, notes, and the formats and groups picked.

    Ids are checked against the catalog when validated with
    ``context={"formats": ..., "groups": ..., "topics": ...}`` (see :func:`record_context`).
    Id lists keep the counselor's order; duplicates are dropped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: Literal[2] = RECORD_VERSION
    kind: Literal["groupfinder-record"] = RECORD_KIND
    answers: Answers
    header: IntakeHeader = Field(default_factory=IntakeHeader)
    notes: str = ""
    pinned_formats: tuple[str, ...] = ()
    pinned_groups: tuple[str, ...] = ()
    suggested_groups: tuple[str, ...] = ()

    @field_validator("notes")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        if has_control(value, line_breaks=True):
            raise FieldError(N_("must be text without control characters"))
        _check_length(value, MAX_NOTES)
        return value

    @field_validator("pinned_formats", "pinned_groups", "suggested_groups", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("pinned_formats")
    @classmethod
    def _known_formats(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known: Collection[str] | None = (info.context or {}).get("formats")
        if known is not None:
            for item in value:
                if item not in known:
                    raise FieldError(
                        N_("unknown format {value!r}; expected one of: {expected}"),
                        value=item,
                        expected=", ".join(sorted(known)),
                    )
        return tuple(dict.fromkeys(value))

    @field_validator("pinned_groups", "suggested_groups")
    @classmethod
    def _known_groups(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known: Collection[str] | None = (info.context or {}).get("groups")
        if known is not None:
            for item in value:
                if item not in known:
                    raise FieldError(
                        N_("unknown group id {value!r}; it is not in the catalog (groups.csv)"),
                        value=item,
                    )
        return tuple(dict.fromkeys(value))

    def as_json_dict(self) -> dict[str, Any]:
        """The record as JSON data, keys in a fixed order, answers in contract 1's shape."""
        return {
            "version": self.version,
            "kind": self.kind,
            "answers": self.answers.as_json_dict(),
            "header": {
                "client_ref": self.header.client_ref,
                "date": self.header.date.isoformat(),
                "counselor": self.header.counselor,
            },
            "notes": self.notes,
            "pinned_formats": list(self.pinned_formats),
            "pinned_groups": list(self.pinned_groups),
            "suggested_groups": list(self.suggested_groups),
        }


def record_context(
    catalog: Catalog | None, topics: Iterable[str] | None = None
) -> dict[str, Any] | None:
    """The validation context that checks a record's ids against ``catalog``."""
    context: dict[str, Any] = {}
    if topics is not None:
        context["topics"] = frozenset(topics)
    if catalog is not None:
        context.setdefault("topics", frozenset(catalog.topics))
        context["audiences"] = frozenset(catalog.audiences)
        context["formats"] = frozenset(catalog.formats)
        context["groups"] = frozenset(catalog.groups_by_id)
    return context or None


def record_json(record: Record) -> str:
    """The record as pretty JSON, keys in a fixed order, ending with a newline."""
    return json.dumps(record.as_json_dict(), ensure_ascii=False, indent=2) + "\n"


def is_record(data: dict[str, Any]) -> bool:
    return "kind" in data


def parse_record(
    data: dict[str, Any],
    text: str,
    file: str,
    topics: Iterable[str] | None = None,
    catalog: Catalog | None = None,
) -> Record:
    """Validate the decoded JSON ``data`` of a record (``text`` gives the lines)."""
    if data.get("kind") != RECORD_KIND:
        raise AnswersError(
            [
                Problem(
                    file,
                    N_("unknown value {value!r}; expected one of: {expected}"),
                    line=key_line(text, "kind"),
                    field="kind",
                    values={"value": data.get("kind"), "expected": RECORD_KIND},
                )
            ]
        )
    version = data.get("version", RECORD_VERSION)
    if version not in (1, RECORD_VERSION) or isinstance(version, bool):
        raise key_error(file, text, "version", N_(UNSUPPORTED_VERSION), version)
    data = {**data, "version": RECORD_VERSION}
    if isinstance(data.get("answers"), dict):
        answers = dict(data["answers"])
        if version == 1:
            answers.setdefault("version", 1)
        data["answers"] = upgrade(answers, text, file)
    try:
        return Record.model_validate(data, context=record_context(catalog, topics))
    except ValidationError as exc:
        raise AnswersError(validation_problems(exc, text, file)) from None


def load_answers_or_record(
    source: str,
    stdin_text: str | None = None,
    topics: Iterable[str] | None = None,
    catalog: Catalog | None = None,
) -> tuple[Answers, Record | None]:
    """Read a plain answers file (contract 1) or a record, from a path or ``-`` (stdin).

    A record is recognised by its ``"kind": "groupfinder-record"``. Topic ids are checked
    against ``topics`` (or the catalog's), and a record's format and group ids against
    ``catalog`` when it is given. Raises :class:`AnswersError` naming file, line and field.
    """
    file, text = read_source(source, stdin_text)
    data = json_object(text, file)
    if is_record(data):
        record = parse_record(data, text, file, topics, catalog)
        return record.answers, record
    audiences = None
    if catalog is not None:
        audiences = catalog.audiences
        if topics is None:
            topics = catalog.topics
    return answers_from_data(data, text, file, topics, audiences), None
