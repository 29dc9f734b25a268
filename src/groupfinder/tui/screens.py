"""The screens: welcome, one generic question screen, summary, results, group, crisis.

Screens render engine objects and write answers into the app's session as soon as they
change, so that going back, switching language or resizing never loses anything.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option as ListOption

from groupfinder.domain.i18n import N_, format_km, tr, trn
from groupfinder.domain.models import Language
from groupfinder.domain.questionnaire import Question, describe, options, unanswered
from groupfinder.domain.text import one_line
from groupfinder.domain.words import Reason
from groupfinder.matching.notices import PROFESSIONAL_HELP_FIRST
from groupfinder.present.facts import group_facts, group_where
from groupfinder.present.further import LookFurther, look_further_section
from groupfinder.present.outputs import help_line
from groupfinder.present.scores import reason_lines
from groupfinder.tui.base import BaseScreen
from groupfinder.tui.widgets import (
    CheckList,
    Choice,
    match_bar,
    place_status,
    plain,
    plain_line,
)

if TYPE_CHECKING:
    from groupfinder.matching.matcher import GroupResult, Recommendation


# ----------------------------------------------------------------------------- questions


class QuestionScreen(BaseScreen):
    """Any question of the questionnaire, by its kind."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # F4: a browser keeps Ctrl+N (new window), Ctrl+W and Ctrl+T for itself when the app
        # is served; Ctrl+N still works in a terminal.
        Binding("f4", "next", N_("Next")),
        Binding("ctrl+n", "next", N_("Next"), show=False),
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "skip", N_("Skip")),
    ]

    def __init__(self, question: Question, editing: bool = False) -> None:
        super().__init__(name=question.key)
        self.question = question
        self.editing = editing
        #: The text in the filter field of a search question (kept across recomposes).
        self.filter = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "skip" and not self.question.skippable)

    def body(self) -> ComposeResult:
        q, gf = self.question, self.gf
        position, total = gf.progress(q)
        with Horizontal(id="progress-row"):
            yield Label(
                self._t("Question {n} of {total}", n=position, total=total), id="progress-label"
            )
            bar = ProgressBar(total=total, show_eta=False, show_percentage=False, id="progress")
            bar.progress = position
            yield bar
        yield Static(self._t(q.title), id="question-title")
        yield Static(self._t(q.help), id="question-help")
        value = gf.session.answers.get(q.key)
        choices = [Choice(o.value, o.label, o.hint) for o in options(q, gf.catalog, self.lang)]
        if q.kind == "single":
            chosen = [value] if q.key in gf.session.chosen else []
            yield CheckList(choices, chosen, multiple=False, id="answer")
        elif q.kind in ("multi", "search"):
            if q.kind == "search":
                yield Input(self.filter, placeholder=self._t("Type to filter"), id="filter")
                choices = [c for c in choices if starts_a_word(self.filter.strip(), c.label)]
            yield CheckList(choices, list(value or []), multiple=True, id="answer")
            yield Static(self._t("Space or Enter chooses; F4 goes on."), classes="hint")
        elif q.kind == "place":
            yield Input(
                value=value or "",
                placeholder=self._t("Postcode or town, e.g. 9000 or Utrecht"),
                id="place",
            )
            yield Static("", id="place-status")
            yield OptionList(id="place-choices")
        with Horizontal(id="nav"):
            yield Button(self._t("Back"), id="back", compact=True)
            if q.skippable:
                yield Button(self._t("Skip"), id="skip", compact=True)
            yield Button(
                self._t("Done") if self.editing else self._t("Next"),
                id="next",
                variant="primary",
                compact=True,
            )
        yield Static("", id="question-error")

    def fill(self) -> None:
        q = self.question
        if q.kind == "single":
            answer = self.query_one("#answer", CheckList)
            values = [c.value for c in answer.choices]
            current = self.gf.session.answers.get(q.key, unanswered(values))
            answer.highlighted = values.index(current) if current in values else 0
            answer.focus()
        elif q.kind == "multi":
            self.query_one("#answer", CheckList).focus()
        elif q.kind == "search":
            self.query_one("#filter", Input).focus()
        elif q.kind == "place":
            self.query_one("#place-choices", OptionList).display = False
            self._lookup(self.query_one("#place", Input).value)
            self.query_one("#place", Input).focus()

    @on(CheckList.Changed, "#answer")
    def chosen(self, event: CheckList.Changed) -> None:
        q = self.question
        if q.kind == "single":
            self.gf.answer(q.key, event.chosen[0])
            self.action_next()
        else:
            self.gf.answer(q.key, event.chosen)
            self.query_one("#question-error", Static).update("")

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = event.value
        needle = event.value.strip().casefold()
        choices = [
            Choice(o.value, o.label, o.hint)
            for o in options(self.question, self.gf.catalog, self.lang)
            if starts_a_word(needle, o.label)
        ]
        self.query_one("#answer", CheckList).set_choices(choices)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.query_one("#answer", CheckList).focus()

    # -- place ---------------------------------------------------------------------------

    @on(Input.Changed, "#place")
    def place_changed(self, event: Input.Changed) -> None:
        self._lookup(event.value)

    def _lookup(self, text: str) -> None:
        status = self.query_one("#place-status", Static)
        choices = self.query_one("#place-choices", OptionList)
        choices.display = False
        self.gf.set_place(None)
        if not text.strip():
            self.gf.answer("location", None)
            status.update("")
            return
        lookup = self.gf.places.lookup(text)
        self.gf.answer("location", text.strip())
        status.update(place_status(lookup, self.lang, with_choices=True))
        if lookup.place is not None:
            self.gf.set_place(lookup.place)
        elif lookup.ambiguous:
            choices.clear_options()
            choices.add_options(
                [
                    ListOption(plain_line(f"{p.label(self.lang)} ({p.country})"), id=str(n))
                    for n, p in enumerate(lookup.candidates)
                ]
            )
            choices.display = True

    @on(OptionList.OptionSelected, "#place-choices")
    def place_chosen(self, event: OptionList.OptionSelected) -> None:
        text = self.query_one("#place", Input).value
        candidates = self.gf.places.lookup(text).candidates
        place = candidates[event.option_index]
        precise = f"{place.country} {place.postcode}"
        self.query_one("#place", Input).value = precise

    @on(Input.Submitted, "#place")
    def place_submitted(self) -> None:
        self.action_next()

    # -- navigation ----------------------------------------------------------------------

    @on(Button.Pressed, "#nav Button")
    def nav_pressed(self, event: Button.Pressed) -> None:
        {"back": self.action_back, "skip": self.action_skip, "next": self.action_next}[
            event.button.id or "next"
        ]()

    def action_next(self) -> None:
        q = self.question
        problem = self.gf.problem_with(q)
        if problem:
            self.query_one("#question-error", Static).update(Content.styled(problem, "bold $error"))
            return
        if q.kind == "single":
            values = [c.value for c in self.query_one("#answer", CheckList).choices]
            self.gf.accept(q, self.gf.session.answers.get(q.key, unanswered(values)))
        elif q.kind != "place":
            self.gf.accept(q, self.gf.session.answers.get(q.key, []))
        self.gf.next_after(q, editing=self.editing)

    def action_back(self) -> None:
        self.gf.back_from(q=self.question, editing=self.editing)

    def action_skip(self) -> None:
        if self.question.skippable:
            self.gf.skip(self.question)
            self.gf.next_after(self.question, editing=self.editing)


