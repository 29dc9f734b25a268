"""Writing files the person asked for, into a folder they choose: one dialog for the
counselor's export and the personal take-home.

Nothing is written until the button is pressed; the names of the files are shown before;
existing files are replaced only when confirmed; a failure says what and where, and an
unexpected error a short message without the answers or notes its text may hold. The
session is kept in every case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from groupfinder.domain.i18n import N_, tr
from groupfinder.tui.base import ConfirmScreen
from groupfinder.tui.widgets import plain_line

if TYPE_CHECKING:
    from groupfinder.domain.models import Language


@dataclass(frozen=True)
class FilesJob:
    """What a files dialog writes, and how: the counselor's export, the personal take-home.

    The texts are messages (``N_``), said in the person's language when the dialog opens.
    ``unexpected`` gets ``{kind}``, the kind of error only.
    """

    title: str
    button: str
    unexpected: str
    explanation: str
    folder: Path
    #: The files that pressing the button writes into a folder.
    targets: Callable[[Path], list[Path]]
    #: Write them (``overwrite``), raising ExportExists / ExportError as present.export does.
    write: Callable[[Path, bool], list[Path]]
    #: Why nothing can be written yet (a message), or None.
    not_ready: Callable[[], str | None] = lambda: None
    #: Called after a successful write, before the dialog closes.
    written: Callable[[], None] = lambda: None


class FilesScreen(ModalScreen[None]):
    """Where to write; what will be written; then write it, as ``job`` says."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, job: FilesJob) -> None:
        super().__init__()
        self.job = job

    @property
    def lang(self) -> Language:
        return self.app.language  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="export-box"):
            yield Static(Content.styled(tr(lang, self.job.title), "bold"), id="export-title")
            yield Static(tr(lang, self.job.explanation))
            yield Label(tr(lang, "Folder"))
            yield Input(str(self.job.folder), id="export-folder")
            yield Static("", id="export-names")
            yield Static("", id="export-message")
            with Horizontal(id="nav"):
                yield Button(tr(lang, "Cancel"), id="cancel", compact=True)
                yield Button(
                    tr(lang, self.job.button), id="export", variant="primary", compact=True
                )

    def on_mount(self) -> None:
        self._show_names()
        # The folder first: typing changes it, Enter writes (the button is a Tab away).
        field = self.query_one("#export-folder", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def _show_names(self) -> None:
        try:
            names = ", ".join(p.name for p in self.job.targets(self._folder()))
        except Exception as exc:  # shown briefly, the session stays
            self._unexpected(exc)
            return
        self.query_one("#export-names", Static).update(plain_line(names))

    def _unexpected(self, exc: Exception) -> None:
        """A short message, without the answers or notes an error's text may hold."""
        self._say(tr(self.lang, self.job.unexpected, kind=type(exc).__name__))

    def _say(self, problem: str) -> None:
        self.query_one("#export-message", Static).update(Content.styled(problem, "bold $error"))

    def _folder(self) -> Path:
        return Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()

    @on(Input.Changed, "#export-folder")
    def folder_changed(self) -> None:
        self._show_names()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#export-folder")
    def export(self) -> None:
        self._write(overwrite=False)

    def _write(self, overwrite: bool) -> None:
        from groupfinder.present.export import ExportError, ExportExists

        problem = self.job.not_ready()
        if problem is not None:
            self._say(problem)
            return
        try:
            paths = self.job.write(self._folder(), overwrite)
        except ExportExists as exc:
            names = ", ".join(p.name for p in exc.paths)
            question = tr(
                self.lang, "These files exist already: {names}. Replace them?", names=names
            )
            self.app.push_screen(
                ConfirmScreen(question), lambda yes: self._write(overwrite=True) if yes else None
            )
            return
        except ExportError as exc:
            # The session stays as it is: fix the folder and try again.
            self._say(str(exc.render(self.lang)))
            return
        except Exception as exc:  # never a traceback with a person's answers
            self._unexpected(exc)
            return
        self.job.written()
        names = ", ".join(p.name for p in paths)
        folder = str(paths[0].parent) if paths else ""
        message = tr(self.lang, "Written in {folder}: {names}", folder=folder, names=names)
        self.app.notify(message, markup=False)
        self.dismiss()
