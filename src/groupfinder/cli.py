"""The ``groupfinder`` command (contract 2).

Exit codes: 0 success; 2 bad input (usage, unreadable or invalid answers or catalog), with a
message naming file, line and field and no traceback; 1 an unexpected fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from groupfinder import __version__
from groupfinder.engine.errors import InputError, Problem
from groupfinder.engine.i18n import N_, tr
from groupfinder.engine.models import LANGUAGES, Language

if TYPE_CHECKING:
    from groupfinder.engine.catalog import Catalog

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2
OUTPUT_FORMATS = ("table", "json", "markdown")


def environment_language() -> Language:
    """The language for messages: $GROUPFINDER_LANG, else the locale, else English."""
    for name in ("GROUPFINDER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(name, "")[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors go through our own message and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def build_parser(lang: Language) -> argparse.ArgumentParser:
    def t(message: str) -> str:
        return tr(lang, message).replace("%", "%%")

    parser = _Parser(
        prog="groupfinder",
        description=t(N_("Find the kind of group that helps you heal, and a group near you.")),
    )
    parser.add_argument("--version", action="version", version=f"groupfinder {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    data_help = t(
        N_(
            "folder with your own formats.toml, groups.csv, helplines.toml or "
            "places.csv (default: $GROUPFINDER_DATA, else the shipped catalog)"
        )
    )

    recommend = commands.add_parser(
        "recommend",
        help=t(N_("rank group formats and groups for an answers file")),
        description=t(N_("Rank group formats and groups for an answers file (JSON).")),
    )
    recommend.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help=t(N_("the answers file, or - to read it from standard input")),
    )
    recommend.add_argument("--data", type=Path, metavar="DIR", help=data_help)
    recommend.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=t(N_("language of names and reasons (default: the answers' language)")),
    )
    recommend.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="table",
        dest="output",
        help=t(N_("output format (default: table)")),
    )
    recommend.add_argument(
        "--limit",
        type=lambda text: _positive_int(lang, text),
        default=10,
        metavar="N",
        help=t(N_("how many groups to show (default: 10)")),
    )

    catalog = commands.add_parser(
        "catalog", help=t(N_("check the catalog")), description=t(N_("Check the catalog."))
    )
    catalog_commands = catalog.add_subparsers(
        dest="catalog_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    validate = catalog_commands.add_parser(
        "validate",
        help=t(N_("report every problem in the catalog files")),
        description=t(
            N_(
                "Report every problem in the catalog files, with file, line and "
                "field. Exit status 2 when there is any."
            )
        ),
    )
    validate.add_argument("--data", type=Path, metavar="DIR", help=data_help)
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    lang = environment_language()
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            parser.print_help()
            return EXIT_OK
        if args.command == "recommend":
            return cmd_recommend(args, lang)
        return cmd_validate(args, lang)
    except InputError as exc:
        report_problems(exc.problems, lang)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``| head``): not our fault, and nothing to say.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("GROUPFINDER_DEBUG"):
            raise
        print(tr(lang, "groupfinder: unexpected error: {error}", error=repr(exc)), file=sys.stderr)
        print(tr(lang, "Run again with GROUPFINDER_DEBUG=1 to see the details."), file=sys.stderr)
        return EXIT_FAULT


def report_problems(problems: list[Problem], lang: Language, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(problem.render(lang), file=stream)
    print(tr(lang, "{n} problem(s) found.", n=len(problems)), file=stream)


def _check_data_dir(data: Path | None) -> None:
    if data is not None and not data.is_dir():
        raise InputError([Problem(str(data), N_("is not a folder"), field="--data")])


def load(data: Path | None) -> Catalog:
    from groupfinder.engine.catalog import load_catalog

    _check_data_dir(data)
    return load_catalog(data)


def cmd_validate(args: argparse.Namespace, lang: Language) -> int:
    catalog = load(args.data)
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
    for name, path in catalog.sources.items():
        print(f"  {name}: {path}")
    return EXIT_OK


def cmd_recommend(args: argparse.Namespace, lang: Language) -> int:
    from groupfinder.engine.answers import read_answers
    from groupfinder.engine.catalog import load_places
    from groupfinder.engine.matcher import LocationError, Matcher
    from groupfinder.engine.report import to_json, to_markdown

    catalog = load(args.data)
    stdin_text = sys.stdin.read() if args.answers == "-" else None
    answers = read_answers(args.answers, stdin_text, topics=catalog.topics)
    if args.lang:
        answers = answers.model_copy(update={"language": args.lang})
    matcher = Matcher(catalog, load_places(args.data))
    try:
        rec = matcher.recommend(answers, limit=args.limit)
    except LocationError as exc:
        name = "<stdin>" if args.answers == "-" else args.answers
        raise InputError(
            [Problem(name, p.message, p.line, p.field, p.values) for p in exc.problems]
        ) from None
    if args.output == "json":
        json.dump(to_json(rec), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.output == "markdown":
        sys.stdout.write(to_markdown(rec, catalog))
    else:
        from groupfinder.table import print_table

        print_table(rec, catalog)
    return EXIT_OK
