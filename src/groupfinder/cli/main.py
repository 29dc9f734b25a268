"""The ``groupfinder`` command (contract 2).

Exit codes: 0 success; 2 bad input (usage, unreadable or invalid answers or catalog), with a
message naming file, line and field and no traceback; 1 an unexpected fault.

Help never depends on valid input: every error of a command that reads answers (``recommend``,
the app, ``--counselor --load``), usage errors included, ends with the short help line in the
person's language, and begins with the full crisis help when the raw input says or suggests
risk (:func:`with_help`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NoReturn, TextIO

from groupfinder import __version__
from groupfinder.cli.settings import Settings
from groupfinder.domain.errors import InputError, Problem
from groupfinder.domain.i18n import N_, tr, trn
from groupfinder.domain.vocabulary import LANGUAGES, Language

if TYPE_CHECKING:
    from groupfinder.catalog.hsds import ImportResult
    from groupfinder.catalog.places import PlaceIndex
    from groupfinder.domain.models import Answers, Catalog, Helpline
    from groupfinder.modes.record import Record
    from groupfinder.tui.app import GroupfinderApp

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2
OUTPUT_FORMATS = ("table", "json", "markdown")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors go through our own message and exit code 2."""

    #: Set by :func:`main` for a command that reads answers: says the help around the error.
    around_error: ClassVar[Callable[[Callable[[], object]], None] | None] = None

    def error(self, message: str) -> NoReturn:
        def report() -> None:
            self.print_usage(sys.stderr)
            sys.stderr.write(f"{self.prog}: {message}\n")

        if _Parser.around_error is not None:
            _Parser.around_error(report)
        else:
            report()
        self.exit(EXIT_BAD_INPUT)


class Refusal(Exception):
    """A command cannot run as asked (no terminal): its message, exit status 2."""


# ----------------------------------------------------------------------------- help first


@dataclass
class AnswersInput:
    """The answers a command was given, as far as they could be read: on any error, the
    help that comes with the message is worked out from these."""

    #: A path, ``-`` for standard input, or None (the app, without a file).
    source: str | None = None
    data: Path | None = None
    #: ``--lang``: the language the person asked for.
    language: Language | None = None
    stdin_text: str | None = None
    #: The answers, once they were read and valid.
    answers: Answers | None = None

    def raw_text(self) -> str:
        if self.source is None:
            return ""
        if self.source == "-":
            return self.stdin_text or ""
        try:
            # At most a mebibyte: an endless file (/dev/zero) must not fill the memory.
            with Path(self.source).open("rb") as stream:
                return stream.read(1_000_000).decode("utf-8", "replace")
        except OSError:
            return ""


def person_help(given: AnswersInput, lang: Language) -> tuple[str | None, str]:
    """The full crisis help (None when nothing says risk) and the short help line, in the
    person's language and order. Never raises: at worst, 112."""
    from groupfinder.catalog.risk import RawAnswers, read_raw
    from groupfinder.matching.helplines import helplines_for_person
    from groupfinder.present.crisis import crisis_help_text, short_help_line

    try:
        raw = read_raw(given.raw_text())
    except Exception:  # pragma: no cover - reading for help must never fail the message
        raw = RawAnswers(at_risk=True)
    answers = given.answers
    at_risk = raw.at_risk or (answers is not None and answers.at_risk)
    # The language the file states (not the answers' default), else the command line's.
    language = given.language or raw.language or lang
    ordered: tuple[Helpline, ...] = ()
    try:
        speaks = answers.languages if answers else raw.languages
        location = answers.location if answers else raw.location
        ordered = helplines_for_person(
            _helplines_anyway(given.data), _country(location, given.data), language, speaks
        )
    except Exception:  # pragma: no cover - the shipped helplines always load
        pass
    crisis = crisis_help_text(ordered, language) if at_risk else None
    return crisis, short_help_line(ordered, language)


