"""The groupfinder app: holds the session (the answers, in memory only) and moves between
screens. Screens render; the engine decides."""

from __future__ import annotations

import datetime as dt
import select
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.vocabulary import LANGUAGES, Language
from groupfinder.modes.session import Session
from groupfinder.tui.base import BaseScreen, CrisisScreen, TooSmallScreen, WelcomeScreen

# The catalog (pydantic models), the matcher (numpy) and the question, results and group
# screens load on first use, after the welcome screen is on the screen: start-up stays quick.

if TYPE_CHECKING:
    from groupfinder.catalog.places import Place, PlaceIndex
    from groupfinder.domain.models import Answers, Catalog, Group, Helpline
    from groupfinder.domain.questionnaire import Question
    from groupfinder.matching.matcher import GroupResult, Matcher, Recommendation
    from groupfinder.tui.files import FilesJob

MIN_WIDTH, MIN_HEIGHT = 80, 24

HIGH_CONTRAST = Theme(
    name="groupfinder-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFA500",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)


#: How often the app checks that its terminal is still there, and the exit status when not
#: (128 + SIGHUP, as if the hangup signal had ended it).
HANGUP_CHECK_SECONDS = 2.0
EXIT_HANGUP = 129


def terminal_hung_up(fd: int) -> bool:
    """True when the terminal on ``fd`` has hung up; never reads (keys stay for Textual)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


class GroupfinderApp(App[list[Problem]]):
    """Personal mode: one person, at home, answering at their own pace."""

    CSS_PATH = "groupfinder.tcss"
    TITLE = "groupfinder"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "crisis", N_("Help now"), priority=True),
        Binding("f2", "language", N_("Language"), priority=True),
        Binding("f3", "theme", N_("Colours"), priority=True),
        Binding("f6", "take_home", N_("Take home"), priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
    ]

    def __init__(
        self,
        catalog: Catalog | None = None,
        places: PlaceIndex | None = None,
        language: Language = "nl",
        data_dir: Path | None = None,
        today: dt.date | None = None,
        answers: Answers | None = None,
    ) -> None:
        #: Answers to open at the results (``groupfinder --answers FILE``).
        self.opened_answers = answers
        super().__init__()
        self.today = today
        #: The language a fresh session starts in.
        self.start_language: Language = language
        self._catalog = catalog
        self._places = places
        self.data_dir = data_dir
        #: The answers so far, and all that goes with them. Nothing here is written to disk.
        self.session = self.new_session(language)
        #: Groups the person chose to take home (ids), in the order chosen.
        self.take_home: list[str] = []
        #: Whether this session's results were on the screen (then Ctrl+Q asks first).
        self.results_seen = False
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES[0]

    # -- engine ----------------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from groupfinder.catalog.loader import load_catalog

            # The place list loads only if a group row needs a postcode looked up.
            self._catalog = load_catalog(self.data_dir, self._places)
        return self._catalog

    @property
    def places(self) -> PlaceIndex:
        if self._places is None:
            from groupfinder.catalog.loader import load_places

            self._places = load_places(self.data_dir)
        return self._places

    @cached_property
    def matcher(self) -> Matcher:
        from groupfinder.matching.matcher import Matcher  # numpy: only once there is ranking

        return Matcher(self.catalog, self.places, today=self.today)

    def recommendation(self) -> Recommendation:
        """The ranking for the session as it is now."""
        return self.session.recommendation(self.matcher)

    def place_label(self) -> str | None:
        return self.place.display_name(self.language) if self.place else None

    # -- the session -----------------------------------------------------------------------

    @property
    def language(self) -> Language:
        return self.session.language

    @property
    def place(self) -> Place | None:
        return self.session.place

    def new_session(self, language: Language) -> Session:
        """A fresh session (kiosk mode starts it at the centre's place)."""
        if self.opened_answers is not None:
            answers, self.opened_answers = self.opened_answers, None
            session = Session.from_answers(answers)
            if answers.location:
                session.place = self.places.lookup(answers.location).place
            return session
        return Session.new(language)

    def answer(self, key: str, value: Any) -> None:
        self.session.answer(key, value)
        self._shown()

    def accept(self, question: Question, value: Any) -> None:
        """Going on from ``question`` without choosing accepts its default as an answer."""
        if question.preselect:
            self.session.accept(question.key, value)
            self._shown()

    def skip(self, question: Question) -> None:
        self.session.skip(question.key)
        self._shown()

    def _shown(self) -> None:
        # The screen on top made the change and shows it already.
        if isinstance(self.screen, BaseScreen):
            self.screen.composed_version = self.session.version

    def set_place(self, place: Place | None) -> None:
        self.session.set_place(place)
        self._shown()
        self.query_crisis_lines()

    def problem_with(self, question: Question) -> str | None:
        """Why the person cannot go on from ``question`` yet, in their language."""
        value = self.session.answers.get(question.key)
        if question.minimum and len(value or []) < question.minimum:
            return tr(self.language, "Choose at least one, with Space or a click.")
        if question.kind == "place" and value and self.place is None:
            return tr(self.language, "Choose a place from the list, correct it, or skip.")
        return None

    def set_language(self, language: Language) -> None:
        self.session.set_language(language)
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.composed_language = None
        if isinstance(self.screen, BaseScreen):
            self.screen.relabel()
        elif isinstance(self.screen, CrisisScreen):
            self.screen.refresh(recompose=True)

    def reset(self) -> None:
        """Forget every answer and go back to the welcome screen."""
        self.session = self.new_session(self.start_language)
        self.take_home = []
        self.results_seen = False
        while len(self.screen_stack) > 2:
            super().pop_screen()  # the "too small" notice too: it comes back on top below
        self.switch_screen(WelcomeScreen())
        self._check_size(self.size.width, self.size.height)

    # -- taking results home ---------------------------------------------------------------

    def take_home_groups(self) -> list[Group]:
        """The groups the person chose, else the three best for their answers."""
        chosen = [self.catalog.groups_by_id[i] for i in self.take_home]
        if chosen:
            return chosen
        return [r.group for r in self.recommendation().groups[:3]]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from textual.screen import ModalScreen

        if action == "take_home":  # once there are results to take home
            return (
                self.results_seen
                and bool(self.session.answers.get("needs"))
                and not isinstance(self.screen, ModalScreen)
            )
        return True

    def action_take_home(self) -> None:
        from groupfinder.tui.takehome import TakeHomeScreen

        self.push_screen(TakeHomeScreen())

    def choose_group(self, group: Group) -> None:
        """Add a group to (or take it off) the take-home list (c on the group's page)."""
        from groupfinder.domain.text import one_line

        if group.id in self.take_home:
            self.take_home.remove(group.id)
            message = tr(self.language, "Taken off your list: {name}", name=one_line(group.name))
        else:
            self.take_home.append(group.id)
            message = tr(
                self.language, "On your list to take home: {name}", name=one_line(group.name)
            )
        self.notify(message, markup=False)

    def privacy_note(self) -> str:
        """What the welcome screen promises about the person's answers."""
        return tr(
            self.language,
            "This is not a diagnosis and does not replace care. Nothing you answer is stored "
            "unless you take your results home (F6): when you close groupfinder, it is gone.",
        )

    def can_save_files(self) -> bool:
        """Whether the take-home may write files (never in a kiosk)."""
        return True

    def mark_saved(self) -> None:
        """The session as it is now went home (a code shown, files written) or was exported."""
        self.session.saved_version = self.session.version

    def take_home_job(self) -> FilesJob:
        """The take-home as files: the handout (chosen groups, else the best three), the
        results in Markdown and the calendar, into a folder the person chooses."""
        from groupfinder.present.export import (
            default_export_dir,
            take_home_files,
            take_home_paths,
        )
        from groupfinder.tui.files import FilesJob

        def write(folder: Path, overwrite: bool) -> list[Path]:
            ids = tuple(g.id for g in self.take_home_groups())
            record = self.session.record(today=self.today, suggested_groups=ids)
            rec = self.recommendation()
            return take_home_files(folder, rec, self.catalog, record, overwrite)

        return FilesJob(
            title=N_("Save as files"),
            button=N_("Save"),
            unexpected=N_(
                "Could not write the files ({kind}). Nothing was written; your answers are kept."
            ),
            explanation=N_(
                "Three files: a handout with your groups (PDF), your results (Markdown) and "
                "the groups' sessions for your calendar (.ics). They are written only when you "
                "press Save, into this folder:"
            ),
            folder=default_export_dir(),
            targets=lambda folder: take_home_paths(folder, self.today or dt.date.today()),
            write=write,
            written=self.mark_saved,
        )

    def results_not_taken_home(self) -> bool:
        return self.results_seen and self.session.unsaved

    async def action_quit(self) -> None:
        """Quit; with results on the screen that did not go home, ask first."""
        if not self.results_not_taken_home():
            self.exit()
            return
        from groupfinder.tui.base import ConfirmScreen

        question = tr(
            self.language,
            "Your results did not go home with you, and nothing is kept. Quit anyway? "
            "(F6 takes them home.)",
        )
        self.push_screen(ConfirmScreen(question), lambda yes: self.exit() if yes else None)

    # -- crisis help -----------------------------------------------------------------------

    def helplines_mine(self) -> tuple[Helpline, ...]:
        """The person's helplines, in the one order every surface uses."""
        from groupfinder.matching.helplines import helplines_for_person

        country = self.place.country if self.place else None
        languages = self.session.answers.get("languages") or [self.language]
        return helplines_for_person(self.catalog.helplines, country, self.language, languages)

    def helplines_first(self) -> list[Helpline]:
        """Every helpline: the person's first, then the other country's."""
        mine = self.helplines_mine()
        return [*mine, *(h for h in self.catalog.helplines if h not in mine)]

    def crisis_line(self) -> str:
        """One short line of crisis numbers: the first crisis line of each country, and 112."""
        if self._catalog is None:
            return tr(self.language, "In crisis? Press F1 for the helplines")
        from groupfinder.matching.helplines import crisis_numbers

        return tr(
            self.language,
            "In crisis? Call {numbers} · F1: all helplines",
            numbers=crisis_numbers(self.helplines_mine()),
        )

    def at_risk(self) -> bool:
        """Whether the person gave an answer that brings crisis help first (as declared by
        the questions' ``crisis_values``)."""
        from groupfinder.domain.questionnaire import QUESTIONS

        return any(
            q.crisis_values and self.session.answers.get(q.key) in q.crisis_values
            for q in QUESTIONS
        )

    def crisis_notice(self) -> tuple[str, str] | None:
        """At risk: the short help line and the professional-first advice; else None."""
        if not self.at_risk():
            return None
        from groupfinder.matching.notices import professional_help_first
        from groupfinder.present.crisis import short_help_line

        country = self.place.country if self.place else None
        return (
            short_help_line(self.helplines_mine(), self.language),
            professional_help_first(country, self.language).text,
        )

    def query_crisis_lines(self) -> None:
        from groupfinder.tui.widgets import CrisisLine

        for line in self.screen.query(CrisisLine):
            line.update_numbers()

    # -- the flow --------------------------------------------------------------------------

    def welcome_note(self) -> str | None:
        """A line for the welcome screen under its title (kiosk mode names the centre)."""
        return None

    def first_screen(self) -> Screen[Any]:
        """The screen the app opens on (other modes override it): the welcome screen, or
        the results when the app was opened with an answers file."""
        if self.session.answers.get("needs"):
            from groupfinder.tui.screens import ResultsScreen

            self.results_seen = True
            return ResultsScreen()
        return WelcomeScreen()

    def on_mount(self) -> None:
        self.push_screen(self.first_screen())
        self._check_size(self.size.width, self.size.height)
        if not self.is_headless and sys.__stdin__ is not None and sys.__stdin__.isatty():
            self.set_interval(HANGUP_CHECK_SECONDS, self.check_terminal)
        if self._catalog is None:
            # Paint the welcome screen first, then load the catalog (about 50 ms).
            self.call_after_refresh(self.load_catalog)

    def check_terminal(self) -> None:
        """End the app when its terminal is gone (a closed window, a dropped SSH link).

        Normally SIGHUP ends the app then, but not when a parent such as ``make run`` holds
        the terminal: Textual 8.2's input thread would then spin on the closed terminal at
        full CPU (Textualize/textual#6690). Nothing is saved: nothing is stored anyway.
        """
        if sys.__stdin__ is not None and terminal_hung_up(sys.__stdin__.fileno()):
            self.exit(return_code=EXIT_HANGUP)

    def load_catalog(self) -> None:
        """Load the catalog now; a bad catalog ends the app with its problems."""
        try:
            self.catalog  # noqa: B018 - loading is the point
        except CatalogError as exc:
            self.exit(exc.problems, return_code=2)
            return
        self.query_crisis_lines()

    def asked_questions(self) -> list[Question]:
        from groupfinder.domain.questionnaire import QUESTIONS, applies

        return [q for q in QUESTIONS if applies(q, self.session.answers)]

    def progress(self, question: Question) -> tuple[int, int]:
        """The "question n of total" count: the questions every person is asked are counted; a
        follow-up asked only for some answers (where you are, how far) takes the number of
        the question it follows, so the total never jumps when one appears."""
        from groupfinder.domain.questionnaire import QUESTIONS

        counted = [q for q in QUESTIONS if q.when is None]
        before = QUESTIONS[: QUESTIONS.index(question) + 1]
        return max(1, sum(1 for q in before if q.when is None)), len(counted)

    def start_questions(self) -> None:
        from groupfinder.domain.questionnaire import QUESTIONS
        from groupfinder.tui.screens import QuestionScreen

        self.push_screen(QuestionScreen(QUESTIONS[0]))

    def next_after(self, question: Question, editing: bool) -> None:
        from groupfinder.domain.questionnaire import QUESTIONS
        from groupfinder.tui.screens import QuestionScreen, SummaryScreen

        if editing:
            self.pop_screen()
            return
        asked = self.asked_questions()
        following = [q for q in asked if QUESTIONS.index(q) > QUESTIONS.index(question)]
        if following:
            self.push_screen(QuestionScreen(following[0]))
        else:
            self.push_screen(SummaryScreen())
        value = self.session.answers.get(question.key)
        if question.crisis_values and value in question.crisis_values:
            self.action_crisis()

    def back_from(self, q: Question | None, editing: bool) -> None:
        if len(self.screen_stack) > 2 or editing:
            self.pop_screen()

    def edit(self, key: str) -> None:
        from groupfinder.domain.questionnaire import QUESTIONS_BY_KEY
        from groupfinder.tui.screens import QuestionScreen

        self.push_screen(QuestionScreen(QUESTIONS_BY_KEY[key], editing=True))

    def show_summary(self, from_results: bool) -> None:
        from groupfinder.tui.screens import SummaryScreen

        self.push_screen(SummaryScreen(from_results=from_results))

    def show_results(self) -> None:
        """Show the ranking, rebuilt from the answers: what-if changes show at once."""
        from groupfinder.tui.screens import ResultsScreen

        self.results_seen = True
        if any(isinstance(s, ResultsScreen) for s in self.screen_stack):
            # Back on the results, they are composed and filled again when an answer changed.
            while not isinstance(self.screen, ResultsScreen):
                self.pop_screen()
        else:
            self.push_screen(ResultsScreen())

    def show_group(self, result: GroupResult) -> None:
        from groupfinder.tui.screens import GroupScreen

        self.push_screen(GroupScreen(result))

    # -- app-wide actions ------------------------------------------------------------------

    def action_crisis(self) -> None:
        if not isinstance(self.screen, CrisisScreen):
            self.push_screen(CrisisScreen())

    def action_language(self) -> None:
        following = LANGUAGES[(LANGUAGES.index(self.language) + 1) % len(LANGUAGES)]
        self.set_language(following)

    def action_theme(self) -> None:
        self.theme = (
            THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)]
            if (self.theme in THEMES)
            else THEMES[0]
        )

    # -- size ------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if len(self.screen_stack) > 1:  # else on_mount checks, once the first screen is on
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        if self.is_small(width, height):
            if not any(isinstance(s, TooSmallScreen) for s in self.screen_stack):
                super().push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            super().pop_screen()

    def is_small(self, width: int | None = None, height: int | None = None) -> bool:
        width = self.size.width if width is None else width
        height = self.size.height if height is None else height
        return width < MIN_WIDTH or height < MIN_HEIGHT

    @property
    def working_screen(self) -> Screen[Any]:
        """The screen the person is on: the one under the "too small" notice, if shown."""
        if isinstance(self.screen, TooSmallScreen) and len(self.screen_stack) > 2:
            return self.screen_stack[-2]
        return self.screen

    def pop_screen(self) -> Any:
        """Close the screen the person is on, never the "too small" notice by mistake.

        A dialog opened while the window is small (F1's crisis help, the kiosk's countdown)
        shows above the notice. Closing a screen under the notice (a dialog's own dismiss, a
        PIN dialog nobody types in) closes that screen and keeps the notice; a notice left
        under dialogs after the window grew goes as soon as it is uncovered.
        """
        if isinstance(self.screen, TooSmallScreen) and len(self.screen_stack) > 2:
            super().pop_screen()
            result = super().pop_screen()
            super().push_screen(TooSmallScreen())
            return result
        result = super().pop_screen()
        if isinstance(self.screen, TooSmallScreen) and not self.is_small():
            super().pop_screen()
        return result


def create_app(
    language: Language = "nl",
    data_dir: Path | None = None,
    answers: Answers | None = None,
    catalog: Catalog | None = None,
    places: PlaceIndex | None = None,
) -> GroupfinderApp:
    """The app as ``groupfinder`` starts it; tests build theirs the same way. With
    ``answers`` (``groupfinder --answers FILE``) it opens at their results, in their language."""
    if answers is not None:
        language = answers.language
    return GroupfinderApp(
        catalog=catalog, places=places, language=language, data_dir=data_dir, answers=answers
    )
