"""Kiosk mode: a public terminal in a community centre.

- Nobody leaves without the PIN: every exit path (Ctrl+Q, Ctrl+C, Ctrl+\\, Ctrl+Z, the
  quit action) asks for it; the command palette, screenshots and links are off.
- After ``idle_seconds`` without a key or a click, a countdown asks "Still there?"; any key
  continues, otherwise every answer is forgotten and the welcome screen returns.
  "Start over" (F5) does the same at once.
- Nothing is written to disk. Results go home as a QR code drawn in black-on-white cells,
  and, when the centre configured a print command, on paper (the PDF goes to the printer
  through a pipe, never through a file).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets import Input, Static

from groupfinder.domain.i18n import N_, tr, trn
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.base import WelcomeScreen

if TYPE_CHECKING:
    from groupfinder.domain.models import Language
    from groupfinder.modes.kiosk import KioskConfig
    from groupfinder.modes.session import Session


@dataclass(frozen=True)
class Locked:
    """A PIN tried during a lockout: not checked; ``seconds`` left to wait."""

    seconds: float


#: What counts as someone at the kiosk: a key, a click or a scroll.
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
#: After this many wrong PINs in a row, each further try waits longer.
FREE_TRIES = 3
#: Seconds to wait after the n-th wrong PIN beyond FREE_TRIES: 5, 10, 20, ... at most 60.
MAX_PIN_DELAY = 60.0

KIOSK_THEME = Theme(
    name="groupfinder-kiosk",
    primary="#FFD700",
    secondary="#00E5FF",
    accent="#FFD700",
    warning="#FFA500",
    error="#FF6B6B",
    success="#7CFC00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#101010",
    panel="#202020",
    dark=True,
)


class KioskApp(GroupfinderApp):
    """The personal questionnaire, locked down for a public terminal."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "start_over", N_("Start over"), priority=True),
        Binding("ctrl+q", "request_exit", N_("Quit"), show=False, priority=True),
        Binding("ctrl+c", "request_exit", show=False, priority=True),
        Binding("ctrl+backslash", "request_exit", show=False, priority=True),
        Binding("ctrl+z", "request_exit", show=False, priority=True),
    ]

    #: When the visitor last pressed a key or clicked (time.monotonic()).
    last_activity: float = 0.0

    def __init__(
        self, config: KioskConfig, clock: Callable[[], float] = time.monotonic, **kwargs: Any
    ) -> None:
        self.config = config  # before the session is made: it starts at the centre
        #: The clock for idle time and the PIN lockout (tests pass a fake one).
        self.clock: Callable[[], float] = clock
        super().__init__(language=config.language, **kwargs)
        self.register_theme(KIOSK_THEME)
        self.theme = KIOSK_THEME.name
        #: Wrong PINs in a row and the end of the lockout: a start-over or an idle reset
        #: keeps them (only time or the right PIN ends a lockout).
        self.wrong_pins = 0
        self.locked_until = 0.0
        self.last_activity = self.clock()

    def new_session(self, language: Language) -> Session:
        """A fresh session starts in the centre's language, at the centre's own place."""
        from groupfinder.modes.session import Session

        return Session.new(self.config.language, location=self.config.location)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.check_inactivity)

    def first_screen(self) -> Screen[Any]:
        return WelcomeScreen()

    def welcome_note(self) -> str:
        return tr(
            self.language,
            "{centre}: this computer is shared. When you are done, press F5 (Start over) "
            "and everything you answered is forgotten.",
            centre=self.config.centre,
        )

    # -- nobody leaves without the PIN -----------------------------------------------------

    def action_request_exit(self) -> None:
        if not isinstance(self.screen, PinScreen):
            self.push_screen(PinScreen())

    async def action_quit(self) -> None:
        self.action_request_exit()

    def action_help_quit(self) -> None:
        self.action_request_exit()

    def action_suspend_process(self) -> None:
        self.action_request_exit()

    def action_command_palette(self) -> None:
        return None

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        return None  # a kiosk writes nothing, screenshots included

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        return None  # links are not opened on a public terminal

    def try_pin(self, pin: str) -> bool | float | Locked:
        """True when the PIN is right (the app ends); False when wrong; the seconds to wait
        when wrong and now locked; :class:`Locked` when tried during a lockout (the PIN is
        not checked then, so a right PIN is never called wrong)."""
        from groupfinder.modes.kiosk import verify_pin

        now = self.clock()
        if now < self.locked_until:
            return Locked(self.locked_until - now)
        if verify_pin(pin, self.config.pin_hash):
            self.wrong_pins = 0
            self.exit(return_code=0)
            return True
        self.wrong_pins += 1
        if self.wrong_pins >= FREE_TRIES:
            delay: float = min(MAX_PIN_DELAY, 5.0 * 2.0 ** (self.wrong_pins - FREE_TRIES))
            self.locked_until = now + delay
            return delay
        return False

    # -- idle and start over ---------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Every key and click passes the app first: the surest place to see activity.
        if isinstance(event, ACTIVITY):
            self.last_activity = self.clock()
        await super().on_event(event)

    def check_inactivity(self) -> None:
        """The idle clock runs under every dialog: a PIN dialog left open closes, and the
        countdown shows over whatever is on the screen."""
        idle = self.clock() - self.last_activity
        if idle < self.config.idle_seconds or isinstance(self.working_screen, IdleScreen):
            return
        if isinstance(self.working_screen, PinScreen):
            self.pop_screen()  # nobody is typing the PIN any more
        if self.is_fresh():
            return
        self.push_screen(IdleScreen(self.config.warning_seconds))

    def is_fresh(self) -> bool:
        """Nothing to forget: the welcome screen with no answers."""
        return isinstance(self.working_screen, WelcomeScreen) and not self.session.answers.get(
            "needs"
        )

    def action_start_over(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything (answers, choices, place, widgets) and show the welcome screen."""
        self.last_activity = self.clock()
        super().reset()

    # -- take home -------------------------------------------------------------------------

    def privacy_note(self) -> str:
        return tr(
            self.language,
            "This is not a diagnosis and does not replace care. Nothing you answer is stored "
            "on this computer: F5, or walking away, forgets it.",
        )

    def can_save_files(self) -> bool:
        return False  # a kiosk writes nothing: codes and paper only

    def handout_job(self) -> str | Callable[[], str]:
        """What printing needs, taken from the session now (on the UI thread): a function that
        makes the PDF, prints it and says how that went (safe to run in a thread, whatever
        happens to the session meanwhile), or the message when there is no printer."""
        from groupfinder.modes.kiosk import PrintError, print_handout
        from groupfinder.present.handout import handout_pdf

        command = self.config.print_command
        language = self.language
        if not command:
            return tr(language, "No printer here: scan the code with your phone.")
        ids = tuple(g.id for g in self.take_home_groups())
        record = self.session.record(suggested_groups=ids)
        rec, catalog = self.recommendation(), self.catalog

        def job() -> str:
            pdf = handout_pdf(rec, catalog, record)
            try:
                print_handout(command, pdf)  # through a pipe: the kiosk itself writes no file
            except PrintError:
                return tr(language, "The printer did not answer. Please ask at the desk.")
            return tr(language, "Printing: you will find your handout at the printer.")

        return job


class PinScreen(ModalScreen[None]):
    """The staff PIN; the only way out of the kiosk."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        lang = self.app.language  # type: ignore[attr-defined]
        with Vertical(id="pin-box"):
            yield Static(Content.styled(tr(lang, "Staff only"), "bold"), id="pin-title")
            yield Static(tr(lang, "Enter the PIN to close groupfinder, or press Esc to go on."))
            yield Input(password=True, max_length=12, id="pin")
            yield Static("", id="pin-message")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def submitted(self, event: Input.Submitted) -> None:
        app: KioskApp = self.app  # type: ignore[assignment]
        result = app.try_pin(event.value)
        event.input.value = ""
        message = self.query_one("#pin-message", Static)
        if result is True:
            return
        if isinstance(result, Locked):
            wait = trn(
                app.language,
                "Too many tries. Wait {n} second before the next try.",
                "Too many tries. Wait {n} seconds before the next try.",
                max(1, round(result.seconds)),
            )
            message.update(Content.styled(wait, "bold $error"))
        elif result is False:
            message.update(Content.styled(tr(app.language, "Wrong PIN."), "bold $error"))
        else:
            wait = trn(
                app.language,
                "Wrong PIN. Wait {n} second before the next try.",
                "Wrong PIN. Wait {n} seconds before the next try.",
                round(float(result)),
            )
            message.update(Content.styled(wait, "bold $error"))

    def action_cancel(self) -> None:
        self.dismiss()


class IdleScreen(ModalScreen[None]):
    """A visible countdown; any key or click continues, the end of it starts over."""

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.remaining = seconds

    def compose(self) -> ComposeResult:
        lang = self.app.language  # type: ignore[attr-defined]
        with Vertical(id="idle-box"):
            yield Static(Content.styled(tr(lang, "Still there?"), "bold"), id="idle-title")
            yield Static("", id="idle-count")

    def on_mount(self) -> None:
        self._show()
        self.set_interval(1.0, self.tick)

    def _show(self) -> None:
        lang = self.app.language  # type: ignore[attr-defined]
        warning = trn(
            lang,
            "Press any key to go on. In {n} second everything you answered is forgotten "
            "and groupfinder starts over.",
            "Press any key to go on. In {n} seconds everything you answered is forgotten "
            "and groupfinder starts over.",
            self.remaining,
        )
        self.query_one("#idle-count", Static).update(warning)

    def tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            app: KioskApp = self.app  # type: ignore[assignment]
            app.reset()
            return
        self._show()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()

    def on_mouse_down(self) -> None:
        self.dismiss()