def _helplines_anyway(data: Path | None) -> list[Helpline]:
    """The operator's helplines, else the shipped ones when the operator's do not load."""
    from groupfinder.catalog.loader import HELPLINES_FILE, data_file, load_helplines
    from groupfinder.catalog.loader import shipped_data_dir as shipped

    try:
        return load_helplines(data_file(HELPLINES_FILE, data))
    except InputError:
        return load_helplines(shipped() / HELPLINES_FILE)


def _country(location: str | None, data: Path | None) -> str | None:
    """The country of the person's place, when it can be told; else None (all lines)."""
    if not location:
        return None
    from groupfinder.catalog.loader import load_places

    try:
        lookup = load_places(data if data is not None and data.is_dir() else None).lookup(location)
    except InputError:
        return None
    if lookup.place is not None:
        return lookup.place.country
    countries = {p.country for p in lookup.candidates}
    return countries.pop() if len(countries) == 1 else None


def say_with_help(given: AnswersInput, lang: Language, report: Callable[[], object]) -> None:
    """The crisis help first when the input says risk, then ``report()``, then the help line."""
    crisis, line = person_help(given, lang)
    if crisis:
        print(crisis + "\n", file=sys.stderr)
    report()
    print(line, file=sys.stderr)


def with_help(
    given: AnswersInput,
    lang: Language,
    run: Callable[[], int],
    kiosk: bool = False,
    debug: bool = False,
) -> int:
    """``run()``, with every error it ends in said with the help around it."""
    try:
        return run()
    except InputError as exc:
        problems = exc.problems
        say_with_help(given, lang, lambda: report_problems(problems, lang))
        return EXIT_BAD_INPUT
    except Refusal as exc:
        message = str(exc)
        say_with_help(given, lang, lambda: print(message, file=sys.stderr))
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise
    except Exception as exc:
        if debug:
            raise
        fault = exc
        say_with_help(given, lang, lambda: report_fault(fault, lang, kiosk))
        return EXIT_FAULT


def _read_stdin() -> str:
    """Standard input, at most one character past the answers' limit (the reader then says
    the input is too large): ``/dev/zero`` must not fill the memory."""
    from groupfinder.catalog.answers import MAX_BYTES as MAX_ANSWERS_BYTES

    return sys.stdin.read(MAX_ANSWERS_BYTES + 1)


def _reopened(args: argparse.Namespace) -> str | None:
    """The answers file or record the app reopens (--load, --answers), if any."""
    for path in (args.load, getattr(args, "open_answers", None)):
        if path is not None:
            return str(path)
    return None


def answers_in_argv(argv: Sequence[str]) -> AnswersInput | None:
    """The answers named on a command line, read without argparse (for its usage errors);
    None for a command that reads no answers."""
    args = list(argv)

    def value(flag: str) -> str | None:
        for n, arg in enumerate(args):
            if arg == flag and n + 1 < len(args):
                return args[n + 1]
            if arg.startswith(flag + "="):
                return arg.split("=", 1)[1]
        return None

    if "recommend" in args:
        source = value("--answers")
    elif any(a == "--load" or a.startswith("--load=") for a in args):
        source = value("--load")
    elif any(a == "--answers" or a.startswith("--answers=") for a in args):
        source = value("--answers")  # groupfinder --answers FILE: the app reopens answers
    else:
        return None
    stdin_text = None
    if source == "-" and not sys.stdin.isatty():
        stdin_text = _read_stdin()
    language = value("--lang")
    data = value("--data")
    return AnswersInput(
        source=source,
        data=Path(data) if data else None,
        language=language if language in LANGUAGES else None,
        stdin_text=stdin_text,
    )


