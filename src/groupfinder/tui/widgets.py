"""Small widgets shared by the screens.

Catalog and user strings always reach the screen as :class:`textual.content.Content` built
from plain text (never parsed as markup), with control characters made visible first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static

from groupfinder.domain.i18n import tr
from groupfinder.domain.text import one_line, visible
from groupfinder.domain.vocabulary import ENDONYMS
from groupfinder.present.scores import BAR_WIDTH, bar_cells

if TYPE_CHECKING:
    from groupfinder.catalog.places import Lookup
    from groupfinder.domain.vocabulary import Language
    from groupfinder.tui.app import GroupfinderApp


def plain(text: str | None) -> Content:
    """Text from the catalog or the person, shown literally."""
    return Content(visible(text or ""))


def plain_line(text: str | None) -> Content:
    return Content(one_line(text or ""))


def place_status(lookup: Lookup, language: Language, *, with_choices: bool) -> Content:
    """What a place field says under itself about what was typed: the one wording of the
    questionnaire's and the counselor form's place lookups. ``with_choices``: the field shows
    a list to choose from when the place is ambiguous."""
    if lookup.place is not None:
        return Content.assemble(
            ("✓ ", "bold $success"),
            plain_line(lookup.place.label(language)),
            f" ({lookup.place.country})",
        )
    if lookup.ambiguous:
        if with_choices:
            return Content(tr(language, "Which one do you mean?"))
        options = ", ".join(f"{p.country} {p.postcode}" for p in lookup.candidates)
        return Content(tr(language, "Several places: write one of {options}", options=options))
    if lookup.suggestions:
        names = ", ".join(lookup.suggestions)
        return Content(tr(language, "Not found. Did you mean: {names}?", names=names))
    return Content(tr(language, "Not found. Try a postcode, such as 9000 or 1012."))


def match_bar(match: int, width: int = BAR_WIDTH) -> Content:
    """A bar and a number: the match never relies on colour alone."""
    filled, empty, number = bar_cells(match, width)
    return Content.assemble((filled, "$success"), (empty, "$foreground 30%"), number)


class CrisisLine(Static):
    """One line, on every screen: the crisis numbers for the person's country, and F1."""

    def on_mount(self) -> None:
        self.update_numbers()

    def update_numbers(self) -> None:
        app: GroupfinderApp = self.app  # type: ignore[assignment]
        self.update(plain_line(app.crisis_line()))  # phone numbers from helplines.toml


def key_label(key: str, description: str) -> Content:
    return Content.assemble((f" {key} ", "bold $accent"), description, " ")


class KeyBar(Horizontal):
    """The keys of the current screen with translated names; each one can be clicked.

    The display keys (language, colours) are shown in the title bar instead, for room.
    """

    def compose(self) -> ComposeResult:
        app: GroupfinderApp = self.app  # type: ignore[assignment]
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen or binding.action in TITLE_ACTIONS:
                continue
            seen.add(binding.action)
            label = key_label(app.get_key_display(binding), tr(app.language, binding.description))
            yield KeyButton(label, key, disabled_=not active.enabled)


#: Actions whose keys the title bar shows.
TITLE_ACTIONS = ("language", "theme")


class TitleBar(Horizontal):
    """The app's name, and the keys for language and colours (clickable too)."""

    def compose(self) -> ComposeResult:
        app: GroupfinderApp = self.app  # type: ignore[assignment]
        yield Static(Content.styled("groupfinder", "bold"), id="app-name")
        yield KeyButton(key_label("F2", ENDONYMS[app.language]), "f2")
        yield KeyButton(key_label("F3", tr(app.language, "Colours")), "f3")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)


class KeyButton(Static):
    def __init__(self, label: Content, key: str, disabled_: bool = False) -> None:
        super().__init__(label, classes="-disabled" if disabled_ else "")
        self.key = key

    def on_click(self) -> None:
        self.app.simulate_key(self.key)


class CheckList(OptionList):
    """A list of choices whose state shows as text — ``[x]``/``[ ]`` or ``(•)``/``( )`` —
    so that it never relies on colour alone. Space, Enter or a click chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", show=False)]

    class Changed(Message):
        """The chosen values changed."""

        def __init__(self, check_list: CheckList, chosen: list[Any]) -> None:
            super().__init__()
            self.check_list = check_list
            self.chosen = chosen

        @property
        def control(self) -> CheckList:
            return self.check_list

    def __init__(
        self, choices: list[Choice], chosen: list[Any], *, multiple: bool, id: str | None = None
    ) -> None:
        self.choices = choices
        self.multiple = multiple
        self.chosen = [c.value for c in choices if c.value in chosen]
        super().__init__(*[self._prompt(c) for c in choices], id=id)

    def _prompt(self, choice: Choice) -> Content:
        on = choice.value in self.chosen
        mark = ("[x] " if on else "[ ] ") if self.multiple else "(•) " if on else "( ) "
        first = Content.assemble((mark, "bold"), (choice.label, "bold" if on else ""))
        if choice.hint:
            return Content("\n").join([first, Content.assemble("    ", (choice.hint, "dim"))])
        return first

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def set_choices(self, choices: list[Choice]) -> None:
        """Show other choices (a filtered list), keeping what was chosen."""
        self.choices = choices
        self.set_options([self._prompt(c) for c in choices])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self:
            return
        choice = self.choices[event.option_index]
        if self.multiple:
            if choice.value in self.chosen:
                self.chosen.remove(choice.value)
            else:
                self.chosen.append(choice.value)
        else:
            self.chosen = [choice.value]
        for index, item in enumerate(self.choices):
            self.replace_option_prompt_at_index(index, self._prompt(item))
        event.stop()
        self.post_message(self.Changed(self, list(self.chosen)))


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    hint: str | None = None
