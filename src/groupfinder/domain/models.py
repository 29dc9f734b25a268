"""Typed objects for everything that crosses an edge: answers, formats, topics, groups, helplines.

The vocabularies of the public contract live in :mod:`groupfinder.domain.vocabulary` and are
re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from groupfinder.domain.errors import FieldError
from groupfinder.domain.i18n import N_
from groupfinder.domain.schedule import DAYS, TIMES, CostUnit, Day, Schedule, TimeOfDay
from groupfinder.domain.vocabulary import (
    AGE_RANGES as AGE_RANGES,
)
from groupfinder.domain.vocabulary import (
    COMMITMENTS as COMMITMENTS,
)
from groupfinder.domain.vocabulary import (
    FORMAT_IDS as FORMAT_IDS,
)
from groupfinder.domain.vocabulary import (
    LANGUAGES as LANGUAGES,
)
from groupfinder.domain.vocabulary import (
    LEADERSHIPS as LEADERSHIPS,
)
from groupfinder.domain.vocabulary import (
    NEEDS as NEEDS,
)
from groupfinder.domain.vocabulary import (
    SETTINGS as SETTINGS,
)
from groupfinder.domain.vocabulary import (
    SIZE_RANGES as SIZE_RANGES,
)
from groupfinder.domain.vocabulary import (
    AgeBand as AgeBand,
)
from groupfinder.domain.vocabulary import (
    Commitment as Commitment,
)
from groupfinder.domain.vocabulary import (
    CommitmentPref as CommitmentPref,
)
from groupfinder.domain.vocabulary import (
    Country as Country,
)
from groupfinder.domain.vocabulary import (
    ForWhom as ForWhom,
)
from groupfinder.domain.vocabulary import (
    GroupFor as GroupFor,
)
from groupfinder.domain.vocabulary import (
    GroupSize as GroupSize,
)
from groupfinder.domain.vocabulary import (
    Language as Language,
)
from groupfinder.domain.vocabulary import (
    Leadership as Leadership,
)
from groupfinder.domain.vocabulary import (
    LeadershipPref as LeadershipPref,
)
from groupfinder.domain.vocabulary import (
    Need as Need,
)
from groupfinder.domain.vocabulary import (
    Risk as Risk,
)
from groupfinder.domain.vocabulary import (
    Setting as Setting,
)
from groupfinder.domain.vocabulary import (
    SettingPref as SettingPref,
)
from groupfinder.domain.vocabulary import (
    Structure as Structure,
)
from groupfinder.domain.vocabulary import (
    StructurePref as StructurePref,
)
from groupfinder.domain.vocabulary import (
    Wheelchair as Wheelchair,
)

if TYPE_CHECKING:
    from groupfinder.domain.directory import Directory

ANSWERS_VERSION = 2
#: The largest distance and cost an answer may give; beyond them a value is a typo.
MAX_DISTANCE_KM = 1000.0
MAX_COST_EUR = 100_000.0


class Text(BaseModel):
    """A sentence in each of the three languages."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    nl: Annotated[str, Field(min_length=1)]
    fr: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, language: Language) -> str:
        return str(getattr(self, language))