def build_parser(lang: Language) -> argparse.ArgumentParser:
    def _t(message: str) -> str:
        return tr(lang, message).replace("%", "%%")

    parser = _Parser(
        prog="groupfinder",
        description=_t(N_("Find the kind of group that helps you heal, and a group near you.")),
    )
    parser.add_argument("--version", action="version", version=f"groupfinder {__version__}")
    data_help = _t(
        N_(
            "folder with your own formats.toml, groups.csv, helplines.toml or "
            "places.csv (default: $GROUPFINDER_DATA, else the shipped catalog)"
        )
    )
    # Subcommands take --data too; theirs wins, else this one (SUPPRESS keeps it).
    parser.add_argument("--data", type=Path, metavar="DIR", help=data_help)
    parser.add_argument(
        "--counselor",
        action="store_true",
        help=_t(N_("counselor mode: every answer beside the live ranking, notes, exports")),
    )
    parser.add_argument(
        "--load",
        type=Path,
        metavar="FILE",
        help=_t(N_("with --counselor: reopen a saved record or an answers file")),
    )
    parser.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        dest="open_answers",
        help=_t(N_("open at the results for a saved answers file (or a counselor's record)")),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    recommend = commands.add_parser(
        "recommend",
        help=_t(N_("rank group formats and groups for an answers file")),
        description=_t(N_("Rank group formats and groups for an answers file (JSON).")),
    )
    recommend.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help=_t(N_("the answers file, or - to read it from standard input")),
    )
    recommend.add_argument(
        "--data", type=Path, metavar="DIR", help=data_help, default=argparse.SUPPRESS
    )
    recommend.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_t(N_("language of names and reasons (default: the answers' language)")),
    )
    recommend.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="table",
        dest="output",
        help=_t(N_("output format (default: table)")),
    )
    recommend.add_argument(
        "--limit",
        type=lambda text: _positive_int(lang, text),
        default=10,
        metavar="N",
        help=_t(N_("how many groups to show (default: 10)")),
    )
    # The day that counts for "last checked" (tests and golden files; hidden).
    recommend.add_argument(
        "--today", type=lambda text: _iso_date(lang, text), help=argparse.SUPPRESS
    )

    catalog = commands.add_parser(
        "catalog",
        help=_t(N_("check, count, import and export the catalog")),
        description=_t(N_("Check, count, import and export the catalog.")),
    )
    catalog_commands = catalog.add_subparsers(
        dest="catalog_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    validate = catalog_commands.add_parser(
        "validate",
        help=_t(N_("report every problem in the catalog files")),
        description=_t(
            N_(
                "Report every problem in the catalog files, with file, line and "
                "field. Exit status 2 when there is any."
            )
        ),
    )
    validate.add_argument(
        "--data", type=Path, metavar="DIR", help=data_help, default=argparse.SUPPRESS
    )
    _add_stats(catalog_commands, _t, data_help, lang)
    _add_import_hsds(catalog_commands, _t)
    _add_export_hsds(catalog_commands, _t, data_help)
    from groupfinder.cli import kiosk as cli_kiosk  # --kiosk, --config, kiosk hash-pin|run, serve

    cli_kiosk.add_arguments(parser, commands, _t, data_help)
    return parser


Translate = Callable[[str], str]


def _add_stats(
    commands: argparse._SubParsersAction[_Parser], _t: Translate, data_help: str, lang: Language
) -> None:
    stats = commands.add_parser(
        "stats",
        help=_t(N_("count groups per format, town, language, leadership and setting")),
        description=_t(
            N_(
                "Count the groups per format, town, language, leadership and setting, and "
                "list the stale groups: those last checked more than a year ago."
            )
        ),
    )
    stats.add_argument(
        "--data", type=Path, metavar="DIR", help=data_help, default=argparse.SUPPRESS
    )
    # For tests and reproducible reports: the day to count staleness from.
    stats.add_argument("--today", type=lambda text: _iso_date(lang, text), help=argparse.SUPPRESS)


