"""Taking results home (F6): the chosen groups and the helplines as QR codes, black on
white; at home also as files in a folder the person chooses (the handout, their results
and a calendar); in a kiosk on paper when the centre has a printer, never as files.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from groupfinder.domain.i18n import N_, tr
from groupfinder.tui.files import FilesScreen
from groupfinder.tui.widgets import plain_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from groupfinder.domain.models import Group, Language
    from groupfinder.tui.app import GroupfinderApp
    from groupfinder.tui.kiosk import KioskApp


class TakeHomeScreen(ModalScreen[None]):
    """The chosen groups and the helplines as QR codes, black on white in any theme.

    Each code fits the screen beside its explanation: when one code cannot hold everything,
    the groups are spread over several codes, shown one by one (left and right arrows).
    On a screen too small for any useful code, the same text is shown to write down.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("left", "page(-1)", N_("Previous code"), show=False),
        Binding("right", "page(1)", N_("Next code"), show=False),
        Binding("p", "print", N_("Print")),
        Binding("s", "save", N_("Save as files")),
    ]

    #: Columns kept for the explanation beside the code.
    SIDE = 34

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.pages: list[str] = []
        self.payload = ""
        self.rows: list[str] = []
        #: A handout is on its way to the printer.
        self.printing = False

    def compose(self) -> ComposeResult:
        from groupfinder.matching.helplines import helplines_for_person
        from groupfinder.present.qr import (
            TakeHomeFurther,
            qr_matrix,
            qr_max_version,
            qr_pages,
            qr_payload,
            qr_text_rows,
        )

        app: GroupfinderApp = self.app  # type: ignore[assignment]
        lang = app.language
        groups = app.take_home_groups()
        country = app.place.country if app.place else None
        ordered = helplines_for_person(app.catalog.helplines, country, lang)
        helplines = [h for h in ordered if h.crisis]
        from groupfinder.present.further import look_further_lines, look_further_section

        audiences = app.catalog.audiences
        section = look_further_section(app.recommendation())
        further = TakeHomeFurther(tuple(look_further_lines(section, lang)), section.first)
        width, height = app.size
        version = qr_max_version(max(0, width - self.SIDE - 6), max(0, height - 2))
        self.pages = (
            qr_pages(groups, helplines, lang, version, audiences, further) if version else []
        )
        self.page = min(self.page, max(0, len(self.pages) - 1))
        if self.pages:
            self.payload = self.pages[self.page]
            self.rows = qr_text_rows(qr_matrix(self.payload))
        else:
            self.payload = qr_payload(groups, helplines, lang, audiences=audiences, further=further)
            self.rows = []
        with Horizontal(id="take-home"):
            if self.rows:
                yield Static(qr_content(self.rows), id="qr")
            with Vertical(id="take-home-side"):
                with VerticalScroll(id="take-home-text"):
                    yield Static(Content.styled(tr(lang, "Take your groups home"), "bold"))
                    if self.rows:
                        yield Static(
                            tr(
                                lang,
                                "Scan the code with your phone's camera: it holds the groups' "
                                "names and contacts and the helplines.",
                            )
                        )
                        if len(self.pages) > 1:
                            yield Static(
                                Content.styled(
                                    tr(
                                        lang,
                                        "Code {n} of {total}: scan each one. "
                                        "Left and right arrows show the others.",
                                        n=self.page + 1,
                                        total=len(self.pages),
                                    ),
                                    "bold $accent",
                                ),
                                id="qr-page",
                            )
                        yield Static(take_home_lines(groups, lang, app.today), id="qr-groups")
                    else:
                        yield Static(
                            tr(
                                lang,
                                "This screen is too small for a code. Write down or photograph "
                                "what you need:",
                            )
                        )
                        yield Static(Content(self.payload), id="qr-text")
                # Below the scrolled text, always in sight: what to do next.
                yield Static("", id="print-message")
                with Horizontal(id="nav"):
                    yield Button(tr(lang, "Close"), id="close", compact=True)
                    if self._can_print():
                        yield Button(tr(lang, "Print"), id="print", variant="primary", compact=True)
                    if app.can_save_files():
                        yield Button(
                            tr(lang, "Save as files"), id="save", variant="primary", compact=True
                        )

    def on_mount(self) -> None:
        if self.rows:  # a code to scan is on the screen: the results can go home
            self.app.mark_saved()  # type: ignore[attr-defined]

    def _can_print(self) -> bool:
        config = getattr(self.app, "config", None)
        return bool(config is not None and config.print_command)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "print":
            return self._can_print()
        if action == "save":
            return self.app.can_save_files()  # type: ignore[attr-defined, no-any-return]
        return True

    def on_resize(self) -> None:
        self.refresh(recompose=True)

    def action_page(self, step: int) -> None:
        if len(self.pages) > 1:
            self.page = (self.page + step) % len(self.pages)
            self.refresh(recompose=True)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#print")
    def action_print(self) -> None:
        if self.printing:
            return
        app: KioskApp = self.app  # type: ignore[assignment]
        job = app.handout_job()
        if not callable(job):
            self.query_one("#print-message", Static).update(job)
            return
        self.printing = True
        self.query_one("#print-message", Static).update(tr(app.language, "Sending to the printer…"))
        self._print(job)

    @work(thread=True, exclusive=True, group="print")
    def _print(self, job: Callable[[], str]) -> None:
        """Make the PDF and wait for the printer in a thread: the kiosk stays responsive
        (the idle clock, F1, Esc) while a slow printer takes up to its time-out."""
        message = job()
        self.app.call_from_thread(self._printed, message)

    def _printed(self, message: str) -> None:
        self.printing = False
        if self.is_attached:  # the visitor may have closed the dialog, or been reset
            self.query_one("#print-message", Static).update(message)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.app.push_screen(FilesScreen(self.app.take_home_job()))  # type: ignore[attr-defined]


def take_home_lines(groups: list[Group], language: Language, today: dt.date | None) -> Content:
    """The chosen groups' names, each with its next date ("next: Tuesday 8 December")."""
    from groupfinder.domain.schedule import next_label

    day = today or dt.date.today()
    lines = []
    for group in groups:
        label = next_label(group.timetable, language, day)
        name = plain_line(group.name)
        lines.append(Content.assemble(name, " · ", label) if label else name)
    return Content("\n").join(lines)


def qr_content(rows: list[str]) -> Content:
    """QR rows as explicit black-on-white cells, so phones scan them in any theme."""
    return Content("\n").join(Content.styled(row, "#000000 on #FFFFFF") for row in rows)
