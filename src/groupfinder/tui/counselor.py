"""Counselor mode: the whole questionnaire on one screen beside the live ranking.

A counselor fills it in with a client during an intake, adjusts answers while they talk,
pins kinds of group and groups to discuss, marks groups as suggested, keeps notes, and
exports a handout, a summary and a record only when they ask. Nothing is written before.

The form is built from the same declared questions as the personal questionnaire: one
compact field per question kind, no screen per question.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from groupfinder.domain.i18n import N_, tr, trn
from groupfinder.domain.questionnaire import QUESTIONS, Question, options, unanswered
from groupfinder.domain.text import one_line
from groupfinder.tui.app import GroupfinderApp
from groupfinder.tui.base import BaseScreen, ConfirmScreen
from groupfinder.tui.files import FilesJob, FilesScreen
from groupfinder.tui.screens import crisis_content, notices_content, reasons_content, where_short
from groupfinder.tui.widgets import CheckList, Choice, match_bar, place_status, plain_line

if TYPE_CHECKING:
    from pathlib import Path

    from groupfinder.domain.models import Language
    from groupfinder.matching.matcher import GroupResult, Recommendation
    from groupfinder.modes.record import Record
    from groupfinder.modes.session import Session


class CounselorScreen(BaseScreen):
    """Header, notes and every answer on the left; the live ranking on the right."""

    # Priority: the text fields have their own Ctrl+E (end of line); ours must win there too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", N_("Export"), priority=True),
        Binding("ctrl+p", "pin", N_("Pin"), priority=True),
        Binding("ctrl+g", "suggest", N_("Suggest"), priority=True),
        Binding("ctrl+r", "focus_ranking", N_("Ranking"), priority=True),
    ]

    @property
    def gf(self) -> CounselorApp:
        return self.app  # type: ignore[return-value]

    def body(self) -> ComposeResult:
        gf, _t = self.gf, self._t
        intake = gf.session.intake
        with Horizontal(id="counselor"):
            with VerticalScroll(id="intake"):
                yield Static(Content.styled(_t("Intake"), "bold $accent"))
                with Horizontal(classes="header-row"):
                    yield Label(_t("Client code"), classes="field-label")
                    yield Input(
                        intake.client_ref,
                        id="client_ref",
                        max_length=24,
                        compact=True,
                        select_on_focus=False,  # the generated code stays unless changed
                    )
                with Horizontal(classes="header-row"):
                    yield Label(_t("Date"), classes="field-label")
                    yield Input(intake.date, id="date", max_length=10, compact=True)
                with Horizontal(classes="header-row"):
                    yield Label(_t("Counselor"), classes="field-label")
                    yield Input(
                        intake.counselor,
                        id="counselor_initials",
                        max_length=8,
                        placeholder=_t("initials"),
                        compact=True,
                    )
                yield Static(
                    self._notes_title(len(intake.notes)), classes="q-title", id="notes-title"
                )
                yield TextArea(
                    intake.notes,
                    id="notes",
                    soft_wrap=True,
                    compact=True,
                    placeholder=_t("Notes for the record (not in the client's handout)"),
                )
                for question in QUESTIONS:
                    yield Static(Content.styled(_t(question.title), "bold"), classes="q-title")
                    yield from self.field(question)
            with Vertical(id="ranking"):
                yield Static("", id="ranking-summary")
                yield DataTable(id="c-formats", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="c-groups", cursor_type="row", zebra_stripes=True)
                yield VerticalScroll(Static(id="c-detail"), id="c-detail-pane")

    def field(self, question: Question) -> ComposeResult:
        """One compact field for any question, by its kind."""
        gf = self.gf
        value = gf.session.answers.get(question.key)
        chosen = question.key in gf.session.chosen
        choices = [Choice(o.value, o.label, None) for o in options(question, gf.catalog, self.lang)]
        field_id = f"f-{question.key}"
        if question.kind == "single":
            values = [c.value for c in choices]
            current = value if chosen else unanswered(values)
            if not question.preselect and not chosen:
                current = None
            yield Select(
                [(c.label, str(i)) for i, c in enumerate(choices)],
                value=str(values.index(current)) if current in values else Select.NULL,
                allow_blank=not question.preselect,
                prompt=self._t("Not answered"),
                id=field_id,
                compact=True,
            )
        elif question.kind in ("multi", "search"):
            yield CheckList(choices, list(value or []), multiple=True, id=field_id)
        else:
            yield Input(
                value or "", id=field_id, placeholder=self._t("Postcode or town"), compact=True
            )
            yield Static("", id="f-location-status")

    def on_mount(self) -> None:
        self.query_one("#client_ref", Input).focus()

    def fill(self) -> None:
        location = self.gf.session.answers.get("location")
        if location:
            self._lookup(location)
        self.refresh_ranking()

    # -- answers change: the ranking follows at once ---------------------------------------

    @on(Select.Changed)
    def single_changed(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("f-")
        question = next(q for q in QUESTIONS if q.key == key)
        if event.value is Select.NULL:
            return
        chosen = options(question, self.gf.catalog, self.lang)[int(str(event.value))].value
        session = self.gf.session
        if session.answers.get(key) != chosen or key not in session.chosen:
            self.gf.answer(key, chosen)
            self.refresh_ranking()

    @on(CheckList.Changed)
    def multi_changed(self, event: CheckList.Changed) -> None:
        key = (event.check_list.id or "").removeprefix("f-")
        self.gf.answer(key, event.chosen)
        self.refresh_ranking()

    @on(Input.Changed, "#f-location")
    def location_changed(self, event: Input.Changed) -> None:
        self._lookup(event.value)
        self.refresh_ranking()

    def _lookup(self, text: str) -> None:
        status = self.query_one("#f-location-status", Static)
        if not text.strip():
            self.gf.set_place(None)
            self.gf.answer("location", None)
            status.update("")
            return
        lookup = self.gf.places.lookup(text)
        self.gf.set_place(lookup.place)
        self.gf.answer("location", text.strip())
        status.update(place_status(lookup, self.lang, with_choices=False))

    @on(Input.Changed, "#client_ref, #date, #counselor_initials")
    def header_changed(self, event: Input.Changed) -> None:
        intake = self.gf.session.intake
        if event.input.id == "client_ref":
            intake.client_ref = event.value.strip()
        elif event.input.id == "date":
            intake.date = event.value.strip()
            event.input.set_class(intake.header_date() is None, "-invalid")
        else:
            intake.counselor = event.value.strip()
        self.gf.intake_changed()

    def _notes_title(self, count: int) -> Content:
        """ "Notes (1 234 / 20 000)": the limit is visible while typing."""
        from groupfinder.modes.record import MAX_NOTES

        counter = self._t("{n} of {limit} characters", n=count, limit=MAX_NOTES)
        style = "bold $error" if count >= MAX_NOTES else "$foreground 60%"
        return Content.assemble((self._t("Notes"), "bold"), "  ", (counter, style))

    @on(TextArea.Changed, "#notes")
    def notes_changed(self, event: TextArea.Changed) -> None:
        from groupfinder.modes.record import MAX_NOTES

        area = event.text_area
        text = area.text
        if len(text) > MAX_NOTES:
            # Enforced while typing: what goes beyond the limit is not taken in.
            text = text[:MAX_NOTES]
            area.load_text(text)
            area.move_cursor(area.document.end)
            self.notify(
                self._t("Notes hold at most {limit} characters.", limit=MAX_NOTES),
                severity="warning",
            )
        self.gf.session.intake.notes = text
        self.query_one("#notes-title", Static).update(self._notes_title(len(text)))
        self.gf.intake_changed()

    # -- the ranking -----------------------------------------------------------------------

    def refresh_ranking(self) -> None:
        gf = self.gf
        if not gf.session.answers.get("needs"):
            self.rec: Recommendation | None = None
            waiting = Content(self._t("Choose at least one need to see the ranking."))
            crisis = crisis_content(gf.crisis_notice())  # at risk, help comes first anyway
            self.query_one("#ranking-summary", Static).update(
                waiting if crisis is None else Content("\n").join([waiting, crisis])
            )
            for table in self.query(DataTable):
                table.clear(columns=True)
            self.query_one("#c-detail", Static).update("")
            return
        self.rec = rec = gf.recommendation()
        self._fill(rec)

    def on_resize(self) -> None:
        if getattr(self, "rec", None) is not None:
            self.call_after_refresh(self.refresh_ranking)

    def _fill(self, rec: Recommendation) -> None:
        gf = self.gf
        summary = trn(
            self.lang,
            "{n} group fits your answers",
            "{n} groups fit your answers",
            rec.total_matches,
        )
        place = gf.place_label()
        if place:
            summary += " · " + self._t("near {place}", place=place)
        lines = [plain_line(summary)]
        if rec.notices:
            lines.append(notices_content(rec))
        self.query_one("#ranking-summary", Static).update(Content("\n").join(lines))
        width = self.query_one("#ranking").size.width or (self.app.size.width * 54 // 100)
        # Each column has a cell of padding on both sides; the rest goes to the names.
        formats = self.query_one("#c-formats", DataTable)
        row = formats.cursor_row
        formats.clear(columns=True)
        formats.add_column("", width=1)
        formats.add_column("#", width=2)
        formats.add_column(self._t("Kind"), width=max(12, width - 1 - 2 - 10 - 10))
        formats.add_column(self._t("Match"), width=10)
        for n, f in enumerate(rec.formats, start=1):
            mark = "P" if f.format.id in gf.session.intake.pinned_formats else ""
            formats.add_row(
                mark,
                str(n),
                plain_line(f.format.name.get(self.lang)),
                match_bar(f.match, 5),
                key=f.format.id,
            )
        formats.move_cursor(row=min(row, len(rec.formats) - 1))
        groups = self.query_one("#c-groups", DataTable)
        row = groups.cursor_row
        groups.clear(columns=True)
        # The name tells groups apart: it gets the room; "where" only when there is enough.
        where = 16 if width >= 64 else 12 if width >= 52 else 0
        columns = 5 if where else 4
        groups.add_column("", width=2)
        groups.add_column("#", width=2)
        name_width = width - 2 - 2 - where - 10 - 2 * columns - 2
        groups.add_column(self._t("Group"), width=max(12, name_width))
        if where:
            groups.add_column(self._t("Where"), width=where)
        groups.add_column(self._t("Match"), width=10)
        for n, g in enumerate(rec.groups, start=1):
            cells = [self._marks(g.group.id), str(n), plain_line(g.group.name)]
            if where:
                cells.append(plain_line(where_short(g, self.lang)))
            groups.add_row(*cells, match_bar(g.match, 5), key=g.group.id)
        if rec.groups:
            groups.move_cursor(row=min(row, len(rec.groups) - 1))
        self._show_detail()

    def _marks(self, group_id: str) -> str:
        intake = self.gf.session.intake
        return ("P" if group_id in intake.pinned_groups else "") + (
            "S" if group_id in intake.suggested_groups else ""
        )

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#c-detail", Static)
        rec = getattr(self, "rec", None)
        if rec is None:
            return
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "c-formats" and rec.formats:
            result = rec.formats[min(focused.cursor_row, len(rec.formats) - 1)]
            title = result.format.name.get(self.lang)
            detail.update(
                Content("\n").join(
                    [
                        Content.styled(one_line(title), "bold"),
                        reasons_content(result.reasons, self.lang),
                    ]
                )
            )
            return
        groups = self.query_one("#c-groups", DataTable)
        if not rec.groups:
            detail.update(self._t("No group meets all your wishes."))
            return
        g = rec.groups[min(groups.cursor_row, len(rec.groups) - 1)]
        detail.update(self._group_detail(g))

    def _group_detail(self, result: GroupResult) -> Content:
        """The group's facts, through the presenter of the group screen and the handout
        (who it is for, where and how, when, contacts, last checked), then its reasons."""
        from groupfinder.present.facts import group_facts

        today = self.gf.today or dt.date.today()
        facts = group_facts(result, self.gf.catalog, self.lang, today)
        return Content("\n").join(
            [
                Content.styled(one_line(result.group.name), "bold"),
                *(Content.assemble((label + ": ", "bold"), plain_line(v)) for label, v in facts),
                Content.styled(self._t("Why this score"), "bold"),
                reasons_content(result.reasons, self.lang),
            ]
        )

    # -- pins, suggestions, export ---------------------------------------------------------

    def _target(self) -> tuple[str, str] | None:
        """("format" | "group", id) of the highlighted row in the focused table."""
        rec = getattr(self, "rec", None)
        focused = self.focused
        if rec is None or not isinstance(focused, DataTable):
            return None
        if focused.id == "c-formats" and rec.formats:
            return "format", rec.formats[focused.cursor_row].format.id
        if focused.id == "c-groups" and rec.groups:
            return "group", rec.groups[focused.cursor_row].group.id
        return None

    def action_pin(self) -> None:
        target = self._target()
        if target is None:
            self.notify(self._t("Choose a kind of group or a group in the ranking first."))
            return
        kind, item = target
        intake = self.gf.session.intake
        pinned = intake.pinned_formats if kind == "format" else intake.pinned_groups
        if item in pinned:
            pinned.remove(item)
        else:
            pinned.append(item)
        self.gf.intake_changed()
        self.refresh_ranking()

    def action_suggest(self) -> None:
        target = self._target()
        if target is None or target[0] != "group":
            self.notify(self._t("Choose a group in the ranking first."))
            return
        suggested = self.gf.session.intake.suggested_groups
        if target[1] in suggested:
            suggested.remove(target[1])
        else:
            suggested.append(target[1])
        self.gf.intake_changed()
        self.refresh_ranking()

    def action_focus_ranking(self) -> None:
        self.query_one("#c-groups", DataTable).focus()

    def action_export(self) -> None:
        if getattr(self, "rec", None) is None:
            self.notify(self._t("Choose at least one need to see the ranking."), severity="error")
            return
        self.app.push_screen(FilesScreen(self.gf.export_job()))


class CounselorApp(GroupfinderApp):
    """Counselor mode: the same engine and session, one dense screen, exports on request."""

    def __init__(self, *args: Any, record: Record | None = None, **kwargs: Any) -> None:
        self.record = record
        super().__init__(*args, **kwargs)

    def new_session(self, language: Language) -> Session:
        from groupfinder.modes.session import Intake, Session

        if self.record is not None:
            session = Session.from_record(self.record)
            location = self.record.answers.location
            session.place = self.places.lookup(location).place if location else None
            return session
        session = Session.new(language)
        if self.today:
            session.intake = Intake(date=self.today.isoformat())
        return session

    def intake_changed(self) -> None:
        self.session.intake_changed()
        self._shown()

    def first_screen(self) -> Screen[Any]:
        return CounselorScreen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_home":
            return False  # the counselor suggests groups (Ctrl+G) and exports (Ctrl+E)
        return super().check_action(action, parameters)

    async def action_quit(self) -> None:
        """Quit; with changes not exported yet, ask first."""
        if not self.session.unsaved:
            self.exit()
            return
        question = tr(
            self.language,
            "This intake has changes that were not exported. Quit and lose them?",
        )
        self.push_screen(ConfirmScreen(question), lambda yes: self.exit() if yes else None)

    def start_questions(self) -> None:
        self.push_screen(CounselorScreen())

    def export_job(self) -> FilesJob:
        """The export dialog's job: the handout, summary, record and calendar."""
        return FilesJob(
            title=N_("Export"),
            button=N_("Export"),
            unexpected=N_("Could not export ({kind}). Nothing was written; the intake is kept."),
            explanation=N_(
                "Four files: a handout for the client (PDF), a summary (Markdown), a record "
                "(JSON) and the groups' sessions for a calendar (.ics). Nothing has been "
                "written yet."
            ),
            folder=self.export_folder(),
            targets=self.export_targets,
            write=lambda folder, overwrite: self.export(folder, overwrite=overwrite),
            not_ready=self.export_not_ready,
            written=self.mark_saved,
        )

    def export_not_ready(self) -> str | None:
        """The record must say when the intake was: never guess a date behind their back."""
        if self.header_date() is None:
            return tr(
                self.language,
                "The date {value!r} is not a date as YYYY-MM-DD: correct it first.",
                value=self.session.intake.date,
            )
        return None

    def export_folder(self) -> Path:
        from groupfinder.present.export import default_export_dir

        return default_export_dir()

    def header_date(self) -> dt.date | None:
        """The intake date typed in the header; None when it is not a YYYY-MM-DD date."""
        return self.session.intake.header_date()

    def current_record(self) -> Record:
        """The intake as a record (contract 1 answers plus header, notes and marks)."""
        return self.session.record(today=self.today)

    def export_targets(self, folder: Path) -> list[Path]:
        from groupfinder.present.export import default_basename, export_paths

        return export_paths(folder, default_basename(self.current_record()))

    def export(self, folder: Path, overwrite: bool) -> list[Path]:
        from groupfinder.present.export import default_basename, export_files

        record = self.current_record()
        return export_files(
            folder,
            default_basename(record),
            self.recommendation(),
            self.catalog,
            record,
            overwrite=overwrite,
        )
