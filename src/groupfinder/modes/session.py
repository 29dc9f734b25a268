"""One person's session: the answers so far, which of them the person chose, the place they
are, a counselor's intake notes and marks, and the recommendation for all of it.

Every surface (the questionnaire, the summary, the results, the counselor form, the kiosk)
reads and writes this one object, so that answers, record and ranking cannot drift apart:
each change goes through a method here, which bumps :attr:`Session.version`; the
recommendation is computed for the current version only. Nothing here is written to disk.

The answers are a plain dict until they are ranked or saved: the validated
:class:`~groupfinder.domain.models.Answers` and the :class:`~groupfinder.modes.record.Record`
(pydantic) load then, so that a fresh session, and the app's first frame, need neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from groupfinder.domain.questionnaire import default_answers, to_answers
from groupfinder.domain.vocabulary import Language
from groupfinder.modes.client_ref import new_client_ref

if TYPE_CHECKING:
    from groupfinder.catalog.places import Place
    from groupfinder.domain.models import Answers
    from groupfinder.matching.matcher import Matcher, Recommendation
    from groupfinder.modes.record import Record

#: How many groups and near misses the screens rank.
SCREEN_LIMIT = 25


@dataclass
class Intake:
    """What a counselor adds to the answers: the header as typed, notes, pins and picks.

    The client code is made once, when the intake starts, and shown in the form: a blank
    field is filled with it again, so the files are named as the export dialog said.
    """

    client_ref: str = field(default_factory=new_client_ref)
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    counselor: str = ""
    notes: str = ""
    pinned_formats: list[str] = field(default_factory=list)
    pinned_groups: list[str] = field(default_factory=list)
    suggested_groups: list[str] = field(default_factory=list)
    #: The code used when the client code field is left blank (made once).
    default_client_ref: str = ""

    def __post_init__(self) -> None:
        if not self.default_client_ref:
            self.default_client_ref = self.client_ref

    def header_date(self) -> dt.date | None:
        """The date as typed; None when it is not a YYYY-MM-DD date."""
        if len(self.date) != 10:
            return None
        try:
            return dt.date.fromisoformat(self.date)
        except ValueError:
            return None


@dataclass
class Session:
    """The answers in the questionnaire's shape (contract 1 keys), and what goes with them."""

    language: Language
    answers: dict[str, Any]
    #: Keys the person chose, including defaults they accepted by going on.
    chosen: set[str] = field(default_factory=set)
    place: Place | None = None
    intake: Intake = field(default_factory=Intake)
    #: Bumped on every change; screens compare it to know whether they are out of date.
    version: int = 0
    #: Whether this version was taken home or exported (personal and counselor modes).
    saved_version: int = -1
    _cached: tuple[int, Recommendation] | None = field(default=None, repr=False)

    @classmethod
    def new(cls, language: Language, **chosen: Any) -> Session:
        """A fresh session: the defaults of :func:`default_answers`, plus ``chosen`` answers."""
        session = cls(language=language, answers=default_answers(language))
        for key, value in chosen.items():
            session.answer(key, value)
        session.version = 0
        return session

    @classmethod
    def from_answers(cls, answers: Answers) -> Session:
        """A session reopened from an answers file: every answer in it counts as chosen."""
        from groupfinder.modes.record import Record

        return cls.from_record(Record(answers=answers))

    @classmethod
    def from_record(cls, record: Record) -> Session:
        """A session reopened from a saved record or answers file: every answer counts as
        chosen (the person gave it), and the intake comes back as it was."""
        answers = record.answers.as_json_dict()
        answers.pop("version", None)
        header = record.header
        intake = Intake(
            client_ref=header.client_ref,
            date=header.date.isoformat(),
            counselor=header.counselor,
            notes=record.notes,
            pinned_formats=list(record.pinned_formats),
            pinned_groups=list(record.pinned_groups),
            suggested_groups=list(record.suggested_groups),
        )
        session = cls(
            language=record.answers.language,
            answers=answers,
            chosen=set(answers) - {"language"},
            intake=intake,
        )
        session.saved_version = session.version
        return session

    # -- changes ---------------------------------------------------------------------------

    def changed(self) -> None:
        self.version += 1

    def answer(self, key: str, value: Any) -> None:
        if key in self.chosen and key in self.answers and self.answers[key] == value:
            return  # nothing changed
        self.answers[key] = value
        self.chosen.add(key)
        self.changed()

    def accept(self, key: str, value: Any) -> None:
        """The person went on with the default: it is their answer now."""
        if key not in self.chosen:
            self.answers.setdefault(key, value)
            self.chosen.add(key)
            self.changed()

    def skip(self, key: str) -> None:
        """Back to the default, as if never answered."""
        self.answers.pop(key, None)
        self.chosen.discard(key)
        if key == "location":
            self.place = None
        defaults = default_answers(self.language)
        if key in defaults:
            # A default the person saw ticked and went on with (the group languages): it is
            # theirs now, and a later change of display language leaves it.
            self.answers[key] = defaults[key]
            self.chosen.add(key)
        self.changed()

    def set_place(self, place: Place | None) -> None:
        if place != self.place:
            self.place = place
            self.changed()

    def set_language(self, language: Language) -> None:
        """Words change; a default that follows the language follows it (group languages),
        what the person chose stays."""
        self.language = language
        self.answers["language"] = language
        if "languages" not in self.chosen:
            self.answers["languages"] = [language]
        self.changed()

    def intake_changed(self) -> None:
        """The counselor changed the header, the notes or a mark."""
        self.changed()

    # -- what follows from the answers -----------------------------------------------------

    def to_answers(self) -> Answers:
        return to_answers(self.answers)

    def recommendation(self, matcher: Matcher) -> Recommendation:
        """The ranking for the answers as they are now (computed once per version)."""
        if self._cached is not None and self._cached[0] == self.version:
            return self._cached[1]
        from groupfinder.matching.geo import Origin
        from groupfinder.matching.matcher import LocationError

        answers = self.to_answers()
        origin = None
        if self.place is not None and answers.location:
            origin = Origin(
                self.place.latitude,
                self.place.longitude,
                self.place.display_name(self.language),
                self.place.country,
                self.place.postcode,
            )
            rec = matcher.recommend(answers, limit=SCREEN_LIMIT, origin=origin)
        else:
            try:
                rec = matcher.recommend(answers, limit=SCREEN_LIMIT)
            except LocationError:
                answers = answers.model_copy(update={"location": None})
                rec = matcher.recommend(answers, limit=SCREEN_LIMIT)
        self._cached = (self.version, rec)
        return rec

    def record(
        self, today: dt.date | None = None, suggested_groups: tuple[str, ...] | None = None
    ) -> Record:
        """The session as a record: answers, header, notes and marks (``suggested_groups``
        overrides the counselor's, e.g. the kiosk's groups to take home)."""
        from groupfinder.modes.record import IntakeHeader, Record

        intake = self.intake
        return Record(
            answers=self.to_answers(),
            header=IntakeHeader(
                client_ref=intake.client_ref.strip() or intake.default_client_ref,
                date=intake.header_date() or today or dt.date.today(),
                counselor=intake.counselor.strip(),
            ),
            notes=intake.notes,
            pinned_formats=tuple(intake.pinned_formats),
            pinned_groups=tuple(intake.pinned_groups),
            suggested_groups=(
                tuple(intake.suggested_groups) if suggested_groups is None else suggested_groups
            ),
        )

    @property
    def unsaved(self) -> bool:
        """Whether something was answered or written since the last export or take-home."""
        return self.version != self.saved_version