class Answers(BaseModel):
    """Contract 1: what the questionnaire produces and ``recommend`` reads (version 2).

    Topic and audience ids are checked against the catalog when
    ``context={"topics": ..., "audiences": ...}`` is given. Lists are normalized
    (duplicates removed, canonical order) so that the order in which a person ticked boxes
    never changes a result. Version 1 files are upgraded before they get here
    (:func:`groupfinder.catalog.answers.upgrade`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: Literal[2] = 2
    language: Language = "nl"
    risk: Risk = "none"
    in_care: bool | None = None
    for_whom: ForWhom = "self"
    age_band: AgeBand | None = None
    audiences: tuple[str, ...] = ()
    needs: Annotated[tuple[Need, ...], Field(min_length=1)]
    topics: tuple[str, ...] = ()
    group_size: GroupSize = "no_preference"
    leadership: LeadershipPref = "no_preference"
    structure: StructurePref = "no_preference"
    commitment: CommitmentPref = "no_preference"
    setting: SettingPref = "no_preference"
    location: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    max_distance_km: (
        Annotated[float, Field(ge=0, le=MAX_DISTANCE_KM, allow_inf_nan=False)] | None
    ) = None
    languages: tuple[Language, ...] = ()
    max_cost_eur: Annotated[float, Field(ge=0, le=MAX_COST_EUR, allow_inf_nan=False)] | None = None
    #: When the person can come: weekdays (``mon``..``sun``) and parts of the day
    #: (``morning``, ``afternoon``, ``evening``); empty is any.
    days: tuple[Day, ...] = ()
    times: tuple[TimeOfDay, ...] = ()

    @field_validator("needs", "topics", "languages", "audiences", "days", "times", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        # JSON gives lists; strict mode wants the declared tuple type.
        return tuple(value) if isinstance(value, list) else value

    @field_validator("needs")
    @classmethod
    def _canonical_needs(cls, value: tuple[Need, ...]) -> tuple[Need, ...]:
        return tuple(n for n in NEEDS if n in value)

    @field_validator("languages")
    @classmethod
    def _canonical_languages(cls, value: tuple[Language, ...]) -> tuple[Language, ...]:
        return tuple(lang for lang in LANGUAGES if lang in value)

    @field_validator("days")
    @classmethod
    def _canonical_days(cls, value: tuple[Day, ...]) -> tuple[Day, ...]:
        return tuple(d for d in DAYS if d in value)

    @field_validator("times")
    @classmethod
    def _canonical_times(cls, value: tuple[TimeOfDay, ...]) -> tuple[TimeOfDay, ...]:
        return tuple(t for t in TIMES if t in value)

    @field_validator("topics", "audiences")
    @classmethod
    def _known_ids(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get(info.field_name)
        message = (
            N_("unknown topic {value!r}; expected one of: {expected}")
            if info.field_name == "topics"
            else N_("unknown audience {value!r}; expected one of: {expected}")
        )
        if known is not None:
            for item in value:
                if item not in known:
                    raise FieldError(
                        message,
                        value=item,
                        expected=", ".join(sorted(known)),
                    )
        return tuple(sorted(set(value)))

    @field_validator("location")
    @classmethod
    def _strip_location(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None

    @model_validator(mode="after")
    def _default_languages(self) -> Answers:
        if not self.languages:
            object.__setattr__(self, "languages", (self.language,))
        return self

    @property
    def at_risk(self) -> bool:
        """Thoughts about not wanting to live, or in danger now: help comes first."""
        return self.risk != "none"

    def as_json_dict(self) -> dict[str, Any]:
        """The normalized answers, in the shape of contract 1 (version 2)."""
        data = self.model_dump(mode="json")
        for key in ("audiences", "needs", "topics", "languages", "days", "times"):
            data[key] = list(data[key])
        return data


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    name: Text


class Format(BaseModel):
    """One of the seven group formats of the seed table, with what the matcher needs."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    name: Text
    description: Text
    goal: Text
    led_by: Text
    needs: dict[Need, Annotated[int, Field(ge=0, le=3)]]
    leadership: Annotated[tuple[Leadership, ...], Field(min_length=1)]
    structure: Structure
    commitment: Annotated[tuple[Commitment, ...], Field(min_length=1)]
    size_min: Annotated[int, Field(ge=1)]
    size_max: Annotated[int, Field(ge=1)]
    #: Topics the seeds name this format for (seed 002: therapy groups for trauma, anxiety
    #: and eating disorders; support groups for grief, addiction and chronic illness).
    topics: tuple[str, ...] = ()

    @property
    def professional_only(self) -> bool:
        """Always led by a professional (a licensed psychologist, therapist or educator)."""
        return self.leadership == ("professional",)

    @field_validator("leadership", "commitment", "topics", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _size_order(self) -> Format:
        if self.size_min > self.size_max:
            raise FieldError(
                N_("size_min ({low}) is larger than size_max ({high})"),
                low=self.size_min,
                high=self.size_max,
            )
        return self


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: str | None = None
    email: str | None = None
    website: str | None = None


class Group(BaseModel):
    """One concrete group: one row of groups.csv, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    format: str
    topics: tuple[str, ...]
    leadership: Leadership
    size_min: int | None = None
    size_max: int | None = None
    setting: Setting
    drop_in: bool | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: Country | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: tuple[Language, ...]
    schedule: str | None = None
    cost_eur: float | None = None
    contact: Contact = Contact()
    wheelchair: Wheelchair = "unknown"
    audience: str | None = None
    description: str | None = None
    last_verified: dt.date | None = None
    #: Version 2: whether the group is for people themselves, for their relatives, or both.
    for_whom: GroupFor = "both"
    age_min: int | None = None
    age_max: int | None = None
    #: Audience ids (formats.toml [audiences]); empty means open to all.
    restricted_to: tuple[str, ...] = ()
    #: Version 2: when it meets, from the columns rrule, start_time, end_time, first_date,
    #: last_date and cost_unit (None when they are all blank); ``schedule`` stays the free
    #: text for what they cannot say.
    timetable: Schedule | None = None
    #: Version 2, optional: who runs the group, and the HSDS ids of its service and that
    #: organization when it came from an HSDS import (an export gives them back).
    organization: str | None = None
    hsds_service_id: str | None = None
    hsds_organization_id: str | None = None
    #: latitude and longitude as groups.csv writes them ("51.04920"), so that a writer can
    #: keep them unchanged; None when they came from the postcode.
    coordinates_text: tuple[str, str] | None = None
    #: Line in the source file, for messages; 0 when the group did not come from a file.
    line: int = 0

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def cost_unit(self) -> CostUnit:
        """What ``cost_eur`` pays for: a session unless the catalog says otherwise."""
        return self.timetable.cost_unit if self.timetable else "session"


class Helpline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    country: Literal["BE", "NL", "EU"]
    #: A proper name the same in every language ("Zelfmoordlijn 1813") is written once;
    #: a name that means something ("Noodnummer 112") is given in nl/fr/en.
    name: Text
    phone: str
    url: str | None = None
    #: The languages the line answers in.
    languages: Annotated[tuple[Language, ...], Field(min_length=1)]
    hours: Text
    about: Text
    crisis: bool = True

    @field_validator("languages", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("name", mode="before")
    @classmethod
    def _one_name_for_all(cls, value: Any) -> Any:
        return dict.fromkeys(("nl", "fr", "en"), value) if isinstance(value, str) else value


# --------------------------------------------------------------------------- the catalog


class NeedInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Text
    explain: Text


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    nl: str
    fr: str
    en: str

    @property
    def text(self) -> Text:
        return Text(nl=self.nl, fr=self.fr, en=self.en)


@dataclass(frozen=True)
class Catalog:
    """Everything the matcher and the screens need, validated."""

    formats: dict[str, Format]
    needs: dict[Need, NeedInfo]
    topics: dict[str, Topic]
    advice: list[Advice]
    #: A list, or a sequence that builds each group when it is first asked for (the loader's).
    groups: Sequence[Group]
    helplines: list[Helpline]
    sources: dict[str, Path] = field(default_factory=dict)
    audiences: dict[str, Topic] = field(default_factory=dict)
    #: Where to look further (directories.toml): real directories and organisations.
    directories: tuple[Directory, ...] = ()
    #: Whether the groups are the shipped, fictional sample catalog.
    is_sample: bool = False

    @cached_property
    def groups_by_id(self) -> Mapping[str, Group]:
        """Each group by its id; a group is only built when it is looked up."""
        return GroupsById(self.groups)


class GroupsById(Mapping[str, Group]):
    """Groups by id, over a sequence of groups that may build them lazily: the ids come
    from its ``ids`` when it has them (the last of equal ids wins, as in a dict)."""

    def __init__(self, groups: Sequence[Group]) -> None:
        ids = getattr(groups, "ids", None)
        if ids is None:
            ids = [group.id for group in groups]
        self._groups = groups
        self._index = {group_id: i for i, group_id in enumerate(ids)}

    def __getitem__(self, group_id: str) -> Group:
        return self._groups[self._index[group_id]]

    def __contains__(self, group_id: object) -> bool:
        return group_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)
