"""How place names and queries are compared: normalised text, the names people use that
the data does not have (exonyms, local names), and a query parsed into country, postcode and
name."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from groupfinder.domain.models import Country

#: Longest input we try to understand; anything longer is not a place.
MAX_QUERY: Final = 200

# --- names people use that the data does not have ---------------------------------------------

#: Other names (English, French, German, colloquial) -> (country, the name in the data).
#: Dutch and French names of Belgian municipalities come from the data (Statbel), so "Gand",
#: "Louvain", "Anvers", "Bergen" (= Mons) and "Luik" need no entry here.
EXONYMS: Final[dict[str, tuple[Country, str]]] = {
    "Antwerp": ("BE", "Antwerpen"),
    "Ghent": ("BE", "Gent"),
    "Brussels": ("BE", "Brussel"),
    "Bruxelles-Ville": ("BE", "Brussel"),
    "Laken": ("BE", "Laeken"),
    "Mechlin": ("BE", "Mechelen"),
    "Ostend": ("BE", "Oostende"),
    "Tongres": ("BE", "Tongeren"),
    "The Hague": ("NL", "'s-Gravenhage"),
    "Hague": ("NL", "'s-Gravenhage"),
    "Den Haag": ("NL", "'s-Gravenhage"),
    "La Haye": ("NL", "'s-Gravenhage"),
    "Den Bosch": ("NL", "'s-Hertogenbosch"),
    "Bois-le-Duc": ("NL", "'s-Hertogenbosch"),
    "Nimègue": ("NL", "Nijmegen"),
    "Nimwegen": ("NL", "Nijmegen"),
    "Flushing": ("NL", "Vlissingen"),
    "Leyde": ("NL", "Leiden"),
    "Maestricht": ("NL", "Maastricht"),
    "Groningue": ("NL", "Groningen"),
}

#: How a town is called in a language when that differs from the data: (country, normalised name
#: in the data) -> {language: name}. Belgian municipalities get their Dutch and French names from
#: the data; this adds English, and names for Dutch towns.
LOCAL_NAMES: Final[dict[tuple[Country, str], dict[str, str]]] = {
    ("BE", "antwerpen"): {"en": "Antwerp"},
    ("BE", "gent"): {"en": "Ghent"},
    ("BE", "brussel"): {"en": "Brussels"},
    ("BE", "brugge"): {"en": "Bruges"},
    ("BE", "oostende"): {"en": "Ostend"},
    ("NL", "s gravenhage"): {"nl": "Den Haag", "en": "The Hague", "fr": "La Haye"},
    ("NL", "s hertogenbosch"): {"fr": "Bois-le-Duc"},
    ("NL", "nijmegen"): {"fr": "Nimègue"},
}

#: Dutch place names carry these to tell namesakes apart ("Bergen (NH)", "Haren Gn", "Well L").
#: A person types "Bergen": the name without the suffix matches too.
_DUTCH_SUFFIXES: Final = frozenset(
    {"L", "Gld", "GLD", "AC", "NB", "GN", "Gn", "Ut", "NH", "ZH", "Z", "U", "Fr", "Dr", "Ov"}
)

#: Country names a person may add after a place ("Gent, België"), longest first.
_COUNTRY_WORDS: Final[tuple[tuple[str, Country], ...]] = (
    ("the netherlands", "NL"),
    ("netherlands", "NL"),
    ("nederland", "NL"),
    ("pays bas", "NL"),
    ("belgique", "BE"),
    ("belgium", "BE"),
    ("belgie", "BE"),
    ("nl", "NL"),
    ("be", "BE"),
)
# "BE 9000", "be-9000", "B-9000", "NL1012", "NL Bergen", "BE: Gent" (on the raw text).
_COUNTRY_PREFIX: Final = re.compile(
    r"^\s*(?:(be|nl)(?=[\s\-:,./]|\d)|(b)(?=\s*-?\s*\d))[\s\-:,./]*", re.I
)
# On normalised text: "9000", "1012 ab", "1012ab", "9000 gent", "1012 ab amsterdam".
_POSTCODE_FIRST: Final = re.compile(r"^(\d{4})(?:\s*([a-z]{2}))?(?:\s+(.+))?$")
# "gent 9000", "amsterdam 1012 ab".
_POSTCODE_LAST: Final = re.compile(r"^(\D+?)\s+(\d{4})(?:\s*([a-z]{2}))?$")
_NON_WORD: Final = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """The form names are compared in: lower case, no accents, words separated by one space.

    Hyphens, apostrophes, dots and any other non-letters become spaces, so "'s-Hertogenbosch",
    "s Hertogenbosch" and "S-HERTOGENBOSCH" are all ``"s hertogenbosch"``.
    """
    if text.isascii() and text.isalpha():
        return text.lower()  # most names: one plain word
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


norm = functools.lru_cache(maxsize=32_768)(normalise)


@dataclass(slots=True)
class ParsedQuery:
    country: Country | None = None  # said in the text ("BE 9000"): a restriction
    postcode: str | None = None
    letters: str | None = None  # NL postcode letters ("ab"): imply NL
    name: str = ""  # normalised


@functools.cache
def _exonym_keys() -> dict[str, str]:
    return {norm(alias): norm(target) for alias, (_, target) in EXONYMS.items()}


def wanted_keys(key: str) -> tuple[str, ...]:
    """A normalised name and, for an exonym, the name in the data ("ghent" -> "gent")."""
    target = _exonym_keys().get(key)
    return (key,) if target is None or target == key else (key, target)


def name_keys(name: str, country: str) -> dict[str, str]:
    """The normalised forms of a place name, each with the name to show for it: the name itself;
    a Dutch name without its suffix ("Bergen (NH)" -> "Bergen"); without a leading 's or 't
    ("hertogenbosch" -> "'s-Hertogenbosch")."""
    key = norm(name)
    keys = {key: name} if key else {}
    if country == "NL" and " " in name:
        base = name
        if base.endswith(")") and "(" in base:
            base = base[: base.rindex("(")].rstrip()
        words = base.split()
        if len(words) > 1 and words[-1] in _DUTCH_SUFFIXES:
            base = " ".join(words[:-1])
        if base != name and norm(base):
            keys.setdefault(norm(base), base)
    if key.startswith(("s ", "t ")):
        for variant, shown in list(keys.items()):
            if variant.startswith(("s ", "t ")):
                keys.setdefault(variant[2:], shown)
    return keys


def letter_pairs(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def parse_postcode(text: str) -> tuple[str, str | None] | None:
    """("1012", "ab") for "1012 AB", "1012ab", "NL-1012AB"; ("9000", None) for "9000"."""
    if not isinstance(text, str) or len(text) > MAX_QUERY:
        return None
    parsed = parse_query(text)
    if parsed is None or parsed.postcode is None or parsed.name:
        return None
    return parsed.postcode, parsed.letters


def parse_query(text: str) -> ParsedQuery | None:
    """Split a query into country, postcode (+ NL letters) and name; None when empty."""
    parsed = ParsedQuery()
    match = _COUNTRY_PREFIX.match(text)
    if match:
        said = (match.group(1) or match.group(2) or "").lower()
        parsed.country = "BE" if said in ("be", "b") else "NL"
        text = text[match.end() :]
    key = norm(text)
    if key and parsed.country is None:
        for word, country in _COUNTRY_WORDS:  # "Gent, België", "Bergen NL"
            if key.endswith(" " + word):
                parsed.country = country
                key = key[: -len(word) - 1].strip()
                break
    if not key:
        return None if parsed.country is None else parsed
    if m := _POSTCODE_FIRST.match(key):
        parsed.postcode, parsed.letters, parsed.name = m.group(1), m.group(2), m.group(3) or ""
    elif m := _POSTCODE_LAST.match(key):
        parsed.name, parsed.postcode, parsed.letters = m.group(1).strip(), m.group(2), m.group(3)
    else:
        parsed.name = key
    return parsed
