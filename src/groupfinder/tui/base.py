"""The light screens: the base every screen shares, welcome, crisis help and "too small".

They load no catalog models, so that the first screen appears quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from groupfinder.domain.i18n import N_, tr
from groupfinder.domain.vocabulary import ENDONYMS, LANGUAGES, Language
from groupfinder.present.crisis import CRISIS_INTRO, CRISIS_TITLE, helpline_texts
from groupfinder.tui.widgets import CrisisLine, KeyBar, TitleBar, plain_line

if TYPE_CHECKING:
    from groupfinder.tui.app import GroupfinderApp


class BaseScreen(Screen[Any]):
    """Every screen: a title line, the body, the crisis line and the keys."""

    #: The language the screen was composed in; recomposed when it is shown in another.
    composed_language: Language | None = None
    #: The session's version the screen was composed from; recomposed when it changed.
    composed_version: int = -1

    @property
    def gf(self) -> GroupfinderApp:
        return self.app  # type: ignore[return-value]

    @property
    def lang(self) -> Language:
        return self.gf.language

    def _t(self, message: str, **values: object) -> str:
        return tr(self.lang, message, **values)

    def compose(self) -> ComposeResult:
        self.composed_language = self.lang
        self.composed_version = self.gf.session.version
        yield TitleBar(id="title-bar")
        with Vertical(id="body"):
            yield from self.body()
        yield CrisisLine(id="crisis-line")
        yield KeyBar(id="keys")

    def body(self) -> ComposeResult:
        yield from ()

    def fill(self) -> None:
        """Put into the widgets what compose cannot (table rows, details, focus).

        Runs after every compose: when the screen is mounted and after each recompose
        (language, what-if, resize), so that no table is ever left empty.
        """

    def on_mount(self) -> None:
        self.fill()

    async def recompose(self) -> None:
        """Compose again, fill again, and keep the keyboard focus where it was."""
        if not self.is_attached or self._pruning or self.app.screen is not self:
            return  # gone, or covered again: it is composed when it shows next
        focused = self.focused.id if self.focused is not None else None
        await super().recompose()
        try:
            self.fill()
        except NoMatches:
            return  # the screen went away while it was composed again (a reset)
        if focused:
            for widget in self.query(f"#{focused}"):
                if widget.focusable:
                    widget.focus()
                break

    def on_screen_resume(self) -> None:
        if self.composed_language != self.lang or self.composed_version != self.gf.session.version:
            self.relabel()
        else:
            self.query_one(CrisisLine).update_numbers()

    def relabel(self) -> None:
        """Show the screen again from the session, in the current language."""
        self.call_later(self.recompose)


# ----------------------------------------------------------------------------- welcome


class WelcomeScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", N_("Start")),
        *(
            Binding(str(n), f"choose('{code}')", ENDONYMS[code], show=False)
            for n, code in enumerate(LANGUAGES, start=1)
        ),
    ]

    def body(self) -> ComposeResult:
        with VerticalScroll(id="welcome"):
            yield Static(self._t("Find a group that helps you heal"), id="welcome-title")
            note = self.gf.welcome_note()
            if note:
                yield Static(plain_line(note), id="welcome-note")
            with Horizontal(id="languages"):
                for n, code in enumerate(LANGUAGES, start=1):
                    button = Button(f"{n} {ENDONYMS[code]}", id=f"lang-{code}")
                    button.variant = "primary" if code == self.lang else "default"
                    yield button
            yield Static(
                self._t(
                    "Answer a few short questions, about three minutes. groupfinder suggests kinds "
                    "of group that fit what you need, and real groups near you, and tells you why."
                ),
                classes="welcome-text",
            )
            yield Static(self.gf.privacy_note(), classes="welcome-text")
            yield Button(self._t("Start"), id="start", variant="success")

    def fill(self) -> None:
        self.query_one("#start", Button).focus()

    def action_start(self) -> None:
        self.gf.start_questions()

    def action_choose(self, code: Language) -> None:
        self.gf.set_language(code)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id and event.button.id.startswith("lang-"):
            self.action_choose(event.button.id.removeprefix("lang-"))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- crisis


class CrisisScreen(ModalScreen[None]):
    """Every helpline, the person's country first. Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("f1", "close", N_("Close"), show=False),
        # The list is longer than 24 lines: the arrows and page keys scroll it.
        Binding("down", "scroll('down')", show=False),
        Binding("up", "scroll('up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        gf: GroupfinderApp = self.app  # type: ignore[assignment]
        lang = gf.language
        with VerticalScroll(id="crisis-box"):
            yield Static(Content.styled(tr(lang, CRISIS_TITLE), "bold"), id="crisis-title")
            yield Static(tr(lang, CRISIS_INTRO), id="crisis-intro")
            with Vertical(id="crisis-lines"):
                for h in helpline_texts(gf.helplines_first(), lang):
                    yield Static(
                        # The number first: on a narrow screen only the name wraps.
                        Content.assemble(
                            (f"{h.country}  ", "bold"),
                            (h.phone, "bold $accent"),
                            "  ",
                            (h.name, "bold"),
                        ),
                        classes="helpline",
                    )
                    detail = h.hours + (f" · {h.url}" if h.url else "")
                    yield Static(
                        Content("\n").join([Content(detail), Content.styled(h.about, "italic")]),
                        classes="helpline-about",
                    )
            yield Button(tr(lang, "Close"), id="close", variant="primary")

    def on_mount(self) -> None:
        # The Close button is at the bottom: focusing it must not scroll the title, the
        # reassuring sentence and the first line out of sight (80x24 and smaller).
        self.query_one("#close", Button).focus(scroll_visible=False)
        self.query_one("#crisis-box", VerticalScroll).scroll_home(animate=False)

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#crisis-box", VerticalScroll)
        {
            "down": box.scroll_down,
            "up": box.scroll_up,
            "page_down": box.scroll_page_down,
            "page_up": box.scroll_page_up,
        }[where](animate=False)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss()


class TooSmallScreen(ModalScreen[None]):
    """Shown instead of a broken layout while the terminal is smaller than 80x24."""

    def compose(self) -> ComposeResult:
        gf: GroupfinderApp = self.app  # type: ignore[assignment]
        yield Static(
            tr(
                gf.language,
                "This window is too small. Make it at least 80 columns wide and 24 lines high.",
            )
            + "\n\n"
            + gf.crisis_line(),
            id="too-small",
        )


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "no", N_("No"))]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        lang = self.app.language  # type: ignore[attr-defined]
        with Vertical(id="confirm-box"):
            yield Static(plain_line(self.question))
            with Horizontal(id="nav"):
                yield Button(tr(lang, "No"), id="no", compact=True)
                yield Button(tr(lang, "Yes"), id="yes", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)