# ----------------------------------------------------------------------------- summary


class SummaryScreen(BaseScreen):
    """Every answer on one screen, each one editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "results", N_("See suggestions")),
        Binding("ctrl+n", "results", N_("See suggestions"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, from_results: bool = False) -> None:
        super().__init__()
        self.from_results = from_results

    def body(self) -> ComposeResult:
        yield Static(self._t("Your answers"), id="question-title")
        yield Static(self._t("Choose an answer and press Enter to change it."), id="question-help")
        gf = self.gf
        rows = []
        for q in gf.asked_questions():
            answer = describe(q, gf.session.answers.get(q.key), gf.catalog, self.lang)
            rows.append(
                ListOption(
                    Content.assemble((self._t(q.title), "bold"), "\n  ", plain_line(answer)),
                    id=q.key,
                )
            )
        yield OptionList(*rows, id="summary")
        with Horizontal(id="nav"):
            yield Button(self._t("Back"), id="back", compact=True)
            yield Button(self._t("See suggestions"), id="results", compact=True, variant="primary")

    def fill(self) -> None:
        self.query_one("#summary", OptionList).focus()

    @on(OptionList.OptionSelected, "#summary")
    def edit(self, event: OptionList.OptionSelected) -> None:
        self.gf.edit(event.option.id or "")

    @on(Button.Pressed, "#nav Button")
    def nav_pressed(self, event: Button.Pressed) -> None:
        (self.action_back if event.button.id == "back" else self.action_results)()

    def action_results(self) -> None:
        self.gf.show_results()

    def action_back(self) -> None:
        if self.from_results:
            self.gf.show_results()
        else:
            self.gf.back_from(None, editing=False)


# ----------------------------------------------------------------------------- results


class ResultsScreen(BaseScreen):
    """Ranked kinds of group, groups and near misses, each with its reasons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answers", N_("Answers")),
        # The tab keys are shown in the tab labels themselves.
        Binding("1", "tab('kinds')", N_("Kinds of group"), show=False),
        Binding("2", "tab('groups')", N_("Groups"), show=False),
        Binding("3", "tab('almost')", N_("Almost"), show=False),
        Binding("escape", "answers", N_("Back"), show=False),
    ]

    #: The tab the person is on, kept when the screen is composed again.
    tab: str | None = None

    def body(self) -> ComposeResult:
        rec = self.gf.recommendation()
        self.rec = rec
        where = self.gf.place_label()
        summary = trn(
            self.lang,
            "{n} group fits your answers",
            "{n} groups fit your answers",
            rec.total_matches,
        )
        if where:
            summary += " · " + self._t("near {place}", place=where)
        yield Static(plain_line(summary), id="results-summary")
        if rec.notices:
            with VerticalScroll(id="notices-box"):
                yield Static(notices_content(rec), id="notices")
        further = look_further_section(rec)
        if further.first:  # sample data: the real directories before the fictional groups
            yield from self._look_further(further)
        initial = self.tab or ("groups" if rec.groups else "kinds")
        with TabbedContent(id="tabs", initial=initial):
            with TabPane("1 " + self._t("Kinds of group"), id="kinds"):
                yield DataTable(id="formats-table", cursor_type="row", zebra_stripes=True)
                yield VerticalScroll(Static(id="format-detail"), id="format-pane")
            with TabPane("2 " + self._t("Groups"), id="groups"):
                yield DataTable(id="groups-table", cursor_type="row", zebra_stripes=True)
                yield VerticalScroll(Static(id="group-detail"), id="group-pane")
            with TabPane("3 " + self._t("Almost ({n})", n=len(rec.near_misses)), id="almost"):
                yield DataTable(id="almost-table", cursor_type="row", zebra_stripes=True)
                yield VerticalScroll(Static(id="almost-detail"), id="almost-pane")
        if not further.first:
            yield from self._look_further(further)

    def _look_further(self, further: LookFurther) -> ComposeResult:
        """Where to look further, under the results (above them while they are samples)."""
        with VerticalScroll(id="look-further-box"):
            yield Static(look_further_content(further), id="look-further")

    def fill(self) -> None:
        rec, _t = self.rec, self._t
        formats = self.query_one("#formats-table", DataTable)
        formats.add_column("#", width=2)
        formats.add_column(_t("Kind"), width=max(20, self.app.size.width - 30))
        formats.add_column(_t("Match"), width=15)
        for n, f in enumerate(rec.formats, start=1):
            formats.add_row(
                str(n),
                plain_line(f.format.name.get(self.lang)),
                match_bar(f.match),
                key=f.format.id,
            )
        self._fill_groups("#groups-table", rec.groups)
        self._fill_groups("#almost-table", rec.near_misses)
        self._show_format(0)
        self._show_group("#groups-table", rec.groups, "#group-detail", 0)
        self._show_group("#almost-table", rec.near_misses, "#almost-detail", 0)
        active = self.query_one("#tabs", TabbedContent).active
        self.query_one(f"#{'groups' if active == 'groups' else 'formats'}-table").focus()

    def _fill_groups(self, selector: str, results: tuple[GroupResult, ...]) -> None:
        table = self.query_one(selector, DataTable)
        _t = self._t
        # Fit the screen: each column has one cell of padding on both sides.
        wide = self.app.size.width >= 110
        kind, where, match = (22, 20, 10) if wide else (14, 14, 10)
        name = max(16, self.app.size.width - 6 - 10 - 2 - kind - where - match)
        table.add_column("#", width=2)
        table.add_column(_t("Group"), width=name)
        table.add_column(_t("Kind"), width=kind)
        table.add_column(_t("Where"), width=where)
        table.add_column(_t("Match"), width=match)
        for n, r in enumerate(results, start=1):
            fmt = self.gf.catalog.formats[r.group.format].name.get(self.lang)
            table.add_row(
                str(n),
                plain_line(r.group.name),
                plain_line(fmt),
                plain_line(where_short(r, self.lang)),
                match_bar(r.match, 5),
                key=r.group.id,
            )

    @on(TabbedContent.TabActivated, "#tabs")
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.tab = event.pane.id

    @on(DataTable.RowHighlighted, "#formats-table")
    def format_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_format(event.cursor_row)

    @on(DataTable.RowHighlighted, "#groups-table")
    def group_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_group("#groups-table", self.rec.groups, "#group-detail", event.cursor_row)

    @on(DataTable.RowHighlighted, "#almost-table")
    def almost_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_group("#almost-table", self.rec.near_misses, "#almost-detail", event.cursor_row)

    @on(DataTable.RowSelected, "#groups-table")
    def group_selected(self, event: DataTable.RowSelected) -> None:
        self.gf.show_group(self.rec.groups[event.cursor_row])

    @on(DataTable.RowSelected, "#almost-table")
    def almost_selected(self, event: DataTable.RowSelected) -> None:
        self.gf.show_group(self.rec.near_misses[event.cursor_row])

    def _show_format(self, row: int) -> None:
        if not self.rec.formats:
            return
        result = self.rec.formats[min(row, len(self.rec.formats) - 1)]
        fmt = result.format
        self.query_one("#format-detail", Static).update(
            Content("\n").join(
                [
                    Content.assemble(
                        (one_line(fmt.name.get(self.lang)), "bold"), "  ", match_bar(result.match)
                    ),
                    plain(fmt.description.get(self.lang)),
                    Content.assemble(
                        (self._t("Led by") + ": ", "bold"), plain(fmt.led_by.get(self.lang))
                    ),
                    Content.assemble(
                        (self._t("Goal") + ": ", "bold"), plain(fmt.goal.get(self.lang))
                    ),
                    Content.styled(self._t("Why this score"), "bold"),
                    reasons_content(result.reasons, self.lang),
                ]
            )
        )

    def _show_group(
        self, table: str, results: tuple[GroupResult, ...], detail: str, row: int
    ) -> None:
        target = self.query_one(detail, Static)
        if not results:
            target.update(
                self._t(
                    "No group meets all your wishes. See the near misses, or "
                    "change your answers with a."
                )
                if table == "#groups-table"
                else self._t("No near misses.")
            )
            return
        result = results[min(row, len(results) - 1)]
        lines = [
            Content.assemble((one_line(result.group.name), "bold"), "  ", match_bar(result.match))
        ]
        if result.missed:
            lines.append(
                Content.styled(
                    self._t("Misses: {what}", what=one_line(result.missed)), "bold $error"
                )
            )
        lines.append(reasons_content(result.reasons, self.lang))
        lines.append(
            Content.styled(self._t("Press Enter for all details and how to join."), "italic")
        )
        target.update(Content("\n").join(lines))

    def action_answers(self) -> None:
        self.gf.show_summary(from_results=True)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        table = {"kinds": "#formats-table", "groups": "#groups-table", "almost": "#almost-table"}
        self.query_one(table[tab]).focus()


