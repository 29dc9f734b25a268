"""The place index: a lookup of postcodes and names, the candidates when a name means several
places, and "did you mean" suggestions."""

from __future__ import annotations

import bisect
import contextlib
import difflib
import functools
import gc
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Final

from groupfinder.catalog.places.names import (
    EXONYMS,
    LOCAL_NAMES,
    MAX_QUERY,
    ParsedQuery,
    letter_pairs,
    name_keys,
    norm,
    parse_postcode,
    parse_query,
    wanted_keys,
)
from groupfinder.catalog.places.read import (
    COUNTRIES,
    MAX_BYTES,
    PlaceRow,
    default_path,
    parse_places,
    unsafe_cell,
)
from groupfinder.domain.errors import CatalogError, Problem
from groupfinder.domain.i18n import N_
from groupfinder.domain.models import Country

#: How many "did you mean" names a failed lookup offers.
MAX_SUGGESTIONS: Final = 5
#: How many names difflib ranks for a suggestion (after a cheap letter-pair shortlist).
SHORTLIST: Final = 20


@dataclass(frozen=True, slots=True)
class Place:
    """A postcode area with a place name and coordinates (one row of places.csv)."""

    country: Country
    postcode: str
    name: str
    municipality_nl: str | None
    municipality_fr: str | None
    latitude: float
    longitude: float

    @property
    def is_municipality(self) -> bool:
        """True when the place is its municipality's main place (Gent, not Mariakerke)."""
        key = norm(self.name)
        return any(m and norm(m) == key for m in (self.municipality_nl, self.municipality_fr))

    def display_name(self, language: str = "nl") -> str:
        """The place name as a person reading ``language`` calls it.

        A Belgian municipality's main place takes the municipality's name in that language
        ("Bruxelles"/"Brussel", "Gand"/"Gent"); a few towns have an English or French name.
        """
        if self.is_municipality and self.municipality_nl and self.municipality_fr:
            local = LOCAL_NAMES.get((self.country, norm(self.municipality_nl)), {})
            if language in local:
                return local[language]
            if language == "nl":
                return self.municipality_nl
            if language == "fr":
                return self.municipality_fr
            return self.name
        return LOCAL_NAMES.get((self.country, norm(self.name)), {}).get(language, self.name)

    def label(self, language: str = "nl") -> str:
        """Postcode and name, e.g. "9000 Gent"; in French "1000 Bruxelles"."""
        return f"{self.postcode} {self.display_name(language)}"

    def __str__(self) -> str:
        return f"{self.country} {self.label()}"


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a lookup found: one place, candidates to choose from, or suggestions."""

    query: str
    place: Place | None = None
    candidates: tuple[Place, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.place is not None

    @property
    def ambiguous(self) -> bool:
        return self.place is None and len(self.candidates) >= 2


@dataclass(frozen=True, slots=True)
class _Names:
    """The name index: normalised name -> groups of rows, and how to show each name."""

    postings: dict[str, list[list[int]]]
    shown: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Fuzzy:
    """An inverted index of letter pairs over every name, for "did you mean"."""

    keys: list[str]
    sizes: list[int]
    grams: dict[str, list[int]]


_COUNTRY: Final = 0
_POSTCODE: Final = 1
_NAME: Final = 2
_MUN_NL: Final = 3
_MUN_FR: Final = 4


class PlaceIndex:
    """All places, indexed by postcode and by name. Build it with :meth:`load`.

    Loading only groups the rows; what a lookup needs beyond that (the main place of a postcode,
    the letter-pair index for suggestions) is worked out on first use and kept.
    """

    def __init__(self, rows: Iterable[PlaceRow], source: str = "<places>") -> None:
        self.source = source
        self._rows: list[PlaceRow] = list(rows)
        self._made: list[Place | None] = [None] * len(self._rows)
        by_code: dict[str, dict[str, list[int]]] = {}
        by_name: dict[tuple[str, str], list[int]] = {}
        for i, (country, postcode, name, _, _, _, _) in enumerate(self._rows):
            countries = by_code.get(postcode)
            if countries is None:
                countries = by_code[postcode] = {}
            countries.setdefault(country, []).append(i)
            by_name.setdefault((country, name), []).append(i)
        self._by_code = by_code
        self._by_place_name = by_name
        # Filled as needed: postcodes need only the few rows they ask about; the name index is
        # built by the first lookup of a name (catalog rows with postcodes never need it).
        self._keys_of: dict[tuple[str, str], dict[str, str]] = {}
        self._municipality_keys: dict[str, str] = {}
        self._names: _Names | None = None
        self._main: dict[tuple[str, str], int] = {}
        self._ranks: dict[int, int] = {}
        self._codes: dict[Country, list[int]] | None = None
        self._fuzzy: _Fuzzy | None = None

    def _name_index(self) -> _Names:
        """Normalised name -> the groups of rows it names: one group per place name or
        municipality, all of one country. A row can be in two groups of one name (Gent, the
        place and the municipality); lookups drop the repeat."""
        if self._names is None:
            with _gc_paused():
                self._names = self._build_names()
        return self._names

    def _build_names(self) -> _Names:
        postings: dict[str, list[list[int]]] = {}
        shown: dict[str, str] = {}
        for ident, group in self._by_place_name.items():
            keys = self._keys_of.get(ident)
            if keys is None:
                keys = self._keys_of[ident] = name_keys(ident[1], ident[0])
            for key, name in keys.items():
                postings.setdefault(key, []).append(group)
                shown.setdefault(key, name)
        by_municipality: dict[tuple[str, str | None, str | None], list[int]] = {}
        for i, (country, _, _, nl, fr, _, _) in enumerate(self._rows):
            if nl or fr:
                by_municipality.setdefault((country, nl, fr), []).append(i)
        for (_, nl, fr), group in by_municipality.items():
            for municipality in {nl, fr}:
                if municipality:
                    key = self._municipality_key(municipality)
                    postings.setdefault(key, []).append(group)
                    shown.setdefault(key, municipality)
        for alias, (country, target) in EXONYMS.items():
            key, target_key = norm(alias), norm(target)
            groups = [g for g in postings.get(target_key, ()) if self._rows[g[0]][0] == country]
            if groups and key != target_key:
                postings.setdefault(key, []).extend(groups)
                shown.setdefault(key, alias)
        return _Names(postings, shown)

    @classmethod
    def from_places(cls, places: Iterable[Place], source: str = "<places>") -> PlaceIndex:
        """An index over places that are already valid (tests, other sources)."""
        given = list(places)
        index = cls((_row_of(p) for p in given), source)
        index._made = list(given)
        return index

    @classmethod
    def load(cls, path: Path) -> PlaceIndex:
        """Read and validate a places.csv; raise :class:`CatalogError` naming every problem."""
        name = str(path)
        try:
            with path.open("rb") as stream:
                data = stream.read(MAX_BYTES + 1)
        except OSError as exc:
            problem = Problem(
                name, N_("cannot read: {reason}"), values={"reason": exc.strerror or str(exc)}
            )
            raise CatalogError([problem]) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            message = N_("is not UTF-8 (byte {byte}); save the file as UTF-8")
            raise CatalogError(
                [Problem(name, message, line, values={"byte": f"{data[exc.start]:#04x}"})]
            ) from None
        if len(data) > MAX_BYTES:
            message = N_("is larger than {n} MiB; this is not a file groupfinder reads")
            raise CatalogError([Problem(name, message, values={"n": MAX_BYTES // 2**20})])
        unsafe = unsafe_cell(name, text)
        if unsafe is not None:
            raise CatalogError([unsafe])
        with _gc_paused():
            rows, problems = parse_places(name, text)
            if problems:
                raise CatalogError(problems)
            return cls(rows, source=name)

    @classmethod
    def default(cls) -> PlaceIndex:
        """The shipped data/places.csv, loaded once."""
        return _default_index()

    def __repr__(self) -> str:
        return f"PlaceIndex({self.source!r}, {len(self._rows)} places)"

    # --- questions ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Place]:
        return (self._place(i) for i in range(len(self._rows)))

    def postcodes(self, country: Country) -> frozenset[str]:
        """Every postcode of a country in the data."""
        return frozenset(code for code, by in self._by_code.items() if country in by)

    def places_at(self, country: Country, postcode: str) -> tuple[Place, ...]:
        """Every place with this exact four-digit postcode."""
        return tuple(self._place(i) for i in self._by_code.get(postcode, {}).get(country, ()))

    def postcode_places(self, country: Country | None, postcode: str) -> tuple[Place, ...]:
        """The main place of a postcode in each country that has it ("1012 AB": NL only).

        Empty when the postcode is not well formed or unknown.
        """
        parsed = parse_postcode(postcode)
        if parsed is None:
            return ()
        code, letters = parsed
        if country is None and letters:
            country = "NL"
        found = []
        for c in COUNTRIES:
            if country in (None, c):
                i = self._main_row(c, code)
                if i is not None:
                    found.append(self._place(i))
        return tuple(found)

    def by_postcode(self, country: Country | None, postcode: str) -> Place | None:
        """The place of a postcode ("9000", "1012 AB", "1012AB"), e.g. for a catalog row.

        ``None`` when unknown, and when ``country`` is None and both countries have the code
        (:meth:`postcode_places` tells those apart).
        """
        found = self.postcode_places(country, postcode)
        return found[0] if len(found) == 1 else None

    def lookup(self, text: str, country: Country | None = None) -> Lookup:
        """Find the place a person means. ``country`` is preferred when the text does not say.

        Never raises: odd input gives a Lookup that found nothing.
        """
        try:
            return self._lookup(text, country)
        except Exception:  # pragma: no cover - a typo must never take the app down
            return Lookup(query=str(text)[:MAX_QUERY])

    # --- how ----------------------------------------------------------------------------------

    def _place(self, i: int) -> Place:
        place = self._made[i]
        if place is None:
            place = self._made[i] = Place(*self._rows[i])
        return place

    def _pick(self, query: str, rows: list[int], preferred: Country | None) -> Lookup:
        """One place, or the candidates; the preferred country settles a tie between countries."""
        if len(rows) > 1 and preferred is not None:
            rows = [i for i in rows if self._rows[i][_COUNTRY] == preferred] or rows
        if len(rows) == 1:
            return Lookup(query=query, place=self._place(rows[0]))
        return Lookup(query=query, candidates=tuple(self._place(i) for i in rows))

    def _lookup(self, text: str, preferred: Country | None) -> Lookup:
        if not isinstance(text, str) or len(text) > MAX_QUERY:
            return Lookup(query=str(text)[:MAX_QUERY])
        parsed = parse_query(text)
        if parsed is None:
            return Lookup(query=text)
        if parsed.postcode is not None:
            return self._lookup_postcode(text, parsed, preferred)
        if not parsed.name:
            return Lookup(query=text)
        towns = self._towns(parsed.name, parsed.country)
        if not towns:
            return Lookup(query=text, suggestions=self._suggest(parsed.name, parsed.country))
        return self._pick(text, towns, preferred)

    def _lookup_postcode(
        self, query: str, parsed: ParsedQuery, preferred: Country | None
    ) -> Lookup:
        code = parsed.postcode or ""
        by_country = self._by_code.get(code, {})
        allowed = [c for c in COUNTRIES if c in by_country and parsed.country in (None, c)]
        name = parsed.name
        if parsed.letters:
            as_name = f"{parsed.letters} {name}".strip()
            if self._named(as_name, by_country, allowed):
                name = as_name  # "3010 lo" is a place name, not postcode letters
            elif parsed.country is None and "NL" in allowed:
                allowed = ["NL"]  # "1060 AB": letters mean the Netherlands
        named = self._named(name, by_country, allowed) if name else []
        if named:
            return self._pick(query, named, preferred)
        mains = [i for i in (self._main_row(c, code) for c in allowed) if i is not None]
        # A name that is not at this postcode: "9000 Amsterdam" asks which one was meant, "9999
        # Gent" (an unknown code) goes by the name, "9000 Gnet" (no such name) by the postcode.
        towns = self._towns(name, parsed.country) if name else []
        if mains and towns:
            both = dict.fromkeys(mains + towns)  # in order, once each
            return Lookup(query=query, candidates=tuple(self._place(i) for i in both))
        if mains or towns:
            return self._pick(query, mains or towns, preferred)
        return Lookup(query=query, suggestions=self._near_codes(code, parsed.country))

    def _named(
        self, name: str, by_country: dict[str, list[int]], allowed: list[Country]
    ) -> list[int]:
        """The rows with this postcode that go by ``name``, one per town."""
        wanted = wanted_keys(norm(name))
        towns: dict[tuple[str, str], list[int]] = {}
        for country in allowed:
            for i in by_country.get(country, ()):
                if self._answers_to(i, wanted):
                    towns.setdefault(self._town(i), []).append(i)
        return self._stand_ins(towns, wanted)

    def _towns(self, key: str, country: Country | None) -> list[int]:
        """The distinct towns a normalised name means, each as the row that stands for it."""
        towns: dict[tuple[str, str], list[int]] = {}
        seen: set[int] = set()
        for group in self._name_index().postings.get(key, ()):
            if country is not None and self._rows[group[0]][_COUNTRY] != country:
                continue
            for i in group:
                if i not in seen:
                    seen.add(i)
                    towns.setdefault(self._town(i), []).append(i)
        return self._stand_ins(towns, wanted_keys(key))

    def _stand_ins(
        self, towns: dict[tuple[str, str], list[int]], wanted: tuple[str, ...]
    ) -> list[int]:
        best = [min(rows, key=lambda i: self._town_rank(i, wanted)) for rows in towns.values()]
        return sorted(best, key=lambda i: self._rows[i][:3])

    def _town(self, i: int) -> tuple[str, str]:
        """Rows of one town share this: (country, municipality), or (country, name)."""
        row = self._rows[i]
        return (row[_COUNTRY], row[_MUN_NL] or row[_NAME])

    def _keys(self, i: int) -> dict[str, str]:
        """The normalised names of a row's place ("Bergen (NH)": "bergen nh" and "bergen")."""
        row = self._rows[i]
        ident = (row[_COUNTRY], row[_NAME])
        keys = self._keys_of.get(ident)
        if keys is None:
            keys = self._keys_of[ident] = name_keys(row[_NAME], row[_COUNTRY])
        return keys

    def _answers_to(self, i: int, wanted: tuple[str, ...]) -> bool:
        keys = self._keys(i)
        if any(k in keys for k in wanted):
            return True
        row = self._rows[i]
        return any(m and self._municipality_key(m) in wanted for m in (row[_MUN_NL], row[_MUN_FR]))

    def _municipality_key(self, name: str) -> str:
        key = self._municipality_keys.get(name)
        if key is None:
            key = self._municipality_keys[name] = norm(name)
        return key

    def _main_rank(self, i: int) -> int:
        """0: the place is its municipality (Gent); 1: it names it (Tongeren in
        Tongeren-Borgloon); 2: a part of a municipality, or no municipality known."""
        rank = self._ranks.get(i)
        if rank is None:
            row = self._rows[i]
            keys = self._keys(i)
            municipalities = [self._municipality_key(m) for m in (row[_MUN_NL], row[_MUN_FR]) if m]
            if any(m in keys for m in municipalities):
                rank = 0
            elif any(f" {k} " in f" {m} " for k in keys for m in municipalities):
                rank = 1
            else:
                rank = 2
            self._ranks[i] = rank
        return rank

    def _town_rank(self, i: int, wanted: tuple[str, ...]) -> tuple[int, int, int, str, str]:
        """Which place stands for a town: one named as asked ("Kessel-Lo", not Leuven), the
        municipality's main place, a Dutch city centre (postcodes ending in 11: 1011 Amsterdam,
        3511 Utrecht), then the lowest postcode."""
        row = self._rows[i]
        keys = self._keys(i)
        direct = 0 if any(k in keys for k in wanted) else 1
        centre = 0 if row[_COUNTRY] == "NL" and row[_POSTCODE].endswith("11") else 1
        return (direct, self._main_rank(i), centre, row[_POSTCODE], row[_NAME])

    def _main_row(self, country: Country, code: str) -> int | None:
        """The row that stands for a postcode: the municipality itself, else the place that
        names it, else the place with the most postcodes (the bigger town)."""
        found = self._main.get((country, code))
        if found is None:
            rows = self._by_code.get(code, {}).get(country)
            if not rows:
                return None
            found = rows[0] if len(rows) == 1 else min(rows, key=self._postcode_rank)
            self._main[(country, code)] = found
        return found

    def _postcode_rank(self, i: int) -> tuple[int, int, str]:
        row = self._rows[i]
        postcodes = len(self._by_place_name.get((row[_COUNTRY], row[_NAME]), ()))
        return (self._main_rank(i), -postcodes, row[_NAME])

    # --- when nothing matched -----------------------------------------------------------------

    def _suggest(self, key: str, country: Country | None) -> tuple[str, ...]:
        """Up to five names close to ``key`` ("gnet" -> "Gent"), best first."""
        if len(key) > MAX_FUZZY or not any(c.isalpha() for c in key):
            return ()
        names, fuzzy = self._name_index(), self._fuzzy_index()
        # Shortlist the names sharing most letter pairs with the query (Dice coefficient), then
        # let difflib rank the shortlist.
        grams = letter_pairs(key)
        shared = Counter(chain.from_iterable(fuzzy.grams.get(g, ()) for g in grams))
        sizes, n = fuzzy.sizes, len(grams)
        # One typo spoils at most three pairs: a name sharing under a third is no near miss.
        close = [i for i, count in shared.items() if 3 * count >= n]
        # Ties go to the first name in sorted order, whatever the hash seed of this process.
        best = heapq.nlargest(SHORTLIST, close, key=lambda i: (shared[i] / (n + sizes[i]), -i))
        keys = [fuzzy.keys[i] for i in best]
        if country is not None:
            keys = [
                k
                for k in keys
                if any(self._rows[g[0]][_COUNTRY] == country for g in names.postings[k])
            ]
        shown: list[str] = []
        for match in difflib.get_close_matches(key, keys, n=MAX_SUGGESTIONS * 2, cutoff=0.6):
            name = names.shown.get(match, match)
            if name not in shown:
                shown.append(name)
        return tuple(shown[:MAX_SUGGESTIONS])

    def _fuzzy_index(self) -> _Fuzzy:
        if self._fuzzy is None:
            with _gc_paused():
                self._fuzzy = self._build_fuzzy()
        return self._fuzzy

    def _build_fuzzy(self) -> _Fuzzy:
        keys = sorted(self._name_index().postings)
        sizes = []
        grams: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            key_grams = letter_pairs(key)
            sizes.append(len(key_grams))
            for gram in key_grams:
                grams.setdefault(gram, []).append(i)
        return _Fuzzy(keys, sizes, grams)

    def _near_codes(self, code: str, country: Country | None) -> tuple[str, ...]:
        """For an unknown postcode: the nearest existing ones, as "NL 3011 Rotterdam"."""
        if not (len(code) == 4 and code.isdigit()):
            return ()
        if self._codes is None:
            self._codes = {c: sorted(int(k) for k in self.postcodes(c)) for c in COUNTRIES}
        wanted = int(code)
        near: list[tuple[int, str, int]] = []
        for c in COUNTRIES:
            if country not in (None, c):
                continue
            codes = self._codes[c]
            at = bisect.bisect_left(codes, wanted)
            for j in range(max(0, at - 2), min(len(codes), at + 2)):
                i = self._main_row(c, f"{codes[j]:04d}")
                if i is not None:
                    near.append((abs(codes[j] - wanted), c, i))
        near.sort(key=lambda item: (item[0], item[1], self._rows[item[2]][_POSTCODE]))
        return tuple(f"{c} {self._place(i).label()}" for _, c, i in near[:3])


#: Longest normalised text we look for suggestions for (the longest place name has 37 letters).
MAX_FUZZY: Final = 60


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building an index makes tens of thousands of small objects that all live on: the cyclic
    garbage collector would scan them again and again for nothing (a quarter of the time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@functools.cache
def _default_index() -> PlaceIndex:
    return PlaceIndex.load(default_path())


def _row_of(p: Place) -> PlaceRow:
    return (
        p.country,
        p.postcode,
        p.name,
        p.municipality_nl,
        p.municipality_fr,
        p.latitude,
        p.longitude,
    )