def _add_import_hsds(commands: argparse._SubParsersAction[_Parser], _t: Translate) -> None:
    command = commands.add_parser(
        "import-hsds",
        help=_t(N_("make a groups.csv from an Open Referral HSDS 3 package")),
        description=_t(
            N_(
                "Make a groups.csv from an Open Referral HSDS 3 tabular data package. "
                "Services the mapping cannot place are listed with the reason and left out. "
                "Nothing is written when the package has problems."
            )
        ),
    )
    command.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help=_t(
            N_(
                "the folder of the package (its CSV files), its datapackage.json, or an "
                "HSDS 3 JSON file (a service, a list of services or a Page)"
            )
        ),
    )
    command.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help=_t(
            N_("the folder to write groups.csv into; its formats.toml is used when it has one")
        ),
    )
    command.add_argument(
        "--force", action="store_true", help=_t(N_("replace a groups.csv that is already there"))
    )
    command.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE",
        help=_t(
            N_(
                "the mapping from HSDS taxonomy terms to formats, topics and leadership "
                "(default: hsds_mapping.toml in DIR, else the shipped one)"
            )
        ),
    )
    command.add_argument(
        "--default-language",
        choices=LANGUAGES,
        metavar="LANG",
        help=_t(
            N_(
                "the language (nl, fr or en) of services that languages.csv says nothing "
                "about, or of all services when the package has no languages.csv"
            )
        ),
    )
    command.add_argument(
        "--verbose",
        action="store_true",
        help=_t(N_("list every service left out, not only the first ten")),
    )


def _add_export_hsds(
    commands: argparse._SubParsersAction[_Parser], _t: Translate, data_help: str
) -> None:
    command = commands.add_parser(
        "export-hsds",
        help=_t(N_("write the groups as an Open Referral HSDS 3 package")),
        description=_t(
            N_(
                "Write the groups of the catalog as an Open Referral HSDS 3 tabular data "
                "package (CSV files and datapackage.json). Files of the same name in DIR "
                "are replaced."
            )
        ),
    )
    command.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help=_t(N_("the folder to write the package into (made when missing)")),
    )
    command.add_argument(
        "--json",
        action="store_true",
        help=_t(
            N_(
                "write HSDS 3 JSON instead: services.json, a Page of services with all "
                "their details"
            )
        ),
    )
    command.add_argument(
        "--data", type=Path, metavar="DIR", help=data_help, default=argparse.SUPPRESS
    )


def _positive_int(lang: Language, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            tr(lang, "expected a whole number of at least 1, got {value!r}", value=text)
        )
    return value


def _iso_date(lang: Language, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr(lang, "expected a date as YYYY-MM-DD, got {value!r}", value=text)
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    settings = Settings.from_environment(os.environ)
    lang = settings.language
    parser = build_parser(lang)
    given = answers_in_argv(sys.argv[1:] if argv is None else argv)
    if given is not None:
        named = given
        _Parser.around_error = lambda report: say_with_help(named, lang, report)
    try:
        args = parser.parse_args(argv)
    finally:
        _Parser.around_error = None
    settings = settings.with_arguments(args)
    # Below this point the data folder is the one the settings resolved (--data, else the
    # environment): nothing further down reads the environment.
    args.data = settings.data_dir
    try:
        if args.command is None:
            return with_help(
                AnswersInput(_reopened(args), args.data),
                lang,
                lambda: cmd_app(args, settings),
                kiosk=bool(getattr(args, "kiosk", False)),
                debug=settings.debug,
            )
        if args.command == "recommend":
            stdin_text = given.stdin_text if given is not None else None
            if args.answers == "-" and stdin_text is None:
                stdin_text = _read_stdin()
            reading = AnswersInput(args.answers, args.data, args.lang, stdin_text)
            return with_help(
                reading, lang, lambda: cmd_recommend(args, lang, reading), debug=settings.debug
            )
        if args.command in ("kiosk", "serve"):
            from groupfinder.cli.kiosk import run_command

            return run_command(args, settings)
        return run_catalog_command(args, lang)
    except InputError as exc:
        report_problems(exc.problems, lang)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``| head``): not our fault, and nothing to say.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Refusal as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if settings.debug:
            raise
        report_fault(exc, lang, kiosk=getattr(args, "kiosk", False))
        return EXIT_FAULT