def where_short(result: GroupResult, lang: Language) -> str:
    """Distance first, so that a narrow column never cuts the number: "4,2 km · Gent"."""
    g = result.group
    if g.setting == "online" or result.distance_km is None:
        return group_where(g, result.distance_km, lang)
    return _t_km(lang, result.distance_km) + " · " + (g.city or "")


def _t_km(lang: Language, km: float) -> str:
    return tr(lang, "{km} km", km=format_km(lang, km))


def starts_a_word(needle: str, label: str) -> bool:
    """Whether a word of ``label`` starts with ``needle`` ("rouw" finds "Rouw", not
    "Zelfvertrouwen"); case and accents are ignored."""
    if not needle:
        return True
    words = re.split(r"[\s\-/()']+", fold(label))
    return any(word.startswith(fold(needle)) for word in words)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def reasons_content(reasons: tuple[Reason, ...], lang: Language) -> Content:
    lines = [
        Content.assemble(
            (f"{line.sign} ", f"bold {TONE_STYLES[line.tone]}"),
            Content(line.text),
            (f" {line.points}" if line.points else "", "$foreground 60%"),
        )
        for line in reason_lines(reasons, lang)
    ]
    return Content("\n").join(lines)


TONE_STYLES = {"plus": "$success", "minus": "$error", "neutral": "$foreground 60%"}


