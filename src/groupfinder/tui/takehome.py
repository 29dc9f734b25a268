"""Taking results home: the chosen groups and the helplines as QR codes, black on white.

Every mode has it (F6): the kiosk adds paper when the centre has a printer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from groupfinder.domain.i18n import N_, tr
from groupfinder.tui.widgets import plain_line

if TYPE_CHECKING:
    from groupfinder.domain.models import Group, Language
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
    ]

    #: Columns kept for the explanation beside the code.
    SIDE = 34

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.pages: list[str] = []
        self.payload = ""
        self.rows: list[str] = []

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

        app: KioskApp = self.app  # type: ignore[assignment]
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
            with VerticalScroll(id="take-home-side"):
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
                yield Static("", id="print-message")
                with Horizontal(id="nav"):
                    yield Button(tr(lang, "Close"), id="close", compact=True)
                    if app.config.print_command:
                        yield Button(tr(lang, "Print"), id="print", variant="primary", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "print":
            return bool(self.app.config.print_command)  # type: ignore[attr-defined]
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
        app: KioskApp = self.app  # type: ignore[assignment]
        self.query_one("#print-message", Static).update(app.print_handout())


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
