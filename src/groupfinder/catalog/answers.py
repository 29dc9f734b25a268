"""Read an answers file (contract 1) with messages a person can act on."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from groupfinder.catalog.loader import (
    MAX_DEPTH,
    capped,
    depth,
    describe_error,
    not_json,
    read_bytes,
    too_deep,
)
from groupfinder.domain.errors import AnswersError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import ANSWERS_VERSION, Answers
from groupfinder.domain.text import check_tree

STDIN_NAME = "<stdin>"
#: The largest answers file or record read: 1 MiB (a record's notes are at most 20,000
#: characters); ``--answers /dev/zero`` stops here.
MAX_BYTES = 1024 * 1024
#: Keys whose text may hold several lines.
MULTILINE_KEYS = frozenset({"notes"})
#: The longest number a JSON file may hold (Python refuses integers over 4,300 digits).
MAX_NUMBER_CHARS = 40


def parse_answers(
    text: str,
    file: str,
    topics: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
) -> Answers:
    """Validate the JSON ``text`` of an answers file named ``file`` (for messages).

    With ``topics`` and ``audiences``, those ids are checked against the vocabulary.
    """
    return answers_from_data(json_object(text, file), text, file, topics, audiences)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _BadNumber(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


def _endless(text: str) -> float:
    raise _BadNumber(text)


def _number(text: str) -> int | float:
    """A JSON number, refused when it is endless (``1e400``, ``NaN``) or absurdly long."""
    if len(text) > MAX_NUMBER_CHARS:
        raise _BadNumber(text)
    number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise _BadNumber(text)
    return number


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data


def json_object(text: str, file: str) -> dict[str, Any]:
    """The JSON object in ``text``; a problem with line and column when it is not one.

    A key given twice is a problem too: JSON parsers disagree on which value wins.
    """
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_number,
            parse_float=_number,
            parse_constant=_endless,
        )
    except RecursionError:
        raise AnswersError([too_deep(file)]) from None
    except _BadNumber as exc:
        raise AnswersError(
            [
                Problem(
                    file,
                    N_("holds a number that is endless or too long: {value}; give a plain number"),
                    line=text.count("\n", 0, max(text.find(exc.text), 0)) + 1,
                    values={"value": exc.text},
                )
            ]
        ) from None
    except _DuplicateKey as exc:
        raise AnswersError(
            [
                Problem(
                    file,
                    N_("key {key!r} is given twice; keep one"),
                    line=key_line(text, exc.key, occurrence=2),
                    field=exc.key,
                    values={"key": exc.key},
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise AnswersError([not_json(file, exc)]) from None
    if not isinstance(data, dict):
        raise AnswersError([Problem(file, N_("expected a JSON object {{ ... }} at the top level"))])
    if depth(data) > MAX_DEPTH:
        raise AnswersError([too_deep(file)])
    lines = KeyLines(text)
    problems = check_tree(
        data,
        file=file,
        locate=lambda where: lines.line(_last_key(where)),
        multiline=lambda where: len(where) == 1 and where[0] in MULTILINE_KEYS,
    )
    if problems:
        raise AnswersError(capped(problems))
    return data


def _last_key(where: tuple[str | int, ...]) -> str | None:
    keys = [part for part in where if isinstance(part, str)]
    return keys[-1] if keys else None


UNSUPPORTED_VERSION = "unsupported version {value!r}; this groupfinder reads versions 1 and 2"


def key_error(file: str, text: str, key: str, message: str, value: object) -> AnswersError:
    """The error for one bad top-level ``key`` of a JSON file, with its line."""
    return AnswersError(
        [Problem(file, message, line=key_line(text, key), field=key, values={"value": value})]
    )


#: Version 1's settings, as the person meant them in version 2.
V1_SETTINGS = {"in_person": "in_person_only", "online": "online_only"}


def file_version(data: dict[str, Any]) -> object:
    """The version a file is written in; without a ``version`` key, guessed from its keys."""
    if "version" in data:
        return data["version"]
    setting = data.get("setting")
    if "in_crisis" in data or (isinstance(setting, str) and setting in V1_SETTINGS):
        return 1
    return ANSWERS_VERSION


def upgrade(data: dict[str, Any], text: str, file: str) -> dict[str, Any]:
    """Version 1 answers as version 2, read as the person meant them (contract 1).

    ``in_crisis: true`` is ``risk: "acute"``; ``setting: "in_person"`` is
    ``"in_person_only"`` and ``"online"`` is ``"online_only"``. Version 2 passes through.
    """
    version = file_version(data)
    if version == ANSWERS_VERSION:
        return data
    if version != 1 or isinstance(version, bool):
        raise key_error(file, text, "version", N_(UNSUPPORTED_VERSION), version)
    upgraded = {key: value for key, value in data.items() if key != "version"}
    upgraded["version"] = ANSWERS_VERSION
    if "in_crisis" in upgraded:
        in_crisis = upgraded.pop("in_crisis")
        if not isinstance(in_crisis, bool):
            message = N_("expected true or false, got {value!r}")
            raise key_error(file, text, "in_crisis", message, in_crisis)
        if in_crisis:
            upgraded["risk"] = "acute"
    setting = upgraded.get("setting")
    if isinstance(setting, str) and setting in V1_SETTINGS:
        upgraded["setting"] = V1_SETTINGS[setting]
    return upgraded


def answers_from_data(
    data: dict[str, Any],
    text: str,
    file: str,
    topics: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
) -> Answers:
    """Validate the decoded JSON ``data`` of an answers file (``text`` gives the lines)."""
    data = upgrade(data, text, file)
    context: dict[str, frozenset[str]] = {}
    if topics is not None:
        context["topics"] = frozenset(topics)
    if audiences is not None:
        context["audiences"] = frozenset(audiences)
    try:
        return Answers.model_validate(data, context=context or None)
    except ValidationError as exc:
        raise AnswersError(validation_problems(exc, text, file)) from None


def validation_problems(error: ValidationError, text: str, file: str) -> list[Problem]:
    """One problem per field of a JSON document, with the line of its key."""
    problems = []
    errors = error.errors(include_url=False)
    item_locs = {tuple(e["loc"][:-1]) for e in errors if len(e["loc"]) > 1}
    lines = KeyLines(text)
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
                line=lines.line(keys[-1]) if keys else None,
                field=".".join(loc) or None,
                values=values,
            )
        )
    return capped(problems)


def read_answers(
    source: str,
    stdin_text: str | None = None,
    topics: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
) -> Answers:
    """Read answers from a path, or from ``stdin_text`` when ``source`` is ``-``."""
    file, text = read_source(source, stdin_text)
    return parse_answers(text, file, topics, audiences)


def read_source(source: str, stdin_text: str | None = None) -> tuple[str, str]:
    """The name (for messages) and the text of a JSON file, or of ``stdin_text`` for ``-``.

    Raises :class:`AnswersError` when the file cannot be read or is empty.
    """
    if source == "-":
        file, text = STDIN_NAME, stdin_text or ""
        if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise AnswersError([_too_large(file)])
    else:
        file = source
        path = Path(source)
        try:
            text = read_bytes(path, MAX_BYTES).decode("utf-8-sig")
        except ValueError as exc:
            if isinstance(exc, UnicodeDecodeError):
                raise AnswersError([Problem(file, N_("is not UTF-8 text"))]) from None
            raise AnswersError([_too_large(file)]) from None
        except FileNotFoundError:
            raise AnswersError([Problem(file, N_("file not found"))]) from None
        except IsADirectoryError:
            raise AnswersError([Problem(file, N_("is a folder, expected a JSON file"))]) from None
        except OSError as exc:
            raise AnswersError(
                [Problem(file, N_("cannot read: {reason}"), values={"reason": exc.strerror})]
            ) from None
    if not text.strip():
        raise AnswersError(
            [Problem(file, N_('is empty; expected a JSON object with at least "needs"'))]
        )
    return file, text


def _too_large(file: str) -> Problem:
    return Problem(
        file,
        N_("is larger than {n} MiB; this is not an answers file or a record"),
        values={"n": MAX_BYTES // (1024 * 1024)},
    )


_ANY_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


class KeyLines:
    """The line of each key of a JSON text, found in one pass (not once per problem)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[str, int] | None = None

    def line(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._lines is None:
            self._lines = {}
            line, last = 1, 0
            for match in _ANY_KEY.finditer(self.text):
                line += self.text.count("\n", last, match.start())
                last = match.start()
                name = match.group(1)
                if "\\" in name:
                    try:
                        name = json.loads(f'"{name}"')
                    except ValueError:
                        continue
                self._lines.setdefault(name, line)
        return self._lines.get(key)


def key_line(text: str, key: str, occurrence: int = 1) -> int | None:
    """The line on which ``"key":`` appears (the first time, or the ``occurrence``-th)."""
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:')
    for n, match in enumerate(pattern.finditer(text), start=1):
        if n == occurrence:
            return text.count("\n", 0, match.start()) + 1
    return None