def report_fault(exc: Exception, lang: Language, kiosk: bool) -> None:
    # In kiosk mode the details could hold what a visitor typed: only the kind of fault.
    error = type(exc).__name__ if kiosk else repr(exc)
    print(tr(lang, "groupfinder: unexpected error: {error}", error=error), file=sys.stderr)
    print(tr(lang, "Run again with GROUPFINDER_DEBUG=1 to see the details."), file=sys.stderr)


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    """The questionnaire app: personal mode, or counselor mode with --counselor."""
    from groupfinder.tui.app import create_app

    lang = settings.language
    if args.load is not None and not args.counselor:
        raise InputError(
            [Problem(str(args.load), N_("--load works with --counselor"), None, "--load")]
        )
    from groupfinder.cli import kiosk as cli_kiosk

    # A file to reopen is read first: its problems are said before anything else.
    loaded = load_record(args) if args.load is not None else None
    opened = opened_answers(args) if args.open_answers is not None else None
    if not settings.served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise Refusal(
            tr(
                lang,
                "groupfinder needs a terminal. To rank answers from a file, use: "
                "groupfinder recommend --answers FILE",
            )
        )
    # The locale picks the start language (nl, fr or en; else English), as for messages.
    app_language = lang
    _check_data_dir(args.data)
    kiosk = cli_kiosk.load_kiosk(args, settings)
    app: GroupfinderApp
    if kiosk is not None:
        if args.counselor:
            raise InputError(
                [
                    Problem(
                        "--kiosk", N_("--kiosk and --counselor cannot be combined"), None, "--kiosk"
                    )
                ]
            )
        from groupfinder.tui.kiosk import KioskApp

        app = KioskApp(kiosk, data_dir=args.data)
    elif args.counselor:
        app = counselor_app(args, app_language, loaded)
    elif opened is not None:
        answers, catalog, places = opened
        app = create_app(data_dir=args.data, answers=answers, catalog=catalog, places=places)
    else:
        app = create_app(language=app_language, data_dir=args.data)
    problems = app.run()
    if problems:
        raise InputError(problems)
    return app.return_code or EXIT_OK


def opened_answers(args: argparse.Namespace) -> tuple[Answers, Catalog, PlaceIndex]:
    """The answers of ``groupfinder --answers FILE``, checked as ``recommend`` checks them
    (a bad file or an unknown place is exit 2 with its message), before any screen opens."""
    from groupfinder.catalog.loader import load_places
    from groupfinder.matching.matcher import LocationError, Matcher
    from groupfinder.modes.record import load_answers_or_record

    path = str(args.open_answers)
    for flag, used in (("--counselor", args.counselor), ("--kiosk", getattr(args, "kiosk", False))):
        if used:
            message = N_("--answers opens the personal app; it cannot be combined with {flag}")
            raise InputError([Problem(path, message, None, "--answers", {"flag": flag})])
    catalog = load(args.data)
    answers, _ = load_answers_or_record(path, None, topics=catalog.topics)
    places = load_places(args.data)
    try:
        Matcher(catalog, places).recommend(answers, limit=1)
    except LocationError as exc:
        raise InputError(
            [Problem(path, p.message, p.line, p.field, p.values) for p in exc.problems]
        ) from None
    return answers, catalog, places


def load_record(args: argparse.Namespace) -> tuple[Catalog, Record]:
    """The catalog and the record (or answers file) named by ``--load``."""
    from groupfinder.modes.record import Record, load_answers_or_record

    catalog = load(args.data)
    answers, record = load_answers_or_record(str(args.load), None, catalog.topics, catalog)
    return catalog, record if record is not None else Record(answers=answers)


def counselor_app(
    args: argparse.Namespace, language: Language, loaded: tuple[Catalog, Record] | None = None
) -> GroupfinderApp:
    """The counselor app, with the catalog loaded first (a bad one is reported before the
    screen opens) and, with --load, a saved record or answers file reopened."""
    from groupfinder.tui.counselor import CounselorApp

    if loaded is None:
        return CounselorApp(catalog=load(args.data), language=language, data_dir=args.data)
    catalog, record = loaded
    return CounselorApp(
        catalog=catalog, language=record.answers.language, data_dir=args.data, record=record
    )


