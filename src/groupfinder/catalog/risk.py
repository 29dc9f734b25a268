"""What a raw answers file says about the person, even when it is not a valid file.

Help never depends on valid input (DESIGN.md): when reading an answers file fails, the error
message still begins with the crisis help if the file says or suggests that the person is at
risk, and ends with the help line in their language. This module reads that much from any
text: the JSON when it parses (every object, duplicate keys included), else a cheap scan of
the raw text. It errs on the side of help: a key about crisis or risk counts unless its value
clearly says no.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from groupfinder.domain.vocabulary import LANGUAGES, Language

#: Parts of a key (lower case, letters only) that speak of crisis or risk, in any spelling
#: and in the three languages: in_crisis, inCrisis, "in crisis", risk, at_risk, risico...
_RISK_KEYS = ("crisis", "crise", "risk", "risico", "risque")
#: Values that clearly say "no risk" (compared lower case, trimmed).
_NO = frozenset({"", "none", "no", "false", "0", "null", "nee", "non", "geen", "aucun", "aucune"})

_RISK_WORD = re.compile(r"(?:crisis|crise|risk|risico|risque)[a-z_\- ]*[\"']?", re.IGNORECASE)
_NEXT_VALUE = re.compile(r"""[\s:=]*["']?([^"',}\]\s]*)""")
_LANGUAGE = re.compile(r"""["']?language["']?\s*[:=]\s*["']?([a-zA-Z]{2})\b""")


@dataclass(frozen=True, slots=True)
class RawAnswers:
    """What could be read from an answers file, whatever else is wrong with it."""

    at_risk: bool = False
    language: Language | None = None
    location: str | None = None
    languages: tuple[Language, ...] = ()


def is_risk_key(key: str) -> bool:
    letters = "".join(c for c in key.casefold() if c.isalpha())
    return any(part in letters for part in _RISK_KEYS)


def says_risk(value: object) -> bool:
    """Whether the value of a crisis or risk key says or suggests risk."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip().strip("'\"").strip().casefold() not in _NO
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, list | tuple | dict):
        return len(value) > 0
    return True


class _Pairs(list[tuple[str, Any]]):
    """A JSON object with every key it was given, duplicates included."""


def read_raw(text: str) -> RawAnswers:
    """Risk, language, location and languages from ``text``, valid or not."""
    try:
        data = json.loads(text, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return _scan(text)
    found = _Found()
    found.walk(data)
    return RawAnswers(found.at_risk, found.language, found.location, tuple(found.languages))


class _Found:
    def __init__(self) -> None:
        self.at_risk = False
        self.language: Language | None = None
        self.location: str | None = None
        self.languages: list[Language] = []

    def walk(self, data: object) -> None:
        if isinstance(data, _Pairs):
            for key, value in data:
                self.pair(key, value)
                self.walk(value)
        elif isinstance(data, list):
            for item in data:
                self.walk(item)

    def pair(self, key: str, value: object) -> None:
        if is_risk_key(key) and says_risk(value):
            self.at_risk = True
        if key == "language" and self.language is None:
            self.language = _language(value)
        elif key == "location" and self.location is None and isinstance(value, str):
            self.location = value.strip() or None
        elif key == "languages" and not self.languages and isinstance(value, list):
            self.languages = [code for v in value if (code := _language(v)) is not None]


def _language(value: object) -> Language | None:
    if isinstance(value, str):
        code = value.strip().casefold()
        for language in LANGUAGES:
            if code == language:
                return language
    return None


def _scan(text: str) -> RawAnswers:
    """A cheap look at text that is not JSON: any word about crisis or risk, and the value
    after it (``"in_crisis": "true"``, ``risk = acute``, ``"in_crisis" true``)."""
    at_risk = any(
        says_risk(value.group(1))
        for word in _RISK_WORD.finditer(text)
        if (value := _NEXT_VALUE.match(text, word.end())) is not None
    )
    language = None
    for match in _LANGUAGE.finditer(text):
        language = language or _language(match.group(1))
    return RawAnswers(at_risk=at_risk, language=language)