# ----------------------------------------------------------------------------- one group


class GroupScreen(BaseScreen):
    """Everything about one group, why it ranks where it does, and how to join."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("c", "choose_group", N_("Choose")),
    ]

    def __init__(self, result: GroupResult) -> None:
        super().__init__()
        self.result = result

    def body(self) -> ComposeResult:
        result, lang, _t = self.result, self.lang, self._t
        g = result.group
        fmt = self.gf.catalog.formats[g.format]
        crisis = crisis_content(self.gf.crisis_notice())
        if crisis is not None:
            yield Static(crisis, id="crisis-panel")
        with VerticalScroll(id="group-scroll"):
            yield Static(
                Content.assemble((one_line(g.name), "bold"), "  ", match_bar(result.match)),
                id="group-name",
            )
            yield Static(plain(fmt.name.get(lang)), classes="group-kind")
            yield Static("", id="chosen-mark")
            if result.missed:
                yield Static(
                    Content.styled(
                        _t("Misses: {what}", what=one_line(result.missed)), "bold $error"
                    )
                )
            if g.description:
                yield Static(plain(g.description), classes="group-description")
            today = self.gf.today or dt.date.today()
            rows = group_facts(result, self.gf.catalog, lang, today, omit=("kind",))  # above
            yield Static(
                Content("\n").join(
                    Content.assemble((label + ": ", "bold"), plain_line(value))
                    for label, value in rows
                ),
                classes="facts",
            )
            yield Static(Content.styled(_t("Why this score"), "bold"), classes="section")
            yield Static(reasons_content(result.reasons, self.lang))
            yield Static(Content.styled(_t("Before you join"), "bold"), classes="section")
            yield Static(
                Content("\n").join(
                    Content.assemble("• ", plain(a.text.get(lang))) for a in self.gf.catalog.advice
                )
            )
        with Horizontal(id="nav"):
            yield Button(_t("Back"), id="back", compact=True, variant="primary")

    def fill(self) -> None:
        self.query_one("#group-scroll").focus()
        self.show_chosen()

    def show_chosen(self) -> None:
        """Whether this group is on the person's list to take home, and how to change it."""
        if self.result.group.id in self.gf.take_home:
            mark = Content.styled(
                self._t("✓ On your list to take home (c takes it off; F6 takes the list home)"),
                "bold $success",
            )
        else:
            mark = Content.styled(self._t("c puts it on your list to take home"), "$text-muted")
        self.query_one("#chosen-mark", Static).update(mark)

    def action_choose_group(self) -> None:
        self.gf.choose_group(self.result.group)
        self.show_chosen()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()


