"""The kiosk's settings: kiosk.toml, validated, and where to find it.

**kiosk.toml** (flat keys, UTF-8)::

    centre = "Buurthuis De Brug"          # shown on the welcome screen
    country = "BE"                        # BE | NL
    location = "9000"                     # the centre's postcode: the default location
    language = "nl"                       # nl | fr | en (default nl)
    idle_seconds = 90                     # reset after this long without a key (>= 15)
    warning_seconds = 20                  # warn this long before the reset (>= 5, < idle)
    pin_hash = "scrypt$16384$8$1$...$..." # from `groupfinder kiosk hash-pin`
    print_command = ["lp", "-d", "desk"]  # optional; an argv list, never a shell string

The handout is written to the print command's standard input, so nothing touches the disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from groupfinder.catalog.loader import describe_error, read_toml, toml_line
from groupfinder.catalog.places import Place, PlaceIndex
from groupfinder.domain.errors import CatalogError, FieldError, InputError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.text import has_control
from groupfinder.domain.vocabulary import Country, Language
from groupfinder.modes.kiosk.pin import parse_pin_hash

# --------------------------------------------------------------------------- kiosk.toml


class KioskConfigError(InputError):
    """kiosk.toml is missing, unreadable or invalid."""


MAX_TEXT: Final = 200


class KioskConfig(BaseModel):
    """A validated kiosk.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    centre: str
    country: Country
    location: str
    language: Language = "nl"
    idle_seconds: Annotated[int, Field(ge=15)] = 90
    warning_seconds: Annotated[int, Field(ge=5)] = 20
    pin_hash: str
    print_command: Annotated[list[str], Field(min_length=1)] | None = None

    @field_validator("centre", "location")
    @classmethod
    def _one_line_of_text(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > MAX_TEXT or has_control(value):
            raise FieldError(
                N_("expected a line of plain text (1 to {n} characters), got {value!r}"),
                n=MAX_TEXT,
                value=value,
            )
        return value

    @field_validator("pin_hash")
    @classmethod
    def _a_pin_hash(cls, value: str) -> str:
        parse_pin_hash(value)
        return value

    @field_validator("print_command", mode="before")
    @classmethod
    def _not_a_shell_string(cls, value: object) -> object:
        if isinstance(value, str):
            raise FieldError(
                N_(
                    "expected the command as a list of words, e.g. "
                    '["lp", "-d", "desk"], not one string'
                )
            )
        return value

    @field_validator("print_command")
    @classmethod
    def _an_argv(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not part or "\x00" in part for part in value):
            raise FieldError(N_("every part of the command must be non-empty text"))
        return value

    @field_validator("warning_seconds")
    @classmethod
    def _warning_before_reset(cls, value: int, info: ValidationInfo) -> int:
        idle = info.data.get("idle_seconds")
        if isinstance(idle, int) and value >= idle:
            raise FieldError(
                N_("must be less than idle_seconds ({idle}), got {value}"), idle=idle, value=value
            )
        return value

    def place(self, places: PlaceIndex | None = None) -> Place | None:
        """The centre's place (checked when the file was loaded, so normally found)."""
        return (places or PlaceIndex.default()).lookup(self.location, self.country).place


def load_kiosk_config(path: Path | str, places: PlaceIndex | None = None) -> KioskConfig:
    """Read and validate kiosk.toml; :class:`KioskConfigError` lists every problem.

    Each problem names the file, the line (best effort) and the key. The location must be a
    place in ``places`` (default: the shipped place list), in the configured country.
    """
    path = Path(path)
    file = str(path)
    try:
        data, text = read_toml(path)
    except CatalogError as exc:
        raise KioskConfigError(exc.problems) from None
    try:
        config = KioskConfig.model_validate(data)
    except ValidationError as exc:
        raise KioskConfigError(_problems(exc, file, text)) from None
    problem = _location_problem(config, places or PlaceIndex.default(), file, text)
    if problem is not None:
        raise KioskConfigError([problem])
    return config


def _problems(error: ValidationError, file: str, text: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message, values = describe_error(item)
        problems.append(
            Problem(
                file,
                message,
                line=toml_line(text, loc[:1]) if loc else None,
                field=".".join(str(part) for part in loc) or None,
                values=values,
            )
        )
    return problems


def _location_problem(
    config: KioskConfig, places: PlaceIndex, file: str, text: str
) -> Problem | None:
    found = places.lookup(config.location, config.country)
    line = toml_line(text, ("location",))
    if found.place is not None:
        if found.place.country != config.country:
            return Problem(
                file,
                N_("{value!r} is in {found}, but country is {country}"),
                line=line,
                field="location",
                values={
                    "value": config.location,
                    "found": found.place.country,
                    "country": config.country,
                },
            )
        return None
    if found.ambiguous:
        return Problem(
            file,
            N_("{value!r} can mean several places; use the postcode, one of: {places}"),
            line=line,
            field="location",
            values={
                "value": config.location,
                "places": ", ".join(p.label() for p in found.candidates[:6]),
            },
        )
    if found.suggestions:
        return Problem(
            file,
            N_("unknown place {value!r}; did you mean: {suggestions}"),
            line=line,
            field="location",
            values={"value": config.location, "suggestions": ", ".join(found.suggestions)},
        )
    return Problem(
        file,
        N_("unknown place {value!r}"),
        line=line,
        field="location",
        values={"value": config.location},
    )
