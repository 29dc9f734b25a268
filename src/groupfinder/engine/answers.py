"""Read an answers file (contract 1) with messages a person can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from groupfinder.engine.catalog import describe_error
from groupfinder.engine.errors import AnswersError, Problem
from groupfinder.engine.i18n import N_
from groupfinder.engine.models import ANSWERS_VERSION, Answers

STDIN_NAME = "<stdin>"


def parse_answers(text: str, file: str, topics: Iterable[str] | None = None) -> Answers:
    """Validate the JSON ``text`` of an answers file named ``file`` (for messages).

    With ``topics``, topic ids are checked against that vocabulary.
    """
    return answers_from_data(json_object(text, file), text, file, topics)


def json_object(text: str, file: str) -> dict[str, Any]:
    """The JSON object in ``text``; a problem with line and column when it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [
                Problem(
                    file,
                    N_("is not valid JSON: {reason} (column {column})"),
                    line=exc.lineno,
                    values={"reason": exc.msg, "column": exc.colno},
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise AnswersError([Problem(file, N_("expected a JSON object {{ ... }} at the top level"))])
    return data


def check_version(data: dict[str, Any], text: str, file: str) -> None:
    version = data.get("version", ANSWERS_VERSION)
    if version != ANSWERS_VERSION:
        raise AnswersError(
            [
                Problem(
                    file,
                    N_("unsupported version {value!r}; this groupfinder reads version {version}"),
                    line=key_line(text, "version"),
                    field="version",
                    values={"value": version, "version": ANSWERS_VERSION},
                )
            ]
        )


def answers_from_data(
    data: dict[str, Any], text: str, file: str, topics: Iterable[str] | None = None
) -> Answers:
    """Validate the decoded JSON ``data`` of an answers file (``text`` gives the lines)."""
    check_version(data, text, file)
    context = {"topics": frozenset(topics)} if topics is not None else None
    try:
        return Answers.model_validate(data, context=context)
    except ValidationError as exc:
        raise AnswersError(validation_problems(exc, text, file)) from None


def validation_problems(error: ValidationError, text: str, file: str) -> list[Problem]:
    """One problem per field of a JSON document, with the line of its key."""
    problems = []
    errors = error.errors(include_url=False)
    item_locs = {tuple(e["loc"][:-1]) for e in errors if len(e["loc"]) > 1}
    for item in errors:
        if item["type"] == "too_short" and tuple(item["loc"]) in item_locs:
            continue  # "too short" only because its bad items were dropped: say it once
        loc = [str(p) for p in item["loc"]]
        keys = [p for p in item["loc"] if isinstance(p, str)]
        message, values = describe_error(item)
        problems.append(
            Problem(
                file,
                message,
                line=key_line(text, keys[-1]) if keys else None,
                field=".".join(loc) or None,
                values=values,
            )
        )
    return problems


def read_answers(
    source: str, stdin_text: str | None = None, topics: Iterable[str] | None = None
) -> Answers:
    """Read answers from a path, or from ``stdin_text`` when ``source`` is ``-``."""
    file, text = read_source(source, stdin_text)
    return parse_answers(text, file, topics)


def read_source(source: str, stdin_text: str | None = None) -> tuple[str, str]:
    """The name (for messages) and the text of a JSON file, or of ``stdin_text`` for ``-``.

    Raises :class:`AnswersError` when the file cannot be read or is empty.
    """
    if source == "-":
        file, text = STDIN_NAME, stdin_text or ""
    else:
        file = source
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise AnswersError([Problem(file, N_("file not found"))]) from None
        except IsADirectoryError:
            raise AnswersError([Problem(file, N_("is a folder, expected a JSON file"))]) from None
        except UnicodeDecodeError:
            raise AnswersError([Problem(file, N_("is not UTF-8 text"))]) from None
        except OSError as exc:
            raise AnswersError(
                [Problem(file, N_("cannot read: {reason}"), values={"reason": exc.strerror})]
            ) from None
    if not text.strip():
        raise AnswersError(
            [Problem(file, N_('is empty; expected a JSON object with at least "needs"'))]
        )
    return file, text


def key_line(text: str, key: str) -> int | None:
    """The line on which ``"key":`` first appears in a JSON text."""
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:')
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
