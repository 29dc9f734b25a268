"""A place to look further (directories.toml): a real directory or organisation that lists
or runs groups, with the public page its facts come from and the day they were checked."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from groupfinder.domain.errors import FieldError
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Text
from groupfinder.domain.vocabulary import Language

__all__ = ["GENERAL", "REGIONS", "Directory", "Region"]

#: Where an entry helps: Flanders, Brussels, Wallonia, the Netherlands.
Region = Literal["BE-VLG", "BE-BRU", "BE-WAL", "NL"]
REGIONS: tuple[Region, ...] = get_args(Region)

#: The topic id of entries that help whatever the person's topic is.
GENERAL = "general"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _tuple(value: Any) -> Any:
    # TOML gives lists; strict mode wants the declared tuple type.
    return tuple(value) if isinstance(value, list) else value


class Directory(BaseModel):
    """One directory or organisation to look further, as read from directories.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    name: Annotated[str, Field(min_length=1)]
    url: str
    about: Text
    regions: Annotated[tuple[Region, ...], Field(min_length=1)]
    topics: Annotated[tuple[str, ...], Field(min_length=1)]
    formats: tuple[str, ...] = ()
    languages: Annotated[tuple[Language, ...], Field(min_length=1)]
    phone: Annotated[str, Field(min_length=1)] | None = None
    source: str
    checked: dt.date

    @field_validator("regions", "topics", "formats", "languages", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        return _tuple(value)

    @field_validator("checked", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        # Written bare (checked = 2026-12-01) TOML gives a date; quoted, a string.
        if isinstance(value, str):
            date = as_date(value)
            if date is None:
                raise FieldError(N_("expected a date as YYYY-MM-DD, got {value!r}"), value=value)
            return date
        return value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.fullmatch(value):
            raise FieldError(
                N_("expected an id of lowercase letters, digits and dashes, got {value!r}"),
                value=value,
            )
        return value

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not _is_web_address(value, ("https://",)):
            raise FieldError(
                N_("expected a web address that starts with https://, got {value!r}"), value=value
            )
        return value

    @field_validator("source")
    @classmethod
    def _web_page(cls, value: str) -> str:
        if not _is_web_address(value, ("https://", "http://")):
            raise FieldError(
                N_("expected the web address of the page the facts come from, got {value!r}"),
                value=value,
            )
        return value

    @property
    def general(self) -> bool:
        """Whether this entry helps whatever the person's topic is."""
        return GENERAL in self.topics


def as_date(value: Any) -> dt.date | None:
    """``value`` as a calendar date (a date, or YYYY-MM-DD text); None otherwise."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_web_address(value: str, schemes: tuple[str, ...]) -> bool:
    scheme = next((s for s in schemes if value.startswith(s)), None)
    if scheme is None:
        return False
    host = value[len(scheme) :].split("/", 1)[0]
    return "." in host and not any(c.isspace() for c in value)