def report_problems(problems: list[Problem], lang: Language, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(problem.render(lang), file=stream)
    print(trn(lang, "{n} problem found.", "{n} problems found.", len(problems)), file=stream)


def _check_data_dir(data: Path | None) -> None:
    if data is not None and not data.is_dir():
        raise InputError([Problem(str(data), N_("is not a folder"), field="--data")])


def load(data: Path | None) -> Catalog:
    from groupfinder.catalog.loader import load_catalog

    _check_data_dir(data)
    return load_catalog(data)


def run_catalog_command(args: argparse.Namespace, lang: Language) -> int:
    if args.catalog_command == "stats":
        return cmd_stats(args, lang)
    if args.catalog_command == "import-hsds":
        return cmd_import_hsds(args, lang)
    if args.catalog_command == "export-hsds":
        return cmd_export_hsds(args, lang)
    return cmd_validate(args, lang)


def cmd_validate(args: argparse.Namespace, lang: Language) -> int:
    from groupfinder.catalog.directories import stale_entries
    from groupfinder.catalog.loader import PLACES_FILE, data_file, load_catalog, load_places
    from groupfinder.present.stats import stale_directory_lines

    _check_data_dir(args.data)
    problems: list[Problem] = []
    try:
        # Loaded eagerly here: the app loads the place list only when it needs it.
        places = load_places(args.data)
    except InputError as exc:
        problems.extend(exc.problems)
        places = None
    try:
        catalog = load_catalog(args.data, places)
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    if problems:
        raise InputError(problems)
    print(
        tr(
            lang,
            "The catalog is valid: {formats} formats, {topics} topics, {groups} groups, "
            "{helplines} helplines.",
            formats=len(catalog.formats),
            topics=len(catalog.topics),
            groups=len(catalog.groups),
            helplines=len(catalog.helplines),
        )
    )
    print(tr(lang, "Places to look further: {n}", n=len(catalog.directories)))
    today = dt.date.today()
    stale = stale_entries(catalog.directories, today)
    if stale:
        print("\n".join(stale_directory_lines(stale, today, lang)))
    for name, path in {**catalog.sources, PLACES_FILE: data_file(PLACES_FILE, args.data)}.items():
        print(f"  {name}: {path}")
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace, lang: Language, reading: AnswersInput) -> int:
    import json
    from zoneinfo import ZoneInfo

    from groupfinder.catalog.loader import load_places
    from groupfinder.matching.matcher import LocationError, Matcher
    from groupfinder.modes.record import load_answers_or_record
    from groupfinder.present.outputs import to_json, to_markdown

    catalog = load(args.data)
    # A counselor's record works too: its answers are ranked, the rest is left aside.
    answers, _ = load_answers_or_record(args.answers, reading.stdin_text, topics=catalog.topics)
    if args.lang:
        answers = answers.model_copy(update={"language": args.lang})
    reading.answers = answers
    matcher = Matcher(catalog, load_places(args.data), today=args.today)
    try:
        rec = matcher.recommend(answers, limit=args.limit)
    except LocationError as exc:
        name = "<stdin>" if args.answers == "-" else args.answers
        raise InputError(
            [Problem(name, p.message, p.line, p.field, p.values) for p in exc.problems]
        ) from None
    # The command line supplies the clock: it dates each group's next session (--today, for
    # tests and golden files, stands for the start of that day in Brussels).
    if args.today is None:
        now = dt.datetime.now(dt.UTC)
    else:
        now = dt.datetime.combine(args.today, dt.time(), tzinfo=ZoneInfo("Europe/Brussels"))
    if args.output == "json":
        json.dump(to_json(rec, catalog, now), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.output == "markdown":
        sys.stdout.write(to_markdown(rec, catalog, now.date()))
    else:
        from groupfinder.present.table import print_table

        print_table(rec, catalog)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, lang: Language) -> int:
    from groupfinder.present.stats import catalog_stats, stats_lines

    catalog = load(args.data)
    stats = catalog_stats(catalog, args.today or dt.date.today())
    print("\n".join(stats_lines(stats, lang)))
    return EXIT_OK