def crisis_content(notice: tuple[str, str] | None) -> Content | None:
    """At risk (``notice`` from :meth:`GroupfinderApp.crisis_notice`): the person's first
    helplines and the professional-first advice, in red, as the results show them."""
    if notice is None:
        return None
    help_text, advice = notice
    return Content("\n").join(
        [
            Content.styled(help_text, "bold $error"),
            Content.assemble(("! ", "bold $error"), (advice, "bold")),
        ]
    )


def notices_content(rec: Recommendation) -> Content:
    """The recommendation's notices, one paragraph each. At risk, the person's first
    helplines come before them, and professional help first, in red."""
    lines = []
    if rec.crisis_help:
        lines.append(Content.styled(help_line(rec), "bold $error"))
    lines += [
        Content.assemble(("! ", "bold $error"), (one_line(n.text), "bold"))
        if n.id == PROFESSIONAL_HELP_FIRST
        else Content.assemble(("• ", "bold $warning"), plain(n.text))
        for n in rec.notices
    ]
    return Content("\n").join(lines)


def look_further_content(section: LookFurther) -> Content:
    """The look-further section as literal text: a title, then each place's name, web
    address and offer. The sample-data line is in the notices above."""
    lines = [Content.assemble((section.title, "bold $accent"), " · ", plain_line(section.intro))]
    for p in section.entries:
        lines.append(Content.assemble(("• ", "bold"), (p.name, "bold"), "  ", plain_line(p.url)))
        lines.append(Content.assemble("  ", (one_line(p.about), "$foreground 70%")))
    return Content("\n").join(lines)