def _out_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), N_("is not a folder"), field="--out")])


def cmd_import_hsds(args: argparse.Namespace, lang: Language) -> int:
    from groupfinder.catalog.atomic import write_atomic
    from groupfinder.catalog.hsds import MAPPING_FILE, import_package, load_mapping
    from groupfinder.catalog.loader import (
        FORMATS_FILE,
        GROUPS_FILE,
        data_file,
        load_formats,
        load_places,
    )

    out: Path = args.out
    _out_folder(out)
    target = out / GROUPS_FILE
    if target.exists() and not args.force:
        raise InputError([Problem(str(target), N_("already exists; add --force to replace it"))])
    declared = load_formats(data_file(FORMATS_FILE, out))
    formats, topics = declared.formats, declared.topics
    mapping = load_mapping(args.mapping or data_file(MAPPING_FILE, out), formats, topics)
    result = import_package(
        args.path,
        mapping,
        formats,
        topics,
        load_places(out),
        declared.audiences,
        args.default_language,
    )
    _report_notes(result, lang, args.verbose)
    if not result.groups:
        raise InputError(
            [Problem(str(args.path), N_("no service could be imported, so nothing was written"))]
        )
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(target, result.groups_csv)
    print(
        tr(
            lang,
            "Imported {groups} from {services} into {path}; {skipped} left out.",
            groups=trn(lang, "{n} group", "{n} groups", len(result.groups)),
            services=trn(lang, "{n} service", "{n} services", result.services),
            path=target,
            skipped=trn(lang, "{n} service", "{n} services", len(result.skipped)),
        )
    )
    return EXIT_OK


#: How many notes of each kind the import lists without --verbose.
LISTED_NOTES = 10


def _report_notes(result: ImportResult, lang: Language, verbose: bool) -> None:
    """The import's notes on stderr: the first ten details and the first ten services left
    out (all with ``verbose``), then how many services each reason left out."""
    for skipped in (False, True):
        notes = [note for note in result.notes if note.skipped == skipped]
        shown = notes if verbose else notes[:LISTED_NOTES]
        for note in shown:
            print(note.render(lang), file=sys.stderr)
        if len(shown) < len(notes):
            rest = len(notes) - len(shown)
            print(
                trn(
                    lang,
                    "… and {n} more (--verbose lists them all).",
                    "… and {n} more (--verbose lists them all).",
                    rest,
                ),
                file=sys.stderr,
            )
    reasons = result.by_reason()
    if reasons:
        print(tr(lang, "Services left out, by reason:"), file=sys.stderr)
        for note, count in reasons:
            print(f"{count:>8}  {note.reason_label(lang)}", file=sys.stderr)


def cmd_export_hsds(args: argparse.Namespace, lang: Language) -> int:
    from groupfinder.catalog.hsds import (
        JSON_FILE,
        export_package,
        load_provinces,
        page_text,
        write_package,
    )
    from groupfinder.catalog.loader import PLACES_FILE, data_file

    out: Path = args.out
    _out_folder(out)
    catalog = load(args.data)
    provinces = load_provinces(data_file(PLACES_FILE, args.data))
    if args.json:
        write_package(out, {JSON_FILE: page_text(catalog, provinces)})
    else:
        write_package(out, export_package(catalog, provinces))
    print(
        trn(
            lang,
            "Wrote {n} group as an Open Referral HSDS 3 package to {path}.",
            "Wrote {n} groups as an Open Referral HSDS 3 package to {path}.",
            len(catalog.groups),
            path=out,
        )
    )
    return EXIT_OK
